// The page inspector: struct page as the kernel has it, read at the current step. Like Python
// Tutor following the running frame, it follows the current step's source and destination side
// by side, with what the step changed in each, until the person pins a page (a click on the grid
// or on a PFN in the narration, a typed PFN, a link); a pinned page shows its history over the
// computed steps, and "Follow the step" goes back to following.
import { GoToPfn } from './GoToPfn';
import { PageHistory } from './PageHistory';
import { PageTable, type Column } from './inspector/PageTable';
import { selectPfn, setBreakpoints } from './state/simClient';
import { selectBreakpoints, selectFollow, selectNrPfns, selectPage, selectSelectedPfn, selectStep, selectStepInfo, useSim } from './state/store';
import type { PageMsg } from '../worker/protocol';
import { hex } from './format';

export function Inspector() {
  const selected = useSim(selectSelectedPfn);
  const page = useSim(selectPage);
  const step = useSim(selectStep);
  const nrPfns = useSim(selectNrPfns);
  const follow = useSim(selectFollow);
  const detail = page && page.pfn === selected ? page.detail : null;
  // A selection kept from a larger machine (another preset) has no page here.
  const missing = selected !== null && nrPfns > 0 && selected >= nrPfns;
  // Two pages side by side need the wider column (styles.css widens it on data-pages="2").
  const pages = selected === null ? Math.min(2, follow.targets.length) : 1;
  return (
    <section
      className="panel inspector"
      aria-label="Page inspector"
      data-testid="inspector"
      data-pfn={detail?.pfn}
      data-mode={selected === null ? 'follow' : 'pinned'}
      data-pages={pages}
    >
      <div className="panel-head">
        <h2>struct page</h2>
        <GoToPfn />
      </div>
      {selected === null ? (
        <Following step={step} />
      ) : (
        <>
          <div className="follow-bar" data-testid="follow-bar">
            <span>
              Pinned <strong className="mono">PFN {hex(selected)}</strong>
              {detail && (
                <span className="muted">
                  {' '}
                  ({selected}) · zone {detail.zone}
                </span>
              )}
            </span>
            <button type="button" className="small" title="Show the current step's source and destination again (unpin)" onClick={() => selectPfn(null)}>
              Follow the step
            </button>
          </div>
          {missing ? (
            <p className="hint">PFN {hex(selected)} is past the end of this machine (0x0–{hex(nrPfns - 1)}).</p>
          ) : !detail ? (
            <p className="hint">Reading PFN {hex(selected)}…</p>
          ) : (
            <>
              <PageTable columns={[column(page!, step)]} />
              <PageHistory marks={page!.history ?? []} total={page!.historyTotal ?? 0} action={<BreakOnPfn pfn={detail.pfn} />} />
            </>
          )}
        </>
      )}
    </section>
  );
}

/** A page read as a column: its change is shown only when it was read at the current step. */
function column(m: PageMsg, step: number, extra: Partial<Column> = {}): Column {
  return { detail: m.detail, before: step === 0 ? undefined : m.before, ...(m.step !== step ? { staleAt: m.step } : {}), ...extra };
}

function Following({ step }: { readonly step: number }) {
  const follow = useSim(selectFollow);
  const info = useSim(selectStepInfo);
  const named = info?.pfns.some((p) => follow.targets.some((t) => t.pfn === p.pfn)) ?? false;
  const columns = follow.targets.flatMap((t) => {
    const m = follow.pages[t.pfn];
    return m ? [column(m, step, { role: t.role, onPin: () => selectPfn(t.pfn) })] : [];
  });
  return (
    <>
      <div className="follow-bar" data-testid="follow-bar">
        <span>
          {follow.targets.length === 0
            ? 'Following the step'
            : named
              ? `Following step ${step}'s ${follow.targets.length > 1 ? 'source and destination' : 'page'}`
              : `Following the last pages a step named (step ${step} names none)`}
        </span>
        <span className="muted">click a page or a PFN to pin it</span>
      </div>
      {follow.targets.length === 0 ? (
        <p className="hint">
          {step === 0
            ? 'Step forward (→): the inspector follows each step\'s source and destination pages. Or click a page on the grid, or type its PFN, to pin it.'
            : 'This step names no page. Click a page on the grid, or type its PFN, to pin it.'}
        </p>
      ) : columns.length === 0 ? (
        <p className="hint">Reading PFN {follow.targets.map((t) => hex(t.pfn)).join(' and ')}…</p>
      ) : (
        <PageTable columns={columns} />
      )}
    </>
  );
}

function BreakOnPfn({ pfn }: { readonly pfn: number }) {
  const breakpoints = useSim(selectBreakpoints);
  const has = breakpoints.some((b) => b.kind === 'pfn' && b.pfn === pfn);
  return (
    <button
      type="button"
      className="small"
      disabled={has}
      title={has ? 'a breakpoint on this PFN is set' : 'stop play when a step touches this page'}
      onClick={() => setBreakpoints([...breakpoints, { kind: 'pfn', pfn }])}
    >
      Break on this PFN
    </button>
  );
}
