// Where the PFN grid sits on the canvas: cell size, origin, axis label spacing, zone boundary
// outlines. Pure functions of sizes, so the painter stays a list of draw calls and this is tested.
import type { GridLayout } from './render';

/** Space around the cells, in CSS pixels: PFN axis on the left, zone brackets on the right. */
export interface Margins {
  readonly left: number;
  readonly right: number;
  readonly top: number;
  readonly bottom: number;
}

/** Advance of one character of the 11 px monospace axis font (DejaVu Sans Mono: 0.602 em). */
const AXIS_CHAR_PX = 6.7;

/**
 * The left margin holds the widest row-start label (`0x1fe00`) and its tick; the right one a zone
 * name (`Movable`); the top one the offset axis. Measured in characters rather than fixed, so a
 * narrow panel keeps as many pixels as it can for the 512 columns.
 */
export function marginsFor(nrPfns: number): Margins {
  const digits = Math.max(1, Math.max(0, nrPfns - 1).toString(16).length);
  return { left: Math.ceil(14 + AXIS_CHAR_PX * (digits + 2)), right: 60, top: 22, bottom: 8 };
}
/** Axis labels closer than this (CSS px) would overlap at the 11 px label font. */
export const MIN_LABEL_SPACING = 16;
/**
 * Rows may be taller than cells are wide, up to this factor (of a cell, or of one pixel when a cell
 * is narrower): a small machine (16 pageblocks of 32 MiB) is width-bound at 1 or 2 px per PFN and
 * would be a 16 or 32 px strip in an empty panel; 16 px tall rows make each pageblock a band one can
 * point at and an outline one can see. The same factor bounds cells wider than rows on a tall grid.
 * Zooming in grows the smaller side until pages are square, then both (viewport.ts).
 */
export const MAX_ROW_ASPECT = 16;
/** ...and never taller than this (CSS px), so a row still reads as a band of pages. */
export const MAX_ROW_CSS = 16;

export interface GridGeometry {
  /** Device pixels per PFN cell, across: a whole number when a cell gets at least one pixel, so all cells are equal. */
  readonly cellPx: number;
  /** Device pixels per row (cell height): cellPx, or more when the grid has height to spare. */
  readonly rowPx: number;
  /** Device pixels of the top-left cell's corner. */
  readonly originX: number;
  readonly originY: number;
  /** Rows between PFN axis labels; a power of two so labels are round hex numbers. */
  readonly labelEvery: number;
}

export function fitGrid(layout: GridLayout, cssWidth: number, cssHeight: number, dpr: number): GridGeometry {
  const m = marginsFor(layout.nrPfns);
  const availW = Math.max(0, cssWidth - m.left - m.right) * dpr;
  const availH = Math.max(0, cssHeight - m.top - m.bottom) * dpr;
  const cellFit = availW / layout.cols;
  const rowFit = availH / layout.rows;
  // Nearest-neighbour scaling by a fractional factor makes some cells a pixel wider than others,
  // which reads as a pattern that is not in memory; a whole factor keeps every PFN the same size.
  // Below one pixel per PFN the painter reduces blocks of pages (reduce.ts); zooming in shows each.
  const whole = (f: number): number => (f >= 1 ? Math.floor(f) : Math.max(f, 1 / 256));
  let cellPx = whole(cellFit);
  let rowPx: number;
  if (rowFit >= cellFit) {
    // The width binds (a short grid): rows may be taller than cells, up to the caps.
    const rowCap = Math.min(MAX_ROW_ASPECT * Math.max(cellPx, 1), Math.floor(MAX_ROW_CSS * dpr));
    rowPx = Math.max(cellPx, Math.min(whole(rowFit), rowCap));
  } else {
    // The height binds (a tall grid, 1 Mi PFNs is 2048 rows): rows fill the height and columns
    // the width, up to MAX_ROW_ASPECT times a row, rather than a square-celled strip a few dozen
    // pixels wide in the middle of an empty panel.
    rowPx = whole(rowFit);
    cellPx = Math.min(cellPx, MAX_ROW_ASPECT * Math.max(rowPx, 1));
  }
  let labelEvery = 1;
  while (labelEvery < layout.rows && (labelEvery * rowPx) / dpr < MIN_LABEL_SPACING) labelEvery *= 2;
  return { cellPx, rowPx, originX: Math.round(m.left * dpr), originY: Math.round(m.top * dpr), labelEvery };
}

/** A point in cell units: x in columns, y in rows. */
export interface CellPoint {
  readonly x: number;
  readonly y: number;
}

/**
 * The outline between PFN `pfn - 1` and `pfn` in the row-major grid. A boundary that is not at a
 * row start is a step: along the top of row r from column c to the end, down one row at c, and
 * along the bottom of row r from 0 to c (the top of row r + 1 is the same line).
 */
export function boundaryOutline(pfn: number, cols: number): CellPoint[] {
  const r = Math.floor(pfn / cols);
  const c = pfn % cols;
  if (c === 0) return [{ x: 0, y: r }, { x: cols, y: r }];
  return [
    { x: cols, y: r },
    { x: c, y: r },
    { x: c, y: r + 1 },
    { x: 0, y: r + 1 },
  ];
}

/** `0x1fe00`, zero-padded to the digits of the largest PFN so the axis labels line up. */
export function hexPfn(pfn: number, maxPfn: number): string {
  const digits = Math.max(1, maxPfn.toString(16).length);
  return `0x${pfn.toString(16).padStart(digits, '0')}`;
}
