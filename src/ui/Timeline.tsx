// The timeline scrubber: a range input over the computed steps (accessible name "Timeline") with
// the markers the worker sends drawn above its track: where each action starts, where a step
// failed, and the isolate / refcount / copy steps. The markers are drawn from a store
// subscription into an SVG whose x axis is the step number, so neither a new frame nor a resize
// re-renders React; the SVG is inset by half the thumb so step n sits exactly above the thumb at n.
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { seekTo } from './state/simClient';
import { selectAlive, selectDone, selectFrontier, selectStep, timelineData, useSim } from './state/store';
import type { Marker, MarkerKind } from '../worker/protocol';

/** Marker kinds in drawing order, with the rows of the strip they occupy (0..1 of its height). */
export const MARKER_STYLE: Readonly<Record<MarkerKind, { readonly label: string; readonly y0: number; readonly y1: number }>> = {
  action: { label: 'action starts', y0: 0, y1: 1 },
  isolate: { label: 'isolate', y0: 0, y1: 0.5 },
  refcount: { label: 'refcount check', y0: 0, y1: 0.5 },
  copy: { label: 'copy', y0: 0, y1: 0.5 },
  fail: { label: 'failed (-E…)', y0: 0.5, y1: 1 },
};
const KINDS = Object.keys(MARKER_STYLE) as MarkerKind[];

/**
 * One SVG path per kind: a vertical stroke at each marked step, at most one per kind and pixel
 * column of a strip `px` wide over steps 0..frontier (thp-split has ~2,000 markers for ~1,300 px).
 */
export function markerPaths(markers: readonly Marker[], frontier: number, px: number): Record<MarkerKind, string> {
  const out = Object.fromEntries(KINDS.map((k) => [k, ''])) as Record<MarkerKind, string>;
  const lastCol = Object.fromEntries(KINDS.map((k) => [k, -1])) as Record<MarkerKind, number>;
  const perStep = px > 0 ? px / Math.max(frontier, 1) : Infinity;
  for (const m of markers) {
    const col = Math.floor(m.step * perStep);
    if (col === lastCol[m.kind]) continue; // markers arrive in step order
    lastCol[m.kind] = col;
    const st = MARKER_STYLE[m.kind];
    out[m.kind] += `M${m.step} ${st.y0}V${st.y1}`;
  }
  return out;
}

export function Timeline() {
  const step = useSim(selectStep);
  const frontier = useSim(selectFrontier);
  const done = useSim(selectDone);
  const alive = useSim(selectAlive);
  /** The value under the pointer while the worker has not yet shown it. */
  const [drag, setDrag] = useState<number | null>(null);
  const svgRef = useRef<SVGSVGElement>(null);

  useEffect(() => {
    if (drag !== null && drag === step) setDrag(null);
  }, [step, drag]);

  useLayoutEffect(() => {
    const svg = svgRef.current;
    if (!svg) return;
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
      for (const k of KINDS) svg.querySelector(`path[data-kind="${k}"]`)?.setAttribute('d', paths[k] || 'M0 0');
    };
    draw();
    const unsubMarks = timelineData.subscribe(draw);
    const unsubSim = useSim.subscribe(draw);
    const observer = new ResizeObserver((entries) => {
      px = entries[0]!.contentRect.width;
      draw();
    });
    observer.observe(svg);
    return () => {
      unsubMarks();
      unsubSim();
      observer.disconnect();
    };
  }, []);

  const value = drag ?? step;
  return (
    <div className="timeline">
      <div className="scrub">
        <svg ref={svgRef} className="marks" aria-hidden="true" preserveAspectRatio="none" data-testid="timeline-marks">
          {KINDS.map((k) => (
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
      <div className="timeline-axis">
        <span>0</span>
        <ul className="mark-key" aria-label="Timeline markers">
          {KINDS.map((k) => (
            <li key={k}>
              <span className={`mark-swatch mark-${k}`} />
              {MARKER_STYLE[k].label}
            </li>
          ))}
        </ul>
        <span title={done ? 'the last step' : 'steps computed so far; more are computed as you go'}>
          {frontier}
          {done ? '' : '+'}
        </span>
      </div>
    </div>
  );
}
