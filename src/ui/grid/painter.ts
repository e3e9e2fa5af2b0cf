// Draws a GridView onto the visible canvas at the current pan/zoom. A frame's bytes live in an
// offscreen image at one pixel per PFN or, zoomed out below a device pixel per page, one pixel
// per block of pages (images.ts, reduce.ts), brought up to date when a paint first needs it. A
// paint scales only the visible part onto the canvas with smoothing off (one drawImage of a
// sub-rectangle, so a pan costs the same at any zoom), then draws what depends on the zoom: gaps
// between pages and pageblock lines once they are big enough to see, each page's PFN once it
// fits, the axes and the zones (axes.ts). A new frame repaints synchronously, so the grid is
// drawn by the time the store reports idle; pans and zooms repaint from requestAnimationFrame.
import { fitToDevicePixels } from './canvas';
import { STATE_CLASSES } from '../../kernel/classes';
import type { GridView } from '../state/store';
import { drawAxes, drawZones, setMono } from './axes';
import { hexPfn } from './geometry';
import { DARK_INK, INK_BY_CLASS } from './ink';
import { createGridImages } from './images';
import { reduction } from './reduce';
import { gridLayout, type GridLayout } from './render';
import { cellW, rowH, visibleCells, type Camera } from './viewport';

/**
 * The second line of a page big enough for two: its state in at most 9 characters, so it fits
 * under the PFN at the deepest zoom (the legend and the tooltip have the long names).
 */
const CELL_KEY: Readonly<Record<string, string>> = {
  'hole': 'hole',
  'reserved': 'reserved',
  'free-unmovable': 'free',
  'free-movable': 'free',
  'free-reclaimable': 'free',
  'free-highatomic': 'free',
  'free-isolate': 'free',
  'anon': 'anon',
  'anon-active': 'anon act',
  'file': 'file',
  'file-active': 'file act',
  'shmem': 'shmem',
  'unevictable': 'unevict',
  'slab': 'slab',
  'pgtable': 'pgtable',
  'kernel': 'kernel',
  'offline': 'offline',
  'zsmalloc': 'zsmalloc',
  'hugetlb': 'hugetlb',
  'device-private': 'device',
  'device-free': 'dev free',
  'isolated': 'isolated',
  'locked': 'locked',
  'migrating': 'migrating',
  'pinned': 'pinned',
  'compact-free': 'cc free',
};
const KEYS: readonly string[] = (() => {
  const k = new Array<string>(256).fill('');
  for (const c of STATE_CLASSES) k[c.id] = CELL_KEY[c.key] ?? '';
  return k;
})();

/** Gaps between pages appear once a page is this many device pixels across. */
const GAP_FROM_PX = 6;
/** Pageblock (row) lines appear once a row is this many device pixels tall. */
const PAGEBLOCK_FROM_PX = 4;
const GAP = '#ffffff';
const PAGEBLOCK_LINE = 'rgb(0 0 0 / 42%)';
export const CELL_FONT_PX = 11;

export interface GridPainter {
  /** A new frame (the caller repaints; its pixels are rendered by the first paint that needs them). */
  setView(v: GridView | null): void;
  /** Repaint at this camera (pan, zoom, resize). */
  paint(cam: Camera): void;
  /** Re-measure the backing store after a resize or a devicePixelRatio change. */
  resize(): void;
  layout(): GridLayout | null;
  view(): GridView | null;
}

export function createGridPainter(canvas: HTMLCanvasElement): GridPainter {
  let view: GridView | null = null;
  let layout: GridLayout | null = null;
  const images = createGridImages();

  function setView(v: GridView | null): void {
    view = v;
    layout = v ? gridLayout(v.nrPfns) : null;
  }

  function paint(c: Camera): void {
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    if (!view || !layout || canvas.width === 0 || c.base.nrPfns !== layout.nrPfns) return;
    const { base: b, v } = c;
    const dpr = b.dpr;
    const p = b.plot;
    const cw = cellW(b, v.k);
    const rh = rowH(b, v.k);
    ctx.save();
    // The plot, and within it the grid: a reduced image's last band may stand for rows past the end.
    const left = Math.max(p.left, v.x);
    const top = Math.max(p.top, v.y);
    const right = Math.min(p.right, v.x + b.cols * cw);
    const bottom = Math.min(p.bottom, v.y + b.rows * rh);
    ctx.beginPath();
    ctx.rect(left * dpr, top * dpr, Math.max(0, right - left) * dpr, Math.max(0, bottom - top) * dpr);
    ctx.clip();
    const vis = visibleCells(b, v);
    const fx = reduction(cw * dpr);
    const fy = reduction(rh * dpr);
    if (vis.c1 > vis.c0 && vis.r1 > vis.r0) {
      const img = images.imageFor(view, layout, fx, fy);
      const sc0 = Math.floor(vis.c0 / fx);
      const sr0 = Math.floor(vis.r0 / fy);
      const sw = Math.min(img.canvas.width, Math.ceil(vis.c1 / fx)) - sc0;
      const sh = Math.min(img.canvas.height, Math.ceil(vis.r1 / fy)) - sr0;
      ctx.imageSmoothingEnabled = false;
      ctx.drawImage(img.canvas, sc0, sr0, sw, sh, (v.x + sc0 * fx * cw) * dpr, (v.y + sr0 * fy * rh) * dpr, sw * fx * cw * dpr, sh * fy * rh * dpr);
      drawGaps(ctx, c, vis.c0, vis.c1, vis.r0, vis.r1);
    }
    const labels = drawCellLabels(ctx, c, view, vis.c0, vis.c1, vis.r0, vis.r1);
    ctx.restore();
    drawZones(ctx, c, view.zones);
    drawAxes(ctx, c);
    // Test hooks: where PFN 0's cell is and how big a cell is, in device pixels, at this zoom
    // (so e2e can read back the pixel of any PFN), how many pages a drawn pixel stands for, and
    // what PFN labels this paint drew.
    const d = canvas.dataset;
    d.cols = String(b.cols);
    d.cellPx = String(cw * dpr);
    d.rowPx = String(rh * dpr);
    d.originX = String(v.x * dpr);
    d.originY = String(v.y * dpr);
    d.zoom = v.k.toFixed(3);
    d.reduced = `${fx}x${fy}`;
    d.labels = String(labels.count);
    d.labelSample = labels.sample;
  }

  return {
    setView,
    paint,
    resize: () => {
      fitToDevicePixels(canvas);
    },
    layout: () => layout,
    view: () => view,
  };
}

