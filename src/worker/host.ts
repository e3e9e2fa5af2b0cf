// The worker's engine host: the session, the per-PFN view, breakpoints, play, and the flow
// control of frames. Kept apart from the `self` wiring in sim.worker.ts, with the clock and timer
// injected, so vitest drives it in Node exactly as the browser does.
//
// Flow control: at most one frame in flight. A state change only marks the frame dirty; the
// frame is built when none is in flight, from the state at that moment. Play keeps stepping
// while the UI draws, and the frames it could not draw are never built (so never copied).
//
// Errors: bad input (unknown preset, invalid scenario or link, PFN out of range, malformed
// command) is refused with one line and changes nothing. Anything else thrown while the session
// moves means the kernel model is in an unknown state: the session is dropped and the error is
// fatal, so the UI offers a restart, which replays the scenario to the same step.
import { openSession, type Session } from '../engine/session';
import { PRESETS, findPreset } from '../engine/presets';
import { parseShareUrl } from '../engine/share';
import { parseScenario, type Scenario } from '../engine/scenario';
import { currentStep, frontier, runToEnd, seek, stepBy, timelineHash } from '../engine/timeline';
import { createViewTracker, updateView, type ViewTracker } from '../engine/viewtracker';
import { NR_STATE_CLASSES } from '../kernel/classes';
import { inspectPage, type PageDetail } from '../kernel/inspect';
import { countClasses } from '../kernel/view';
import { breakpointHit } from './breakpoints';
import { stepView, traceBetween } from './frame';
import { TRACE_KEEP, type Breakpoint, type Command, type FrameMsg, type LoadSource, type WorkerMsg } from './protocol';

export interface HostEnv {
  post(msg: WorkerMsg, transfer?: ArrayBuffer[]): void;
  /** Milliseconds, monotonic. */
  now(): number;
  /** Calls fn once after ms; returns a function that cancels it. */
  setTimer(fn: () => void, ms: number): () => void;
}

export interface Host {
  receive(cmd: Command): void;
  /** Stop the play timer (the worker is going away). */
  dispose(): void;
}

/** Play ticks at most at display rate; a slower speed ticks once per step. */
export const TICK_MS = 16;
/** A tick stops stepping after this long, so one tick never blocks acks and pauses for long. */
const TICK_BUDGET_MS = 50;
const MAX_SPEED = 1_000_000;

/** Input the worker refuses; the session is untouched. */
class Refused extends Error {
  override name = 'Refused';
}

interface Play {
  readonly speed: number;
  last: number;
  /** Fractional steps owed from earlier ticks. */
  carry: number;
  cancel: () => void;
}

