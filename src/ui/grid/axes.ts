// What the painter draws around and across the cells at the current pan/zoom: the PFN axis on
// the left (the first PFN of each labelled row, i.e. of a pageblock), the offset within a row on
// top, zone boundaries across the cells and a bracket per zone in the right margin. Everything
// follows the viewport, so the labels always name what is under them.
import type { Zone } from '../../worker/protocol';
import { boundaryOutline, hexPfn, MIN_LABEL_SPACING } from './geometry';
import { cellW, labelStep, rowH, visibleCells, type Camera } from './viewport';

const INK = '#1d1d1f';
const MUTED = '#6b6b70';
const ZONE_LINE = '#111111';
const FONT_PX = 11;
const TOP_FONT_PX = 10;

export function setMono(ctx: CanvasRenderingContext2D, px: number, dpr: number): void {
  ctx.font = `${px * dpr}px ui-monospace, "DejaVu Sans Mono", Menlo, monospace`;
}

/** Row-start PFNs on the left, offsets within the row on top, each on round hex steps. */
export function drawAxes(ctx: CanvasRenderingContext2D, c: Camera): void {
  const { base: b, v } = c;
  const dpr = b.dpr;
  const p = b.plot;
  const cw = cellW(b, v.k);
  const rh = rowH(b, v.k);
  const vis = visibleCells(b, v);
  const maxPfn = b.nrPfns - 1;

  setMono(ctx, FONT_PX, dpr);
  ctx.fillStyle = MUTED;
  ctx.textAlign = 'right';
  ctx.textBaseline = 'bottom';
  ctx.fillText('PFN', (p.left - 7) * dpr, (p.top - 8) * dpr);

  // Left: one label per `every` rows, at the first PFN of the row (of a pageblock).
  const every = labelStep(rh, MIN_LABEL_SPACING, b.rows);
  ctx.fillStyle = INK;
  ctx.strokeStyle = MUTED;
  ctx.lineWidth = dpr;
  ctx.textBaseline = 'middle';
  ctx.beginPath();
  for (let row = Math.ceil(vis.r0 / every) * every; row < vis.r1; row += every) {
    const y = v.y + row * rh;
    // Labelling every row: in the middle of it. Every few rows: on the tick at the row's top.
    const ly = every === 1 ? y + Math.min(rh, p.bottom - y) / 2 : y;
    if (ly < p.top - 0.5 || ly > p.bottom) continue;
    if (y >= p.top - 0.5) {
      ctx.moveTo((p.left - 4) * dpr, Math.round(y * dpr) + 0.5);
      ctx.lineTo(p.left * dpr, Math.round(y * dpr) + 0.5);
    }
    ctx.fillText(hexPfn(row * b.cols, maxPfn), (p.left - 7) * dpr, Math.max(p.top, ly) * dpr);
  }
  ctx.stroke();

  // Top: "+0x80" offsets within the row, left-aligned at their tick.
  setMono(ctx, TOP_FONT_PX, dpr);
  const widest = ctx.measureText(`+0x${(b.cols - 1).toString(16)}`).width / dpr;
  const step = labelStep(cw, widest + 10, b.cols);
  ctx.fillStyle = MUTED;
  ctx.textAlign = 'left';
  ctx.textBaseline = 'bottom';
  ctx.beginPath();
  for (let col = Math.ceil(vis.c0 / step) * step; col < vis.c1; col += step) {
    const x = v.x + col * cw;
    if (x < p.left - 0.5 || x + widest > p.right + 8) continue;
    ctx.moveTo(Math.round(x * dpr) + 0.5, (p.top - 4) * dpr);
    ctx.lineTo(Math.round(x * dpr) + 0.5, p.top * dpr);
    ctx.fillText(`+0x${col.toString(16)}`, (x + 2) * dpr, (p.top - 5) * dpr);
  }
  ctx.stroke();
}

/**
 * Zone boundaries as black lines across the cells (a step where a boundary falls inside a row),
 * and a bracket per zone in the right margin over its visible rows, with its name at the top of
 * what is visible. A name is pushed down when the zone above is too short for its own.
 */
export function drawZones(ctx: CanvasRenderingContext2D, c: Camera, zones: readonly Zone[]): void {
  const { base: b, v } = c;
  const dpr = b.dpr;
  const p = b.plot;
  const cw = cellW(b, v.k);
  const rh = rowH(b, v.k);
  const xOf = (col: number): number => v.x + col * cw;
  const yOf = (row: number): number => v.y + row * rh;
  const gridRight = xOf(b.cols);

  const edges = new Set<number>();
  for (const z of zones) {
    // The first zone's start is no boundary (ZONE_DMA starts at PFN 1 on x86-64: PFN 0 is a hole).
    if (z.start > 0 && z.start < b.nrPfns && zones.some((o) => o.end <= z.start)) edges.add(z.start);
    if (z.end > 0 && z.end < b.nrPfns) edges.add(z.end);
  }
  ctx.save();
  ctx.beginPath();
  // A boundary at the grid's edge reaches 6 px into the margins, so it reads as an annotation
  // and not as a row of dark pages.
  ctx.rect((p.left - 6) * dpr, p.top * dpr, (p.right - p.left + 12) * dpr, (p.bottom - p.top) * dpr);
  ctx.clip();
  ctx.strokeStyle = ZONE_LINE;
  ctx.lineWidth = Math.max(2, Math.round(1.5 * dpr));
  const overhang = (col: number): number => (col === 0 ? -6 : col === b.cols ? 6 : 0);
  ctx.beginPath();
  for (const pfn of edges) {
    boundaryOutline(pfn, b.cols).forEach((pt, i) => {
      const x = (xOf(pt.x) + overhang(pt.x)) * dpr;
      const y = Math.round(yOf(pt.y) * dpr);
      if (i === 0) ctx.moveTo(x, y);
      else ctx.lineTo(x, y);
    });
  }
  ctx.stroke();
  ctx.restore();

  setMono(ctx, FONT_PX, dpr);
  ctx.textAlign = 'left';
  ctx.textBaseline = 'top';
  ctx.fillStyle = INK;
  ctx.strokeStyle = MUTED;
  ctx.lineWidth = dpr;
  const x = Math.min(gridRight, p.right) + 6;
  let nextFreeY = -Infinity;
  for (const z of zones) {
    const top = yOf(z.start / b.cols);
    const bottom = yOf(z.end / b.cols);
    const vt = Math.max(top, p.top);
    const vb = Math.min(bottom, p.bottom);
    if (vb <= vt) continue;
    ctx.beginPath();
    // Serifs only where the zone really starts or ends; an open end continues off screen.
    if (top >= p.top) {
      ctx.moveTo((x + 3) * dpr, (vt + 1) * dpr);
      ctx.lineTo(x * dpr, (vt + 1) * dpr);
    } else {
      ctx.moveTo(x * dpr, vt * dpr);
    }
    ctx.lineTo(x * dpr, (vb - 1) * dpr);
    if (bottom <= p.bottom) ctx.lineTo((x + 3) * dpr, (vb - 1) * dpr);
    ctx.stroke();
    const labelY = Math.max(vt + 1, nextFreeY);
    if (labelY > p.bottom - FONT_PX) continue;
    ctx.fillText(z.name, (x + 6) * dpr, labelY * dpr);
    nextFreeY = labelY + FONT_PX + 2;
  }
}
