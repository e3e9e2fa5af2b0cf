// The zoomed timeline's window: which steps the span lanes show, from the whole run (a compaction
// of a 24 GiB machine is ~12 M steps) down to a handful of steps, each a cell wide enough for its
// number. Pure functions of (window, run length, width in px) so the zoom math is tested in Node.
//
// Coordinates: step n is the cell [n, n + 1), so a run of steps 0..frontier covers [0, end) with
// end = frontier + 1, and a span [first, last] covers [first, last + 1).

/** A visible range of step coordinates, from < to. */
export interface StepWindow {
  readonly from: number;
  readonly to: number;
}

/** The deepest zoom: this many steps across the lanes (~140 px per step on a 1,100 px strip). */
export const MIN_SPAN = 8;

/** The run's extent in step coordinates (steps 0..frontier). */
export const runEnd = (frontier: number): number => Math.max(1, frontier + 1);

export const wholeRun = (end: number): StepWindow => ({ from: 0, to: end });

/** The window covers the whole run (it then grows with the frontier). */
export const isWholeRun = (w: StepWindow, end: number): boolean => w.from <= 0 && w.to >= end;

/** Keep the window inside [0, end) and no narrower than MIN_SPAN steps (or the run, if shorter). */
export function clampWindow(w: StepWindow, end: number): StepWindow {
  const span = Math.min(end, Math.max(Math.min(MIN_SPAN, end), w.to - w.from));
  const from = Math.min(Math.max(0, w.from), end - span);
  return { from, to: from + span };
}

/**
 * Zoom by `factor` (< 1 in, > 1 out) keeping step coordinate `anchor` where it is on screen, as
 * Perfetto does around the pointer.
 */
export function zoomAround(w: StepWindow, factor: number, anchor: number, end: number): StepWindow {
  const span = w.to - w.from;
  const next = Math.min(end, Math.max(Math.min(MIN_SPAN, end), span * factor));
  const frac = span > 0 ? (anchor - w.from) / span : 0.5;
  const from = anchor - frac * next;
  return clampWindow({ from, to: from + next }, end);
}

/** Move the window by `steps` (negative: towards step 0), keeping its width. */
export function panBy(w: StepWindow, steps: number, end: number): StepWindow {
  return clampWindow({ from: w.from + steps, to: w.to + steps }, end);
}

/** x in CSS px of step coordinate `s` on a strip `px` wide. */
export const xOfStep = (s: number, w: StepWindow, px: number): number => ((s - w.from) * px) / (w.to - w.from);

/** The step coordinate at x (CSS px). */
export const stepAtX = (x: number, w: StepWindow, px: number): number => w.from + (x * (w.to - w.from)) / px;

/** The whole steps with a cell in view: what a `spans` request asks for. */
export function visibleSteps(w: StepWindow): { readonly from: number; readonly to: number } {
  const from = Math.max(0, Math.floor(w.from));
  return { from, to: Math.max(from, Math.ceil(w.to) - 1) };
}

/**
 * The window after the current step moved: unchanged while the step's cell is in view, else
 * centred on it (stepping, Next folio or play carry the view along like a scroll).
 */
export function follow(w: StepWindow, step: number, end: number): StepWindow {
  if (step >= w.from && step + 1 <= w.to) return w;
  const span = w.to - w.from;
  const from = step + 0.5 - span / 2;
  return clampWindow({ from, to: from + span }, end);
}

/** 1, 2 or 5 × 10^k: the smallest such step count >= n (and >= 1, steps are whole). */
export function niceInterval(n: number): number {
  if (!(n > 1)) return 1;
  const p = 10 ** Math.floor(Math.log10(n));
  for (const m of [1, 2, 5, 10]) if (m * p >= n) return m * p;
  return 10 * p;
}

/** Ruler ticks: whole steps at a 1-2-5 interval, at least `minGapPx` apart. */
export function rulerTicks(w: StepWindow, px: number, minGapPx = 72): number[] {
  if (!(px > 0)) return [];
  const interval = niceInterval((minGapPx * (w.to - w.from)) / px);
  const out: number[] = [];
  for (let s = Math.ceil(w.from / interval) * interval; s < w.to; s += interval) out.push(s);
  return out;
}
