// "Focus the step's pages": the viewport that shows a step's source and destination.
import { describe, expect, it } from 'vitest';
import { gridLayout } from './render';
import { centreOn, cellW, FOCUS_CELL_CSS, fitViewport, focusViewport, gridBase, isFit, spansVisible } from './viewport';

const small = gridBase(gridLayout(8192), 1200, 400, 1);
const big = gridBase(gridLayout(1 << 20), 700, 420, 1);

describe('focusViewport', () => {
  it('the button zooms in from the fit on two pages far apart, keeping both in view', () => {
    const spans = [{ pfn: 10, nr: 1 }, { pfn: 900_000, nr: 1 }];
    const v = focusViewport(big, fitViewport(big), spans, true);
    expect(spansVisible(big, v, spans)).toBe(true);
    expect(v.k).toBeGreaterThanOrEqual(1);
    // Two pages close together: zoomed until cells are FOCUS_CELL_CSS wide, both visible.
    const near = [{ pfn: 500_000, nr: 1 }, { pfn: 500_040, nr: 1 }];
    const w = focusViewport(big, fitViewport(big), near, true);
    expect(w.k).toBeGreaterThan(10);
    expect(cellW(big, w.k)).toBeLessThanOrEqual(FOCUS_CELL_CSS + 1e-9);
    expect(spansVisible(big, w, near)).toBe(true);
  });

  it('zoomed in on one page, the other far away: the follow zooms out just enough, never in', () => {
    const spans = [{ pfn: 0x1c49, nr: 1 }, { pfn: 0x1003, nr: 1 }];
    const zoomed = centreOn(small, 0x1c49, 20);
    expect(spansVisible(small, zoomed, spans)).toBe(false);
    const v = focusViewport(small, zoomed, spans, false);
    expect(spansVisible(small, v, spans)).toBe(true);
    expect(v.k).toBeLessThanOrEqual(20);
    // Already in view: nothing moves; at the fit the follow stays at the fit.
    expect(focusViewport(small, v, spans, false)).toBe(v);
    expect(isFit(small, focusViewport(small, fitViewport(small), spans, false))).toBe(true);
  });

  it('a THP range over rows is shown whole; no pages: the viewport stays', () => {
    const spans = [{ pfn: 0x200, nr: 512 }, { pfn: 0x1800, nr: 512 }];
    const v = focusViewport(small, centreOn(small, 0x1f00, 30), spans, false);
    expect(spansVisible(small, v, spans)).toBe(true);
    const here = centreOn(small, 5, 4);
    expect(focusViewport(small, here, [], true)).toBe(here);
  });
});
