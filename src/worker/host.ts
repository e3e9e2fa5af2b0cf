// The worker's engine host: the session, the per-PFN view, breakpoints, play, and the flow
// control of frames. Kept apart from the `self` wiring in sim.worker.ts, with the clock and timer
// injected, so vitest drives it in Node exactly as the browser does.
//
// Flow control: at most one frame in flight. A state change only marks the frame dirty; the
// frame is built when none is in flight, from the state at that moment. Play keeps stepping
// while the UI draws, and the frames it could not draw are never built (so never copied).
//
// Timeline data (markers, chart samples) grows with the frontier and goes out incrementally: each
// frame carries only what the steps computed since the previous frame added.
//
// Share links: the first frame of a session carries its link head (`preset=<name>` or
// `s=<payload>`), so the UI can keep the address bar following the step and selection without
// the engine. A link whose scenario opens is honoured as far as it can be: a step past the end of
// its timeline opens the last step, a PFN past the machine selects nothing, and a non-fatal error
// says so.
//
// Import: a real machine's dump (kernel/import: importDump) opens like a load, posting progress
// while the rebuild runs; its first frame carries the import's report. The dump stays here so a
// trace can be replayed over the imported memory (16 B per PFN, beside the kernel's own).
//
// Replay: a trace (engine/replay.ts) opens like a load, over the memory of the session shown
// rebuilt as at its step 0 (rebuildMemory), so replaying over an import shows the real PFNs.
//
// Errors: bad input (unknown preset, invalid scenario or link, PFN out of range, malformed
// command) is refused with one line and changes nothing; a load with a fallback opens the
// fallback instead and still says what was wrong. A BUG of the kernel model met computing a new
// step leaves the state at the last step computed (timeline.ts: keepFailure): the session stays,
// its steps can be stepped through, and one non-fatal line names the BUG whenever a command tries
// to go past it. Anything else thrown while the session moves means the kernel model is in an
// unknown state: the session is dropped and the error is fatal, so the UI offers a restart,
// which replays the scenario to the same step.
import type { CompactionResult, RunEnd } from '../engine/compaction-result';
import { startComparison, stepComparison, VARIANTS as FOOTPRINT_VARIANTS, type Comparison } from '../engine/footprint';
import { importedScenario, openImportedSession, openSession, type Session } from '../engine/session';
import { trackSeries, type Series } from '../engine/series';
import { findPreset } from '../engine/presets';
import { presetsByGroup } from '../engine/preset-groups';
import type { ReplayInfo } from '../engine/replay-parse';
import { populateSpecOf } from '../engine/scenario-core';
import type { Scenario } from '../engine/scenario';
import type { Kernel } from '../kernel/kernel';
import type { ImportReport } from '../kernel/import/types';
import { populate } from '../kernel/populate';
import { holdFrontier, leaveReplay, seekCost, seekSome, spanStepAt, spansAt, computeAhead, currentStep, frontier, giveUpMaking, journalOf, markAt, materializeCost, materializeSome, readBefore, replayedWrites, runToEnd, seek, stepBy, timelineHash, type Timeline } from '../engine/timeline';
import { compactionFraction, estimateTotal } from '../engine/progress';
import { VM_EVENT } from '../kernel/vmstat';
import { SPAN_LEVELS } from '../engine/spans';
import { createViewTracker, updateView, type ViewTracker } from '../engine/viewtracker';
import { NR_STATE_CLASSES } from '../kernel/classes';
import { inspectPage, type PageDetail } from '../kernel/inspect';
import { balloonState } from '../kernel/balloon';
import { activeScanners } from '../kernel/compaction-state';
import { migrateVmaView } from '../kernel/migrate_device';
import { countClasses } from '../kernel/view';
import { breakpointHit } from './breakpoints';
import { part } from './parts';
import { DESIGN_NAMES } from '../kernel/designs/names';
import { failAtStep } from './debugBug';
import { resolve, validateText, validBreakpoints, wholeNumber, type Resolved } from './input';
import { errorText, Refused } from './errors';
import { pendingStepView, stepView, traceBetween } from './frame';
import { collectMarkers, createMarkerIndex, findFailedStep, markersIn, findPhaseStep, pageHistory, type MarkerIndex, type PageHistory } from './timelineIndex';
import { MAX_SPANS, PROGRESS_MS, TRACE_KEEP, type Breakpoint, type Command, type FrameMsg, type LoadSource, type SessionInfo, type WorkerMsg } from './protocol';

