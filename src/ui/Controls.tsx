// Step controls: back, forward, play/pause at a speed, run to the end, and where we are.
import { send } from './state/simClient';
import { selectAlive, selectMeta, selectSpeed, useSim } from './state/store';

/** Steps per second offered for Play. */
export const SPEEDS = [1, 2, 5, 10, 30, 100, 1000] as const;

export function stepCounter(step: number, frontier: number, done: boolean): string {
  return `step ${step} of ${frontier}${done ? '' : '+'}`;
}

export function togglePlay(): void {
  const { meta, speed } = useSim.getState();
  if (!meta) return;
  send(meta.playing ? { type: 'pause' } : { type: 'play', speed });
}

export function Controls() {
  const meta = useSim(selectMeta);
  const alive = useSim(selectAlive);
  const speed = useSim(selectSpeed);
  const ready = alive && meta !== null;
  const atStart = !meta || meta.step === 0;
  const atEnd = !meta || (meta.done && meta.step === meta.frontier);
  return (
    <div className="controls" role="toolbar" aria-label="Step controls">
      <button type="button" title="Step back (←)" disabled={!ready || atStart} onClick={() => send({ type: 'step', delta: -1 })}>
        <span aria-hidden="true">◀ </span>Step back
      </button>
      <button type="button" title="Step forward (→)" disabled={!ready || atEnd} onClick={() => send({ type: 'step', delta: 1 })}>
        Step forward<span aria-hidden="true"> ▶</span>
      </button>
      <button type="button" title="Play / pause (Space)" disabled={!ready || (atEnd && !meta?.playing)} onClick={togglePlay}>
        {meta?.playing ? 'Pause' : 'Play'}
      </button>
      <label className="speed">
        Speed
        <select
          value={speed}
          onChange={(e) => {
            const v = Number(e.target.value);
            useSim.setState({ speed: v });
            if (meta?.playing) send({ type: 'play', speed: v });
          }}
        >
          {SPEEDS.map((s) => (
            <option key={s} value={s}>
              {s} steps/s
            </option>
          ))}
        </select>
      </label>
      <button type="button" disabled={!ready || atEnd} onClick={() => send({ type: 'runToEnd' })}>
        Run to end
      </button>
      <span className="counter" data-testid="step-counter">
        {meta ? stepCounter(meta.step, meta.frontier, meta.done) : ''}
      </span>
      {meta?.breakpointHit && <span className="bp-hit">stopped at breakpoint: {meta.breakpointHit}</span>}
      <span className="keys">← → step · Space play/pause</span>
    </div>
  );
}