export function createHost(env: HostEnv): Host {
  let s: Session | null = null;
  let vt: ViewTracker | null = null;
  let name = '';
  let newSource: LoadSource | null = null;
  let breakpoints: readonly Breakpoint[] = [];
  let hit: string | undefined;
  let play: Play | null = null;

  let handled = 0; // commands processed, other than ack and breakpoints (protocol.ts: WorkerMsg)
  let frameHandled = 0; // `handled` of the last frame posted
  let seq = 0;
  let inFlight: number | null = null;
  let dirty = false;
  /** Step of the last frame posted, or -1 when the next frame replaces the trace. */
  let sentStep = -1;

  env.post({ type: 'ready', presets: PRESETS.map((p) => ({ name: p.name, summary: p.summary })) });

  /** What `handled` the UI may be told now: a pending frame will cover the rest. */
  const handledVisible = (): number => (dirty && s ? frameHandled : handled);

  function flush(): void {
    if (!dirty || inFlight !== null || !s || !vt) return;
    const t = s.t;
    updateView(vt, s.k, t.marks[t.cur]!);
    const view = vt.view.slice(); // the tracker keeps its own; this copy is transferred
    const reset = sentStep < 0 || t.cur < sentStep;
    const frame: FrameMsg = {
      type: 'frame',
      seq: ++seq,
      handled,
      scenarioName: name,
      ...(newSource ? { source: newSource } : {}),
      step: t.cur,
      frontier: frontier(t),
      done: t.done,
      playing: play !== null,
      stepInfo: t.cur > 0 ? stepView(currentStep(t)!) : null,
      stateHash: timelineHash(t),
      nrPfns: s.k.mem.nr,
      zones: s.k.zones.map((z) => ({ name: z.name, start: z.start, end: z.end })),
      classCounts: countClasses(view, NR_STATE_CLASSES),
      trace: traceBetween(t.steps, reset ? 0 : sentStep, t.cur, TRACE_KEEP),
      traceReset: reset,
      view,
      ...(hit !== undefined ? { breakpointHit: hit } : {}),
    };
    inFlight = frame.seq;
    frameHandled = handled;
    dirty = false;
    newSource = null;
    sentStep = t.cur;
    env.post(frame, [view.buffer]);
  }

  function fail(e: unknown): void {
    const refused = e instanceof Refused;
    if (!refused) {
      stopPlay();
      s = null;
      vt = null;
      dirty = false;
    }
    const message = oneLine(refused ? (e as Error).message : `the simulation stopped: ${errorText(e)}`);
    env.post({ type: 'error', handled: handledVisible(), message, fatal: !refused });
  }

  function session(): Session {
    if (!s) throw new Refused('nothing is loaded: pick a preset');
    return s;
  }

  function stopPlay(): void {
    play?.cancel();
    play = null;
  }

  /** Move one step at a time in the direction of delta; stop at the first breakpoint. */
  function walk(delta: number): void {
    const t = session().t;
    const dir = Math.sign(delta);
    for (let i = 0; i < Math.abs(delta); i++) {
      const before = t.cur;
      stepBy(t, dir);
      if (t.cur === before) return;
      const h = breakpointHit(currentStep(t), breakpoints);
      if (h) {
        hit = h;
        return;
      }
    }
  }

  function tick(): void {
    if (!play || !s) return;
    try {
      const t = s.t;
      const now = env.now();
      play.carry += (play.speed * Math.max(0, now - play.last)) / 1000;
      play.last = now;
      const n = Math.max(1, Math.floor(play.carry));
      play.carry = Math.max(0, play.carry - n);
      for (let i = 0; i < n; i++) {
        const before = t.cur;
        stepBy(t, 1);
        const h = t.cur === before ? null : breakpointHit(currentStep(t), breakpoints);
        if (t.cur === before || h || (t.done && t.cur === frontier(t))) {
          if (h) hit = h;
          stopPlay();
          break;
        }
        if ((i & 63) === 63 && env.now() - now > TICK_BUDGET_MS) {
          play.carry = 0; // behind: drop the debt rather than fall further behind
          break;
        }
      }
      dirty = true;
      flush();
      if (play) schedule();
    } catch (e) {
      fail(e);
    }
  }

  function schedule(): void {
    if (!play) return;
    play.cancel = env.setTimer(tick, Math.max(TICK_MS, 1000 / play.speed));
  }

  function load(source: LoadSource, stepArg: number | undefined): void {
    const { scenario, step } = resolve(source);
    const target = stepArg ?? step;
    let next: Session;
    try {
      next = openSession(scenario);
      seek(next.t, target);
    } catch (e) {
      throw new Refused(`cannot open ${scenario.name ?? 'the scenario'}: ${errorText(e)}`);
    }
    stopPlay();
    s = next;
    vt = createViewTracker(next.k, next.t.marks[next.t.cur]!);
    name = scenario.name ?? 'unnamed scenario';
    newSource = source.kind === 'scenario' ? { kind: 'scenario', scenario } : source;
    hit = undefined;
    sentStep = -1;
    dirty = true;
  }

  function handle(cmd: Command): void {
    switch (cmd.type) {
      case 'load':
        if (cmd.step !== undefined) wholeNumber('step', cmd.step);
        load(cmd.source, cmd.step);
        return;
      case 'step': {
        const t = session().t;
        if (!Number.isSafeInteger(cmd.delta)) throw new Refused(`step: delta ${String(cmd.delta)} is not a whole number`);
        stopPlay();
        hit = undefined;
        if (Math.abs(cmd.delta) <= 1) stepBy(t, cmd.delta);
        else walk(cmd.delta);
        dirty = true;
        return;
      }
      case 'seek':
        wholeNumber('seek', cmd.step);
        stopPlay();
        hit = undefined;
        seek(session().t, cmd.step);
        dirty = true;
        return;
      case 'runToEnd':
        stopPlay();
        hit = undefined;
        runToEnd(session().t);
        dirty = true;
        return;
      case 'play': {
        const t = session().t;
        if (typeof cmd.speed !== 'number' || !(cmd.speed > 0) || cmd.speed > MAX_SPEED) {
          throw new Refused(`play: speed ${String(cmd.speed)} is not between 0 and ${MAX_SPEED} steps per second`);
        }
        stopPlay();
        hit = undefined;
        if (!(t.done && t.cur === frontier(t))) {
          play = { speed: cmd.speed, last: env.now(), carry: 0, cancel: () => {} };
          schedule();
        }
        dirty = true;
        return;
      }
      case 'pause':
        session();
        stopPlay();
        dirty = true;
        return;
      case 'breakpoints':
        breakpoints = validBreakpoints(cmd.list);
        return;
      case 'inspect': {
        const cur = session();
        if (!Number.isSafeInteger(cmd.pfn)) throw new Refused(`inspect: pfn ${String(cmd.pfn)} is not a whole number`);
        let detail: PageDetail;
        try {
          detail = inspectPage(cur.k, cmd.pfn);
        } catch (e) {
          if (e instanceof RangeError) throw new Refused(e.message);
          throw e;
        }
        env.post({ type: 'page', handled: handledVisible(), pfn: cmd.pfn, step: cur.t.cur, detail, purpose: cmd.purpose ?? 'select' });
        return;
      }
      case 'ack':
        return; // handled in receive()
      default:
        throw new Refused(`unknown command: ${JSON.stringify((cmd as { type?: unknown }).type)}`);
    }
  }

  /** Commands the UI counts as sent (protocol.ts: WorkerMsg): not settings, not hover peeks. */
  function countsAsHandled(cmd: Command): boolean {
    return cmd.type !== 'breakpoints' && !(cmd.type === 'inspect' && cmd.purpose === 'hover');
  }

  return {
    receive(cmd) {
      if (cmd.type === 'ack') {
        if (cmd.seq !== inFlight) return; // a stale ack (e.g. for a frame of an older load)
        inFlight = null;
      } else {
        if (countsAsHandled(cmd)) handled++;
        try {
          handle(cmd);
        } catch (e) {
          fail(e);
        }
      }
      try {
        flush();
      } catch (e) {
        fail(e);
      }
    },
    dispose: stopPlay,
  };
}

