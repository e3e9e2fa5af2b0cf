// The d3 charts over the timeline: free pages per order and per migratetype, free blocks of
// order >= pageblock_order, and migrations succeeded / failed, with the current step marked.
// React renders the frames once; the charts are drawn from subscriptions to the series store
// (when new samples arrive) and to the step (the cursor and the readouts), never per render.
// They take the height the left column leaves (at least 34 px of plot each).
import { useLayoutEffect, useRef } from 'react';
import { drawChart, moveCursor, type ChartFrame } from './charts/draw';
import { CHARTS, ORDER_COLORS, pointAt, type ChartSpec, type Readout } from './charts/specs';
import { chartData, useSim } from './state/store';
import type { SeriesPoint } from '../worker/protocol';

/**
 * New samples arrive with every frame while playing (up to 60/s); the paths are redrawn at most
 * this often, the cursor and readouts at every step. 1,024 samples × 16 series per redraw took
 * a third of the main thread at 1,000 steps/s before.
 */
const REDRAW_MS = 150;

export function Charts() {
  const rootRef = useRef<HTMLElement>(null);

  useLayoutEffect(() => {
    const root = rootRef.current;
    if (!root) return;
    const cells = CHARTS.map((spec) => {
      const svg = root.querySelector<SVGSVGElement>(`svg[data-chart="${spec.id}"]`)!;
      return {
        spec,
        svg,
        body: svg.parentElement!,
        readout: root.querySelector<HTMLElement>(`[data-readout="${spec.id}"]`)!,
        frame: null as ChartFrame | null,
        /** The body's size, from the ResizeObserver: reading it per frame would force a layout. */
        w: 0,
        h: 0,
        drawn: '',
      };
    });
    const byBody = new Map(cells.map((c) => [c.body as Element, c]));
    let drawnPoints: readonly SeriesPoint[] | null = null;
    let drawnLast = -1;
    let drawnAt = -Infinity;
    let cursorStep = -1;
    let pending: ReturnType<typeof setTimeout> | null = null;

    const update = (force = false): void => {
      const { points } = chartData.getState();
      const meta = useSim.getState().meta;
      const step = meta?.step ?? 0;
      const last = Math.max(meta?.frontier ?? 0, points.at(-1)?.step ?? 0);
      const resized = cells.some((c) => c.drawn !== `${c.w}x${c.h}`);
      const stale = points !== drawnPoints || last !== drawnLast || resized;
      const now = performance.now();
      let redraw = false;
      if (force || stale) {
        if (force || resized || now - drawnAt >= REDRAW_MS) {
          if (pending !== null) clearTimeout(pending);
          pending = null;
          for (const c of cells) {
            c.drawn = `${c.w}x${c.h}`;
            c.frame = c.w > 0 && c.h > 0 ? drawChart(c.svg, c.spec, points, c.w, c.h, last) : null;
          }
          drawnPoints = points;
          drawnLast = last;
          drawnAt = now;
          redraw = true;
        } else pending ??= setTimeout(() => ((pending = null), update()), REDRAW_MS - (now - drawnAt));
      }
      if (redraw || step !== cursorStep) {
        cursorStep = step;
        const p = pointAt(points, step);
        for (const c of cells) {
          if (c.frame) moveCursor(c.svg, c.frame, step);
          showReadout(c.readout, p && c.spec.readout ? c.spec.readout(p) : []);
        }
        root.dataset.step = String(step);
      }
    };
    for (const c of cells) {
      c.w = Math.floor(c.body.clientWidth);
      c.h = Math.floor(c.body.clientHeight);
    }
    update(true);
    const unsubPoints = chartData.subscribe(() => update());
    const unsubSim = useSim.subscribe(() => update());
    const observer = new ResizeObserver((entries) => {
      for (const e of entries) {
        const c = byBody.get(e.target);
        if (!c) continue;
        c.w = Math.floor(e.contentRect.width);
        c.h = Math.floor(e.contentRect.height);
      }
      update();
    });
    for (const c of cells) observer.observe(c.body);
    return () => {
      if (pending !== null) clearTimeout(pending);
      unsubPoints();
      unsubSim();
      observer.disconnect();
    };
  }, []);

  return (
    <section ref={rootRef} className="panel charts" aria-label="Charts" data-testid="charts">
      {CHARTS.map((spec) => (
        <figure key={spec.id} className="chart">
          <figcaption>
            <span className="title">{spec.title}</span> <span className="readout" data-readout={spec.id} title="at the current step (the line on the chart)" />
          </figcaption>
          <div className="chart-body">
            <svg data-chart={spec.id} role="img" aria-label={`${spec.title} over the computed steps; the vertical line is the current step`} />
          </div>
          <ChartKey spec={spec} />
        </figure>
      ))}
    </section>
  );
}

/** The readout's spans, rewritten in place (a per-step update that React never sees). */
function showReadout(el: HTMLElement, parts: readonly Readout[]): void {
  const text = parts.map((r) => r.text).join(' · ');
  if (el.dataset.text === text) return;
  el.dataset.text = text;
  el.replaceChildren(
    ...parts.flatMap((r, i) => {
      const span = document.createElement('span');
      span.textContent = r.text;
      if (r.color) span.style.color = r.color;
      return i > 0 ? [document.createTextNode(' · '), span] : [span];
    }),
  );
}

function ChartKey({ spec }: { readonly spec: ChartSpec }) {
  if (spec.key === 'none') return null;
  if (spec.key === 'ramp') {
    return (
      <div className="chart-key ramp">
        order 0
        <span className="ramp-bar" style={{ background: `linear-gradient(to right, ${ORDER_COLORS.join(', ')})` }} />
        10
      </div>
    );
  }
  return (
    <ul className="chart-key">
      {spec.layers.map((l) => (
        <li key={l.key}>
          <span className="swatch" style={{ background: l.color }} />
          {l.label}
        </li>
      ))}
    </ul>
  );
}
