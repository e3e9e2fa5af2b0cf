import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { gridLayout } from './render';
import {
  cellsRect, cellW, centreOn, clampViewport, fitViewport, gridBase, isFit, labelStep, MAX_CELL_CSS, maxZoom,
  pfnAt, rebase, rowH, visibleCells, zoomAround, type GridBase,
} from './viewport';

const small = gridBase(gridLayout(8192), 1200, 400, 1); // 16 rows: 2 × 12 px cells at the fit
const big = gridBase(gridLayout(1 << 20), 700, 420, 1); // 2048 rows: 1 px × a fraction of a pixel per PFN

/** The CSS centre of a PFN's cell. */
function centreOf(b: GridBase, v: { k: number; x: number; y: number }, pfn: number): [number, number] {
  const r = cellsRect(b, v, pfn % b.cols, Math.floor(pfn / b.cols), 1, 1);
  return [r.x + r.w / 2, r.y + r.h / 2];
}

describe('gridBase', () => {
  it('is fitGrid in CSS pixels: whole-pixel cells, rows stretched on a short grid', () => {
    expect(small.s0x).toBe(2);
    expect(small.s0y).toBeGreaterThan(small.s0x);
    expect(big.s0x).toBe(1);
    expect(big.s0y).toBeLessThan(0.2);
  });
});

describe('zoom', () => {
  it('widens the cells of a stretched grid first and keeps its rows, until pages are square', () => {
    const a = small.s0y / small.s0x;
    expect(rowH(small, 1)).toBe(small.s0y);
    expect(rowH(small, a / 2)).toBe(small.s0y);
    expect(rowH(small, a * 2)).toBe(cellW(small, a * 2));
  });

  it('grows the rows of a flat grid (1 Mi PFNs) first and keeps its columns, until pages are square', () => {
    const a = big.s0x / big.s0y;
    expect(cellW(big, a / 2)).toBe(big.s0x);
    expect(rowH(big, a / 2)).toBeCloseTo(big.s0x / 2);
    expect(cellW(big, a * 2)).toBeCloseTo(rowH(big, a * 2));
  });

  it('stops where a page is MAX_CELL_CSS wide', () => {
    expect(cellW(big, maxZoom(big))).toBeCloseTo(MAX_CELL_CSS);
    expect(clampViewport(big, { k: 1e9, x: 0, y: 0 }).k).toBe(maxZoom(big));
  });

  it('keeps the page under the pointer where it is, including across the point where rows start to grow', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 8191 }), fc.array(fc.double({ min: 0.5, max: 2, noNaN: true }), { minLength: 1, maxLength: 12 }), (pfn, factors) => {
        let v = fitViewport(small);
        const [px, py] = centreOf(small, v, pfn);
        for (const f of factors) v = zoomAround(small, v, v.k * f, px, py);
        if (v.k === 1) return; // all the way out is the fit, exactly
        expect(pfnAt(small, v, px, py)).toBe(pfn);
      }),
    );
  });

  it('keeps the page under the pointer on a flat grid too', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: (1 << 20) - 1 }), fc.array(fc.double({ min: 0.5, max: 3, noNaN: true }), { minLength: 1, maxLength: 12 }), (pfn, factors) => {
        let v = fitViewport(big);
        const [px, py] = centreOf(big, v, pfn);
        for (const f of factors) v = zoomAround(big, v, v.k * f, px, py);
        if (v.k === 1) return;
        expect(pfnAt(big, v, px, py)).toBe(pfn);
      }),
    );
  });

  it('is exactly the fit again at zoom 1', () => {
    const v = zoomAround(big, zoomAround(big, fitViewport(big), 40, 300, 200), 1, 10, 10);
    expect(v).toEqual(fitViewport(big));
    expect(isFit(big, v)).toBe(true);
  });
});

describe('clampViewport', () => {
  it('lets a pan expose at most half the plot beyond the grid', () => {
    const v = clampViewport(big, { k: 50, x: 1e6, y: -1e7 });
    const w = big.cols * cellW(big, 50);
    const h = big.rows * rowH(big, 50);
    const span = { w: big.plot.right - big.plot.left, h: big.plot.bottom - big.plot.top };
    expect(v.x).toBeCloseTo(big.plot.right - span.w / 2);
    expect(v.y + h).toBeCloseTo(big.plot.top + span.h / 2);
    expect(w).toBeGreaterThan(span.w);
  });
});

describe('pfnAt and visibleCells', () => {
  it('find the PFN under a point and nothing outside the plot or past the last PFN', () => {
    const v = centreOn(small, 0x1c49, 30);
    const [x, y] = centreOf(small, v, 0x1c49);
    expect(pfnAt(small, v, x, y)).toBe(0x1c49);
    expect(pfnAt(small, v, small.plot.left - 1, y)).toBeNull();
    const odd = gridBase(gridLayout(700), 1100, 400, 1); // the second row stops at PFN 699
    const f = fitViewport(odd);
    const [ex, ey] = centreOf(odd, f, 1023);
    expect(pfnAt(odd, f, ex, ey)).toBeNull();
  });

  it('covers exactly the cells in the plot', () => {
    const v = centreOn(big, 0x80100, 200);
    const r = visibleCells(big, v);
    const cw = cellW(big, v.k);
    expect(v.x + r.c0 * cw).toBeLessThanOrEqual(big.plot.left);
    expect(v.x + (r.c0 + 1) * cw).toBeGreaterThan(big.plot.left);
    expect(v.x + r.c1 * cw).toBeGreaterThanOrEqual(big.plot.right);
    expect(r.r1 - r.r0).toBeLessThan(20);
  });
});

describe('rebase', () => {
  it('keeps the page at the centre and its size on screen when the canvas is resized', () => {
    const v = centreOn(big, 0x12345, 100);
    const wider = gridBase(gridLayout(1 << 20), 900, 420, 1);
    const w = rebase(big, v, wider);
    expect(cellW(wider, w.k)).toBeCloseTo(cellW(big, v.k));
    const cx = (wider.plot.left + wider.plot.right) / 2;
    const cy = (wider.plot.top + wider.plot.bottom) / 2;
    expect(pfnAt(wider, w, cx, cy)).toBe(0x12345);
  });

  it('stays at the fit when it was there', () => {
    const wider = gridBase(gridLayout(1 << 20), 900, 420, 1);
    expect(rebase(big, fitViewport(big), wider)).toEqual(fitViewport(wider));
  });
});

describe('labelStep', () => {
  it('is the smallest power of two at least minPx apart, at most the axis length', () => {
    expect(labelStep(1, 18, 2048)).toBe(32);
    expect(labelStep(40, 18, 2048)).toBe(1);
    expect(labelStep(0.01, 18, 512)).toBe(512);
  });
});
