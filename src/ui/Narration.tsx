// What the current step does: its phase, the kernel function (linked to its file at the modelled
// kernel version), the sentence with the real values, the result, the struct page fields it read
// and wrote, and a key of the outlined PFNs. Everything here comes from the worker or a scenario,
// so it is rendered as text, never as HTML; the PFNs in the sentence are buttons that pin the page.
import { ROLE_COLORS, ROLE_LABELS } from './grid/roles';
import { selectDone, selectFrontier, selectLoaded, selectNrPfns, selectScenarioName, selectStepInfo, useSim } from './state/store';
import { selectPfn } from './state/simClient';
import { splitPfns } from './narrationPfns';

/** The capture an imported session came from, or null. */
const selectImportName = (s: { readonly imported: { readonly name: string } | null }): string | null => s.imported?.name ?? null;
import { isFailedResult, kernelVersionOf, type FieldName, type StepPfn, type StepView } from '../worker/protocol';
import { hex } from './format';

function pfnRange(p: StepPfn): string {
  const nr = p.nr ?? 1;
  return nr > 1 ? `${hex(p.pfn)}–${hex(p.pfn + nr - 1)} (${nr} pages)` : hex(p.pfn);
}

/** The step's PFNs, one per (range, role), in the order the step gives them. */
export function distinctPfns(pfns: readonly StepPfn[]): StepPfn[] {
  const keyOf = (p: StepPfn): string => `${p.pfn}/${p.nr ?? 1}/${p.role}`;
  return pfns.filter((p, i) => pfns.findIndex((q) => keyOf(q) === keyOf(p)) === i);
}

/** A result that is an error code (or a replayed batch's nr_failed=N) reads as a failure. */
export const isFailure = (result: string | null): boolean => isFailedResult(result);

export function Narration() {
  const loaded = useSim(selectLoaded);
  const s = useSim(selectStepInfo);
  if (!loaded) return <section className="panel narration" aria-label="Narration" />;
  if (!s) return <StepZero />;
  const fn = <code className="fn">{s.fn}()</code>;
  const pfns = distinctPfns(s.pfns);
  return (
    <section className="panel narration" aria-label="Narration" data-testid="narration" data-step-id={s.id}>
      <div className="narr-head">
        <span className="phase" data-phase={s.phase} title="the phase of the path this step belongs to">
          {s.phase}
        </span>
        {s.sourceUrl ? (
          <a href={s.sourceUrl} target="_blank" rel="noopener noreferrer" title={`${s.fn}() is in ${s.file} (Linux ${kernelVersionOf(s.file)}, opens elixir.bootlin.com)`}>
            {fn}
          </a>
        ) : (
          fn
        )}
        {s.file && <span className="file">{s.file}</span>}
      </div>
      <p className="narr-text">
        <StepText text={s.text} />
      </p>
      <div className="narr-meta">
        {s.result !== null && (
          <span className={isFailure(s.result) ? 'result failed' : 'result'} data-testid="step-result">
            returns <code>{s.result}</code>
          </span>
        )}
        <span className="task" title="the task running this action, as trace lines name it">
          task {s.task}
        </span>
      </div>
      <Footprint step={s} />
      {pfns.length > 0 && (
        <ul className="roles" aria-label="Outlined on the grid">
          {pfns.map((p) => (
            <li key={`${p.pfn}/${p.nr ?? 1}/${p.role}`}>
              <span className="role-box" style={{ borderColor: ROLE_COLORS[p.role] }} />
              {ROLE_LABELS[p.role]} <code>{pfnRange(p)}</code>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** The step's sentence, with error codes (-EAGAIN) kept on one line and set apart, and its PFNs as buttons. */
function StepText({ text }: { readonly text: string }) {
  const nrPfns = useSim(selectNrPfns);
  const parts = text.split(/(-E[A-Z0-9]+)/);
  return (
    <>
      {parts.map((p, i) =>
        i % 2 === 1 ? (
          <span key={i} className="errno">
            {p}
          </span>
        ) : (
          splitPfns(p, nrPfns).map((q, j) => (typeof q === 'string' ? q : <PfnButton key={`${i}/${j}`} pfn={q.pfn} text={q.text} />))
        ),
      )}
    </>
  );
}

/** A PFN in the narration: pins its page in the inspector (and the grid outlines it). */
function PfnButton({ pfn, text }: { readonly pfn: number; readonly text: string }) {
  return (
    <button type="button" className="pfn-link" data-pfn={pfn} title={`pin PFN ${text} in the inspector and show it on the grid`} onClick={() => selectPfn(pfn)}>
      {text}
    </button>
  );
}

function StepZero() {
  const name = useSim(selectScenarioName);
  const done = useSim(selectDone);
  const frontier = useSim(selectFrontier);
  const imported = useSim(selectImportName);
  return (
    <section className="panel narration" aria-label="Narration">
      <p className="narr-text">
        {imported === null ? (
          <>
            Step 0: memory as <strong>{name}</strong> populated it, before the first action.
          </>
        ) : (
          <>
            Step 0: memory as <strong>{imported}</strong> had it, rebuilt from its kpageflags and kpagecount, before the first action.
          </>
        )}
        {done && frontier === 0 ? ' This scenario has no actions.' : ' Step forward (→) to run it.'}
      </p>
    </section>
  );
}

function Fields({ names }: { readonly names: readonly FieldName[] }) {
  if (names.length === 0) return <span className="none">none</span>;
  return (
    <>
      {names.map((n) => (
        <code key={n} className="field">
          {n}
        </code>
      ))}
    </>
  );
}

/**
 * The step's footprint: the struct page fields it read and wrote, over every page it touched,
 * then page by page for its source and destination (what a design change must keep working).
 */
function Footprint({ step }: { readonly step: StepView }) {
  // With a source and a destination, one row per page (as many rows as the combined view, so the
  // narration keeps its height); otherwise the step's combined read/wrote rows.
  const pages = step.footprint.filter((p) => (p.role === 'src' || p.role === 'dst') && (p.reads.length || p.writes.length));
  if (pages.length > 1) {
    return (
      <dl className="footprint" aria-label="struct page fields" data-testid="footprint" title="struct page fields this step read (r) and wrote (w), page by page">
        {pages.map((p) => (
          <div key={`${p.role}-${p.pfn}`} className="footprint-page" data-testid={`footprint-${p.role}`}>
            <dt>{ROLE_LABELS[p.role]} {hex(p.pfn)}</dt>
            <dd>
              {p.reads.length > 0 && <>r: <Fields names={p.reads} /> </>}
              {p.writes.length > 0 && <>w: <Fields names={p.writes} /></>}
            </dd>
          </div>
        ))}
      </dl>
    );
  }
  return (
    <dl className="footprint" aria-label="struct page fields" data-testid="footprint" title="struct page fields this step used">
      <dt>read</dt>
      <dd data-testid="footprint-reads">
        <Fields names={step.reads} />
      </dd>
      <dt>wrote</dt>
      <dd data-testid="footprint-writes">
        <Fields names={step.writes} />
      </dd>
    </dl>
  );
}
