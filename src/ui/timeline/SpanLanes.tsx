// The zoomed timeline under the overview: a step ruler, the markers of the steps in view and one
// lane per span level (action, compaction run, pageblock, migrate_pages(), batch, pass, folio),
// drawn on a canvas like Perfetto's tracks. Wheel (or pinch) zooms around the pointer, a drag
// pans, W / S / A / D do the same from the keyboard (keyboard.ts); a click on a span goes to its
// first step, a click on the ruler to that step; hovering a span names it ("folio: steps
// 1200–1213"). React renders the lane labels once; zooming, panning, new spans and new frames
// repaint the canvas from store subscriptions (at most once per animation frame).
import { useLayoutEffect, useRef } from 'react';
import { seekTo } from '../state/simClient';
import { spanData, timelineData, useSim } from '../state/store';
import { MAX_SPANS, SPAN_LEVEL_NAMES, type MarkerKind } from '../../worker/protocol';
import { laneTop, lanesHeight, rowAt, spanAtX, spanLabel, BAR_H } from './lanes';
import { MARKER_KINDS, zoomedMarkers } from './markers';
import { paintLanes, type LaneColors } from './paint';
import { watchSpans } from './spanRequests';
import { setPointer, setWindow, timelineView, zoomBy } from './view';
import { stepAtX, visibleSteps } from './zoom';

/**
 * Every level has its lane, always, in level order: a lane that came and went with what is in view
 * would make the strip under the pointer jump while zooming, and the grid above resize as spans
 * arrive. A lane with nothing in view stays, empty, its label dimmed.
 */
const LEVELS = SPAN_LEVEL_NAMES.map((_, i) => i);
const HEIGHT = lanesHeight(LEVELS.length);

/** A drag shorter than this (CSS px) is a click. */
const CLICK_SLOP = 3;

/** Wheel zoom per pixel of deltaY (a notch is ~100 px: ×1.22); pinch (ctrlKey) sends small deltas. */
const WHEEL_ZOOM = 0.002;
const PINCH_ZOOM = 0.01;

function readColors(el: Element): LaneColors {
  const cs = getComputedStyle(el);
  const v = (name: string): string => cs.getPropertyValue(name).trim() || '#888';
  return {
    fg: v('--fg'),
    muted: v('--muted'),
    track: v('--track'),
    accent: v('--accent'),
    levels: SPAN_LEVEL_NAMES.map((_, i) => v(`--span-${i}`)),
    marks: Object.fromEntries(MARKER_KINDS.map((k) => [k, v(`--mark-${k}`)])) as Record<MarkerKind, string>,
  };
}

