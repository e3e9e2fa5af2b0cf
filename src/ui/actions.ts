// What the step controls, the keyboard and the help panel do, in one place: each action checks
// that it applies (a session is loaded, the worker is alive, there is somewhere to go) and sends
// one command, so a button that is disabled and a key that does nothing agree.
import { cancelImport, cancelJob, send } from './state/simClient';
import { useSim, type Panel, type SpanNavLevel } from './state/store';

function ready(): { step: number; atEnd: boolean; playing: boolean } | null {
  const { meta, alive } = useSim.getState();
  if (!meta || !alive) return null;
  return { step: meta.step, atEnd: meta.done && meta.step === meta.frontier, playing: meta.playing };
}

export function stepBack(): void {
  const r = ready();
  if (r && r.step > 0) send({ type: 'step', delta: -1 });
}

export function stepForward(): void {
  const r = ready();
  if (r && !r.atEnd) send({ type: 'step', delta: 1 });
}

export function togglePlay(): void {
  const r = ready();
  if (!r) return;
  if (r.playing) send({ type: 'pause' });
  else if (!r.atEnd) send({ type: 'play', speed: useSim.getState().speed });
}

export function previousPhase(): void {
  const r = ready();
  if (r && r.step > 0) send({ type: 'phase', dir: -1 });
}

export function nextPhase(): void {
  const r = ready();
  if (r && !r.atEnd) send({ type: 'phase', dir: 1 });
}

export function toStart(): void {
  const r = ready();
  if (r && r.step > 0) send({ type: 'seek', step: 0 });
}

export function runToEnd(): void {
  const r = ready();
  // Already running to the end: sending it again would only restart the same work.
  if (r && !r.atEnd && useSim.getState().computing?.what !== 'run') send({ type: 'runToEnd' });
}

/** Previous (dir -1) / next (dir 1) span of the level the span select shows, or failure. */
export function spanStep(dir: 1 | -1): void {
  const r = ready();
  if (!r || (dir < 0 ? r.step === 0 : r.atEnd)) return;
  send({ type: 'span', level: useSim.getState().spanLevel, dir });
}

export function setSpanLevel(level: SpanNavLevel): void {
  useSim.setState({ spanLevel: level });
}

/** Stop the long command under way (the progress line's Cancel, Esc); false when none runs. */
export function cancelComputing(): boolean {
  const { computing, importing } = useSim.getState();
  if (importing) {
    cancelImport();
    return true;
  }
  if (!computing) return false;
  cancelJob();
  return true;
}

export function setSpeed(speed: number): void {
  useSim.setState({ speed });
  if (useSim.getState().meta?.playing) send({ type: 'play', speed });
}

export function toggleHelp(open?: boolean): void {
  useSim.setState((s) => ({ helpOpen: open ?? !s.helpOpen }));
}

/** Open an overlay over the grid (closing the one open), or toggle it. */
export function togglePanel(panel: Panel): void {
  useSim.setState((s) => ({ panel: s.panel === panel ? null : panel }));
}

export function closePanel(): void {
  useSim.setState({ panel: null });
}
