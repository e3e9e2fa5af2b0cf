// A selected page's history: a strip over the computed steps with a mark at every step that
// touched the page (coloured by the role it played, as the grid outlines it; a red cap when the
// step failed) and the current step. A mark is a button: clicking it goes to that step.
import type { ReactNode } from 'react';
import { ROLE_COLORS, ROLE_LABELS } from './grid/roles';
import { seekTo } from './state/simClient';
import { selectFrontier, selectStep, useSim } from './state/store';
import type { HistoryMark } from '../worker/protocol';

/**
 * The strip is cut into BUCKETS slots, one button each at most, centred in its slot: 64 slots of a
 * ~300 px strip are ~5 px apart, the width of a mark, so marks never cover each other. Steps
 * that fall into one slot share its button, which goes to the earliest failed step among them,
 * or else the earliest.
 */
export const BUCKETS = 64;

export interface Bucket {
  readonly slot: number;
  mark: HistoryMark;
  n: number;
  failed: boolean;
}

/** One mark per slot of the strip, with how many steps it stands for. */
export function bucketMarks(marks: readonly HistoryMark[], frontier: number): Bucket[] {
  const out = new Map<number, Bucket>();
  const span = Math.max(frontier, 1);
  for (const m of marks) {
    const b = Math.min(BUCKETS - 1, Math.floor((m.step / span) * BUCKETS));
    const cur = out.get(b);
    if (cur) {
      cur.n++;
      if (m.failed && !cur.failed) cur.mark = m;
      cur.failed ||= m.failed;
    } else out.set(b, { slot: b, mark: m, n: 1, failed: m.failed });
  }
  return [...out.values()];
}

export function PageHistory({ marks, total, action }: { readonly marks: readonly HistoryMark[]; readonly total: number; readonly action?: ReactNode }) {
  const frontier = useSim(selectFrontier);
  const step = useSim(selectStep);
  const span = Math.max(frontier, 1);
  const pct = (n: number): string => `${((n / span) * 100).toFixed(3)}%`;
  const shown = bucketMarks(marks, frontier);
  const summary =
    total === 0
      ? `no computed step touched it (steps 1–${frontier})`
      : `touched by ${total} of the ${frontier} computed steps, first at ${marks[0]!.step}${total > marks.length ? ` (the first ${marks.length} shown)` : `, last at ${marks.at(-1)!.step}`}`;
  return (
    <div className="history" data-testid="page-history">
      <div className="history-head">
        <span className="label">history</span>
        {action}
      </div>
      <div className="summary">{summary}</div>
      <div className="history-strip" role="group" aria-label="Steps that touched this page">
        <span className="history-cursor" style={{ left: pct(step) }} aria-hidden="true" />
        {shown.map(({ slot, mark, n, failed }) => {
          const what = `step ${mark.step}: ${mark.phase}, ${ROLE_LABELS[mark.role]}${failed ? ', failed' : ''}${n > 1 ? ` (${n - 1} more steps here)` : ''}`;
          return (
            <button
              key={mark.step}
              type="button"
              className={failed ? 'history-mark failed' : 'history-mark'}
              style={{ left: `${(((slot + 0.5) / BUCKETS) * 100).toFixed(3)}%`, background: ROLE_COLORS[mark.role] }}
              title={`${what}: go there`}
              aria-label={what}
              data-step={mark.step}
              aria-current={mark.step === step ? 'step' : undefined}
              onClick={() => seekTo(mark.step)}
            />
          );
        })}
      </div>
    </div>
  );
}
