// The PFN grid without React: wires the two painters, d3-zoom, the pointer (hover tooltip,
// click to select), the canvas's keys and the stores together. PfnGrid.tsx only mounts elements
// and calls mountGrid; from then on every repaint comes from a store subscription, a zoom event
// or the pointer, never from a React render.
//
// Timing: a new frame is painted synchronously inside the gridView subscription (simClient sets
// the bytes before the metadata, so the grid is drawn by the time the app reports idle). Pans,
// zooms and hovers repaint in the next animation frame, at most once per frame, and that same
// frame works out the PFN under the pointer, so hoverPfn() is called at most once per frame.
import { hoverPfn, selectPfn } from '../state/simClient';
import { gridView, useSim, type GridView, type SimState } from '../state/store';
import type { StepPfn, Zone } from '../../worker/protocol';
import { sameScanners, type ScannerState } from '../scanners';
import { gridHover } from './hover';
import { createOverlayPainter, type OverlayState } from './overlay';
import { createGridPainter } from './painter';
import { centreOn, fitViewport, focusViewport, gridBase, isFit, pfnAt, rebase, rowH, spansVisible, type Camera, type GridBase, type PfnSpan } from './viewport';
import { attachZoom, type GridZoom } from './zoom';
import { setGridKeyTarget } from './gridKeys';

export interface GridElements {
  /** Holds the canvases; carries the test hooks (data-step, data-selected-pfn, ...). */
  readonly root: HTMLElement;
  readonly cells: HTMLCanvasElement;
  readonly overlay: HTMLCanvasElement;
  readonly tooltip: HTMLElement;
  /** Shows the zoom factor; optional. */
  readonly zoomLabel: HTMLElement | null;
  /** "Focus the step's pages": aria-pressed while the grid follows the step; optional. */
  readonly focusButton: HTMLButtonElement | null;
}

export interface GridControls {
  fit(): void;
  zoomBy(factor: number): void;
  /** Show the step's source and destination, and keep them in view step after step until the person zooms or pans. */
  focusStep(): void;
  destroy(): void;
}

const NO_PFNS: readonly StepPfn[] = [];
const stepPfnsOf = (s: SimState): readonly StepPfn[] => s.meta?.stepInfo?.pfns ?? NO_PFNS;
const NO_SCANNERS: readonly ScannerState[] = [];
const NO_ZONES: readonly Zone[] = [];
const scannersOf = (s: SimState): readonly ScannerState[] => s.meta?.scanners ?? NO_SCANNERS;
const TOOLTIP_GAP = 14;

/** The pages a focus shows: the step's sources and destinations, or else every page it names but the scanners'. */
export function focusSpans(pfns: readonly StepPfn[]): PfnSpan[] {
  const moving = pfns.filter((p) => p.role === 'src' || p.role === 'dst');
  return (moving.length > 0 ? moving : pfns.filter((p) => p.role !== 'scanner')).map((p) => ({ pfn: p.pfn, nr: p.nr ?? 1 }));
}
export const FIRST_FRAME_MARK = 'pfnscope:first-frame';

