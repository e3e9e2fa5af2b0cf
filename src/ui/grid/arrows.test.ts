import { describe, expect, it } from 'vitest';
import { arrowBetween, endDirection, migrationPairs } from './arrows';
import { inkOn, INK_BY_CLASS, DARK_INK, LIGHT_INK } from './ink';
import { STATE_CLASSES, StateClass } from '../../kernel/classes';

describe('migrationPairs', () => {
  it('pairs the i-th source with the i-th destination, once per PFN', () => {
    const pairs = migrationPairs([
      { pfn: 7241, role: 'src' },
      { pfn: 4099, role: 'dst' },
      { pfn: 7242, role: 'src' },
      { pfn: 4099, role: 'dst' },
      { pfn: 4100, role: 'dst' },
      { pfn: 7240, role: 'buddy' },
    ]);
    expect(pairs.map(([s, d]) => [s.pfn, d.pfn])).toEqual([[7241, 4099], [7242, 4100]]);
  });

  it('is empty for a step with only sources (isolation)', () => {
    expect(migrationPairs([{ pfn: 1, role: 'src' }, { pfn: 2, role: 'src' }])).toEqual([]);
  });
});

describe('arrowBetween', () => {
  const src = { x: 100, y: 100, w: 10, h: 10 };
  const dst = { x: 300, y: 20, w: 10, h: 10 };

  it('starts and ends on the padded outlines and bows away from the straight line', () => {
    const a = arrowBetween(src, dst, 4)!;
    expect(a).not.toBeNull();
    const onEdge = (p: [number, number], r: typeof src): boolean =>
      Math.abs(Math.max(Math.abs(p[0] - (r.x + r.w / 2)) - (r.w / 2 + 4), Math.abs(p[1] - (r.y + r.h / 2)) - (r.h / 2 + 4))) < 1e-9;
    expect(onEdge([a.x0, a.y0], src)).toBe(true);
    expect(onEdge([a.x1, a.y1], dst)).toBe(true);
    // The control point is off the line between the centres.
    const cross = (dst.x - src.x) * (a.cy - 105) - (dst.y - src.y) * (a.cx - 105);
    expect(Math.abs(cross)).toBeGreaterThan(0);
  });

  it('points its head into the destination', () => {
    const a = arrowBetween(src, dst, 4)!;
    const [ux, uy] = endDirection(a);
    expect(Math.hypot(ux, uy)).toBeCloseTo(1);
    expect(ux).toBeGreaterThan(0);
  });

  it('is null for outlines that touch: nothing to point across', () => {
    expect(arrowBetween(src, { x: 110, y: 100, w: 10, h: 10 }, 4)).toBeNull();
    expect(arrowBetween(src, src, 4)).toBeNull();
  });
});

describe('inkOn', () => {
  it('writes PFNs in white on dark cells and in black on pale ones', () => {
    const color = (c: StateClass): string => STATE_CLASSES.find((s) => s.id === c)!.color;
    expect(inkOn(color(StateClass.AnonActive))).toBe(LIGHT_INK);
    expect(inkOn(color(StateClass.FreeMovable))).toBe(DARK_INK);
    expect(INK_BY_CLASS[StateClass.Reserved]).toBe(LIGHT_INK);
    expect(INK_BY_CLASS[255]).toBe(DARK_INK);
  });
});
