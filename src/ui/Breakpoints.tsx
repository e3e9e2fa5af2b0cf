// Breakpoints: where play and multi-step moves stop. On a phase (every refcount check), a PFN (any
// step whose pages cover it) or a kernel function (suggested from the functions the computed
// steps ran). The list lives in the UI store and is sent to the worker whenever it changes.
import { useState } from 'react';
import { useStore } from 'zustand';
import { parsePfn } from './pfnInput';
import { setBreakpoints } from './state/simClient';
import { selectBreakpoints, selectNrPfns, timelineData, useSim } from './state/store';
import { PHASES, type Breakpoint, type Phase } from '../worker/protocol';

type Kind = Breakpoint['kind'];
const KIND_LABELS: Readonly<Record<Kind, string>> = { phase: 'phase', pfn: 'PFN', fn: 'function' };
const selectFns = (s: { readonly fns: readonly string[] }) => s.fns;

export function describeBreakpoint(b: Breakpoint): string {
  switch (b.kind) {
    case 'phase':
      return `phase ${b.phase}`;
    case 'pfn':
      return `PFN 0x${b.pfn.toString(16)}`;
    case 'fn':
      return `function ${b.fn}()`;
  }
}

const same = (a: Breakpoint, b: Breakpoint): boolean => describeBreakpoint(a) === describeBreakpoint(b);

export function Breakpoints() {
  const list = useSim(selectBreakpoints);
  const nrPfns = useSim(selectNrPfns);
  const fns = useStore(timelineData, selectFns);
  const [kind, setKind] = useState<Kind>('phase');
  const [phase, setPhase] = useState<Phase>('refcount');
  const [text, setText] = useState('');

  function add(): void {
    let b: Breakpoint;
    if (kind === 'phase') b = { kind, phase };
    else if (kind === 'pfn') {
      const r = parsePfn(text, nrPfns);
      if ('error' in r) {
        useSim.setState({ error: { message: r.error.replace('Go to PFN', 'Breakpoint'), restartable: false } });
        return;
      }
      b = { kind, pfn: r.pfn };
    } else {
      const fn = text.trim().replace(/\(\)$/, '');
      if (!fn) return;
      b = { kind, fn };
    }
    if (!list.some((x) => same(x, b))) setBreakpoints([...list, b]);
    setText('');
  }

  return (
    <section className="panel breakpoints" aria-label="Breakpoints">
      <div className="panel-head">
        <h2 title="Play stops at the first step that matches one">Breakpoints</h2>
        {list.length === 0 && <span className="muted">none: play runs to the end</span>}
      </div>
      <form
        className="bp-form"
        onSubmit={(e) => {
          e.preventDefault();
          add();
        }}
      >
        <select aria-label="Break on" value={kind} onChange={(e) => setKind(e.target.value as Kind)}>
          {(Object.keys(KIND_LABELS) as Kind[]).map((k) => (
            <option key={k} value={k}>
              {KIND_LABELS[k]}
            </option>
          ))}
        </select>
        {kind === 'phase' ? (
          <select aria-label="Phase" value={phase} onChange={(e) => setPhase(e.target.value as Phase)}>
            {PHASES.map((p) => (
              <option key={p} value={p}>
                {p}
              </option>
            ))}
          </select>
        ) : (
          <input
            type="text"
            aria-label={kind === 'pfn' ? 'Breakpoint PFN' : 'Kernel function'}
            placeholder={kind === 'pfn' ? '0x1c49' : 'folio_ref_freeze'}
            list={kind === 'fn' ? 'bp-fns' : undefined}
            spellCheck={false}
            autoComplete="off"
            value={text}
            onChange={(e) => setText(e.target.value)}
          />
        )}
        <datalist id="bp-fns">
          {fns.map((f) => (
            <option key={f} value={f} />
          ))}
        </datalist>
        <button type="submit" disabled={kind !== 'phase' && text.trim() === ''}>
          Add breakpoint
        </button>
      </form>
      {list.length > 0 && (
        <ul className="bp-list" data-testid="breakpoint-list">
          {list.map((b) => {
            const what = describeBreakpoint(b);
            return (
              <li key={what}>
                <span>{what}</span>
                <button type="button" className="small" aria-label={`Remove breakpoint ${what}`} title="Remove" onClick={() => setBreakpoints(list.filter((x) => !same(x, b)))}>
                  ×
                </button>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
