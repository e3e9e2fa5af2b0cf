// Draws a GridView onto a visible canvas: the pixels go into an offscreen canvas at one pixel per
// PFN (putImageData), which is scaled onto the visible one without smoothing, then the PFN axis
// and zone boundaries are drawn on top. A new frame re-renders the pixels; a resize only
// re-scales them. Measured ~2.5 ms per frame for 1 Mi PFNs (toolchain.md §5a).
import { fitToDevicePixels } from './canvas';
import { paletteRGBA } from '../../kernel/classes';
import type { GridView } from '../state/store';
import { boundaryOutline, fitGrid, hexPfn, type GridGeometry } from './geometry';
import { gridLayout, renderPixels, type GridLayout } from './render';

const PALETTE = paletteRGBA();
const INK = '#1d1d1f';
const MUTED = '#6b6b70';
const ZONE_LINE = '#111111';
const FONT_PX = 11;

export interface GridPainter {
  setView(v: GridView | null): void;
  /** Re-measure the canvas (after a resize or a change of devicePixelRatio) and repaint. */
  resize(): void;
}

export function createGridPainter(canvas: HTMLCanvasElement): GridPainter {
  let view: GridView | null = null;
  let layout: GridLayout | null = null;
  let cells: OffscreenCanvas | null = null;
  let pixels: ImageData | null = null; // reused: a new 4 MiB ImageData per frame is garbage

  function setView(v: GridView | null): void {
    view = v;
    if (!v) {
      layout = null;
      cells = null;
      pixels = null;
    } else {
      layout = gridLayout(v.nrPfns);
      if (!cells || !pixels || cells.width !== layout.cols || cells.height !== layout.rows) {
        cells = new OffscreenCanvas(layout.cols, layout.rows);
        pixels = new ImageData(layout.cols, layout.rows);
      }
      const cctx = cells.getContext('2d');
      if (!cctx) throw new Error('no 2D context for the offscreen PFN canvas');
      renderPixels(v.view, PALETTE, layout, new Uint32Array(pixels.data.buffer));
      cctx.putImageData(pixels, 0, 0);
    }
    paint();
  }

  function resize(): void {
    fitToDevicePixels(canvas);
    paint();
  }

  function paint(): void {
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    if (!view || !layout || !cells || canvas.width === 0) return;
    const dpr = window.devicePixelRatio || 1;
    const g = fitGrid(layout, canvas.width / dpr, canvas.height / dpr, dpr);
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(cells, g.originX, g.originY, layout.cols * g.cellPx, layout.rows * g.rowPx);
    drawAxis(ctx, layout, g, dpr);
    drawZones(ctx, view, layout, g, dpr);
    // Test hook: where the cells are, so e2e can read back the pixel of a given PFN.
    canvas.dataset.cols = String(layout.cols);
    canvas.dataset.cellPx = String(g.cellPx);
    canvas.dataset.rowPx = String(g.rowPx);
    canvas.dataset.originX = String(g.originX);
    canvas.dataset.originY = String(g.originY);
  }

  return { setView, resize };
}

function setFont(ctx: CanvasRenderingContext2D, dpr: number): void {
  ctx.font = `${FONT_PX * dpr}px ui-monospace, "DejaVu Sans Mono", Menlo, monospace`;
}

/** Row-start PFNs in hex on the left, every `labelEvery` rows, with a tick at each. */
function drawAxis(ctx: CanvasRenderingContext2D, layout: GridLayout, g: GridGeometry, dpr: number): void {
  setFont(ctx, dpr);
  ctx.fillStyle = MUTED;
  ctx.textAlign = 'right';
  ctx.textBaseline = 'bottom';
  ctx.fillText('PFN', g.originX - 7 * dpr, g.originY - 8 * dpr);
  ctx.fillStyle = INK;
  ctx.strokeStyle = MUTED;
  ctx.lineWidth = dpr;
  ctx.textBaseline = 'middle';
  const maxPfn = layout.nrPfns - 1;
  ctx.beginPath();
  for (let row = 0; row < layout.rows; row += g.labelEvery) {
    const y = g.originY + row * g.rowPx;
    ctx.moveTo(g.originX - 4 * dpr, y + dpr / 2);
    ctx.lineTo(g.originX, y + dpr / 2);
    ctx.fillText(hexPfn(row * layout.cols, maxPfn), g.originX - 7 * dpr, y + g.rowPx / 2);
  }
  ctx.stroke();
}

/**
 * Zone boundaries as lines across the cells, and a bracket per zone in the right margin with its
 * name. A name is pushed down when the zone above is too short to hold its own (ZONE_DMA is 8 rows).
 */
function drawZones(ctx: CanvasRenderingContext2D, view: GridView, layout: GridLayout, g: GridGeometry, dpr: number): void {
  const right = g.originX + layout.cols * g.cellPx;
  const yOf = (row: number): number => g.originY + row * g.rowPx;
  const xOf = (col: number): number => g.originX + col * g.cellPx;

  ctx.strokeStyle = ZONE_LINE;
  ctx.lineWidth = Math.max(1, Math.round(dpr));
  const edges = new Set<number>();
  for (const z of view.zones) {
    if (z.start > 0 && z.start < layout.nrPfns) edges.add(z.start);
    if (z.end > 0 && z.end < layout.nrPfns) edges.add(z.end);
  }
  // Ends at the grid's edges reach a little into the margins, so a boundary reads as an
  // annotation and not as a row of dark pages.
  const overhang = (x: number): number => (x === 0 ? -6 * dpr : x === layout.cols ? 6 * dpr : 0);
  ctx.beginPath();
  for (const pfn of edges) {
    boundaryOutline(pfn, layout.cols).forEach((p, i) => {
      const x = xOf(p.x) + overhang(p.x);
      if (i === 0) ctx.moveTo(x, yOf(p.y));
      else ctx.lineTo(x, yOf(p.y));
    });
  }
  ctx.stroke();

  setFont(ctx, dpr);
  ctx.textAlign = 'left';
  ctx.textBaseline = 'top';
  ctx.fillStyle = MUTED;
  ctx.fillText('zone', right + 12 * dpr, g.originY - (FONT_PX + 8) * dpr);
  ctx.fillStyle = INK;
  ctx.strokeStyle = MUTED;
  ctx.lineWidth = dpr;
  const x = right + 6 * dpr;
  let nextFreeY = 0;
  for (const z of view.zones) {
    const top = yOf(z.start / layout.cols);
    const bottom = yOf(z.end / layout.cols);
    ctx.beginPath();
    ctx.moveTo(x + 3 * dpr, top + dpr);
    ctx.lineTo(x, top + dpr);
    ctx.lineTo(x, bottom - dpr);
    ctx.lineTo(x + 3 * dpr, bottom - dpr);
    ctx.stroke();
    const labelY = Math.max(top + dpr, nextFreeY);
    ctx.fillText(z.name, x + 6 * dpr, labelY);
    nextFreeY = labelY + (FONT_PX + 2) * dpr;
  }
}