export function mountGrid(el: GridElements): GridControls {
  const painter = createGridPainter(el.cells);
  const outlines = createOverlayPainter(el.overlay);
  let base: GridBase | null = null;
  let zoomer: GridZoom | null = null;
  let stepPfns = stepPfnsOf(useSim.getState());
  let scanners = scannersOf(useSim.getState());
  let zones = useSim.getState().meta?.zones ?? NO_ZONES;
  let selected = useSim.getState().selectedPfn;
  let hovered: number | null = null;
  /** The pointer over the canvas (CSS px), or null when it is elsewhere. */
  let pointer: [number, number] | null = null;
  let gesturing = false;
  let raf = 0;
  /** Keep the step's pages in view at each step: on from "Focus" until the person zooms or pans. */
  let following = false;

  function setFollowing(on: boolean): void {
    following = on;
    el.root.dataset.follow = String(on);
    el.focusButton?.setAttribute('aria-pressed', String(on));
  }

  /** Bring the step's pages into view (zooming in only when asked: the button, or pages out of view). */
  function focus(): void {
    if (!base || !zoomer) return;
    const spans = focusSpans(stepPfns);
    const v = zoomer.current();
    if (spans.length === 0 || (v.k > 1 && spansVisible(base, v, spans))) return;
    zoomer.set(focusViewport(base, v, spans, true));
  }

  const camera = (): Camera | null => (base && zoomer ? { base, v: zoomer.current() } : null);

  const overlayState = (): OverlayState => ({ pfns: stepPfns, selected, hovered, scanners, zones });

  function paintOverlay(): void {
    const cam = camera();
    if (cam) outlines.paint(cam, overlayState());
  }

  function paintAll(): void {
    const cam = camera();
    if (!cam) return;
    painter.paint(cam);
    outlines.paint(cam, overlayState());
    const d = el.root.dataset;
    d.zoom = cam.v.k.toFixed(3);
    d.fit = String(isFit(cam.base, cam.v));
    if (el.zoomLabel) el.zoomLabel.textContent = `×${cam.v.k < 10 ? cam.v.k.toFixed(1) : Math.round(cam.v.k)}`;
  }

  function schedule(): void {
    if (raf) return;
    raf = requestAnimationFrame(() => {
      raf = 0;
      updateHover();
      paintAll();
      placeTooltip();
    });
  }

  /** A new fit for the current layout and canvas size; keeps the zoom unless the layout changed. */
  function remeasure(layoutChanged: boolean): void {
    const layout = painter.layout();
    if (!layout) return;
    const rect = el.cells.getBoundingClientRect();
    const next = gridBase(layout, rect.width, rect.height, window.devicePixelRatio || 1);
    const prev = base;
    base = next;
    if (!zoomer) {
      zoomer = attachZoom(el.cells, next, {
        change: schedule,
        byHand: () => setFollowing(false),
        gesture(active) {
          gesturing = active;
          el.root.dataset.panning = String(active);
          schedule();
        },
      });
    } else {
      zoomer.setBase(next, (old) => (prev && !layoutChanged ? rebase(prev, old, next) : fitViewport(next)));
    }
  }

  function onView(v: GridView | null): void {
    const before = painter.layout();
    painter.setView(v);
    const after = painter.layout();
    if (after && (!before || before.nrPfns !== after.nrPfns || !base)) remeasure(true);
    if (hovered !== null && v) gridHover.setState({ cls: v.view[hovered] ?? 0 });
    paintAll();
    // The cold-load figure of `npm run bench` (bench/browser.ts): navigation start to this mark.
    if (v && performance.getEntriesByName(FIRST_FRAME_MARK).length === 0) performance.mark(FIRST_FRAME_MARK);
  }

  function updateHover(): void {
    const cam = camera();
    const pfn = cam && pointer && !gesturing ? pfnAt(cam.base, cam.v, pointer[0], pointer[1]) : null;
    if (pfn === hovered) return;
    hovered = pfn;
    const v = painter.view();
    gridHover.setState({ pfn, cls: pfn !== null && v ? (v.view[pfn] ?? 0) : 0, nrPfns: v?.nrPfns ?? 0 });
    if (pfn === null) delete el.root.dataset.hoverPfn;
    else el.root.dataset.hoverPfn = String(pfn);
    hoverPfn(pfn);
  }

  /** Beside the pointer, flipped to the other side near the canvas's right or bottom edge. */
  function placeTooltip(): void {
    const t = el.tooltip;
    if (hovered === null || !pointer) return;
    const w = t.offsetWidth;
    const h = t.offsetHeight;
    const box = el.root.getBoundingClientRect();
    let x = pointer[0] + TOOLTIP_GAP;
    let y = pointer[1] + TOOLTIP_GAP;
    if (x + w > box.width) x = Math.max(0, pointer[0] - TOOLTIP_GAP - w);
    if (y + h > box.height) y = Math.max(0, pointer[1] - TOOLTIP_GAP - h);
    t.style.transform = `translate(${Math.round(x)}px, ${Math.round(y)}px)`;
  }

  function onSim(s: SimState, prev: SimState): void {
    const pfns = stepPfnsOf(s);
    const d = el.root.dataset;
    let overlay = false;
    if (pfns !== stepPfns) {
      stepPfns = pfns;
      overlay = true;
    }
    const sc = scannersOf(s);
    // A new array every frame: a compaction that did not move costs no repaint.
    if (!sameScanners(sc, scanners)) {
      scanners = sc;
      overlay = true;
    }
    const zs = s.meta?.zones ?? NO_ZONES;
    if (zs !== zones) {
      zones = zs;
      overlay = overlay || scanners.length > 1;
    }
    if (s.selectedPfn !== selected) {
      selected = s.selectedPfn;
      if (selected === null) delete d.selectedPfn;
      else d.selectedPfn = String(selected);
      overlay = true;
      // A page pinned from the narration or by number may be out of view when zoomed in: show it.
      if (selected !== null && base && zoomer && zoomer.current().k > 1 && !spansVisible(base, zoomer.current(), [{ pfn: selected, nr: 1 }])) {
        zoomer.set(centreOn(base, selected, zoomer.current().k));
      }
    }
    if (overlay) paintOverlay();
    if (s.meta !== prev.meta && s.meta) {
      d.step = String(s.meta.step);
      d.stateHash = s.meta.stateHash;
      if (following && s.meta.step !== prev.meta?.step) focus();
      // The tooltip's struct page is read again at the new step.
      if (hovered !== null && s.meta.step !== prev.meta?.step) hoverPfn(hovered);
    }
  }

  const onPointerMove = (e: PointerEvent): void => {
    const r = el.cells.getBoundingClientRect();
    pointer = [e.clientX - r.left, e.clientY - r.top];
    schedule();
  };
  const onPointerLeave = (): void => {
    pointer = null;
    schedule();
  };
  const onClick = (e: MouseEvent): void => {
    const cam = camera();
    if (!cam) return;
    const r = el.cells.getBoundingClientRect();
    selectPfn(pfnAt(cam.base, cam.v, e.clientX - r.left, e.clientY - r.top));
  };
  // ← → and Space stay with the app (stepping); the grid takes keys the app does not use
  // (gridKeys.ts lists them for the help panel).
  const onKey = (e: KeyboardEvent): void => {
    if (e.altKey || e.ctrlKey || e.metaKey || !zoomer || !base) return;
    const page = (base.plot.bottom - base.plot.top) / 3;
    if (['+', '=', '-', '_', '0', 'ArrowUp', 'ArrowDown'].includes(e.key)) setFollowing(false);
    switch (e.key) {
      case '+':
      case '=':
        zoomer.zoomBy(2);
        break;
      case '-':
      case '_':
        zoomer.zoomBy(0.5);
        break;
      case '0':
        zoomer.fit();
        break;
      case 'ArrowUp':
        zoomer.panBy(0, Math.max(page, rowH(base, zoomer.current().k)));
        break;
      case 'ArrowDown':
        zoomer.panBy(0, -Math.max(page, rowH(base, zoomer.current().k)));
        break;
      case 'Escape':
        selectPfn(null);
        break;
      case 'Enter':
        if (hovered !== null) selectPfn(hovered);
        break;
      default:
        return;
    }
    e.preventDefault();
  };

  // W / S / A / D come through the app's handler (keyboard.ts), which asks whether the grid is engaged.
  const offKeys = setGridKeyTarget({
    engaged: () => pointer !== null || document.activeElement === el.cells,
    apply(move) {
      if (!zoomer || !base) return;
      if ('zoom' in move) zoomer.zoomBy(move.zoom, pointer ?? undefined);
      else zoomer.panBy(move.pan * (base.plot.right - base.plot.left), 0);
    },
  });

  el.cells.addEventListener('pointermove', onPointerMove);
  el.cells.addEventListener('pointerleave', onPointerLeave);
  el.cells.addEventListener('click', onClick);
  el.cells.addEventListener('keydown', onKey);

  painter.resize();
  outlines.resize();
  onView(gridView.getState().current);
  const s0 = useSim.getState();
  onSim(s0, { ...s0, meta: null, selectedPfn: null });
  const unsubView = gridView.subscribe((s) => onView(s.current));
  const unsubSim = useSim.subscribe(onSim);
  const observer = new ResizeObserver(() => {
    painter.resize();
    outlines.resize();
    remeasure(false);
    paintAll();
  });
  observer.observe(el.cells);

  setFollowing(false);
  return {
    fit() {
      setFollowing(false);
      zoomer?.fit();
    },
    zoomBy(f) {
      setFollowing(false);
      zoomer?.zoomBy(f);
    },
    focusStep() {
      setFollowing(true);
      focus();
    },
    destroy() {
      if (raf) cancelAnimationFrame(raf);
      unsubView();
      unsubSim();
      offKeys();
      observer.disconnect();
      zoomer?.destroy();
      el.cells.removeEventListener('pointermove', onPointerMove);
      el.cells.removeEventListener('pointerleave', onPointerLeave);
      el.cells.removeEventListener('click', onClick);
      el.cells.removeEventListener('keydown', onKey);
      if (hovered !== null) hoverPfn(null);
      gridHover.setState({ pfn: null });
    },
  };
}
