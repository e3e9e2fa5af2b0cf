import { scaleLinear } from 'd3';
import { describe, expect, it } from 'vitest';
import { perPixel } from './draw';
import { pointAt } from './specs';
import type { SeriesPoint } from '../../worker/protocol';

const pt = (step: number): SeriesPoint => ({ step, freeByOrder: [], freeByType: [], bigBlocks: step, migrated: 0, failed: 0 });

describe('charts', () => {
  it('draw at most one point per pixel column: the first, then the last of each column', () => {
    const points = Array.from({ length: 1001 }, (_, i) => pt(i));
    const x = scaleLinear().domain([0, 1000]).range([0, 100]);
    const out = perPixel(points, x);
    expect(out.length).toBeLessThanOrEqual(102);
    expect(out[0]!.step).toBe(0);
    expect(out.at(-1)!.step).toBe(1000);
    expect(out[1]!.step).toBe(9); // the last sample of column 0
  });

  it('read the sample at or before a step', () => {
    const points = [pt(0), pt(4), pt(9)];
    expect(pointAt(points, 3)!.step).toBe(0);
    expect(pointAt(points, 4)!.step).toBe(4);
    expect(pointAt(points, 100)!.step).toBe(9);
    expect(pointAt([], 1)).toBeUndefined();
  });
});
