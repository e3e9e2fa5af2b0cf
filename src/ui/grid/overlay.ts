// Draws, on a transparent canvas stacked over the grid, what is about the current step and the
// person rather than the pages' states: the step's PFNs outlined in their role colours, an
// arrow from source to destination when the step migrates, scanner positions as markers, the
// running compactions' two scanners (scannerOverlay.ts), the page under the pointer and the
// selected page. A step never recolours cells: the cells keep
// showing page states and the outlines say which pages the step is about.
import { fitToDevicePixels } from './canvas';
import type { StepPfn, Zone } from '../../worker/protocol';
import { hex } from '../format';
import type { ScannerState } from '../scanners';
import { arrowBetween, endDirection, migrationPairs } from './arrows';
import { highlightsOf, rangeRects, type CellRect } from './highlight';
import { ROLE_COLORS } from './roles';
import { layoutScanners, type ScannerMark } from './scannerLayout';
import { drawScannerLabels, drawScannerMarks, LABEL_FONT } from './scannerOverlay';
import { cellsRect, type Camera, type CssRect } from './viewport';

/**
 * CSS px between a cell's edge and its outline: a 1-pixel PFN still gets a findable box. Outlines
 * drawn earlier (lower in highlightsOf's order) get PAD_STEP more each, so the outlines of two
 * neighbouring pages (a page and its buddy) nest instead of covering each other.
 */
const PAD = 3;
const PAD_STEP = 3;
const LINE = 2;
const HALO = 2;
const ARROW_INK = '#1d1d1f';
/** Beyond this many pairs (a batch of 512 order-0 folios) arrows would hide the grid. */
const MAX_ARROWS = 64;
const SELECT_INK = '#000000';
/** A selected or hovered page smaller than this (CSS px) still gets a box this big. */
const MIN_BOX = 9;

export interface OverlayState {
  readonly pfns: readonly StepPfn[];
  readonly selected: number | null;
  readonly hovered: number | null;
  /** The running compactions (the frame's `scanners`) and the zones they name. */
  readonly scanners: readonly ScannerState[];
  readonly zones: readonly Zone[];
}

export interface OverlayPainter {
  paint(cam: Camera, s: OverlayState): void;
  resize(): void;
}

export function createOverlayPainter(canvas: HTMLCanvasElement): OverlayPainter {
  function paint(cam: Camera, s: OverlayState): void {
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    const b = cam.base;
    canvas.dataset.outlines = canvas.dataset.arrows = canvas.dataset.scanners = '0';
    canvas.dataset.scannerMarks = '';
    if (b.nrPfns === 0 || canvas.width === 0) return;
    const dpr = b.dpr;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0); // draw in CSS px from here on
    const p = b.plot;
    ctx.save();
    ctx.beginPath();
    const slack = PAD + PAD_STEP * 3 + LINE + HALO;
    ctx.rect(p.left - slack, p.top - slack, p.right - p.left + 2 * slack, p.bottom - p.top + 2 * slack);
    ctx.clip();
    // Arrows and the compaction frames stay inside the plot: nothing that leads off screen may
    // cross the axis labels.
    const inPlot = (draw: () => void): void => {
      ctx.save();
      ctx.beginPath();
      ctx.rect(p.left, p.top, p.right - p.left, p.bottom - p.top);
      ctx.clip();
      draw();
      ctx.restore();
    };
    const boxes = drawHighlights(ctx, cam, s.pfns);
    ctx.font = LABEL_FONT;
    const stepBoxes = [...boxes.values()].map(({ box, pad }) => ({ x: box.x - pad, y: box.y - pad, w: box.w + 2 * pad, h: box.h + 2 * pad }));
    const compaction = layoutScanners(cam, s.scanners, s.zones, (text) => ctx.measureText(text).width, stepBoxes);
    // Over the step's outlines: at the fit a row is 5 px, and the outline of the block the migrate
    // scanner just left covers the next row, the one the scanner is now at.
    inPlot(() => drawScannerMarks(ctx, compaction));
    let arrows = 0;
    inPlot(() => (arrows = drawArrows(ctx, cam, s.pfns, boxes)));
    const scanners = drawScanners(ctx, cam, s.pfns, compaction.marks);
    drawScannerLabels(ctx, compaction);
    if (s.hovered !== null && s.hovered !== s.selected) drawHover(ctx, cam, s.hovered);
    if (s.selected !== null && s.selected < b.nrPfns) drawSelection(ctx, cam, s.selected);
    ctx.restore();
    // Test hooks: what this paint drew.
    canvas.dataset.outlines = String(boxes.size);
    canvas.dataset.arrows = String(arrows);
    canvas.dataset.scanners = String(scanners);
    // "migrate:0x2420 free:0x7e00"; a scanner out of view says which way ("free:0x7e00@below").
    canvas.dataset.scannerMarks = compaction.marks.map((m) => `${m.kind}:${hex(m.pfn)}${m.off ? `@${m.off}` : ''}`).join(' ');
  }

  return {
    paint,
    resize() {
      fitToDevicePixels(canvas);
    },
  };
}

