import { describe, expect, it } from 'vitest';
import { laneRects, laneTop, lanesHeight, rowAt, spanAtX, spanLabel, type SpanPair } from './lanes';
import { firstMarkerAt } from './markers';

/** n folio-like spans of `len` steps every `every` steps from `start`. */
function spans(n: number, start: number, len: number, every: number): SpanPair[] {
  return Array.from({ length: n }, (_, i) => [start + i * every, start + i * every + len - 1] as const);
}

describe('span lanes', () => {
  it('wide spans are one rectangle each, with their own edges', () => {
    const r = laneRects([[10, 19], [20, 29], [40, 49]], { from: 0, to: 100 }, 1000);
    expect(r).toEqual([
      { x0: 100, x1: 200, count: 1, first: 10, last: 19 },
      { x0: 200, x1: 300, count: 1, first: 20, last: 29 },
      { x0: 400, x1: 500, count: 1, first: 40, last: 49 },
    ]);
  });

  it('a million spans over 1,000 px draw at most ~one rectangle per pixel column', () => {
    const many = spans(1_000_000, 0, 5, 12);
    const r = laneRects(many, { from: 0, to: 12_000_000 }, 1000);
    expect(r.length).toBeLessThanOrEqual(1001);
    expect(r.reduce((n, x) => n + x.count, 0)).toBe(1_000_000);
    // Contiguous coverage: the dense bar runs from the first step to the last.
    expect(r[0]!.x0).toBe(0);
    expect(r.at(-1)!.x1).toBeCloseTo(1000, 2);
  });

  it('spans outside the window are left out and those across its edges are clipped', () => {
    const r = laneRects([[0, 9], [50, 149], [300, 310]], { from: 100, to: 200 }, 500);
    expect(r).toEqual([{ x0: 0, x1: 250, count: 1, first: 50, last: 149 }]);
  });

  it('finds the span under the pointer, or the nearest within a few pixels', () => {
    const sp = spans(100, 1000, 6, 20); // [1000,1005], [1020,1025], ...
    const w = { from: 1000, to: 1200 };
    expect(spanAtX(sp, w, 1000, 5 * 20 + 1)).toEqual([1020, 1025]); // step 1020.2
    expect(spanAtX(sp, w, 1000, 31)).toEqual([1000, 1005]); // step 1006.2: 1 px past its end
    expect(spanAtX(sp, w, 1000, 60)).toBeNull(); // step 1012: 30 px from both
    // A short span inside a longer one of the same level (interleaved tasks): the containing one.
    expect(spanAtX([[0, 100], [10, 12]], { from: 0, to: 200 }, 200, 50)).toEqual([0, 100]);
  });

  it('names a span as the tooltip shows it', () => {
    expect(spanLabel(6, [1200, 1213])).toBe('folio: steps 1200–1213');
    expect(spanLabel(3, [5, 5])).toBe('migrate_pages(): step 5');
    expect(spanLabel(1, [10, 28714])).toBe('compaction run: steps 10–28714');
  });

  it('rows: ruler, markers, then the lanes', () => {
    expect(rowAt(0, 3)).toEqual({ kind: 'ruler' });
    expect(rowAt(laneTop(0) - 1, 3)).toEqual({ kind: 'marks' });
    expect(rowAt(laneTop(0), 3)).toEqual({ kind: 'lane', index: 0 });
    expect(rowAt(laneTop(2) + 5, 3)).toEqual({ kind: 'lane', index: 2 });
    expect(rowAt(lanesHeight(3), 3)).toBeNull();
    expect(rowAt(-1, 3)).toBeNull();
  });

  it('finds the first marker at or after a step', () => {
    const m = [1, 5, 5, 9].map((step) => ({ step, kind: 'fail' as const }));
    expect([0, 1, 2, 5, 6, 9, 10].map((s) => firstMarkerAt(m, s))).toEqual([0, 0, 1, 1, 3, 3, 4]);
  });
});