function resolve(source: LoadSource): { scenario: Scenario; step: number } {
  try {
    switch (source.kind) {
      case 'preset': {
        const p = findPreset(source.name);
        if (!p) throw new Refused(`unknown preset ${JSON.stringify(String(source.name).slice(0, 40))} (presets: ${PRESETS.map((x) => x.name).join(', ')})`);
        return { scenario: p.scenario, step: 0 };
      }
      case 'scenario':
        return { scenario: parseScenario(source.scenario), step: 0 };
      case 'url': {
        const st = parseShareUrl(String(source.url));
        return { scenario: st.scenario, step: st.step };
      }
      default:
        throw new Refused(`unknown source kind: ${JSON.stringify((source as { kind?: unknown }).kind)}`);
    }
  } catch (e) {
    // ScenarioError and ShareError already say what was wrong in one line.
    if (e instanceof Refused) throw e;
    const what = source.kind === 'url' ? 'cannot open the link' : 'invalid scenario';
    throw new Refused(`${what}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

function wholeNumber(what: string, n: unknown): void {
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) throw new Refused(`${what}: ${String(n)} is not a step number`);
}

function validBreakpoints(list: unknown): readonly Breakpoint[] {
  if (!Array.isArray(list)) throw new Refused('breakpoints: expected a list');
  for (const b of list as unknown[]) {
    const ok =
      typeof b === 'object' && b !== null &&
      ((b as Breakpoint).kind === 'phase' ? typeof (b as { phase?: unknown }).phase === 'string'
        : (b as Breakpoint).kind === 'fn' ? typeof (b as { fn?: unknown }).fn === 'string'
        : (b as Breakpoint).kind === 'pfn' && Number.isSafeInteger((b as { pfn?: unknown }).pfn));
    if (!ok) throw new Refused(`breakpoints: not a breakpoint: ${JSON.stringify(b)?.slice(0, 80)}`);
  }
  return list as Breakpoint[];
}

export function errorText(e: unknown): string {
  if (e instanceof Error) return `${e.name}: ${e.message}`;
  return String(e);
}

function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}
