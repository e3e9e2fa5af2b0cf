// The timeline: an overview of the whole run (0..frontier) — a range input with the accessible
// name "Timeline" and the markers the worker sends drawn above its track (action starts, failed
// steps, isolate / refcount / copy steps), with the zoomed range shaded on it — and under it the
// zoomed strip (timeline/SpanLanes.tsx): a step ruler and one lane per span level, from the whole
// run down to single steps, behind a "Span lanes" toggle (open by default on tall windows). Markers and the shaded range are drawn from store subscriptions into
// an SVG whose x axis is the step number, so neither a new frame, a zoom nor a resize re-renders
// React; the SVG is inset by half the thumb so step n sits exactly above the thumb at n.
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { useStore } from 'zustand';
import { seekTo } from './state/simClient';
import { selectAlive, selectDone, selectFrontier, selectStep, timelineData, useSim } from './state/store';
import type { Marker } from '../worker/protocol';
import { MARKER_KINDS, MARKER_STYLE, markerPaths } from './timeline/markers';
import { SpanLanes } from './timeline/SpanLanes';
import { setLanesOpen, showWholeRun, timelineView, type TimelineView } from './timeline/view';

export { MARKER_STYLE, markerPaths };

const selectWhole = (s: TimelineView): boolean => s.whole;
const selectLanesOpen = (s: TimelineView): boolean => s.lanesOpen;

export function Timeline() {
  const step = useSim(selectStep);
  const frontier = useSim(selectFrontier);
  const done = useSim(selectDone);
  const alive = useSim(selectAlive);
  const whole = useStore(timelineView, selectWhole);
  const lanesOpen = useStore(timelineView, selectLanesOpen);
  /** The value under the pointer while the worker has not yet shown it. */
  const [drag, setDrag] = useState<number | null>(null);
  const svgRef = useRef<SVGSVGElement>(null);
  const brushRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (drag !== null && drag === step) setDrag(null);
  }, [step, drag]);

  useLayoutEffect(() => {
    const svg = svgRef.current;
    const brush = brushRef.current;
    if (!svg || !brush) return;
    let drawn: readonly Marker[] | null = null;
    let span = -1;
    let px = svg.getBoundingClientRect().width;
    let drawnPx = -1;
    const draw = (): void => {
      const { markers } = timelineData.getState();
      const f = Math.max(1, useSim.getState().meta?.frontier ?? 1);
      if (markers === drawn && f === span && px === drawnPx) return;
      drawn = markers;
      span = f;
      drawnPx = px;
      // x in steps: 0..frontier; a stroke of 1 CSS px whatever the scale.
      svg.setAttribute('viewBox', `0 0 ${f} 1`);
      const paths = markerPaths(markers, f, px);
      for (const k of MARKER_KINDS) svg.querySelector(`path[data-kind="${k}"]`)?.setAttribute('d', paths[k] || 'M0 0');
    };
    /** The zoomed range, shaded on the overview (step coordinates over 0..frontier). */
    const drawBrush = (): void => {
      const { win, whole } = timelineView.getState();
      const f = Math.max(1, useSim.getState().meta?.frontier ?? 1);
      brush.hidden = whole;
      const left = Math.min(1, win.from / f);
      brush.style.left = `${left * 100}%`;
      brush.style.width = `${Math.max(0, Math.min(1 - left, (win.to - win.from) / f)) * 100}%`;
    };
    draw();
    drawBrush();
    const unsubMarks = timelineData.subscribe(draw);
    const unsubSim = useSim.subscribe(draw);
    const unsubView = timelineView.subscribe(drawBrush);
    const observer = new ResizeObserver((entries) => {
      px = entries[0]!.contentRect.width;
      draw();
    });
    observer.observe(svg);
    return () => {
      unsubMarks();
      unsubSim();
      unsubView();
      observer.disconnect();
    };
  }, []);

  const value = drag ?? step;
  return (
    <div className="timeline">
      <div className="tl-row">
        <span className="tl-label" title="Steps 0 to the last computed: drag to go to a step">
          whole run
        </span>
        <div className="scrub">
          <div className="brush-track" aria-hidden="true">
            <div ref={brushRef} className="brush" data-testid="timeline-brush" hidden />
          </div>
          <svg ref={svgRef} className="marks" aria-hidden="true" preserveAspectRatio="none" data-testid="timeline-marks">
            {MARKER_KINDS.map((k) => (
              <path key={k} data-kind={k} className={`mark-${k}`} vectorEffect="non-scaling-stroke" />
            ))}
          </svg>
          <input
            type="range"
            aria-label="Timeline"
            aria-valuetext={`step ${value} of ${frontier}${done ? '' : ' computed so far'}`}
            min={0}
            max={Math.max(frontier, 1)}
            step={1}
            value={value}
            disabled={!alive || frontier === 0}
            onChange={(e) => {
              const v = Number(e.target.value);
              setDrag(v);
              seekTo(v);
            }}
            onPointerUp={() => setDrag(null)}
            onBlur={() => setDrag(null)}
          />
        </div>
      </div>
      <div className="tl-row timeline-axis">
        <span className="tl-label" />
        <span>0</span>
        <ul className="mark-key" aria-label="Timeline markers">
          {MARKER_KINDS.map((k) => (
            <li key={k}>
              <span className={`mark-swatch mark-${k}`} />
              {MARKER_STYLE[k].label}
            </li>
          ))}
        </ul>
        {lanesOpen && <span className="zoom-hint muted">wheel or W/S zooms, drag or A/D pans, click a span to go to it</span>}
        <button type="button" className="small" disabled={whole} title="Zoom out to the whole run (the shaded range above is what the lanes show)" onClick={showWholeRun}>
          Whole run
        </button>
        <button
          type="button"
          className="small"
          aria-expanded={lanesOpen}
          title="Spans of steps: each action, compaction run, pageblock, migrate_pages() call, batch, pass and folio, zoomable down to single steps"
          onClick={() => setLanesOpen(!lanesOpen)}
        >
          Span lanes <span aria-hidden="true">{lanesOpen ? '▾' : '▸'}</span>
        </button>
        <span title={done ? 'the last step' : 'steps computed so far; more are computed as you go'}>
          {frontier}
          {done ? '' : '+'}
        </span>
      </div>
      {lanesOpen && <SpanLanes />}
    </div>
  );
}