function toCss(cam: Camera, r: CellRect): CssRect {
  return cellsRect(cam.base, cam.v, r.x, r.y, r.w, r.h);
}

function visible(cam: Camera, r: CssRect, margin: number): boolean {
  const p = cam.base.plot;
  return r.x + r.w >= p.left - margin && r.x <= p.right + margin && r.y + r.h >= p.top - margin && r.y <= p.bottom + margin;
}

/** Role outlines; returns the CSS box (and padding) each distinct PFN range was drawn with, for the arrows. */
function drawHighlights(ctx: CanvasRenderingContext2D, cam: Camera, pfns: readonly StepPfn[]): Map<string, { box: CssRect; pad: number }> {
  const b = cam.base;
  const boxes = new Map<string, { box: CssRect; pad: number }>();
  if (pfns.length === 0) return boxes;
  const hs = highlightsOf(pfns, b.cols, b.nrPfns);
  hs.forEach((h, i) => {
    const pad = PAD + PAD_STEP * Math.min(3, hs.length - 1 - i);
    for (const cell of h.rects) {
      const r = toCss(cam, cell);
      if (!visible(cam, r, pad + LINE)) continue;
      const x = r.x - pad;
      const y = r.y - pad;
      const w = r.w + 2 * pad;
      const hh = r.h + 2 * pad;
      ctx.strokeStyle = '#ffffff';
      ctx.lineWidth = LINE + 2 * HALO;
      ctx.strokeRect(x, y, w, hh);
      ctx.strokeStyle = ROLE_COLORS[h.role];
      ctx.lineWidth = LINE;
      ctx.strokeRect(x, y, w, hh);
    }
  });
  // The padding each (pfn, role) got, keyed as migrationPairs pairs them.
  hs.forEach((h, i) => {
    const pad = PAD + PAD_STEP * Math.min(3, hs.length - 1 - i);
    const first = h.rects[0];
    if (!first) return;
    const start = first.y * b.cols + first.x;
    boxes.set(`${h.role}/${start}`, { box: unionCss(cam, h.rects), pad });
  });
  return boxes;
}

function unionCss(cam: Camera, rects: readonly CellRect[]): CssRect {
  const rs = rects.map((r) => toCss(cam, r));
  const x0 = Math.min(...rs.map((r) => r.x));
  const y0 = Math.min(...rs.map((r) => r.y));
  const x1 = Math.max(...rs.map((r) => r.x + r.w));
  const y1 = Math.max(...rs.map((r) => r.y + r.h));
  return { x: x0, y: y0, w: x1 - x0, h: y1 - y0 };
}

/** Source → destination arrows, dark over a white halo, with a filled head at the destination. Returns how many. */
function drawArrows(ctx: CanvasRenderingContext2D, cam: Camera, pfns: readonly StepPfn[], boxes: Map<string, { box: CssRect; pad: number }>): number {
  const b = cam.base;
  const pairs = migrationPairs(pfns).slice(0, MAX_ARROWS);
  let drawn = 0;
  if (pairs.length === 0) return drawn;
  const width = pairs.length > 8 ? 1.25 : 2;
  const head = pairs.length > 8 ? 6 : 9;
  for (const [src, dst] of pairs) {
    const from = boxes.get(`src/${src.pfn}`) ?? { box: unionCss(cam, rangeRects(src.pfn, src.nr ?? 1, b.cols, b.nrPfns)), pad: PAD };
    const to = boxes.get(`dst/${dst.pfn}`) ?? { box: unionCss(cam, rangeRects(dst.pfn, dst.nr ?? 1, b.cols, b.nrPfns)), pad: PAD };
    const a = arrowBetween(from.box, to.box, Math.max(from.pad, to.pad) + LINE);
    if (!a) continue;
    drawn++;
    const [ux, uy] = endDirection(a);
    // The line stops at the head's base so its end does not poke through the tip.
    const bx = a.x1 - ux * head * 0.8;
    const by = a.y1 - uy * head * 0.8;
    for (const [ink, w] of [['#ffffff', width + 3], [ARROW_INK, width]] as const) {
      ctx.strokeStyle = ink;
      ctx.lineWidth = w;
      ctx.lineCap = 'round';
      ctx.beginPath();
      ctx.moveTo(a.x0, a.y0);
      ctx.quadraticCurveTo(a.cx, a.cy, bx, by);
      ctx.stroke();
    }
    ctx.beginPath();
    ctx.moveTo(a.x1, a.y1);
    ctx.lineTo(a.x1 - ux * head - uy * head * 0.5, a.y1 - uy * head + ux * head * 0.5);
    ctx.lineTo(a.x1 - ux * head + uy * head * 0.5, a.y1 - uy * head - ux * head * 0.5);
    ctx.closePath();
    ctx.lineWidth = 2;
    ctx.strokeStyle = '#ffffff';
    ctx.stroke();
    ctx.fillStyle = ARROW_INK;
    ctx.fill();
  }
  return drawn;
}