export interface HostEnv {
  post(msg: WorkerMsg, transfer?: ArrayBuffer[]): void;
  /** Milliseconds, monotonic. */
  now(): number;
  /** Calls fn once after ms; returns a function that cancels it. */
  setTimer(fn: () => void, ms: number): () => void;
}

export interface Host {
  receive(cmd: Command): void;
  /** Test hook (debugBug.ts): the next session opened hits a BUG when it computes step `at`. */
  failNextSessionAt(at: number): void;
  /** Stop the play timer (the worker is going away). */
  dispose(): void;
}

/** The design variants a scenario may name, the names its schema takes (the editor offers them). */
const VARIANTS: readonly string[] = DESIGN_NAMES;

/** A long command computes for this long, then lets messages in (a cancel, a new command). */
export const SLICE_MS = 40;
/** Work the worker does on its own after a load (finding the run's full length), at most. */
export const AHEAD_MS = 1000;
/**
 * A frame makes its step in full at once, and a seek re-executes without a job, when that runs at
 * most this many steps and makes at most this many kernel writes again: about 0.4 s each (measured,
 * re-executing: 35-55 steps/ms on the presets; 2,200-3,800 writes/ms). Past either, a job does it
 * in time slices: a cancel after a long run on 1 Mi PFNs stopped at step 861, whose re-execution
 * (14 M writes) held the worker 2.6 s.
 */
export const SYNC_MATERIALIZE = 20_000;
export const SYNC_WRITES = 1_500_000;
/** Re-executing `steps` steps up to step `to` is quick enough to do before answering. */
const quick = (t: Timeline, steps: number, to: number): boolean => steps <= SYNC_MATERIALIZE && replayedWrites(t, to, steps) <= SYNC_WRITES;

/** Jobs that answer a command: the UI is busy until their frame. */
const counted = (j: { readonly what: string }): boolean => j.what !== 'ahead' && j.what !== 'narrate';

/** Play ticks at most at display rate; a slower speed ticks once per step. */
export const TICK_MS = 16;
/** A tick stops stepping after this long, so one tick never blocks acks and pauses for long. */
const TICK_BUDGET_MS = 50;
const MAX_SPEED = 1_000_000;

/**
 * A long command computing in slices: `work` runs until `until()` says the slice is over and
 * returns true once the command is complete. `counted` jobs answer a command (the UI is busy
 * until their frame); the background look-ahead after a load is not.
 */
interface Job {
  readonly what: 'run' | 'seek' | 'phase' | 'span' | 'ahead' | 'narrate';
  readonly work: (until: () => boolean) => boolean;
  readonly started: number;
  readonly steps0: number;
  /** `handled` before the command that started it: what the UI may be told while it runs. */
  readonly handledBefore: number;
  /** Compute time left (the look-ahead's budget). */
  budget: number;
  /** Steps done of a known total, when the job is not computing new steps (a re-execution). */
  progress?: () => { done: number; total: number };
  lastProgress: number;
  cancel: () => void;
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
  let usesBalloon = false;
  let name = '';
  let newSource: LoadSource | null = null;
  let newSession: SessionInfo | null = null;
  /** The first frame of a replayed trace says what the trace held. */
  let newReplay: ReplayInfo | null = null;
  /** The session shown replays a trace. */
  let replayed = false;
  /** The first frame of an imported session carries the import's report. */
  let newImported: ImportReport | null = null;
  /**
   * Fresh memory of the session shown, as at its step 0, for a trace to replay over: a preset's
   * or scenario's populated memory, or (set by an import) the imported dump rebuilt again.
   * Before anything is loaded: the default preset's.
   */
  let rebuildMemory = (): { k: Kernel; scenario: Scenario } => {
    const scenario = findPreset('default')!.scenario;
    return { k: populate(populateSpecOf(scenario)), scenario };
  };
  let breakpoints: readonly Breakpoint[] = [];
  /** Test hook (failNextSessionAt): the next session opened hits a BUG at this step. */
  let bugAt: number | null = null;
  let hit: string | undefined;
  let play: Play | null = null;
  let job: Job | null = null;
  let aheadCancel: () => void = () => {};
  /** How the imported session's run ended, kept once it reached its end (the result view reads it). */
  let ended: RunEnd | null = null;
  /**
   * The footprint comparison of the session `owner`, in slices of its own beside the job and play:
   * a command does not stop it (a person steps while it runs), a new session does.
   */
  let comparison: { readonly owner: Session; readonly c: Comparison; readonly name: string; lastPost: number; cancel: () => void } | null = null;
  let series: Series | null = null;
  let markerIx: MarkerIndex = createMarkerIndex();
  /** The selected page's history, kept while the same page stays selected. */
  let history: PageHistory | null = null;
  /** The next frame starts the UI's timeline data afresh (a new session). */
  let timelineReset = true;
  /** Series points the UI has, and the stride they were taken at (a new stride: thinned). */
  let seriesSent = 0;
  let seriesStride = 0;

