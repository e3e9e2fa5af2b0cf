import { describe, expect, it } from 'vitest';
import { boundaryOutline, fitGrid, hexPfn, marginsFor, MAX_ROW_ASPECT, MAX_ROW_CSS, MIN_LABEL_SPACING } from './geometry';
import { gridLayout } from './render';

describe('fitGrid', () => {
  const layout = gridLayout(131072); // 512 × 256
  const MARGIN = marginsFor(layout.nrPfns);

  it('scales by a whole number of device pixels per PFN and fits the box', () => {
    const g = fitGrid(layout, 1248, 600, 1);
    expect(g.cellPx).toBe(2);
    expect(g.originX + layout.cols * g.cellPx).toBeLessThanOrEqual(1248 - MARGIN.right);
    expect(g.originY + layout.rows * g.rowPx).toBeLessThanOrEqual(600 - MARGIN.bottom);
  });

  it('uses device pixels, so a 2× display gets finer cells in the same CSS box', () => {
    expect(fitGrid(layout, 1248, 600, 2).cellPx).toBe(4);
    expect(fitGrid(layout, 1248, 600, 2).originX).toBe(MARGIN.left * 2);
  });

  it('gives a tall grid rows of a fraction of a pixel and columns that fill the width', () => {
    const big = gridLayout(4 << 20); // 16 GiB: 8192 rows
    const g = fitGrid(big, 1248, 600, 1);
    expect(g.rowPx).toBeLessThan(1);
    expect(big.rows * g.rowPx).toBeLessThanOrEqual(600 - MARGIN.top - MARGIN.bottom + 1e-9);
    expect(g.cellPx).toBe(2);
    // ...at most MAX_ROW_ASPECT pixels across.
    expect(fitGrid(big, 9000, 600, 1).cellPx).toBe(MAX_ROW_ASPECT);
  });

  it('spaces axis labels a power of two rows apart and far enough not to overlap', () => {
    const g = fitGrid(layout, 1248, 600, 1);
    expect(Math.log2(g.labelEvery) % 1).toBe(0);
    expect(g.labelEvery * g.rowPx).toBeGreaterThanOrEqual(MIN_LABEL_SPACING);
    expect((g.labelEvery / 2) * g.rowPx).toBeLessThan(MIN_LABEL_SPACING);
  });

  it('gives a short grid taller rows, at most MAX_ROW_ASPECT times the cell width and MAX_ROW_CSS', () => {
    const small = gridLayout(8192); // 512 × 16: width-bound at 2 px per PFN
    const g = fitGrid(small, 1248, 300, 1);
    expect(g.cellPx).toBe(2);
    expect(g.rowPx).toBe(Math.min(2 * MAX_ROW_ASPECT, MAX_ROW_CSS));
    expect(fitGrid(small, 1248, 300, 2).rowPx).toBe(Math.min(4 * MAX_ROW_ASPECT, 2 * MAX_ROW_CSS));
    expect(fitGrid(small, 1248, 64, 1).rowPx).toBe(Math.floor((64 - marginsFor(8192).top - marginsFor(8192).bottom) / 16));
    // Squares whenever the height is what binds.
    expect(fitGrid(layout, 1248, 600, 1).rowPx).toBe(2);
  });

  it('stretches rows of a short grid in a narrow panel too, where a PFN gets less than a pixel across', () => {
    const small = gridLayout(8192);
    const g = fitGrid(small, 520, 300, 1);
    expect(g.cellPx).toBeLessThan(1);
    expect(g.rowPx).toBe(MAX_ROW_ASPECT); // a pixel's worth of aspect: cells are 0.8 px
  });
});

describe('marginsFor', () => {
  it('makes room on the left for the widest row-start PFN, so a narrow panel keeps its pixels for cells', () => {
    expect(marginsFor(8192).left).toBeLessThan(marginsFor(1 << 20).left);
    expect(marginsFor(1 << 20).left).toBeGreaterThanOrEqual(14 + 6.7 * 7); // 0xfffff
  });
});

describe('boundaryOutline', () => {
  it('is one straight line at a row start', () => {
    expect(boundaryOutline(4096, 512)).toEqual([{ x: 0, y: 8 }, { x: 512, y: 8 }]);
  });

  it('steps around the row a boundary falls into', () => {
    expect(boundaryOutline(512 + 100, 512)).toEqual([
      { x: 512, y: 1 },
      { x: 100, y: 1 },
      { x: 100, y: 2 },
      { x: 0, y: 2 },
    ]);
  });
});

describe('hexPfn', () => {
  it('pads to the width of the largest PFN', () => {
    expect(hexPfn(0, 131071)).toBe('0x00000');
    expect(hexPfn(0x1fe00, 131071)).toBe('0x1fe00');
  });
});
