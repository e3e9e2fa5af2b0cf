// Pan and zoom of the PFN grid as plain numbers: where a PFN's cell is on the canvas at a zoom,
// which PFN is under a point, what is visible, how far one may pan. Pure, so it is unit-tested;
// zoom.ts binds it to d3-zoom and the painters only map cells through it.
//
// Coordinates are CSS pixels relative to the canvas. The grid's top-left corner (PFN 0) is at
// (x, y). The fit's cells need not be square (geometry.ts: a short machine gets 2 × 12 px cells, a
// 1 Mi-PFN one 1 × 0.17 px), so zoom k makes a square of side k·min(s0x, s0y) and each side is
// the larger of that and its fitted size: the smaller side grows first until pages are square,
// then both, and single pages end up square with room for their PFN instead of 6 times taller
// (or wider) than the other way.
import { fitGrid, marginsFor } from './geometry';
import type { GridLayout } from './render';

/** Cells never get wider than this (CSS px): wide enough for `0x3fffff` in the 11 px label font. */
export const MAX_CELL_CSS = 72;

/** Where the cells may be drawn, in CSS px: the canvas less the axis and zone margins. */
export interface Plot {
  readonly left: number;
  readonly top: number;
  readonly right: number;
  readonly bottom: number;
}

/** The grid at the fit (zoom 1): everything the zoom maps from. */
export interface GridBase {
  readonly cols: number;
  readonly rows: number;
  readonly nrPfns: number;
  /** CSS px per column and per row at zoom 1 (whole device pixels when a cell gets one). */
  readonly s0x: number;
  readonly s0y: number;
  readonly plot: Plot;
  readonly dpr: number;
}

/** A zoom k ≥ 1 and the CSS position of PFN 0's corner. The same numbers as d3's ZoomTransform. */
export interface Viewport {
  readonly k: number;
  readonly x: number;
  readonly y: number;
}

/** What a paint maps cells through: the fit (with the device pixel ratio) and the pan/zoom. */
export interface Camera {
  readonly base: GridBase;
  readonly v: Viewport;
}

