// d3-zoom on the grid canvas: wheel and pinch zoom, drag to pan, double-click zooms in (shift:
// out). d3-zoom's own model is a uniform scale, but our rows keep their fitted height until cells
// are square (viewport.ts), so a d3 proposal is re-anchored here: `constrain` gets every
// proposed transform, and when the zoom changed it recomputes it with zoomAround() at the last
// pointer position, which we track ourselves (d3 does not pass it to constrain). Drags keep d3's
// translation, which is right in any model. The stored transform is always our Viewport.
import { select } from 'd3-selection';
import { zoom, ZoomTransform, type D3ZoomEvent, type ZoomBehavior } from 'd3-zoom';
import { centreOn, clampViewport, fitViewport, maxZoom, zoomAround, type GridBase, type Viewport } from './viewport';

export interface GridZoom {
  current(): Viewport;
  /** A new fit (resize, new layout); `keep` carries the viewport over instead of resetting to the fit. */
  setBase(b: GridBase, keep: (old: Viewport) => Viewport): void;
  fit(): void;
  /** Zoom by a factor around a canvas point, by default the plot's centre. */
  zoomBy(factor: number, at?: readonly [number, number]): void;
  panBy(dx: number, dy: number): void;
  centreOn(pfn: number, k: number): void;
  /** Set the viewport (clamped). */
  set(v: Viewport): void;
  destroy(): void;
}

export interface ZoomCallbacks {
  /** Every change of the viewport (gestures and the methods above). */
  change(v: Viewport): void;
  /** A pan or zoom gesture by pointer starts or ends: hide the tooltip meanwhile. */
  gesture(active: boolean): void;
  /** The viewport moved by the person's hand (wheel, drag, pinch, double-click), not by a method. */
  byHand?(): void;
}

/** A mouse wheel notch (deltaY 100) zooms by 2^0.4 ≈ 1.32; d3's default 1.15 needs 40 notches for 1 Mi PFNs. */
function wheelDelta(event: WheelEvent): number {
  const perUnit = event.deltaMode === 1 ? 0.1 : event.deltaMode ? 1 : 0.004;
  return -event.deltaY * perUnit * (event.ctrlKey ? 5 : 1);
}

const asTransform = (v: Viewport): ZoomTransform => new ZoomTransform(v.k, v.x, v.y);

export function attachZoom(canvas: HTMLCanvasElement, initial: GridBase, cb: ZoomCallbacks): GridZoom {
  let base = initial;
  let view = fitViewport(base);
  /** Where the pointer was at the last wheel, double-click or move: the anchor of a zoom. */
  let pointer: [number, number] | null = null;

  const track = (e: MouseEvent): void => {
    const r = canvas.getBoundingClientRect();
    const p: [number, number] = [e.clientX - r.left, e.clientY - r.top];
    // Mouse and wheel events carry whole CSS pixels, pointer events fractional ones (a pen, a
    // 2× display). A page can be under a pixel wide at the fit, so a wheel within a pixel of
    // the last pointermove zooms about where the pointer really is, the page the tooltip names.
    if (!(e instanceof PointerEvent) && pointer && Math.abs(pointer[0] - p[0]) < 1 && Math.abs(pointer[1] - p[1]) < 1) return;
    pointer = p;
  };
  // Registered before d3's listeners, so they run first for the same event.
  canvas.addEventListener('wheel', track, { passive: true });
  canvas.addEventListener('dblclick', track);
  canvas.addEventListener('pointermove', track);
  canvas.addEventListener('pointerdown', track);

  const behavior: ZoomBehavior<HTMLCanvasElement, unknown> = zoom<HTMLCanvasElement, unknown>()
    .scaleExtent([1, maxZoom(base)])
    .wheelDelta(wheelDelta)
    .clickDistance(4)
    .duration(0)
    .constrain((t) => {
      const v = t.k !== view.k && pointer ? zoomAround(base, view, t.k, pointer[0], pointer[1]) : clampViewport(base, t);
      return asTransform(v);
    })
    .on('start', (e: D3ZoomEvent<HTMLCanvasElement, unknown>) => {
      if (e.sourceEvent) cb.gesture(true);
    })
    .on('zoom', (e: D3ZoomEvent<HTMLCanvasElement, unknown>) => {
      const t = e.transform;
      view = { k: t.k, x: t.x, y: t.y };
      if (e.sourceEvent) cb.byHand?.();
      cb.change(view);
    })
    .on('end', (e: D3ZoomEvent<HTMLCanvasElement, unknown>) => {
      if (e.sourceEvent) cb.gesture(false);
    });

  const selection = select(canvas);
  selection.call(behavior);
  selection.property('__zoom', asTransform(view));

  /** Set the viewport programmatically (clamped), through d3 so its stored transform agrees. */
  function set(v: Viewport): void {
    behavior.transform(selection, asTransform(clampViewport(base, v)));
  }

  return {
    current: () => view,
    setBase(b, keep) {
      const old = view;
      base = b;
      behavior.scaleExtent([1, maxZoom(b)]);
      set(keep(old));
    },
    fit: () => set(fitViewport(base)),
    zoomBy(factor, at) {
      const p = at ?? [(base.plot.left + base.plot.right) / 2, (base.plot.top + base.plot.bottom) / 2];
      set(zoomAround(base, view, view.k * factor, p[0], p[1]));
    },
    panBy: (dx, dy) => set({ k: view.k, x: view.x + dx, y: view.y + dy }),
    centreOn: (pfn, k) => set(centreOn(base, pfn, k)),
    set,
    destroy() {
      selection.on('.zoom', null);
      canvas.removeEventListener('wheel', track);
      canvas.removeEventListener('dblclick', track);
      canvas.removeEventListener('pointermove', track);
      canvas.removeEventListener('pointerdown', track);
    },
  };
}
