// Step controls: back, forward, play/pause at a speed, previous / next phase of interest, run to
// the end, previous / next span of a level (SpanNav.tsx), and where we are. Every button calls
// the same action as its key (actions.ts); the title names the key.
import {
  nextPhase, previousPhase, runToEnd, setSpeed, stepBack, stepForward, toggleHelp, togglePlay,
} from './actions';
import {
  selectAlive, selectAtEnd, selectBreakpointHit, selectDone, selectFrontier, selectLoaded, selectPlaying,
  selectRunningToEnd, selectSpeed, selectStep, useSim,
} from './state/store';
import { SpanNav } from './SpanNav';

/** Steps per second offered for Play. */
export const SPEEDS = [1, 2, 5, 10, 30, 100, 1000] as const;

export function stepCounter(step: number, frontier: number, done: boolean): string {
  return `step ${step} of ${frontier}${done ? '' : '+'}`;
}

export function Controls() {
  const alive = useSim(selectAlive);
  const loaded = useSim(selectLoaded);
  const ready = alive && loaded;
  const step = useSim(selectStep);
  const atEnd = useSim(selectAtEnd);
  const playing = useSim(selectPlaying);
  const speed = useSim(selectSpeed);
  const running = useSim(selectRunningToEnd);
  const atStart = step === 0;
  return (
    <div className="controls" role="toolbar" aria-label="Step controls">
      <div className="group">
        <button type="button" title="Step back (←)" disabled={!ready || atStart} onClick={stepBack}>
          <span aria-hidden="true">◀ </span>Step back
        </button>
        <button type="button" title="Step forward (→)" disabled={!ready || atEnd} onClick={stepForward}>
          Step forward<span aria-hidden="true"> ▶</span>
        </button>
      </div>
      <div className="group">
        <button
          type="button"
          className="play"
          title="Play / pause (Space)"
          disabled={!ready || (atEnd && !playing)}
          onClick={togglePlay}
        >
          {playing ? 'Pause' : 'Play'}
        </button>
        <label className="speed">
          Speed
          <select value={speed} onChange={(e) => setSpeed(Number(e.target.value))}>
            {SPEEDS.map((s) => (
              <option key={s} value={s}>
                {s} steps/s
              </option>
            ))}
          </select>
        </label>
      </div>
      <div className="group">
        <button type="button" title="Previous isolate, refcount check, copy or remap step (Shift+←)" disabled={!ready || atStart} onClick={previousPhase}>
          <span aria-hidden="true">⇤ </span>Previous phase
        </button>
        <button type="button" title="Next isolate, refcount check, copy or remap step (Shift+→)" disabled={!ready || atEnd} onClick={nextPhase}>
          Next phase<span aria-hidden="true"> ⇥</span>
        </button>
        <button type="button" title="Compute every step and go to the last (End)" disabled={!ready || atEnd || running} onClick={runToEnd}>
          Run to end
        </button>
      </div>
      <SpanNav />
      <StepCounter />
      <BreakpointHit />
      <button type="button" className="help-button" title="Keyboard shortcuts (?)" aria-label="Keyboard shortcuts" onClick={() => toggleHelp()}>
        ?
      </button>
    </div>
  );
}

function StepCounter() {
  const step = useSim(selectStep);
  const frontier = useSim(selectFrontier);
  const done = useSim(selectDone);
  const loaded = useSim(selectLoaded);
  return (
    <span className="counter" data-testid="step-counter" title={done ? 'every step is computed' : 'steps are computed as you go: + means more follow'}>
      {loaded ? stepCounter(step, frontier, done) : ''}
    </span>
  );
}

function BreakpointHit() {
  const hit = useSim(selectBreakpointHit);
  if (!hit) return null;
  return (
    <span className="bp-hit" data-testid="breakpoint-hit">
      stopped at breakpoint: {hit}
    </span>
  );
}
