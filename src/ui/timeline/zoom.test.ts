import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  clampWindow, follow, isWholeRun, MIN_SPAN, niceInterval, panBy, rulerTicks, runEnd, stepAtX, visibleSteps, wholeRun, xOfStep, zoomAround,
} from './zoom';

describe('timeline zoom', () => {
  it('zooming in keeps the step under the pointer where it is on screen', () => {
    const end = runEnd(1_000_000);
    const w = wholeRun(end);
    const anchor = 250_000;
    const z = zoomAround(w, 0.1, anchor, end);
    expect(z.to - z.from).toBeCloseTo(100_000.1, 1);
    // The anchor stays at the same fraction of the width (~25 %).
    expect((anchor - z.from) / (z.to - z.from)).toBeCloseTo((anchor - w.from) / (w.to - w.from), 9);
    expect(xOfStep(anchor, z, 1000)).toBeCloseTo(xOfStep(anchor, w, 1000), 6);
  });

  it('zooms from the whole run of 12 M steps down to MIN_SPAN steps and no further', () => {
    const end = runEnd(12_000_000);
    let w = wholeRun(end);
    for (let i = 0; i < 200; i++) w = zoomAround(w, 0.7, 6_000_000, end);
    expect(w.to - w.from).toBe(MIN_SPAN);
    expect(w.from).toBeLessThanOrEqual(6_000_000);
    expect(w.to).toBeGreaterThan(6_000_000);
    for (let i = 0; i < 200; i++) w = zoomAround(w, 1 / 0.7, 6_000_000, end);
    expect(w).toEqual(wholeRun(end));
    expect(isWholeRun(w, end)).toBe(true);
  });

  it('a run shorter than MIN_SPAN is shown whole whatever the zoom', () => {
    const end = runEnd(3);
    expect(zoomAround(wholeRun(end), 0.01, 2, end)).toEqual({ from: 0, to: 4 });
  });

  it('panning stops at step 0 and at the end of the run, keeping the width', () => {
    const end = runEnd(999);
    const w = { from: 100, to: 200 };
    expect(panBy(w, -500, end)).toEqual({ from: 0, to: 100 });
    expect(panBy(w, 5000, end)).toEqual({ from: 900, to: 1000 });
    expect(panBy(w, 50, end)).toEqual({ from: 150, to: 250 });
  });

  it('any sequence of zooms and pans stays inside the run and at least MIN_SPAN wide', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 20_000_000 }),
        fc.array(fc.oneof(fc.tuple(fc.constant('z' as const), fc.double({ min: 0.01, max: 100, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true })),
          fc.tuple(fc.constant('p' as const), fc.double({ min: -1e8, max: 1e8, noNaN: true }), fc.constant(0))), { maxLength: 40 }),
        (frontier, ops) => {
          const end = runEnd(frontier);
          let w = wholeRun(end);
          for (const [op, a, b] of ops) w = op === 'z' ? zoomAround(w, a, w.from + b * (w.to - w.from), end) : panBy(w, a, end);
          expect(w.from).toBeGreaterThanOrEqual(0);
          expect(w.to).toBeLessThanOrEqual(end + 1e-6);
          expect(w.to - w.from).toBeGreaterThanOrEqual(Math.min(MIN_SPAN, end) - 1e-6);
        },
      ),
    );
  });

  it('x and step coordinates are inverse', () => {
    const w = { from: 1200.5, to: 1300 };
    expect(stepAtX(xOfStep(1234, w, 800), w, 800)).toBeCloseTo(1234, 9);
    expect(xOfStep(w.from, w, 800)).toBe(0);
    expect(xOfStep(w.to, w, 800)).toBe(800);
  });

  it('the visible steps are the whole steps with a cell in view', () => {
    expect(visibleSteps({ from: 1200.5, to: 1300 })).toEqual({ from: 1200, to: 1299 });
    expect(visibleSteps({ from: 0, to: 29_000 })).toEqual({ from: 0, to: 28_999 });
    expect(visibleSteps({ from: 7.2, to: 7.9 })).toEqual({ from: 7, to: 7 });
  });

  it('a clamped window never starts before 0 or ends past the run', () => {
    expect(clampWindow({ from: -10, to: 20 }, 100)).toEqual({ from: 0, to: 30 });
    expect(clampWindow({ from: 90, to: 130 }, 100)).toEqual({ from: 60, to: 100 });
    expect(clampWindow({ from: 50, to: 51 }, 100)).toEqual({ from: 50, to: 50 + MIN_SPAN });
  });

  it('follows the step only when it leaves the window, centring it', () => {
    const end = runEnd(10_000);
    const w = { from: 1000, to: 1100 };
    expect(follow(w, 1050, end)).toBe(w);
    expect(follow(w, 1099, end)).toBe(w);
    expect(follow(w, 1100, end)).toEqual({ from: 1050.5, to: 1150.5 });
    expect(follow(w, 3, end)).toEqual({ from: 0, to: 100 });
  });

  it('ruler ticks fall on 1-2-5 whole-step intervals at least the gap apart', () => {
    expect([0.5, 1, 1.5, 3, 7, 10, 11, 240, 4000].map(niceInterval)).toEqual([1, 1, 2, 5, 10, 10, 20, 500, 5000]);
    expect(rulerTicks({ from: 0, to: 28_716 }, 1150)).toEqual([0, 2000, 4000, 6000, 8000, 10000, 12000, 14000, 16000, 18000, 20000, 22000, 24000, 26000, 28000]);
    // Deep in, every step gets its tick.
    expect(rulerTicks({ from: 5729.5, to: 5737.5 }, 1150)).toEqual([5730, 5731, 5732, 5733, 5734, 5735, 5736, 5737]);
    const ticks = rulerTicks({ from: 123_456, to: 987_654 }, 1000, 72);
    for (let i = 1; i < ticks.length; i++) expect(((ticks[i]! - ticks[i - 1]!) * 1000) / (987_654 - 123_456)).toBeGreaterThanOrEqual(72);
  });
});
