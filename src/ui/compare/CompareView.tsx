// The compare view: the same scenario under two to four designs, one pane each (its grid and its
// narration), moved together. → / ← step every pane; Shift+→ / Shift+← move every pane to the
// next / previous aligned moment (align.ts), so the same moment of the migration is side by side
// even when one design takes more steps. What differs at that moment is marked: the function,
// the result, the refcounts after the step, an exclusion in one design only, a moment one design
// does not have, and on the grids the pages whose state is not the same. Everything shown comes
// from the worker or a link: rendered as text, never as HTML.
import { useEffect, useMemo } from 'react';
import { STATE_CLASSES } from '../../kernel/classes';
import type { PaneFrame, PaneRun, PaneStep } from '../../worker/compareProtocol';
import { isFailedResult } from '../../worker/protocol';
import { hex } from '../format';
import { selectVariants, useSim } from '../state/store';
import { onRow } from './align';
import { closeCompare, edgeAll, phaseAll, setDesigns, stepAll, useCompare } from './compareClient';
import { CompareGrid, compareCols, DIFF_RING } from './CompareGrid';
import { differingPfns, diffSteps, refcountsOf, type StepDiff } from './diff';

const MAX_PANES = 4;
/** Rings drawn and pages listed at most: past that the panes differ everywhere and a count says so. */
const DIFF_LIMIT = 2000;
const LABEL = new Map(STATE_CLASSES.map((c) => [c.id, c.label]));

function onKey(e: KeyboardEvent): void {
  if (!useCompare.getState().open || e.altKey || e.ctrlKey || e.metaKey) return;
  const t = e.target;
  if (t instanceof HTMLElement && t.closest('input, textarea, select, [contenteditable="true"]')) return;
  // The app behind the view must not move: every key is the view's while it is open.
  e.stopPropagation();
  const act: Record<string, () => void> = {
    ArrowRight: () => (e.shiftKey ? phaseAll(1) : stepAll(1)),
    ArrowLeft: () => (e.shiftKey ? phaseAll(-1) : stepAll(-1)),
    Home: () => edgeAll(false),
    End: () => edgeAll(true),
    Escape: () => closeCompare(),
  };
  const f = act[e.key];
  if (f) {
    e.preventDefault();
    f();
  }
}

