// The result view's chart, drawn with d3 into an SVG: per order 0..10 three bars side by side,
// free blocks before the run, after it (simulated) and after it on the real machine, on a
// symlog scale (order-0 counts run to 10^4 where order-10 ones are a few). Colours come from CSS
// classes (styles.css: results section), so the dark scheme applies. A plain function of
// (svg, series, size), called from an effect, never from a React render.
import * as d3 from 'd3';

export interface ResultSeries {
  readonly before: readonly number[];
  readonly after: readonly number[];
  readonly realAfter: readonly number[] | null;
}

export const SERIES = [
  { key: 'before', label: 'before (the import)' },
  { key: 'after', label: 'after (simulated)' },
  { key: 'realAfter', label: 'after (real machine)' },
] as const;

const M = { top: 8, right: 8, bottom: 30, left: 44 };

export function drawResultChart(svg: SVGSVGElement, s: ResultSeries, width: number, height: number): void {
  const series = SERIES.filter((x) => s[x.key] !== null);
  const orders = s.before.length;
  const root = d3.select(svg).attr('width', width).attr('height', height).attr('viewBox', `0 0 ${width} ${height}`);
  const x = d3.scaleBand<number>().domain(d3.range(orders)).range([M.left, width - M.right]).paddingInner(0.2);
  const xi = d3.scaleBand<string>().domain(series.map((x) => x.key)).range([0, x.bandwidth()]).padding(0.05);
  const ymax = d3.max(series.flatMap((x) => s[x.key] ?? [])) ?? 0;
  const y = d3.scaleSymlog().domain([0, Math.max(1, ymax)]).range([height - M.bottom, M.top]);
  const ticks = [0, 1, 10, 100, 1_000, 10_000, 100_000, 1_000_000].filter((t) => t <= Math.max(1, ymax));

  root.selectAll<SVGGElement, null>('g.y').data([null]).join('g').attr('class', 'y axis').attr('transform', `translate(${M.left},0)`)
    .call(d3.axisLeft(y).tickValues(ticks).tickFormat(d3.format('~s')).tickSizeOuter(0));
  root.selectAll<SVGGElement, null>('g.x').data([null]).join('g').attr('class', 'x axis').attr('transform', `translate(0,${height - M.bottom})`)
    .call(d3.axisBottom(x).tickSizeOuter(0));
  root.selectAll<SVGTextElement, null>('text.x-label').data([null]).join('text').attr('class', 'x-label')
    .attr('x', (M.left + width - M.right) / 2).attr('y', height - 2).attr('text-anchor', 'middle').text('order (free blocks of 2^order pages)');

  const groups = root.selectAll<SVGGElement, number>('g.order').data(d3.range(orders)).join('g').attr('class', 'order').attr('transform', (o) => `translate(${x(o)},0)`);
  groups
    .selectAll<SVGRectElement, { key: string; label: string; value: number; order: number }>('rect')
    .data((o) => series.map((sr) => ({ key: sr.key, label: sr.label, value: s[sr.key]![o] ?? 0, order: o })))
    .join((enter) => enter.append('rect').call((r) => r.append('title')))
    .attr('class', (d) => `bar ${d.key}`)
    .attr('data-series', (d) => d.key)
    .attr('data-order', (d) => d.order)
    .attr('x', (d) => xi(d.key) ?? 0)
    .attr('width', xi.bandwidth())
    .attr('y', (d) => y(d.value))
    .attr('height', (d) => y(0) - y(d.value))
    .select('title')
    .text((d) => `order ${d.order}, ${d.label}: ${d.value.toLocaleString('en-US')} free blocks`);
}