export interface CssRect {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

/** The fit of `layout` in a canvas of cssW × cssH: fitGrid's whole-pixel cells, in CSS px. */
export function gridBase(layout: GridLayout, cssW: number, cssH: number, dpr: number): GridBase {
  const g = fitGrid(layout, cssW, cssH, dpr);
  const m = marginsFor(layout.nrPfns);
  return {
    cols: layout.cols,
    rows: layout.rows,
    nrPfns: layout.nrPfns,
    s0x: g.cellPx / dpr,
    s0y: g.rowPx / dpr,
    plot: {
      left: g.originX / dpr,
      top: g.originY / dpr,
      right: Math.max(g.originX / dpr, cssW - m.right),
      bottom: Math.max(g.originY / dpr, cssH - m.bottom),
    },
    dpr,
  };
}

/** The smaller side of a cell at the fit: zoom k makes a square of side k times this. */
const side = (b: GridBase): number => Math.min(b.s0x, b.s0y);
export const cellW = (b: GridBase, k: number): number => Math.max(b.s0x, side(b) * k);
export const rowH = (b: GridBase, k: number): number => Math.max(b.s0y, side(b) * k);

/** The zoom at which a page is a MAX_CELL_CSS square (at least 1: a tiny machine may already be there). */
export function maxZoom(b: GridBase): number {
  return side(b) > 0 ? Math.max(1, MAX_CELL_CSS / side(b)) : 1;
}

export function fitViewport(b: GridBase): Viewport {
  return { k: 1, x: b.plot.left, y: b.plot.top };
}

export function isFit(b: GridBase, v: Viewport): boolean {
  const f = fitViewport(b);
  return v.k === 1 && Math.abs(v.x - f.x) < 0.5 && Math.abs(v.y - f.y) < 0.5;
}

/**
 * [lo, hi] for the grid's corner on one axis: a quarter of the grid, or half of the plot when the
 * grid is larger, stays in view. Looser than "the grid never leaves the plot" on purpose:
 * zooming in on the last rows of a short grid has to push the first rows out of view while empty
 * plot is left below, or the page under the pointer would slide away from it.
 */
function range(start: number, end: number, size: number): [number, number] {
  const keep = Math.min(size / 4, (end - start) / 2);
  return [start - size + keep, end - keep];
}

/** k within [1, maxZoom], part of the grid in view (range above); zoom 1 is exactly the fit. */
export function clampViewport(b: GridBase, v: Viewport): Viewport {
  const k = Math.min(maxZoom(b), Math.max(1, Number.isFinite(v.k) ? v.k : 1));
  if (k === 1) return fitViewport(b);
  const [x0, x1] = range(b.plot.left, b.plot.right, b.cols * cellW(b, k));
  const [y0, y1] = range(b.plot.top, b.plot.bottom, b.rows * rowH(b, k));
  const x = Math.min(x1, Math.max(x0, Number.isFinite(v.x) ? v.x : b.plot.left));
  const y = Math.min(y1, Math.max(y0, Number.isFinite(v.y) ? v.y : b.plot.top));
  return { k, x, y };
}

/** Zoom to k keeping the grid point under (px, py) where it is (then clamped). */
export function zoomAround(b: GridBase, v: Viewport, k: number, px: number, py: number): Viewport {
  const k1 = Math.min(maxZoom(b), Math.max(1, k));
  const fx = cellW(b, k1) / cellW(b, v.k);
  const fy = rowH(b, k1) / rowH(b, v.k);
  return clampViewport(b, { k: k1, x: px - (px - v.x) * fx, y: py - (py - v.y) * fy });
}

/** The viewport with PFN `pfn`'s cell centred in the plot, at zoom k. */
export function centreOn(b: GridBase, pfn: number, k: number): Viewport {
  const k1 = Math.min(maxZoom(b), Math.max(1, k));
  const col = pfn % b.cols;
  const row = Math.floor(pfn / b.cols);
  const cx = (b.plot.left + b.plot.right) / 2;
  const cy = (b.plot.top + b.plot.bottom) / 2;
  return clampViewport(b, { k: k1, x: cx - (col + 0.5) * cellW(b, k1), y: cy - (row + 0.5) * rowH(b, k1) });
}

/** Carry a viewport over to a new base of the same layout (a resize): keep k and the centre PFN. */
export function rebase(from: GridBase, v: Viewport, to: GridBase): Viewport {
  if (isFit(from, v)) return fitViewport(to);
  const cx = (from.plot.left + from.plot.right) / 2;
  const cy = (from.plot.top + from.plot.bottom) / 2;
  const col = (cx - v.x) / cellW(from, v.k);
  const row = (cy - v.y) / rowH(from, v.k);
  const k = v.k * (side(from) / (side(to) || side(from)));
  const k1 = Math.min(maxZoom(to), Math.max(1, k));
  const tx = (to.plot.left + to.plot.right) / 2;
  const ty = (to.plot.top + to.plot.bottom) / 2;
  return clampViewport(to, { k: k1, x: tx - col * cellW(to, k1), y: ty - row * rowH(to, k1) });
}

/** The PFN whose cell holds (px, py), or null outside the cells that exist or outside the plot. */
export function pfnAt(b: GridBase, v: Viewport, px: number, py: number): number | null {
  const p = b.plot;
  if (px < p.left || px >= p.right || py < p.top || py >= p.bottom) return null;
  const col = Math.floor((px - v.x) / cellW(b, v.k));
  const row = Math.floor((py - v.y) / rowH(b, v.k));
  if (col < 0 || col >= b.cols || row < 0 || row >= b.rows) return null;
  const pfn = row * b.cols + col;
  return pfn < b.nrPfns ? pfn : null;
}

/** A rectangle of cells (column, row, width, height in cells) on the canvas, in CSS px. */
export function cellsRect(b: GridBase, v: Viewport, col: number, row: number, w: number, h: number): CssRect {
  const cw = cellW(b, v.k);
  const rh = rowH(b, v.k);
  return { x: v.x + col * cw, y: v.y + row * rh, w: w * cw, h: h * rh };
}

/** The cells at least partly inside the plot: columns [c0, c1) and rows [r0, r1). */
export interface CellRange {
  readonly c0: number;
  readonly c1: number;
  readonly r0: number;
  readonly r1: number;
}

export function visibleCells(b: GridBase, v: Viewport): CellRange {
  const cw = cellW(b, v.k);
  const rh = rowH(b, v.k);
  const clampTo = (n: number, hi: number): number => Math.min(hi, Math.max(0, n));
  return {
    c0: clampTo(Math.floor((b.plot.left - v.x) / cw), b.cols),
    c1: clampTo(Math.ceil((b.plot.right - v.x) / cw), b.cols),
    r0: clampTo(Math.floor((b.plot.top - v.y) / rh), b.rows),
    r1: clampTo(Math.ceil((b.plot.bottom - v.y) / rh), b.rows),
  };
}

/**
 * Units between axis labels: the smallest power of two whose span is at least `minPx`, so labels
 * are round hex numbers and never closer than minPx. Never more than `max` (the axis's length).
 */
export function labelStep(pxPerUnit: number, minPx: number, max: number): number {
  let n = 1;
  while (n < max && n * pxPerUnit < minPx) n *= 2;
  return n;
}

/** PFN ranges [pfn, pfn + nr) a focus must show (the step's source and destination). */
export interface PfnSpan {
  readonly pfn: number;
  readonly nr: number;
}

/** The cells spanned by `spans`: columns [c0, c1) and rows [r0, r1) (a range over rows takes them whole). */
function spanCells(b: GridBase, spans: readonly PfnSpan[]): CellRange | null {
  let c0 = Infinity, c1 = -Infinity, r0 = Infinity, r1 = -Infinity;
  for (const s of spans) {
    const first = Math.max(0, Math.min(s.pfn, b.nrPfns - 1));
    const last = Math.max(first, Math.min(s.pfn + Math.max(1, s.nr) - 1, b.nrPfns - 1));
    const ra = Math.floor(first / b.cols);
    const rb = Math.floor(last / b.cols);
    r0 = Math.min(r0, ra);
    r1 = Math.max(r1, rb + 1);
    c0 = Math.min(c0, ra === rb ? first % b.cols : 0);
    c1 = Math.max(c1, ra === rb ? (last % b.cols) + 1 : b.cols);
  }
  return spans.length > 0 ? { c0, c1, r0, r1 } : null;
}

/** Every page of `spans` is wholly inside the plot at v. */
export function spansVisible(b: GridBase, v: Viewport, spans: readonly PfnSpan[]): boolean {
  const c = spanCells(b, spans);
  if (!c) return true;
  const r = cellsRect(b, v, c.c0, c.r0, c.c1 - c.c0, c.r1 - c.r0);
  const p = b.plot;
  return r.x >= p.left - 0.5 && r.y >= p.top - 0.5 && r.x + r.w <= p.right + 0.5 && r.y + r.h <= p.bottom + 0.5;
}

/** Cells no larger than this (CSS px) when a focus zooms in: pages stand out, neighbours stay in view. */
export const FOCUS_CELL_CSS = 24;

/**
 * The viewport that shows every page of `spans`, centred: the current one when they are all in
 * view already; else the largest zoom up to FOCUS_CELL_CSS-wide cells (or up to the current zoom
 * when `zoomIn` is false) at which they fit with a margin of a tenth of the plot.
 */
export function focusViewport(b: GridBase, v: Viewport, spans: readonly PfnSpan[], zoomIn: boolean): Viewport {
  const c = spanCells(b, spans);
  if (!c || (spansVisible(b, v, spans) && (!zoomIn || v.k > 1))) return v;
  const w = (b.plot.right - b.plot.left) * 0.8;
  const h = (b.plot.bottom - b.plot.top) * 0.8;
  const fits = (k: number): boolean => (c.c1 - c.c0) * cellW(b, k) <= w && (c.r1 - c.r0) * rowH(b, k) <= h;
  const cap = zoomIn ? Math.max(1, Math.min(maxZoom(b), FOCUS_CELL_CSS / side(b))) : v.k;
  let lo = 1;
  let hi = Math.max(1, cap);
  if (fits(hi)) lo = hi;
  else for (let i = 0; i < 40; i++) {
    const mid = (lo + hi) / 2;
    if (fits(mid)) lo = mid;
    else hi = mid;
  }
  const k = lo;
  if (k <= 1) return fitViewport(b);
  const cx = (b.plot.left + b.plot.right) / 2;
  const cy = (b.plot.top + b.plot.bottom) / 2;
  return clampViewport(b, { k, x: cx - ((c.c0 + c.c1) / 2) * cellW(b, k), y: cy - ((c.r0 + c.r1) / 2) * rowH(b, k) });
}