/**
 * The step's 'scanner' PFNs (where the step's scan starts): a downward marker above the page and
 * a bar through its cell, unless a running compaction's scanner is at that very page: its tag
 * (scannerOverlay.ts) already points there, and a second marker would sit on the tag's pointer.
 */
function drawScanners(ctx: CanvasRenderingContext2D, cam: Camera, pfns: readonly StepPfn[], marks: readonly ScannerMark[]): number {
  const b = cam.base;
  let drawn = 0;
  ctx.fillStyle = ROLE_COLORS.scanner;
  ctx.strokeStyle = '#ffffff';
  ctx.lineWidth = 1.5;
  for (const s of pfns) {
    if (s.role !== 'scanner' || s.pfn < 0 || s.pfn >= b.nrPfns) continue;
    if (marks.some((m) => m.pfn === s.pfn && m.tip)) continue;
    const r = cellsRect(b, cam.v, s.pfn % b.cols, Math.floor(s.pfn / b.cols), 1, 1);
    if (!visible(cam, r, 12)) continue;
    const cx = r.x + r.w / 2;
    const top = r.y - PAD;
    const size = 7;
    ctx.beginPath();
    ctx.moveTo(cx, top);
    ctx.lineTo(cx - size, top - size * 1.4);
    ctx.lineTo(cx + size, top - size * 1.4);
    ctx.closePath();
    ctx.stroke();
    ctx.fill();
    const bar = Math.max(2, Math.min(r.w / 3, 4));
    ctx.fillRect(cx - bar / 2, r.y, bar, Math.max(r.h, 4));
    drawn++;
  }
  return drawn;
}

/** The box of one PFN, at least MIN_BOX wide and tall, centred on its cell. */
function pageBox(cam: Camera, pfn: number): CssRect {
  const b = cam.base;
  const r = cellsRect(b, cam.v, pfn % b.cols, Math.floor(pfn / b.cols), 1, 1);
  const w = Math.max(MIN_BOX, r.w);
  const h = Math.max(MIN_BOX, r.h);
  return { x: r.x + r.w / 2 - w / 2, y: r.y + r.h / 2 - h / 2, w, h };
}

function drawHover(ctx: CanvasRenderingContext2D, cam: Camera, pfn: number): void {
  const r = pageBox(cam, pfn);
  ctx.lineWidth = 1;
  ctx.strokeStyle = 'rgb(0 0 0 / 70%)';
  ctx.strokeRect(r.x - 0.5, r.y - 0.5, r.w + 1, r.h + 1);
}

/**
 * The selected page: black dashes over a white line, a style no step role uses, plus, while it is
 * small, short crosshair ticks outside the box so a one-pixel page is found at any zoom.
 */
function drawSelection(ctx: CanvasRenderingContext2D, cam: Camera, pfn: number): void {
  const r = pageBox(cam, pfn);
  const g = 2;
  const x = r.x - g;
  const y = r.y - g;
  const w = r.w + 2 * g;
  const h = r.h + 2 * g;
  ctx.lineWidth = 4;
  ctx.strokeStyle = '#ffffff';
  ctx.strokeRect(x, y, w, h);
  ctx.lineWidth = 2;
  ctx.strokeStyle = SELECT_INK;
  ctx.setLineDash([4, 3]);
  ctx.strokeRect(x, y, w, h);
  ctx.setLineDash([]);
  // A page big enough to show its PFN needs no pointers; they would cross its neighbours' labels.
  if (r.w >= 24 && r.h >= 24) return;
  const tick = 6;
  const cx = x + w / 2;
  const cy = y + h / 2;
  ctx.beginPath();
  ctx.moveTo(cx, y - 2);
  ctx.lineTo(cx, y - 2 - tick);
  ctx.moveTo(cx, y + h + 2);
  ctx.lineTo(cx, y + h + 2 + tick);
  ctx.moveTo(x - 2, cy);
  ctx.lineTo(x - 2 - tick, cy);
  ctx.moveTo(x + w + 2, cy);
  ctx.lineTo(x + w + 2 + tick, cy);
  ctx.lineWidth = 4;
  ctx.strokeStyle = '#ffffff';
  ctx.stroke();
  ctx.lineWidth = 2;
  ctx.strokeStyle = SELECT_INK;
  ctx.stroke();
}