export function SpanLanes() {
  const rootRef = useRef<HTMLDivElement>(null);
  const areaRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const tipRef = useRef<HTMLDivElement>(null);

  useLayoutEffect(() => {
    const root = rootRef.current!;
    const area = areaRef.current!;
    const canvas = canvasRef.current!;
    const tip = tipRef.current!;
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    let px = area.clientWidth;
    let raf = 0;
    let drawnStep = -1;
    let drawnFrontier = -1;

    const draw = (): void => {
      raf = 0;
      const meta = useSim.getState().meta;
      const { win } = timelineView.getState();
      const dpr = window.devicePixelRatio || 1;
      const bw = Math.round(px * dpr);
      const bh = Math.round(HEIGHT * dpr);
      if (canvas.width !== bw) canvas.width = bw;
      if (canvas.height !== bh) canvas.height = bh;
      if (px <= 0) return;
      drawnStep = meta?.step ?? 0;
      drawnFrontier = meta?.frontier ?? 0;
      const { levels: spans } = spanData.getState();
      const counts = paintLanes(ctx, {
        px,
        dpr,
        win,
        step: drawnStep,
        lanes: LEVELS.map((level) => ({ level, name: SPAN_LEVEL_NAMES[level] ?? '' })),
        spans,
        markers: zoomedMarkers(timelineData.getState().markers, spanData.getState()),
        colors: readColors(root),
      });
      // Test hooks and the dimmed labels of lanes with nothing in view.
      const vis = visibleSteps(win);
      root.dataset.from = String(vis.from);
      root.dataset.to = String(Math.min(vis.to, drawnFrontier));
      LEVELS.forEach((level, i) => {
        const li = root.querySelector<HTMLElement>(`li[data-level-index="${level}"]`);
        if (!li) return;
        li.dataset.inView = String(counts[i] ?? 0);
        // The worker thins a level to MAX_SPANS spans per answer: say so where it happened.
        const sampled = (spans[level]?.length ?? 0) >= MAX_SPANS;
        li.dataset.sampled = String(sampled);
        li.title = sampled ? `more ${SPAN_LEVEL_NAMES[level]} spans in view than drawn: zoom in to see each` : '';
      });
    };
    const schedule = (): void => {
      raf ||= requestAnimationFrame(draw);
    };

    const unsubs = [
      spanData.subscribe(schedule),
      timelineData.subscribe(schedule),
      timelineView.subscribe((s, prev) => {
        if (s.win !== prev.win) schedule();
      }),
      useSim.subscribe((s) => {
        if ((s.meta?.step ?? 0) !== drawnStep || (s.meta?.frontier ?? 0) !== drawnFrontier) schedule();
      }),
      watchSpans(),
    ];
    const observer = new ResizeObserver((entries) => {
      px = entries[0]!.contentRect.width;
      schedule();
    });
    observer.observe(area);
    schedule();

    // Pointer: x, y in CSS px over the canvas.
    const at = (e: MouseEvent): { x: number; y: number } => {
      const r = canvas.getBoundingClientRect();
      return { x: e.clientX - r.left, y: e.clientY - r.top };
    };
    /** What is under (x, y): a span of a lane, or a step of the ruler / markers row. */
    const hit = (x: number, y: number): { text: string; step: number } | null => {
      const { win } = timelineView.getState();
      const frontier = useSim.getState().meta?.frontier ?? 0;
      const row = rowAt(y, LEVELS.length);
      if (!row) return null;
      if (row.kind === 'lane') {
        const level = LEVELS[row.index]!;
        const top = laneTop(row.index);
        if (y > top + BAR_H + 1) return null;
        const sp = spanAtX(spanData.getState().levels[level] ?? [], win, px, x);
        return sp ? { text: spanLabel(level, sp), step: sp[0] } : null;
      }
      const step = Math.min(frontier, Math.max(0, Math.floor(stepAtX(x, win, px))));
      return { text: `step ${step}`, step };
    };
    const showTip = (x: number, y: number, text: string | null): void => {
      if (text === null) {
        tip.hidden = true;
        return;
      }
      tip.textContent = text;
      tip.hidden = false;
      const w = tip.offsetWidth;
      tip.style.left = `${Math.max(0, Math.min(px - w, x + 12))}px`;
      // Above the pointer: the rows over the lanes (axis, overview) leave room inside the timeline.
      tip.style.top = `${y - 22}px`;
    };

    let drag: { id: number; x0: number; from: number; to: number; moved: boolean } | null = null;
    const onDown = (e: PointerEvent): void => {
      if (e.button !== 0) return;
      const { win } = timelineView.getState();
      drag = { id: e.pointerId, x0: at(e).x, from: win.from, to: win.to, moved: false };
      canvas.setPointerCapture(e.pointerId);
    };
    const onMove = (e: PointerEvent): void => {
      const { x, y } = at(e);
      if (drag && drag.id === e.pointerId) {
        const dx = x - drag.x0;
        if (Math.abs(dx) > CLICK_SLOP) drag.moved = true;
        if (drag.moved) {
          const d = (dx * (drag.to - drag.from)) / px;
          setWindow({ from: drag.from - d, to: drag.to - d });
          canvas.dataset.dragging = 'true';
          showTip(x, y, null);
          return;
        }
      }
      setPointer(stepAtX(x, timelineView.getState().win, px));
      const h = hit(x, y);
      canvas.dataset.over = h ? (rowAt(y, LEVELS.length)?.kind ?? '') : '';
      showTip(x, y, h?.text ?? null);
    };
    const onUp = (e: PointerEvent): void => {
      if (!drag || drag.id !== e.pointerId) return;
      const click = !drag.moved;
      drag = null;
      delete canvas.dataset.dragging;
      if (canvas.hasPointerCapture(e.pointerId)) canvas.releasePointerCapture(e.pointerId);
      if (!click) return;
      const { x, y } = at(e);
      const h = hit(x, y);
      if (h) seekTo(h.step);
    };
    const onLeave = (): void => {
      setPointer(null);
      showTip(0, 0, null);
    };
    const onWheel = (e: WheelEvent): void => {
      e.preventDefault();
      const unit = e.deltaMode === 1 ? 16 : e.deltaMode === 2 ? px : 1;
      const dx = e.deltaX * unit;
      const dy = e.deltaY * unit;
      const { win } = timelineView.getState();
      if (e.shiftKey || Math.abs(dx) > Math.abs(dy)) {
        // A horizontal scroll (or Shift+wheel) pans, by as many pixels as it scrolled.
        const d = ((e.shiftKey && dx === 0 ? dy : dx) * (win.to - win.from)) / px;
        setWindow({ from: win.from + d, to: win.to + d });
        return;
      }
      const { x } = at(e);
      zoomBy(Math.exp(dy * (e.ctrlKey ? PINCH_ZOOM : WHEEL_ZOOM)), stepAtX(x, win, px));
    };
    canvas.addEventListener('pointerdown', onDown);
    canvas.addEventListener('pointermove', onMove);
    canvas.addEventListener('pointerup', onUp);
    canvas.addEventListener('pointercancel', onUp);
    canvas.addEventListener('pointerleave', onLeave);
    canvas.addEventListener('wheel', onWheel, { passive: false });
    return () => {
      for (const u of unsubs) u();
      observer.disconnect();
      if (raf) cancelAnimationFrame(raf);
      canvas.removeEventListener('pointerdown', onDown);
      canvas.removeEventListener('pointermove', onMove);
      canvas.removeEventListener('pointerup', onUp);
      canvas.removeEventListener('pointercancel', onUp);
      canvas.removeEventListener('pointerleave', onLeave);
      canvas.removeEventListener('wheel', onWheel);
    };
  }, []);

  return (
    <div ref={rootRef} className="lanes" data-testid="span-lanes">
      <ul className="lane-labels" aria-label="Span lanes">
        <li className="row-ruler" title="Step numbers of the zoomed range">steps</li>
        <li className="row-marks" title="Action starts, isolate / refcount / copy steps and failures in the zoomed range">markers</li>
        {LEVELS.map((level) => (
          <li key={level} data-level-index={level} data-level={SPAN_LEVEL_NAMES[level]} data-in-view="0">
            {SPAN_LEVEL_NAMES[level]}
          </li>
        ))}
      </ul>
      <div ref={areaRef} className="lane-area" style={{ height: HEIGHT }}>
        <canvas
          ref={canvasRef}
          aria-hidden="true"
          data-testid="span-canvas"
          style={{ height: HEIGHT }}
        />
        <div ref={tipRef} className="lane-tip" role="tooltip" data-testid="span-tip" hidden />
      </div>
    </div>
  );
}