export function CompareView() {
  const open = useCompare((s) => s.open);
  useEffect(() => {
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, []);
  if (!open) return null;
  return <CompareBody />;
}

function CompareBody() {
  const { scenarioName, runs, rows, row, frames, steps, error, busy, nrPfns } = useCompare();
  const variants = useSim(selectVariants);
  const designs = runs.map((r) => r.design);
  const stepsShown = frames?.map((f) => f.step) ?? steps;
  const aligned = row >= 0 && onRow(rows, row, stepsShown);
  const cells = aligned ? rows[row]! : null;
  const infos = frames?.map((f) => f.stepInfo) ?? [];
  const present = infos.map((s, p) => (cells ? cells[p] !== null : true) && s !== null);
  const diff = diffSteps(infos.map((s, p) => (present[p] ? s : null)));
  const diffPfns = useMemo(() => (frames ? differingPfns(frames.map((f) => f.view), DIFF_LIMIT) : []), [frames]);
  const phase = cells ? infos.find((s, p) => cells[p] !== null && s)?.phase : undefined;
  const spare = variants.find((v) => !designs.includes(v));
  return (
    <section className="compare overlay" aria-label="Compare designs" data-testid="compare" data-busy={busy ? 'true' : 'false'} data-row={row}>
      <div className="panel-head compare-head">
        <h2>
          Compare <span className="compare-scenario">{scenarioName}</span> under {runs.length} designs
        </h2>
        <span className="compare-moment" data-testid="compare-moment">
          {aligned && phase ? `moment ${row + 1} of ${rows.length}: ${phase}` : row < 0 ? `before the first of ${rows.length} moments` : `stepped past moment ${row + 1} of ${rows.length}`}
        </span>
        <div className="compare-controls" role="toolbar" aria-label="Move every pane">
          <button type="button" onClick={() => edgeAll(false)} title="Every pane to step 0 (Home)">Start</button>
          <button type="button" onClick={() => phaseAll(-1)} title="Every pane to the previous aligned moment (Shift+←)">◀ Phase</button>
          <button type="button" onClick={() => stepAll(-1)} title="Every pane one step back (←)">← Step</button>
          <button type="button" onClick={() => stepAll(1)} title="Every pane one step forward (→)">Step →</button>
          <button type="button" onClick={() => phaseAll(1)} title="Every pane to the next aligned moment: the next step of the same phase in each design (Shift+→)">Phase ▶</button>
          <button type="button" onClick={() => edgeAll(true)} title="Every pane to its last step (End)">End</button>
          <button type="button" disabled={!spare || runs.length >= MAX_PANES} onClick={() => spare && setDesigns([...designs, spare])} title="Add a pane with another design">
            + Design
          </button>
        </div>
        <button type="button" className="close" onClick={() => closeCompare()} title="Back to the single view, as you left it (Esc)">
          Close
        </button>
      </div>
      <p className="compare-help">
        The same scenario, once per design. <kbd>Shift+→</kbd> moves every pane to the next step of the same phase (isolate, unmap, refcount,
        copy, remap, putback, done), so one moment of the migration is side by side; <kbd>→</kbd> steps each pane by one.{' '}
        <mark className="diff-key">Marked</mark> fields differ between the designs; <span className="ring-key" style={{ borderColor: DIFF_RING }} /> rings the pages whose
        state differs. One grid row = {compareCols(nrPfns)} PFNs.
      </p>
      {error && (
        <p className="error compare-error" role="alert">
          {error}
        </p>
      )}
      <div className="compare-panes" style={{ gridTemplateColumns: `repeat(${runs.length}, minmax(0, 1fr))` }}>
        {runs.map((run, p) => (
          <Pane
            key={`${p}/${run.design}`}
            index={p}
            run={run}
            frame={frames?.[p] ?? null}
            designs={designs}
            variants={variants}
            diff={diff}
            diffPfns={diffPfns}
            absent={cells !== null && cells[p] === null ? phase ?? null : null}
            onlyIn={cells !== null && present.filter(Boolean).length < runs.length && cells[p] !== null ? designs.filter((_, q) => cells[q] !== null) : null}
            frames={frames}
          />
        ))}
      </div>
    </section>
  );
}

interface PaneProps {
  readonly index: number;
  readonly run: PaneRun;
  readonly frame: PaneFrame | null;
  readonly designs: readonly string[];
  readonly variants: readonly string[];
  readonly diff: StepDiff;
  readonly diffPfns: readonly number[] | null;
  /** This design has no step at the aligned moment (its phase), or null. */
  readonly absent: string | null;
  /** The moment exists only in these designs (this one among them), or null. */
  readonly onlyIn: readonly string[] | null;
  readonly frames: readonly PaneFrame[] | null;
}

function Pane({ index, run, frame, designs, variants, diff, diffPfns, absent, onlyIn, frames }: PaneProps) {
  const s = frame?.stepInfo ?? null;
  const change = (to: string): void => setDesigns(designs.map((d, i) => (i === index ? to : d)));
  const remove = (): void => setDesigns(designs.filter((_, i) => i !== index));
  return (
    <article className="compare-pane" aria-label={`${run.design}: step ${frame?.step ?? 0} of ${run.last}`} data-testid="compare-pane" data-design={run.design} data-step={frame?.step}>
      <header className="pane-head">
        <select aria-label={`Design of pane ${index + 1}`} value={run.design} onChange={(e) => change(e.target.value)}>
          {variants.map((v) => (
            <option key={v} value={v} disabled={v !== run.design && designs.includes(v)}>
              {v}
            </option>
          ))}
        </select>
        <span className="pane-step" data-testid="pane-step">
          step <strong>{frame?.step ?? 0}</strong> of {run.last}
        </span>
        {designs.length > 2 && (
          <button type="button" className="link" onClick={remove} aria-label={`Remove the ${run.design} pane`}>
            ×
          </button>
        )}
      </header>
      {run.stopped && <p className="pane-note">{run.stopped}</p>}
      {absent && (
        <p className="badge absent" data-testid="absent-badge">
          no {absent} step at this moment in {run.design}: still at step {frame?.step ?? 0}
        </p>
      )}
      {onlyIn && (
        <p className="badge only" data-testid="only-badge">
          only in {onlyIn.join(', ')}
        </p>
      )}
      <div className="pane-grid" style={{ aspectRatio: `${compareCols(frame?.view.length ?? 1)} / ${Math.max(1, Math.ceil((frame?.view.length ?? 1) / compareCols(frame?.view.length ?? 1)))}` }}>
        {frame && <CompareGrid view={frame.view} diff={diffPfns ?? []} pfns={s?.pfns ?? []} label={`${run.design}: memory at step ${frame.step}, pages that differ ringed`} />}
      </div>
      <DiffPages index={index} frames={frames} diffPfns={diffPfns} />
      <PaneNarration s={absent ? null : s} diff={diff} stale={absent !== null ? s : null} />
    </article>
  );
}

/** The pages whose state differs, as this pane has them (the first few). */
function DiffPages({ index, frames, diffPfns }: { readonly index: number; readonly frames: readonly PaneFrame[] | null; readonly diffPfns: readonly number[] | null }) {
  if (!frames) return null;
  if (diffPfns === null) return <p className="pane-diffpages">more than {DIFF_LIMIT} pages differ</p>;
  if (diffPfns.length === 0) return <p className="pane-diffpages muted">every page is in the same state in every pane</p>;
  const view = frames[index]!.view;
  const shown = diffPfns.slice(0, 4);
  return (
    <p className="pane-diffpages" data-testid="diff-pages" title={diffPfns.map((p) => `${hex(p)}: ${LABEL.get(view[p]!) ?? '?'}`).join('\n')}>
      <span className="ring-key" style={{ borderColor: DIFF_RING }} /> {diffPfns.length === 1 ? '1 page differs' : `${diffPfns.length} pages differ`}:{' '}
      {shown.map((p) => `${hex(p)} ${LABEL.get(view[p]!) ?? '?'}`).join('; ')}
      {diffPfns.length > shown.length ? '; …' : ''}
    </p>
  );
}

const mark = (on: boolean): string => (on ? ' diff' : '');

function PaneNarration({ s, diff, stale }: { readonly s: PaneStep | null; readonly diff: StepDiff; readonly stale: PaneStep | null }) {
  if (!s) {
    return (
      <div className="pane-narr" data-testid="pane-narration">
        {stale ? (
          <p className="muted">
            (showing its step {stale.id}: <code>{stale.fn}()</code>, {stale.phase})
          </p>
        ) : (
          <p className="muted">Step 0: memory as populated, before the first action.</p>
        )}
      </div>
    );
  }
  const refs = refcountsOf(s);
  return (
    <div className="pane-narr" data-testid="pane-narration">
      <div className="narr-head">
        <span className="phase" data-phase={s.phase}>
          {s.phase}
        </span>
        <code className={`fn${mark(diff.fn)}`} data-testid="pane-fn" title={diff.fn ? 'another function in another design' : undefined}>
          {s.fn}()
        </code>
        {s.file && s.sourceUrl ? (
          <a className="file" href={s.sourceUrl} target="_blank" rel="noopener noreferrer">
            {s.file}
          </a>
        ) : (
          s.file && <span className="file">{s.file}</span>
        )}
      </div>
      <p className="narr-text">{s.text}</p>
      <div className="narr-meta">
        {s.result !== null && (
          <span className={`result${isFailedResult(s.result) ? ' failed' : ''}${mark(diff.result)}`} data-testid="pane-result">
            returns <code>{s.result}</code>
          </span>
        )}
        {refs && (
          <span className={`refs${mark(diff.refcount)}`} data-testid="pane-refs" title="refcount of the step's pages right after it">
            refcount after: {refs}
          </span>
        )}
        <span className="task">task {s.task}</span>
      </div>
      {(s.excluded || diff.excluded) && (
        <p className={`exclusion${mark(diff.excluded)}`} data-testid="pane-exclusion">
          {s.excluded ? `kept out by ${s.excluded.guard}: ${s.excluded.why}` : 'no guard kept a task out here'}
        </p>
      )}
    </div>
  );
}
