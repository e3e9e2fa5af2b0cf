// Draws the current step's PFNs as outlines on a transparent canvas stacked over the grid, so a
// step never recolours cells: the cells keep showing page states and the outline says which
// pages the step is about. Same geometry as the grid painter (fitGrid on the same CSS box).
import { fitToDevicePixels } from './canvas';
import type { StepPfn } from '../../worker/protocol';
import { fitGrid } from './geometry';
import { highlightsOf } from './highlight';
import { gridLayout } from './render';
import { ROLE_COLORS } from './roles';

/**
 * CSS px between a cell's edge and its outline: a 1-pixel PFN still gets a findable box. Outlines
 * drawn earlier (lower in highlightsOf's order) get PAD_STEP more each, so the outlines of two
 * neighbouring pages (a page and its buddy) nest instead of covering each other.
 */
const PAD = 3;
const PAD_STEP = 3;
const LINE = 2;
const HALO = 2;

export interface OverlayPainter {
  set(pfns: readonly StepPfn[], nrPfns: number): void;
  resize(): void;
}

export function createOverlayPainter(canvas: HTMLCanvasElement): OverlayPainter {
  let pfns: readonly StepPfn[] = [];
  let nrPfns = 0;

  function paint(): void {
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    if (nrPfns === 0 || pfns.length === 0 || canvas.width === 0) return;
    const dpr = window.devicePixelRatio || 1;
    const layout = gridLayout(nrPfns);
    const g = fitGrid(layout, canvas.width / dpr, canvas.height / dpr, dpr);
    const hs = highlightsOf(pfns, layout.cols, nrPfns);
    hs.forEach((h, i) => {
      const pad = (PAD + PAD_STEP * (hs.length - 1 - i)) * dpr;
      for (const r of h.rects) {
        const x = g.originX + r.x * g.cellPx - pad;
        const y = g.originY + r.y * g.rowPx - pad;
        const w = r.w * g.cellPx + 2 * pad;
        const hh = r.h * g.rowPx + 2 * pad;
        ctx.strokeStyle = '#ffffff';
        ctx.lineWidth = (LINE + 2 * HALO) * dpr;
        ctx.strokeRect(x, y, w, hh);
        ctx.strokeStyle = ROLE_COLORS[h.role];
        ctx.lineWidth = LINE * dpr;
        ctx.strokeRect(x, y, w, hh);
      }
    });
  }

  return {
    set(next, n) {
      pfns = next;
      nrPfns = n;
      paint();
    },
    resize() {
      fitToDevicePixels(canvas);
      paint();
    },
  };
}
