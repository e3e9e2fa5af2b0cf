// Draws the running compactions' scanners on the overlay canvas (scannerLayout.ts places them):
// a frame around each scanner's pageblock row, a bar or box on its own cell, and a labelled tag
// pointing at the cell. (An outline of the rows between the scanners was tried and dropped: at
// the fit it read as one more pageblock line; the panel gives the gap as a number.) Called from
// overlay.ts in two passes: the frames and markers between the step's outlines and its arrows,
// the tags over everything but the pointer's page and the selection.
import { SCANNER_COLORS } from '../scanners';
import { inkOn } from './ink';
import type { ScannerLayout, ScannerMark } from './scannerLayout';
import { LABEL_H, LABEL_PAD } from './scannerLayout';
import type { CssRect } from './viewport';

const FRAME = 2;
const SEPARATION = 1;
const HALO = '#ffffff';
/** A cell at least this wide (CSS px) gets a box; a narrower one a bar this wide. */
const BOX_FROM = 6;
const BAR = 3;
export const LABEL_FONT = '600 11px system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif';

/** The row frames and the cell markers: over the step's outlines, under its arrows. */
export function drawScannerMarks(ctx: CanvasRenderingContext2D, layout: ScannerLayout): void {
  for (const m of layout.marks) {
    if (m.row) drawFrame(ctx, m.row, SCANNER_COLORS[m.kind]);
  }
  for (const m of layout.marks) {
    if (m.cell) drawCell(ctx, m.cell, SCANNER_COLORS[m.kind]);
  }
}

/**
 * Outside the row, so a 5 px row (the fit at 1280×720) keeps every pixel: first a white line that
 * parts the frame from the row's cells (the free scanner's row is full of its own cyan
 * 'compact-free' pages), then the colour.
 */
function drawFrame(ctx: CanvasRenderingContext2D, r: CssRect, color: string): void {
  const o = SEPARATION + FRAME;
  ctx.lineWidth = o;
  ctx.strokeStyle = color;
  ctx.strokeRect(r.x - o / 2, r.y - o / 2, r.w + o, r.h + o);
  ctx.lineWidth = SEPARATION;
  ctx.strokeStyle = HALO;
  ctx.strokeRect(r.x - SEPARATION / 2, r.y - SEPARATION / 2, r.w + SEPARATION, r.h + SEPARATION);
}

function drawCell(ctx: CanvasRenderingContext2D, c: CssRect, color: string): void {
  if (c.w >= BOX_FROM) {
    ctx.lineWidth = 4;
    ctx.strokeStyle = HALO;
    ctx.strokeRect(c.x - 1, c.y - 1, c.w + 2, c.h + 2);
    ctx.lineWidth = 2;
    ctx.strokeStyle = color;
    ctx.strokeRect(c.x - 1, c.y - 1, c.w + 2, c.h + 2);
    return;
  }
  // Snapped to whole pixels so the bar is crisp and covers the cell's centre at any zoom.
  const x = Math.round(c.x + c.w / 2 - BAR / 2);
  ctx.fillStyle = HALO;
  ctx.fillRect(x - 1, c.y, BAR + 2, c.h);
  ctx.fillStyle = color;
  ctx.fillRect(x, c.y, BAR, c.h);
}

/** The tags and their pointers: on top. */
export function drawScannerLabels(ctx: CanvasRenderingContext2D, layout: ScannerLayout): void {
  ctx.save();
  ctx.font = LABEL_FONT;
  ctx.textAlign = 'left';
  ctx.textBaseline = 'middle';
  for (const m of layout.marks) drawLabel(ctx, m);
  ctx.restore();
}

function drawLabel(ctx: CanvasRenderingContext2D, m: ScannerMark): void {
  const color = SCANNER_COLORS[m.kind];
  const l = m.label;
  ctx.beginPath();
  ctx.roundRect(l.x, l.y, l.w, l.h, 3);
  if (m.tip) {
    // A triangle from the tag's edge to the tip, its base kept inside the tag.
    const edge = m.tip.y <= l.y ? l.y : l.y + l.h;
    const bx = Math.min(l.x + l.w - 6, Math.max(l.x + 6, m.tip.x));
    ctx.moveTo(bx - 5, edge);
    ctx.lineTo(m.tip.x, m.tip.y);
    ctx.lineTo(bx + 5, edge);
    ctx.closePath();
  }
  ctx.lineWidth = 2;
  // A mitred join at the pointer's sharp tip would reach several pixels into the row and wash
  // out the scanner's own cell where rows are short (4 px at 1280×720 with 64 rows): round it.
  ctx.lineJoin = 'round';
  ctx.strokeStyle = HALO;
  ctx.stroke();
  ctx.fillStyle = color;
  ctx.fill();
  ctx.fillStyle = inkOn(color);
  ctx.fillText(m.text, l.x + LABEL_PAD, l.y + LABEL_H / 2 + 0.5);
}
