// One small multiple drawn with d3 into an SVG: stacked areas or lines over the sampled steps,
// the maximum on the y axis, and a cursor at the current step. A plain function of (svg, spec,
// points, size), called from store subscriptions, never from a React render; the cursor moves on
// its own (moveCursor) so stepping inside the computed prefix redraws one line, not the chart.
import * as d3 from 'd3';
import type { SeriesPoint } from '../../worker/protocol';
import type { ChartSpec } from './specs';

export interface ChartFrame {
  readonly x: d3.ScaleLinear<number, number>;
}

const M = { top: 4, right: 4, bottom: 3, left: 34 };

const short = d3.format('~s');

export function drawChart(svg: SVGSVGElement, spec: ChartSpec, points: readonly SeriesPoint[], width: number, height: number, lastStep: number): ChartFrame {
  const root = d3.select(svg);
  root.attr('width', width).attr('height', height).attr('viewBox', `0 0 ${width} ${height}`);
  const x = d3.scaleLinear().domain([0, Math.max(1, lastStep)]).range([M.left, width - M.right]);
  const data = perPixel(points, x);
  // A sample holds until the next one: carry the last to the end of the axis, so a timeline of
  // one sample (a scenario without actions) still draws its level.
  const tail = data.at(-1);
  if (tail && tail.step < lastStep) data.push({ ...tail, step: lastStep });
  else if (tail && data.length === 1) data.push({ ...tail, step: Math.max(1, lastStep) });
  let ymax = 0;
  if (spec.stacked) {
    for (const p of data) ymax = Math.max(ymax, spec.layers.reduce((a, l) => a + l.value(p), 0));
  } else {
    for (const p of data) for (const l of spec.layers) ymax = Math.max(ymax, l.value(p));
  }
  const y = d3.scaleLinear().domain([0, Math.max(1, ymax)]).nice(2).range([height - M.bottom, M.top]);

  const plot = root.selectAll<SVGGElement, null>('g.plot').data([null]).join('g').attr('class', 'plot');
  if (spec.stacked) {
    const stack = d3.stack<SeriesPoint, number>().keys(spec.layers.map((_, i) => i)).value((p, i) => spec.layers[i]!.value(p));
    const area = d3
      .area<d3.SeriesPoint<SeriesPoint>>()
      .x((d) => x(d.data.step))
      .y0((d) => y(d[0]))
      .y1((d) => y(d[1]))
      .curve(d3.curveStepAfter);
    plot
      .selectAll<SVGPathElement, d3.Series<SeriesPoint, number>>('path')
      .data(stack(data))
      .join('path')
      .attr('fill', (s) => spec.layers[s.key]!.color)
      .attr('stroke', 'none')
      .attr('d', (s) => area(s) ?? '');
  } else {
    const line = (l: ChartSpec['layers'][number]) =>
      d3
        .line<SeriesPoint>()
        .x((p) => x(p.step))
        .y((p) => y(l.value(p)))
        .curve(d3.curveStepAfter)(data) ?? '';
    plot
      .selectAll<SVGPathElement, ChartSpec['layers'][number]>('path')
      .data(spec.layers)
      .join('path')
      .attr('fill', 'none')
      .attr('stroke', (l) => l.color)
      .attr('stroke-width', 1.5)
      .attr('d', line);
  }

  const axis = root.selectAll<SVGGElement, null>('g.y-axis').data([null]).join('g').attr('class', 'y-axis');
  const ticks = y.ticks(2).filter((t) => Number.isInteger(t));
  axis
    .selectAll<SVGTextElement, number>('text')
    .data(ticks)
    .join('text')
    .attr('x', M.left - 4)
    .attr('y', (t) => y(t))
    .attr('dy', '0.32em')
    .attr('text-anchor', 'end')
    .text((t) => short(t));
  axis
    .selectAll<SVGLineElement, number>('line')
    .data(ticks)
    .join('line')
    .attr('x1', M.left)
    .attr('x2', width - M.right)
    .attr('y1', (t) => y(t))
    .attr('y2', (t) => y(t));

  // The cursor: a light halo under a dark line, so it reads on the palest and the darkest band.
  for (const cls of ['cursor-halo', 'cursor']) {
    root.selectAll<SVGLineElement, null>(`line.${cls}`).data([null]).join('line').attr('class', cls).attr('y1', M.top).attr('y2', height - M.bottom).raise();
  }
  return { x };
}

/**
 * At most one point per pixel column: the last of each (the curves step after each sample, so it
 * is the value the column shows), plus the first. A 150 px chart draws ~150 points, not 1,024.
 */
export function perPixel(points: readonly SeriesPoint[], x: (step: number) => number): SeriesPoint[] {
  const out: SeriesPoint[] = [];
  let col = NaN;
  for (const p of points) {
    const c = Math.floor(x(p.step));
    if (c === col && out.length > 1) out[out.length - 1] = p;
    else out.push(p);
    col = c;
  }
  return out;
}

export function moveCursor(svg: SVGSVGElement, frame: ChartFrame, step: number): void {
  const px = frame.x(step);
  d3.select(svg).selectAll('line.cursor, line.cursor-halo').attr('x1', px).attr('x2', px);
}
