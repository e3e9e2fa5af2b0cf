// Asks the worker for the spans of the steps in view, at most every THROTTLE_MS: a wheel gesture
// changes the window ~60 times a second, and each answer is up to MAX_SPANS pairs per level. The
// request goes out THROTTLE_MS after the first change with the window as it is then, so the lanes
// fill in while the person is still zooming, and the last position is always asked for.
import { requestSpans } from '../state/simClient';
import { useSim } from '../state/store';
import { timelineView } from './view';
import { visibleSteps } from './zoom';

export const THROTTLE_MS = 100;

let timer: ReturnType<typeof setTimeout> | null = null;
/** What was asked last (window, frontier, session): the same question is not asked twice. */
let asked = '';

function ask(): void {
  timer = null;
  const { meta, alive, session, error } = useSim.getState();
  // A worker that lost its session would answer with an error that hides the one offering a restart.
  if (!meta || !alive || error?.restartable) return;
  const { from, to } = visibleSteps(timelineView.getState().win);
  const key = `${session}:${from}:${Math.min(to, meta.frontier)}:${meta.frontier}`;
  if (key === asked) return;
  asked = key;
  requestSpans(from, Math.min(to, meta.frontier));
}

export function scheduleSpans(): void {
  timer ??= setTimeout(ask, THROTTLE_MS);
}

/** Ask whenever the window, the frontier or the session changes; returns the unsubscribe. */
export function watchSpans(): () => void {
  let frontier = -1;
  let session = -1;
  const unView = timelineView.subscribe((s, prev) => {
    if (s.win !== prev.win) scheduleSpans();
  });
  const unSim = useSim.subscribe((s) => {
    const f = s.meta?.frontier ?? -1;
    if (f !== frontier || s.session !== session) {
      frontier = f;
      session = s.session;
      scheduleSpans();
    }
  });
  scheduleSpans();
  return () => {
    unView();
    unSim();
    if (timer !== null) clearTimeout(timer);
    timer = null;
  };
}
