// Lockstep on the same moment of the migration: the steps of two or more runs of one scenario
// (one per design) lined up on their phases, the way a diff lines up two files. A design that
// takes more steps (a finer isolation, an extra putback) gets rows the others do not have, so
// "Next phase" shows the same moment side by side rather than the same step number. Pure, so the
// alignment is tested on hand-worked sequences.
import type { Phase } from '../../worker/protocol';

/** The phases a compare row stands on: where a migration is decided and done, on every path. */
export const ALIGN_PHASES: readonly Phase[] = ['isolate', 'unmap', 'refcount', 'copy', 'remap', 'putback', 'done'];
const ALIGNED = new Set<Phase>(ALIGN_PHASES);

/** What alignment reads of a step. */
export interface StepKey {
  readonly step: number;
  readonly phase: Phase;
  readonly task: string;
  readonly fn: string;
}

/** One moment: the step of each pane at it, or null where that pane's design has no such step. */
export type Row = readonly (number | null)[];

/** How well two steps stand for the same moment: 0 (a different phase: never), else 1 + same task + same function. */
function weight(a: StepKey, b: StepKey): number {
  if (a.phase !== b.phase) return 0;
  return 1 + (a.task === b.task ? 1 : 0) + (a.fn === b.fn ? 1 : 0);
}

/**
 * The rows of panes' step sequences (each in step order): only steps of ALIGN_PHASES take part.
 * Pane 0 gives the first rows; each further pane is aligned against the rows so far (a row stands
 * for its first pane's step) by the heaviest common subsequence, steps in no common moment
 * getting rows of their own, in order.
 */
export function alignSteps(panes: readonly (readonly StepKey[])[]): Row[] {
  if (panes.length === 0) return [];
  const moments = panes.map((p) => p.filter((s) => ALIGNED.has(s.phase)));
  const byStep = moments.map((m) => new Map(m.map((s) => [s.step, s])));
  let rows: Row[] = moments[0]!.map((s) => [s.step]);
  for (let k = 1; k < moments.length; k++) {
    const ms = moments[k]!;
    const rep = rows.map((r) => {
      const p = r.findIndex((c) => c !== null);
      return byStep[p]!.get(r[p]!)!;
    });
    const n = rows.length;
    const m = ms.length;
    // best[i][j]: the heaviest alignment of rows[i..] with ms[j..].
    const best = Array.from({ length: n + 1 }, () => new Float64Array(m + 1));
    for (let i = n - 1; i >= 0; i--) {
      for (let j = m - 1; j >= 0; j--) {
        const w = weight(rep[i]!, ms[j]!);
        best[i]![j] = Math.max(best[i + 1]![j]!, best[i]![j + 1]!, w > 0 ? w + best[i + 1]![j + 1]! : 0);
      }
    }
    const out: Row[] = [];
    let i = 0;
    let j = 0;
    while (i < n || j < m) {
      const w = i < n && j < m ? weight(rep[i]!, ms[j]!) : 0;
      if (w > 0 && best[i]![j] === w + best[i + 1]![j + 1]!) {
        out.push([...rows[i]!, ms[j]!.step]);
        i++;
        j++;
      } else if (i < n && (j >= m || best[i + 1]![j]! >= best[i]![j + 1]!)) {
        out.push([...rows[i]!, null]);
        i++;
      } else {
        out.push([...Array<null>(k).fill(null), ms[j]!.step]);
        j++;
      }
    }
    rows = out;
  }
  return rows;
}

/**
 * The step each pane shows at row `r`: its own step there, else (a moment its design lacks) the
 * last step it had at an earlier row, else 0. Row -1 is before every moment: step 0 everywhere.
 */
export function stepsAtRow(rows: readonly Row[], r: number, nPanes: number): number[] {
  const out = new Array<number>(nPanes).fill(0);
  for (let i = 0; i <= r && i < rows.length; i++) {
    rows[i]!.forEach((c, p) => {
      if (c !== null) out[p] = c;
    });
  }
  return out;
}

/** The last row every pane has reached (each of its steps at or before the pane's), or -1. */
export function rowAt(rows: readonly Row[], steps: readonly number[]): number {
  let at = -1;
  rows.forEach((r, i) => {
    if (r.every((c, p) => c === null || c <= (steps[p] ?? 0))) at = i;
  });
  return at;
}

/** The panes stand exactly on row `r`: each shows the step stepsAtRow gives it there. */
export function onRow(rows: readonly Row[], r: number, steps: readonly number[]): boolean {
  const at = stepsAtRow(rows, r, steps.length);
  return r >= 0 && r < rows.length && at.every((s, p) => s === steps[p]);
}

/**
 * Where Next phase (dir 1) or Previous phase (dir -1) takes the panes: the next row after the one
 * they have reached, or the previous one (the row itself when they have stepped past it). Past the
 * last row: each pane's last step (`lasts`); before the first: step 0.
 */
export function phaseMove(rows: readonly Row[], steps: readonly number[], lasts: readonly number[], dir: 1 | -1): { row: number; steps: number[] } {
  const at = rowAt(rows, steps);
  if (dir > 0) {
    if (at + 1 >= rows.length) return { row: rows.length - 1, steps: [...lasts] };
    return { row: at + 1, steps: stepsAtRow(rows, at + 1, steps.length) };
  }
  const to = at >= 0 && !onRow(rows, at, steps) ? at : at - 1;
  return { row: to, steps: stepsAtRow(rows, to, steps.length) };
}