  let handled = 0; // commands processed, other than ack and breakpoints (protocol.ts: WorkerMsg)
  let frameHandled = 0; // `handled` of the last frame posted
  let seq = 0;
  let inFlight: number | null = null;
  let dirty = false;
  /** Step of the last frame posted, or -1 when the next frame replaces the trace. */
  let sentStep = -1;

  env.post({ type: 'ready', presets: presetsByGroup(), variants: VARIANTS });

  /** What `handled` the UI may be told now: a pending frame will cover the rest. */
  const handledVisible = (): number => (job && counted(job) ? job.handledBefore : dirty && s ? frameHandled : handled);

  function flush(): void {
    // A command's job answers with its own frame; a narration job holds the state elsewhere.
    if (!dirty || inFlight !== null || !s || !vt || (job && job.what !== 'ahead')) return;
    const t = s.t;
    updateView(vt, s.k, markAt(t, t.cur), journalOf(s.t));
    if (s.imported && !ended && t.done && t.cur === frontier(t)) ended = part('import').runEnd(s.k); // the kernel is at t.cur here; an imported session loaded the part
    const view = vt.view.slice(); // the tracker keeps its own; this copy is transferred
    // The current step in full: held, cheap to make again, or made by a background job after
    // this frame (which shows its compact record meanwhile).
    let stepInfo: FrameMsg['stepInfo'] = null;
    let narrate = false;
    if (t.cur > 0) {
      const cost = materializeCost(t, t.cur);
      if (quick(t, cost, t.cur)) stepInfo = stepView(currentStep(t)!);
      else {
        stepInfo = pendingStepView(t, t.cur, cost);
        narrate = true;
      }
    }
    const reset = sentStep < 0 || t.cur < sentStep;
    const { markers, fns } = collectMarkers(markerIx, t.rec);
    const pts = series!.points;
    const seriesReset = timelineReset || series!.stride !== seriesStride || pts.length < seriesSent;
    const newPoints = pts.slice(seriesReset ? 0 : seriesSent);
    const frame: FrameMsg = {
      type: 'frame',
      seq: ++seq,
      handled,
      scenarioName: name,
      ...(newSource ? { source: newSource } : {}),
      ...(newSession ? { session: newSession } : {}),
      ...(newReplay ? { replay: newReplay } : {}),
      ...(newImported ? { imported: newImported } : {}),
      step: t.cur,
      frontier: frontier(t),
      done: t.done,
      playing: play !== null,
      stepInfo,
      stateHash: timelineHash(t),
      nrPfns: s.k.mem.nr,
      zones: s.k.zones.map((z) => ({ name: z.name, start: z.start, end: z.end })),
      classCounts: countClasses(view, NR_STATE_CLASSES),
      trace: traceBetween(t, reset ? 0 : sentStep, t.cur, TRACE_KEEP),
      traceReset: reset,
      view,
      ...(hit !== undefined ? { breakpointHit: hit } : {}),
      timelineReset,
      markers,
      fns,
      series: newPoints,
      seriesReset,
      ...(usesBalloon ? { balloon: balloonState(s.k) } : {}),
      scanners: activeScanners(s.k),
      migrateVma: migrateVmaView(s.k),
    };
    inFlight = frame.seq;
    frameHandled = handled;
    dirty = false;
    newSource = null;
    newSession = null;
    newReplay = null;
    newImported = null;
    sentStep = t.cur;
    timelineReset = false;
    seriesSent = pts.length;
    seriesStride = series!.stride;
    env.post(frame, [view.buffer]);
    if (narrate) {
      sentStep = -1; // the trace lines come with the step in full: that frame replaces the trace
      if (!job) startNarrate(t, t.cur);
    }
  }

  /** Make step `id` in full in the background; a frame with it follows (any command comes first). */
  function startNarrate(t: Timeline, id: number): void {
    const now = env.now();
    job = {
      what: 'narrate', started: now, steps0: t.genStep, handledBefore: handled, budget: Infinity, lastProgress: now, cancel: () => {},
      work: (until) => {
        if (t.cur !== id && t.making?.id !== id) return true; // moved on meanwhile
        return materializeSome(t, id, until) !== null;
      },
    };
    job.cancel = env.setTimer(runSlice, 0);
  }

