import { describe, expect, test } from 'vitest';
import { findPreset } from './presets';
import { openSession } from './session';
import { runToEnd } from './timeline';
import { MAX_SAMPLES, samplePoint, trackSeries } from './series';
import { NR_PAGE_ORDERS } from '../kernel/zone';

describe('series', () => {
  test('free pages per order and per migratetype add up to the free pages, sampled along the timeline', () => {
    const s = openSession(findPreset('lru-anon')!.scenario);
    const series = trackSeries(s.t);
    const total = runToEnd(s.t);
    expect(series.points[0]!.step).toBe(0);
    expect(series.points.at(-1)!.step).toBe(total);
    for (const p of series.points) {
      const byOrder = p.freeByOrder.reduce((a, b) => a + b, 0);
      expect(p.freeByType.reduce((a, b) => a + b, 0)).toBe(byOrder);
    }
    expect(series.points.at(-1)!.migrated).toBe(1);
    // The last point equals a fresh sample of the final state.
    expect(series.points.at(-1)).toEqual(samplePoint(s.k, total));
    expect(series.points[0]!.freeByOrder).toHaveLength(NR_PAGE_ORDERS);
  });

  test('a long timeline keeps at most MAX_SAMPLES points, evenly thinned', () => {
    const s = openSession(findPreset('thp-split')!.scenario);
    const series = trackSeries(s.t);
    runToEnd(s.t);
    expect(series.points.length).toBeLessThanOrEqual(MAX_SAMPLES + 1);
    expect(series.stride).toBeGreaterThan(1);
    for (let i = 1; i < series.points.length; i++) expect(series.points[i]!.step).toBeGreaterThan(series.points[i - 1]!.step);
  });
});