/** Device-pixel position of a CSS coordinate, snapped so a 1-pixel line is crisp. */
const snap = (css: number, dpr: number): number => Math.round(css * dpr);

/**
 * Page gaps (white, between columns and rows) once pages are big, and the pageblock lines
 * (each row is one pageblock) once rows are tall enough to tell apart: the darker horizontal
 * lines say where one pageblock ends and the next begins.
 */
function drawGaps(ctx: CanvasRenderingContext2D, c: Camera, c0: number, c1: number, r0: number, r1: number): void {
  const { base: b, v } = c;
  const dpr = b.dpr;
  const cw = cellW(b, v.k) * dpr;
  const rh = rowH(b, v.k) * dpr;
  const left = snap(v.x + c0 * cellW(b, v.k), dpr);
  const right = snap(v.x + c1 * cellW(b, v.k), dpr);
  const top = snap(v.y + r0 * rowH(b, v.k), dpr);
  const bottom = snap(v.y + r1 * rowH(b, v.k), dpr);
  const gap = Math.max(1, Math.round(dpr * Math.min(2, cw / (12 * dpr))));
  if (cw >= GAP_FROM_PX) {
    ctx.fillStyle = GAP;
    for (let col = c0 + 1; col < c1; col++) {
      const x = snap(v.x + col * cellW(b, v.k), dpr);
      ctx.fillRect(x - (gap >> 1), top, gap, bottom - top);
    }
    for (let row = r0 + 1; row < r1; row++) {
      const y = snap(v.y + row * rowH(b, v.k), dpr);
      ctx.fillRect(left, y - (gap >> 1), right - left, gap);
    }
  }
  if (rh >= PAGEBLOCK_FROM_PX) {
    ctx.fillStyle = PAGEBLOCK_LINE;
    const w = Math.max(1, Math.round(dpr));
    for (let row = Math.max(1, r0); row <= Math.min(r1, b.rows - 1); row++) {
      const y = snap(v.y + row * rowH(b, v.k), dpr);
      ctx.fillRect(left, y - (w >> 1), right - left, w);
    }
  }
}

/**
 * Each visible page's PFN in hex once a cell is wide enough for it, and under it the page's state
 * key when the cell is also tall enough. Returns how many labels were drawn and the one nearest
 * the plot's centre (a test hook: e2e reads a label without OCR).
 */
function drawCellLabels(
  ctx: CanvasRenderingContext2D,
  c: Camera,
  view: GridView,
  c0: number,
  c1: number,
  r0: number,
  r1: number,
): { count: number; sample: string } {
  const { base: b, v } = c;
  const dpr = b.dpr;
  const cw = cellW(b, v.k);
  const rh = rowH(b, v.k);
  const maxPfn = b.nrPfns - 1;
  setMono(ctx, CELL_FONT_PX, dpr);
  const widest = ctx.measureText(hexPfn(maxPfn, maxPfn)).width / dpr;
  if (cw < widest + 6 || rh < CELL_FONT_PX + 4) return { count: 0, sample: '' };
  const twoLines = rh >= 2 * CELL_FONT_PX + 10;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  const cx = (b.plot.left + b.plot.right) / 2;
  const cy = (b.plot.top + b.plot.bottom) / 2;
  let count = 0;
  let sample = '';
  let best = Infinity;
  const lastPfn = Math.min(maxPfn, (r1 - 1) * b.cols + c1 - 1);
  // Two passes (PFNs, then state keys) so the font is set twice per paint, not twice per page.
  for (let row = r0; row < r1; row++) {
    for (let col = c0; col < c1; col++) {
      const pfn = row * b.cols + col;
      if (pfn > lastPfn) break;
      const x = v.x + (col + 0.5) * cw;
      const y = v.y + (row + 0.5) * rh - (twoLines ? CELL_FONT_PX * 0.6 : 0);
      const text = hexPfn(pfn, maxPfn);
      ctx.fillStyle = INK_BY_CLASS[view.view[pfn] ?? 0] ?? DARK_INK;
      ctx.fillText(text, x * dpr, y * dpr);
      count++;
      const dist = Math.abs(x - cx) + Math.abs(y - cy);
      if (dist < best) {
        best = dist;
        sample = text;
      }
    }
  }
  if (twoLines) {
    setMono(ctx, CELL_FONT_PX - 2, dpr);
    const room = cw - 6;
    for (let row = r0; row < r1; row++) {
      for (let col = c0; col < c1; col++) {
        const pfn = row * b.cols + col;
        if (pfn > lastPfn) break;
        const cls = view.view[pfn] ?? 0;
        const key = KEYS[cls] ?? '';
        if (!key || ctx.measureText(key).width / dpr > room) continue;
        ctx.fillStyle = INK_BY_CLASS[cls] ?? DARK_INK;
        ctx.fillText(key, (v.x + (col + 0.5) * cw) * dpr, (v.y + (row + 0.5) * rh + CELL_FONT_PX * 0.7) * dpr);
      }
    }
  }
  return { count, sample };
}