  function fail(e: unknown): void {
    // A BUG the kernel model met past the frontier: the timeline put the state back at the last
    // step computed (timeline.ts: keepFailure) and keeps it, so the session stays to be stepped
    // through, and the failure is said each time a command tries to compute past it.
    if (s && e === s.t.failure) {
      stopJob();
      stopPlay();
      hit = undefined;
      dirty = true;
      env.post({ type: 'error', handled: handledVisible(), message: oneLine(`the simulation stopped after step ${frontier(s.t)}: ${failureText(e)}`), fatal: false });
      return;
    }
    const refused = e instanceof Refused;
    if (!refused) {
      stopJob();
      stopPlay();
      s = null;
      vt = null;
      series = null;
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

  /** Stop the running job where it got to: the session stays at the last step computed. */
  function stopJob(): void {
    if (!job) return;
    job.cancel();
    const was = job;
    job = null;
    if (was.what === 'narrate' && s) giveUpMaking(s.t); // the state goes back to the step shown
    if (s) leaveReplay(s.t); // a seek's re-execution stops at the step it reached
    if (counted(was)) {
      if (s) holdFrontier(s.t); // stopped at the frontier, whose step the frame shows in full
      dirty = true;
    }
  }

  function startJob(what: Job['what'], work: Job['work']): void {
    stopJob();
    const t = session().t;
    const now = env.now();
    job = { what, work, started: now, steps0: frontier(t), handledBefore: what === 'ahead' ? handled : handled - 1, budget: what === 'ahead' ? AHEAD_MS : Infinity, lastProgress: now, cancel: () => {} };
    runSlice();
  }

  function runSlice(): void {
    const j = job;
    if (!j || !s) return;
    try {
      const t0 = env.now();
      const deadline = t0 + Math.min(SLICE_MS, j.budget);
      const finished = j.work(() => env.now() >= deadline);
      j.budget -= env.now() - t0;
      if (job !== j) return;
      if (finished || j.budget <= 0) {
        if (!finished && j.what === 'narrate' && s) giveUpMaking(s.t);
        job = null;
        // The look-ahead's frame shows the run's full length when it found it; a narration's frame
        // shows the step in full; a command's frame answers it.
        if (j.what !== 'ahead' || finished) dirty = true;
        flush();
        return;
      }
      if (counted(j)) postProgress(j, s.t);
      j.cancel = env.setTimer(runSlice, 0);
    } catch (e) {
      job = null;
      // The look-ahead met a failure the person has not reached yet: the timeline keeps it
      // (timeline.ts: failure) and reports it when they step there; the frontier it reached shows.
      if (j.what === 'ahead' && s && s.t.failure) dirty = true;
      else fail(e);
      flush();
    }
  }

  /** Answer `result`: the imported session's run from its rebuild to its end, against a real buddyinfo if given. */
  function result(realAfter: { readonly name: string; readonly text: string } | undefined): void {
    const report = session().imported;
    if (!report) throw new Refused('result: only a run over imported memory has one (import a capture with "then compact every zone")');
    if (!ended) throw new Refused('result: the run has not reached its end yet: Run to end first');
    if (realAfter !== undefined && (typeof realAfter !== 'object' || typeof realAfter.name !== 'string' || typeof realAfter.text !== 'string')) {
      throw new Refused('result: realAfter must be { name, text } with the text of a /proc/buddyinfo');
    }
    let r: CompactionResult;
    try {
      r = part('import').compactionResult(report.freeByOrder, ended, realAfter); // loaded: the session is imported
    } catch (e) {
      throw new Refused(`${realAfter?.name ?? 'result'}: ${e instanceof Error ? e.message : String(e)}`);
    }
    env.post({ type: 'result', handled, name, result: r });
  }

  /** Start the footprint comparison of the session shown, unless it is under way already. */
  function footprint(): void {
    const owner = session();
    // The variants rerun the scenario from populate: imported memory has no populate to rerun.
    if (owner.imported) throw new Refused('footprint: not available for imported memory (each variant reruns the scenario from populate)');
    // A replayed trace's session has the memory's scenario, with no actions to rerun.
    if (replayed) throw new Refused("footprint: not available for a replayed trace (each variant reruns a scenario's actions; a trace has none)");
    if (comparison?.owner === owner) return; // its next message answers this ask too
    stopComparison();
    comparison = { owner, c: startComparison(owner.scenario), name, lastPost: env.now(), cancel: () => {} };
    postComparison(comparison, false); // at once: which variants will run, none done yet
    comparison.cancel = env.setTimer(compareSlice, 0);
  }

  function postComparison(cmp: NonNullable<typeof comparison>, done: boolean): void {
    cmp.lastPost = env.now();
    env.post({ type: 'footprint', handled: handledVisible(), scenarioName: cmp.name, results: cmp.c.results.slice(), variants: FOOTPRINT_VARIANTS, steps: cmp.c.steps, done });
  }

  function stopComparison(): void {
    comparison?.cancel();
    comparison = null;
  }

  /**
   * One time slice of the comparison. A variant's failure is that variant's result (engine
   * footprint.ts), so nothing here touches the session shown; a comparison whose session has
   * gone (a load, an import, a failure) ends unanswered, its tables no longer the session's.
   */
  function compareSlice(): void {
    const cmp = comparison;
    if (!cmp) return;
    if (s !== cmp.owner) {
      comparison = null;
      return;
    }
    const deadline = env.now() + SLICE_MS;
    const had = cmp.c.results.length;
    const done = stepComparison(cmp.c, () => env.now() >= deadline);
    if (done || cmp.c.results.length > had || env.now() - cmp.lastPost >= PROGRESS_MS) postComparison(cmp, done);
    if (done) comparison = null;
    else cmp.cancel = env.setTimer(compareSlice, 0);
  }

  /** After a new session's first frame: find the run's full length if that is quick (AHEAD_MS). */
  function scheduleAhead(): void {
    const t0 = s;
    const cancel = env.setTimer(() => {
      if (s !== t0 || !s || job || play) return;
      const t = s.t;
      startJob('ahead', (until) => {
        computeAhead(t, Infinity, until);
        return t.done;
      });
    }, 0);
    aheadCancel = cancel;
  }

  function postProgress(j: Job, t: Timeline): void {
    const now = env.now();
    if (now - j.lastProgress < PROGRESS_MS) return;
    j.lastProgress = now;
    const known = j.progress?.();
    const done = known ? known.done : frontier(t);
    const total = known ? known.total : estimateTotal(t, (s?.scenario.actions ?? []).length);
    const rate = Math.round(((known ? done : done - j.steps0) * 1000) / Math.max(1, now - j.started));
    env.post({ type: 'progress', what: j.what as Exclude<Job['what'], 'ahead' | 'narrate'>, done, total, unit: 'steps', rate, migrated: s!.k.events.a[VM_EVENT.PGMIGRATE_SUCCESS]!, cancellable: true });
  }

  /** Steps recorded in full before the end of a run: enough for the trace panel, at recording cost. */
  const RECORD_TAIL = 50_000;

  /** The run-to-end job: fast-forward, recording the tail once the end is near. */
  function runJob(t: Timeline): Job['work'] {
    const nActions = (s?.scenario.actions ?? []).length;
    return (until) => {
      // Only a compaction past half way gives an estimate firm enough to start recording on.
      const f = compactionFraction(t.k);
      const total = estimateTotal(t, nActions);
      const lastAction = t.rec.n > 0 && t.rec.action[t.rec.n - 1] === nActions - 1;
      if (lastAction && f !== null && f > 0.5 && t.fastFrom === Infinity && total - t.rec.n < RECORD_TAIL) t.fastFrom = t.rec.n + 1;
      runToEnd(t, until);
      return t.done;
    };
  }

  /** Move one step at a time in the direction of delta; stop at the first breakpoint. */
  function walk(delta: number): void {
    const t = session().t;
    const dir = Math.sign(delta);
    for (let i = 0; i < Math.abs(delta); i++) {
      const before = t.cur;
      stepBy(t, dir);
      if (t.cur === before) return;
      const h = breakpointHit(t.rec, t.cur, breakpoints);
      if (h) {
        hit = h;
        return;
      }
    }
  }

  /**
   * The nearest phase-of-interest step that way; forwards, steps are computed until one appears
   * or every action is done (then the end). Backwards only the computed prefix exists (else 0).
   */
  function seekPhase(t: Session['t'], dir: 1 | -1): void {
    let found = findPhaseStep(t.rec, t.cur, dir);
    while (found === null && dir > 0 && !t.done) {
      const from = frontier(t);
      seek(t, from); // computes at least one step past `from`, or finds the end
      found = findPhaseStep(t.rec, Math.max(from, t.cur), dir);
    }
    seek(t, found ?? (dir > 0 ? frontier(t) : 0));
  }

  /**
   * Next / previous span of a level (SPAN_LEVELS: action, compaction run, pageblock, migrate_pages
   * call, batch, pass, folio) or failure, over the computed steps: a binary search in the span
   * table. Forwards past the frontier, steps are computed (as a job) until one appears.
   */
  function seekSpan(t: Timeline, level: number | 'fail', dir: 1 | -1): number | null {
    return level === 'fail' ? findFailedStep(t.rec, t.cur, dir) : spanStepAt(t, level, t.cur, dir);
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
        const h = t.cur === before ? null : breakpointHit(t.rec, t.cur, breakpoints);
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
      flush();
    }
  }

  function schedule(): void {
    if (!play) return;
    play.cancel = env.setTimer(tick, Math.max(TICK_MS, 1000 / play.speed));
  }

  /**
   * Open a new session; throws Refused (and keeps the old one) when the source cannot be opened.
   * A link is honoured as far as it can be (README: share links): a step past the end of its
   * timeline opens the last step (a newer model may take fewer steps than the one that made the
   * link), a PFN past the machine selects nothing, and one non-fatal line says which.
   */
  function load(source: LoadSource, stepArg: number | undefined): void {
    const r = resolve(source);
    const { scenario } = r;
    const target = stepArg ?? r.step;
    const what = r.link ? 'cannot open the link' : `cannot open ${scenario.name ?? 'the scenario'}`;
    let next: Session;
    let nextSeries: Series;
    try {
      next = openSession(scenario);
      nextSeries = trackSeries(next.t); // before any step is computed: it samples as the frontier moves
      seek(next.t, target);
    } catch (e) {
      throw new Refused(`${what}: ${errorText(e)}`);
    }
    const notes: string[] = [];
    if (r.link && next.t.cur < target) notes.push(`the link's step ${target} is past the end of ${scenario.name ?? 'its timeline'} (${next.t.cur} steps): opened at the last step`);
    let pfn = r.link?.pfn;
    if (pfn !== undefined && pfn >= next.k.mem.nr) {
      notes.push(`the link's pfn=${pfn} is out of range (the machine's last PFN is ${next.k.mem.nr - 1}): nothing is selected`);
      pfn = undefined;
    }
    adopt(next, nextSeries, r.preset !== undefined ? { kind: 'preset', name: r.preset } : { kind: 'scenario', scenario }, { scenario, link: linkHead(r), ...(r.link ? { select: pfn ?? null } : {}) });
    rebuildMemory = () => ({ k: populate(populateSpecOf(scenario)), scenario });
    // After adopt: the line leaves the idle count to the frame, which covers the load.
    if (notes.length > 0) env.post({ type: 'error', handled: handledVisible(), message: oneLine(notes.join('; ')), fatal: false });
  }

  /**
   * Make `next` the session shown. Its first frame carries `source` (what a restart loads again;
   * null for sessions a restart cannot load from a source, such as a replayed trace) and `info`.
   */
  function adopt(next: Session, nextSeries: Series, source: LoadSource | null, info: SessionInfo): void {
    const scenario = next.scenario;
    stopPlay();
    if (bugAt !== null) failAtStep(next.t, bugAt);
    bugAt = null;
    s = next;
    ended = null;
    vt = createViewTracker(next.k, markAt(next.t, next.t.cur));
    series = nextSeries;
    markerIx = createMarkerIndex();
    history = null;
    timelineReset = true;
    name = scenario.name ?? 'unnamed scenario';
    usesBalloon = (scenario.actions ?? []).some((a) => a.type === 'balloon' || (a.type === 'parallel' && a.actions.some((b) => b.type === 'balloon')));
    newSource = source;
    newSession = info;
    newReplay = null;
    newImported = null;
    replayed = false;
    hit = undefined;
    sentStep = -1;
    dirty = true;
    aheadCancel();
    scheduleAhead();
  }

  /** `replay`: the trace over the memory of the session shown as it was at step 0 (protocol.ts). */
  function replay(cmd: Extract<Command, { type: 'replay' }>): void {
    const { openReplaySession, replayInfo, replayTraceOf } = part('replay');
    const trace = replayTraceOf(cmd);
    const base = rebuildMemory();
    const next = openReplaySession(base.k, trace, base.scenario);
    const nextSeries = trackSeries(next.t);
    adopt(next, nextSeries, null, { scenario: next.scenario, link: null });
    newReplay = replayInfo(trace);
    replayed = true;
  }

  /**
   * `import`: the dump rebuilt into a kernel and opened at step 0 (or `step`, a restart), with
   * `actions` on top. Anything that fails before the new session is adopted is refused in one
   * line: the rebuild's ImportError names what is wrong, and the session shown is untouched.
   */
  function importCmd(cmd: Extract<Command, { type: 'import' }>): void {
    if (cmd.step !== undefined) wholeNumber('step', cmd.step);
    const { dumpFiles, importActions, importDump, importRefusal, throttledProgress } = part('import');
    const dump = dumpFiles(cmd.files);
    const actions = importActions(cmd.actions);
    let next: Session;
    let nextSeries: Series;
    try {
      next = openImportedSession(importDump(dump, throttledProgress(env.post, env.now)), actions);
      nextSeries = trackSeries(next.t);
      seek(next.t, cmd.step ?? 0);
    } catch (e) {
      throw new Refused(importRefusal(dump.name ?? 'kpageflags', e));
    }
    adopt(next, nextSeries, null, { scenario: next.scenario, link: null });
    newImported = next.imported ?? null;
    rebuildMemory = () => {
      const r = importDump(dump);
      return { k: r.k, scenario: importedScenario(r) };
    };
  }

  /** Open `source`; if it is refused, open `fallback` and report why `source` was refused. */
  function loadOrFallback(source: LoadSource, step: number | undefined, fallback: LoadSource): void {
    try {
      load(source, step);
    } catch (e) {
      if (!(e instanceof Refused)) throw e;
      try {
        load(fallback, undefined);
      } catch (f) {
        throw new Refused(`${e.message}; the fallback failed too: ${errorText(f)}`);
      }
      const instead = fallback.kind === 'preset' ? `the ${fallback.name} scenario` : 'another scenario';
      env.post({ type: 'error', handled: handledVisible(), message: oneLine(`${e.message} — opened ${instead} instead`), fatal: false });
    }
  }

  function handle(cmd: Command): void {
    switch (cmd.type) {
      case 'load':
        if (cmd.step !== undefined) wholeNumber('step', cmd.step);
        if (cmd.fallback) loadOrFallback(cmd.source, cmd.step, cmd.fallback);
        else load(cmd.source, cmd.step);
        return;
      case 'validate': {
        if (!Number.isSafeInteger(cmd.id)) throw new Refused(`validate: id ${String(cmd.id)} is not a whole number`);
        env.post({ type: 'validation', handled: handledVisible(), id: cmd.id, ...validateText(cmd.text) });
        return;
      }
      case 'replay':
        replay(cmd);
        return;
      case 'import':
        importCmd(cmd);
        return;
      case 'result':
        result(cmd.realAfter);
        return;
      case 'footprint':
        if (cmd.stop) stopComparison();
        else footprint();
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
      case 'seek': {
        wholeNumber('seek', cmd.step);
        const t = session().t;
        stopPlay();
        hit = undefined;
        const target = cmd.step;
        if (target <= frontier(t) || t.done) {
          // Into a dropped journal, far from anything live: a re-execution, as a job with progress.
          const cost = seekCost(t, Math.min(target, frontier(t)));
          if (quick(t, cost, cost)) {
            seek(t, target);
            dirty = true;
          } else {
            startJob('seek', (until) => seekSome(t, target, until));
            job!.progress = () => ({ done: t.genStep, total: cost });
          }
        } else startJob('seek', (until) => seek(t, target, until) === target || t.done);
        return;
      }
      case 'phase': {
        const t = session().t;
        if (cmd.dir !== 1 && cmd.dir !== -1) throw new Refused(`phase: dir ${String(cmd.dir)} is not 1 or -1`);
        stopPlay();
        hit = undefined;
        seekPhase(t, cmd.dir);
        dirty = true;
        return;
      }
      case 'runToEnd': {
        const t = session().t;
        stopPlay();
        hit = undefined;
        startJob('run', runJob(t));
        return;
      }
      case 'cancel':
        session();
        stopPlay();
        stopJob();
        dirty = true;
        return;
      case 'span': {
        const t = session().t;
        const level = cmd.level;
        if (level !== 'fail' && !(Number.isInteger(level) && level >= 0 && level < SPAN_LEVELS.length)) {
          throw new Refused(`span: level ${String(level)} is not 'fail' or 0..${SPAN_LEVELS.length - 1}`);
        }
        if (cmd.dir !== 1 && cmd.dir !== -1) throw new Refused(`span: dir ${String(cmd.dir)} is not 1 or -1`);
        stopPlay();
        hit = undefined;
        const dir = cmd.dir;
        startJob('span', (until) => {
          for (;;) {
            const found = seekSpan(t, level, dir);
            if (found !== null && (found <= frontier(t) || t.done)) {
              seek(t, found);
              return true;
            }
            if (dir < 0 || t.done) {
              if (dir > 0) seek(t, frontier(t));
              return true;
            }
            if (until()) return false;
            seek(t, frontier(t) + 1, until); // computes (recording) past the frontier
          }
        });
        return;
      }
      case 'spans': {
        // Asked while nothing is loaded (never by the UI), the answer is empty rather than an
        // error that would replace a fatal one's Restart.
        if (!s) {
          env.post({ type: 'spans', from: 0, to: 0, levels: SPAN_LEVELS.map(() => []), markers: [] });
          return;
        }
        const t = s.t;
        const from = Math.max(0, Math.floor(Number(cmd.from) || 0));
        const to = Math.min(frontier(t), Math.floor(Number(cmd.to) || 0));
        env.post({
          type: 'spans', from, to,
          levels: SPAN_LEVELS.map((_, l) => spansAt(t, l, from, to, MAX_SPANS).map((x) => [x.start, x.end] as const)),
          markers: markersIn(t.rec, from, to, MAX_SPANS),
        });
        return;
      }
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
        const purpose = cmd.purpose ?? 'select';
        const pfn = cmd.pfn;
        // What the step changed: the same page read at the step before (selected and followed pages).
        const before = purpose === 'hover' ? undefined : readBefore(cur.t, (k) => inspectPage(k, pfn));
        if (purpose === 'select') {
          history = pageHistory(history, cur.t.rec, cmd.pfn);
          const marks = history.marks.slice();
          env.post({ type: 'page', handled: handledVisible(), pfn, step: cur.t.cur, detail, before, purpose, history: marks, historyTotal: history.total });
        } else env.post({ type: 'page', handled: handledVisible(), pfn, step: cur.t.cur, detail, ...(before !== undefined ? { before } : {}), purpose });
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
    return cmd.type !== 'breakpoints' && cmd.type !== 'spans' && cmd.type !== 'footprint' && !(cmd.type === 'inspect' && cmd.purpose === 'hover');
  }

  return {
    receive(cmd) {
      if (cmd.type === 'ack') {
        if (cmd.seq !== inFlight) return; // a stale ack (e.g. for a frame of an older load)
        inFlight = null;
      } else {
        const counted = countsAsHandled(cmd);
        if (counted) handled++;
        // A new command makes way: the running job stops where it got to (cancel says so itself).
        // A narration holds the state elsewhere: anything that reads it stops it too. Checking
        // the editor's text touches no session: it lets a job run on.
        const narrating = job?.what === 'narrate' && cmd.type === 'inspect';
        if (job && (counted || narrating) && cmd.type !== 'cancel' && cmd.type !== 'validate') stopJob();
        try {
          handle(cmd);
        } catch (e) {
          fail(e);
        }
        // An inspect only had to read the step shown (the inspector follows every step): its
        // narration is made again, or the step would stay "re-executing…" for good.
        if (narrating && !job && s && s.t.cur > 0) startNarrate(s.t, s.t.cur);
      }
      try {
        flush();
      } catch (e) {
        fail(e);
      }
    },
    failNextSessionAt(at) {
      bugAt = at;
    },
    dispose() {
      stopPlay();
      stopJob();
      stopComparison();
      aheadCancel();
    },
  };
}

/** A session's share link head, or null when its payload is too long for a link to open. */
function linkHead(r: Resolved): string | null {
  if (r.preset !== undefined) return `preset=${encodeURIComponent(r.preset)}`;
  // A scenario that is no preset came in as one (or in a link): the scenario part is loaded.
  const { encodeScenario, MAX_PAYLOAD_CHARS } = part('scenario');
  const payload = encodeScenario(r.scenario);
  return payload.length <= MAX_PAYLOAD_CHARS ? `s=${payload}` : null;
}

/** A BUG's own words: a plain Error's name adds nothing to "BUG: Bad page state: …". */
function failureText(e: unknown): string {
  return e instanceof Error && e.name === 'Error' ? e.message : errorText(e);
}

function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}
