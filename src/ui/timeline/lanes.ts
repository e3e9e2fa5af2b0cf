// Span lanes of the zoomed timeline, as pure layout: which levels get a lane, the rectangles one
// lane draws, and the span under the pointer. A lane draws at most about one rectangle per pixel
// column however many spans the view holds (a whole 12 M-step run has ~800 k folios; the worker
// sends at most MAX_SPANS per level): spans narrower than a pixel merge into one dense bar.
import { SPAN_LEVEL_NAMES } from '../../worker/protocol';
import { stepAtX, xOfStep, type StepWindow } from './zoom';

/** A span as the worker sends it: [first step, last step]. */
export type SpanPair = readonly [number, number];

/** One rectangle of a lane: a span, or several spans too narrow to tell apart. */
export interface LaneRect {
  readonly x0: number;
  readonly x1: number;
  /** Spans it stands for (1: a single span, drawn with its own edges). */
  readonly count: number;
  /** The first step of its first span and the last step of its last. */
  readonly first: number;
  readonly last: number;
}

/**
 * The rectangles of one lane over a strip `px` CSS px wide. Spans arrive sorted by start. A span
 * that would add less than a pixel past the rectangle before it joins that rectangle, so each new
 * rectangle reaches at least a pixel further right: at most px + 1 of them.
 */
export function laneRects(spans: readonly SpanPair[], w: StepWindow, px: number): LaneRect[] {
  const out: LaneRect[] = [];
  let cur: { x0: number; x1: number; count: number; first: number; last: number } | null = null;
  for (const [s, e] of spans) {
    if (e + 1 <= w.from || s >= w.to) continue;
    const x0 = Math.max(0, xOfStep(s, w, px));
    const x1 = Math.min(px, xOfStep(e + 1, w, px));
    if (cur && x1 - cur.x1 < 1) {
      cur.x1 = Math.max(cur.x1, x1);
      cur.count++;
      cur.first = Math.min(cur.first, s);
      cur.last = Math.max(cur.last, e);
      continue;
    }
    if (cur) out.push(cur);
    cur = { x0, x1, count: 1, first: s, last: e };
  }
  if (cur) out.push(cur);
  return out;
}

/**
 * The span under x (CSS px), or the nearest one within `slopPx` when the pointer is between
 * spans too narrow to hit (a 5-step folio in a 100 k-step view is a twentieth of a pixel).
 */
export function spanAtX(spans: readonly SpanPair[], w: StepWindow, px: number, x: number, slopPx = 3): SpanPair | null {
  const step = Math.floor(stepAtX(x, w, px));
  // The last span starting at or before `step` (spans are sorted by start).
  let lo = 0;
  let hi = spans.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (spans[mid]![0] <= step) lo = mid + 1;
    else hi = mid;
  }
  // A span of this level may sit inside a longer one that started earlier (interleaved tasks):
  // look back a little for one that contains the step.
  for (let i = lo - 1; i >= Math.max(0, lo - 8); i--) if (spans[i]![1] >= step) return spans[i]!;
  let best: SpanPair | null = null;
  let bestDist = slopPx;
  for (const i of [lo - 1, lo]) {
    const sp = spans[i];
    if (!sp) continue;
    const d = Math.max(0, xOfStep(sp[0], w, px) - x, x - xOfStep(sp[1] + 1, w, px));
    if (d <= bestDist) {
      best = sp;
      bestDist = d;
    }
  }
  return best;
}

/** What the tooltip says of a span: "folio: steps 1200–1213". */
export function spanLabel(level: number, sp: SpanPair): string {
  const name = SPAN_LEVEL_NAMES[level] ?? `level ${level}`;
  return sp[0] === sp[1] ? `${name}: step ${sp[0]}` : `${name}: steps ${sp[0]}–${sp[1]}`;
}

/** Rows of the zoomed strip, in CSS px: the step ruler, the markers, then one lane per level. */
export const RULER_H = 16;
export const MARKS_H = 8;
export const LANE_H = 12;
/** A span's bar inside its lane (the rest is the gap to the next lane). */
export const BAR_H = 10;

export const lanesHeight = (lanes: number): number => RULER_H + MARKS_H + lanes * LANE_H;

/** Top of lane i. */
export const laneTop = (i: number): number => RULER_H + MARKS_H + i * LANE_H;

export type Row = { readonly kind: 'ruler' } | { readonly kind: 'marks' } | { readonly kind: 'lane'; readonly index: number };

/** The row at y (CSS px from the strip's top), or null below the last lane. */
export function rowAt(y: number, lanes: number): Row | null {
  if (y < 0) return null;
  if (y < RULER_H) return { kind: 'ruler' };
  if (y < RULER_H + MARKS_H) return { kind: 'marks' };
  const i = Math.floor((y - RULER_H - MARKS_H) / LANE_H);
  return i < lanes ? { kind: 'lane', index: i } : null;
}
