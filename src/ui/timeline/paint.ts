// Paints the zoomed strip into its canvas: the step ruler, the markers of the steps in view, one
// lane of spans per level, and the current step. A plain function of what it is given, so one
// paint costs what the view holds, not the run: at most ~one rectangle per pixel column per lane
// (lanes.ts: laneRects) and one marker per kind and column.
import { formatCount } from '../format';
import type { Marker, MarkerKind } from '../../worker/protocol';
import { BAR_H, MARKS_H, RULER_H, laneRects, laneTop, lanesHeight, type SpanPair } from './lanes';
import { firstMarkerAt, MARKER_STYLE } from './markers';
import { rulerTicks, xOfStep, type StepWindow } from './zoom';

export interface LaneColors {
  readonly fg: string;
  readonly muted: string;
  readonly track: string;
  readonly accent: string;
  /** Per span level, outermost first. */
  readonly levels: readonly string[];
  readonly marks: Readonly<Record<MarkerKind, string>>;
}

export interface LanePaint {
  /** Width and height in CSS px, and device pixels per CSS px. */
  readonly px: number;
  readonly dpr: number;
  readonly win: StepWindow;
  readonly step: number;
  /** The levels with a lane, top to bottom, with their names. */
  readonly lanes: readonly { readonly level: number; readonly name: string }[];
  /** Spans per level (SpansMsg.levels). */
  readonly spans: readonly (readonly SpanPair[])[];
  readonly markers: readonly Marker[];
  readonly colors: LaneColors;
}

const FONT = '10px system-ui, "DejaVu Sans", sans-serif';

/** Paints one frame of the strip; returns how many spans of each lane are in view. */
export function paintLanes(ctx: CanvasRenderingContext2D, p: LanePaint): number[] {
  const { px, dpr, win, colors } = p;
  const height = lanesHeight(p.lanes.length);
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, px, height);
  ctx.font = FONT;
  ctx.textBaseline = 'middle';
  paintRuler(ctx, p);
  paintMarkers(ctx, p);
  const counts = p.lanes.map((lane, i) => paintLane(ctx, p, lane, laneTop(i)));
  paintCursor(ctx, px, height, win, p.step, colors.accent);
  return counts;
}

function paintRuler(ctx: CanvasRenderingContext2D, { px, win, colors }: LanePaint): void {
  ctx.fillStyle = colors.track;
  ctx.fillRect(0, RULER_H - 1, px, 1);
  ctx.fillStyle = colors.muted;
  for (const s of rulerTicks(win, px)) {
    const x = Math.round(xOfStep(s, win, px));
    ctx.fillRect(x, RULER_H - 6, 1, 6);
    // Beside its tick (deep in, inside the step's cell); a number the edge would cut is left out.
    const text = formatCount(s);
    if (x + 3 + ctx.measureText(text).width <= px) ctx.fillText(text, x + 3, RULER_H / 2 - 1);
  }
}

function paintMarkers(ctx: CanvasRenderingContext2D, { px, win, markers, colors }: LanePaint): void {
  const cell = px / (win.to - win.from);
  const w = Math.max(1.5, Math.min(cell - 1, 6));
  const lastCol: Partial<Record<MarkerKind, number>> = {};
  for (let i = firstMarkerAt(markers, Math.floor(win.from)); i < markers.length; i++) {
    const m = markers[i]!;
    if (m.step >= win.to) break;
    const x = xOfStep(m.step, win, px);
    const col = Math.floor(x);
    if (lastCol[m.kind] === col) continue;
    lastCol[m.kind] = col;
    const st = MARKER_STYLE[m.kind];
    ctx.fillStyle = colors.marks[m.kind];
    // Centred in the step's cell when cells are wide, on its left edge otherwise.
    const x0 = cell > w + 1 ? x + (cell - w) / 2 : x;
    ctx.fillRect(x0, RULER_H + 1 + st.y0 * (MARKS_H - 2), w, (st.y1 - st.y0) * (MARKS_H - 2));
  }
}

function paintLane(ctx: CanvasRenderingContext2D, p: LanePaint, lane: { level: number; name: string }, top: number): number {
  const { px, win, colors } = p;
  const color = colors.levels[lane.level] ?? colors.fg;
  ctx.globalAlpha = 0.35;
  ctx.fillStyle = colors.track;
  ctx.fillRect(0, top + 1, px, BAR_H);
  ctx.globalAlpha = 1;
  const spans = p.spans[lane.level] ?? [];
  let inView = 0;
  for (const r of laneRects(spans, win, px)) {
    inView += r.count;
    const w = r.x1 - r.x0;
    ctx.fillStyle = color;
    if (r.count === 1 && w >= 3) {
      // One span wide enough to have edges: a 1 px gap to its neighbour, its steps written in it.
      ctx.fillRect(r.x0, top + 1, w - 1, BAR_H);
      spanText(ctx, r.x0, w - 1, top, lane.name, r.first, r.last);
    } else if (r.count === 1) {
      // A lone narrow span (a pageblock's one scan step in a 28 k-step view): 2 px, so it shows.
      ctx.fillRect(r.x0, top + 1, 2, BAR_H);
    } else {
      // Spans narrower than a pixel column each: one bar for all of them, lighter.
      ctx.globalAlpha = 0.7;
      ctx.fillRect(r.x0, top + 1, Math.max(1, w), BAR_H);
      ctx.globalAlpha = 1;
    }
  }
  return inView;
}

/** "folio 1,200–1,213" in the bar if it fits, else the steps alone, else nothing. */
function spanText(ctx: CanvasRenderingContext2D, x: number, w: number, top: number, name: string, first: number, last: number): void {
  if (w < 24) return;
  const steps = first === last ? formatCount(first) : `${formatCount(first)}–${formatCount(last)}`;
  for (const text of [`${name} ${steps}`, steps]) {
    if (ctx.measureText(text).width + 6 <= w) {
      ctx.fillStyle = '#fff';
      ctx.fillText(text, x + 3, top + 1 + BAR_H / 2);
      return;
    }
  }
}

function paintCursor(ctx: CanvasRenderingContext2D, px: number, height: number, win: StepWindow, step: number, accent: string): void {
  if (step + 1 <= win.from || step >= win.to) return;
  const x0 = xOfStep(step, win, px);
  const x1 = xOfStep(step + 1, win, px);
  ctx.fillStyle = accent;
  if (x1 - x0 < 4) {
    ctx.fillRect(Math.round((x0 + x1) / 2) - 1, 0, 2, height);
    return;
  }
  // The current step's cell: a tinted column over every lane, outlined.
  ctx.globalAlpha = 0.18;
  ctx.fillRect(x0, 0, x1 - x0, height);
  ctx.globalAlpha = 1;
  ctx.fillRect(x0, 0, 2, height);
  ctx.fillRect(x1 - 2, 0, 2, height);
}
