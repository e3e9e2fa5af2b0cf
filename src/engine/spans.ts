// Structure in the timeline: nested intervals of steps, so a run of millions of steps can be shown
// whole and walked a folio, a pass or a compaction run at a time. Kernel paths open and close a
// span around the work a person thinks of as one thing (kernel/step.ts: spanOpen / spanClose);
// the engine adds one span per action. Each level is a pair of sorted typed arrays, so "the next
// folio after step s" is a binary search.

import type { SpanKind } from '../kernel/step';
import { firstAbove, grown } from './sorted';

/** Levels, outermost first. */
export const SPAN_LEVELS: readonly (SpanKind | 'action')[] = ['action', 'compaction', 'pageblock', 'migrate_pages', 'batch', 'pass', 'folio'];
const LEVEL_OF = new Map(SPAN_LEVELS.map((k, i) => [k, i]));

export interface SpanLevel {
  n: number;
  /** First and last step id of each span, ascending by start. */
  start: Int32Array;
  end: Int32Array;
}

export interface SpanTable {
  readonly levels: SpanLevel[];
}

export const createSpanTable = (): SpanTable => ({
  levels: SPAN_LEVELS.map(() => ({ n: 0, start: new Int32Array(256), end: new Int32Array(256) })),
});

export const spanLevel = (kind: SpanKind | 'action'): number => LEVEL_OF.get(kind)!;

/** Record a span of steps [start, end] (dropped when it holds no step). */
export function addSpan(tb: SpanTable, level: number, start: number, end: number): void {
  if (end < start) return;
  const l = tb.levels[level]!;
  l.start = grown(l.start, l.n + 1);
  l.end = grown(l.end, l.n + 1);
  // Interleaved tasks may close spans out of start order: keep the arrays sorted.
  let i = l.n++;
  while (i > 0 && l.start[i - 1]! > start) {
    l.start[i] = l.start[i - 1]!;
    l.end[i] = l.end[i - 1]!;
    i--;
  }
  l.start[i] = start;
  l.end[i] = end;
}

/** Index of the first span of the level starting after step `s`, or l.n. */
const firstAfter = (l: SpanLevel, s: number): number => firstAbove(l.start, l.n, s);

/**
 * The start of the next (dir 1) or previous (dir -1) span of `level` seen from step `cur`: the
 * first span starting after it, or the nearest one starting before it (the span it is in, when
 * it is past that span's first step). Null when there is none that way.
 */
export function spanStep(tb: SpanTable, level: number, cur: number, dir: 1 | -1): number | null {
  const l = tb.levels[level]!;
  if (dir > 0) {
    const i = firstAfter(l, cur);
    return i < l.n ? l.start[i]! : null;
  }
  const i = firstAfter(l, cur - 1) - 1;
  return i >= 0 ? l.start[i]! : null;
}

/** Spans of a level overlapping steps [from, to], at most `max` of them (evenly thinned). */
export function spansIn(tb: SpanTable, level: number, from: number, to: number, max: number): { start: number; end: number }[] {
  const l = tb.levels[level]!;
  // Spans end after they start; the ones overlapping start before `to` and end at or after `from`.
  let i = Math.max(0, firstAfter(l, from) - 1);
  while (i > 0 && l.end[i - 1]! >= from) i--; // a long earlier span may still overlap
  const j = firstAfter(l, to);
  const out: { start: number; end: number }[] = [];
  const stride = Math.max(1, Math.ceil((j - i) / max));
  for (let k = i; k < j; k += stride) if (l.end[k]! >= from) out.push({ start: l.start[k]!, end: l.end[k]! });
  return out;
}

export function spanTableBytes(tb: SpanTable): number {
  return tb.levels.reduce((b, l) => b + l.n * 8, 0);
}
