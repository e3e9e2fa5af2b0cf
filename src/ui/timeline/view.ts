// The zoomed timeline's window as one small store: the wheel, a drag, the W / S / A / D keys and
// the step moving all change it, and the span lanes and the overview's brush draw from it (by
// subscription, so zooming re-renders no React component).
import { createStore } from 'zustand/vanilla';
import { useSim } from '../state/store';
import { clampWindow, follow, isWholeRun, panBy, runEnd, wholeRun, zoomAround, type StepWindow } from './zoom';

export interface TimelineView {
  readonly win: StepWindow;
  /** The window is the whole run: it grows as steps are computed. */
  readonly whole: boolean;
  /** The step coordinate under the pointer over the lanes (the keys zoom around it), or null. */
  readonly pointer: number | null;
  /** The span lanes are shown (they take ~110 px of height from the grid above). */
  readonly lanesOpen: boolean;
}

/**
 * Below this window height the lanes start closed: at 1280×720 their ~110 px would take the PFN
 * grid of the 128 MiB presets from 5 px pageblock rows (what the scanner overlay is drawn for) to 3.
 */
export const LANES_OPEN_FROM_PX = 860;

export const timelineView = createStore<TimelineView>()(() => ({
  win: wholeRun(1),
  whole: true,
  pointer: null,
  lanesOpen: typeof window !== 'undefined' && window.innerHeight >= LANES_OPEN_FROM_PX,
}));

export function setLanesOpen(open: boolean): void {
  timelineView.setState({ lanesOpen: open, pointer: null });
}

/** Zoom per W / S press; key repeat (~30/s) takes a 10 M-step run to single steps in ~2 s. */
export const KEY_ZOOM = 0.7;
/** Pan per A / D press, as a share of the window. */
export const KEY_PAN = 0.2;

/** The run's extent as the last frame gave it. */
const end = (): number => runEnd(useSim.getState().meta?.frontier ?? 0);

/** Step the last frame showed, to follow it only when it moves. */
let followed = -1;

export function setWindow(w: StepWindow): void {
  const e = end();
  const win = clampWindow(w, e);
  const cur = timelineView.getState().win;
  if (win.from === cur.from && win.to === cur.to) return;
  timelineView.setState({ win, whole: isWholeRun(win, e) });
}

/**
 * Zoom by `factor` (< 1 in) around a step coordinate: the given one (the wheel's pointer), else
 * the pointer's last place over the lanes, else the current step when in view, else the middle.
 */
export function zoomBy(factor: number, anchor?: number): void {
  const { win, pointer } = timelineView.getState();
  const step = useSim.getState().meta?.step ?? 0;
  const inView = step >= win.from && step < win.to;
  const a = anchor ?? pointer ?? (inView ? step + 0.5 : (win.from + win.to) / 2);
  setWindow(zoomAround(win, factor, a, end()));
}

/** Pan by a share of the window (negative: towards step 0). */
export function panByShare(share: number): void {
  const { win } = timelineView.getState();
  setWindow(panBy(win, share * (win.to - win.from), end()));
}

export function showWholeRun(): void {
  setWindow(wholeRun(end()));
}

export function setPointer(pointer: number | null): void {
  if (timelineView.getState().pointer !== pointer) timelineView.setState({ pointer });
}

/**
 * A frame arrived: the whole-run window grows with the frontier; a zoomed window keeps its steps
 * and, when the step moved out of it (stepping, Next folio, play), is carried along to show it.
 */
export function syncWithFrame(frontier: number, step: number): void {
  const e = runEnd(frontier);
  const { win, whole } = timelineView.getState();
  let next = whole ? wholeRun(e) : clampWindow(win, e);
  if (step !== followed) next = follow(next, step, e);
  followed = step;
  if (next.from !== win.from || next.to !== win.to) timelineView.setState({ win: next, whole: isWholeRun(next, e) });
}

/** A new session: the whole run again. */
export function resetView(): void {
  followed = -1;
  timelineView.setState({ win: wholeRun(end()), whole: true });
}
