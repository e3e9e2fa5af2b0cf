// The timeline: the flat sequence of steps of all of a scenario's actions, and time travel over
// it. Its cost grows with what a person looks at, not with what it computes:
// - Every kernel write is journaled (kernel/store.ts), so the state at any computed step is a
//   checkpoint plus a stretch of journal (history.ts: segments, delta checkpoints, a budget).
// - Each computed step leaves a compact record (steptable.ts, ~30 B) and its spans (spans.ts).
//   Narration, trace lines, per-page footprint and after values exist only for the steps someone
//   looks at: those computed while recording (`recordFrom`), kept in a bounded cache around the
//   cursor, and any other step made again on demand (materialize).
// - A generator's locals and position cannot be rewound or checkpointed, so steps are made again
//   by deterministic re-execution: restore step 0, start the actions' generators afresh and run
//   them in fast mode (or resume the live ones when they are behind the wanted step). Re-execution
//   checks that every step lands on the journal position the first run recorded and that every
//   checkpoint's hash matches, and it journals again the segments whose journal was dropped.
// - The live generators may so stand behind the frontier; going past the frontier first brings
//   them up to it (re-execution again), then computes new steps.
// - Kernel code may report several steps in one stretch without yielding (emitStep): each has its
//   journal mark, so a person can stop between them even though the code ran at once. Code
//   between two yields is atomic with respect to other actions, like code under a lock.

import type { Kernel } from '../kernel/kernel';
import { madeFast, mkStep, type SpanKind, type SpanSink, type StepInfo, type Steps } from '../kernel/step';
import { FP_COUNTS, newFootprint } from '../kernel/memmap';
import { stateHash } from '../kernel/store';
import { isolatorTable } from '../kernel/isolators';
import {
  createHistory, enforceBudget, journalBytes, journalEnd, openSegment, restoreCheckpoint, sealSegment,
  segmentAt, segmentPresent, swapJournal, canReplay, canTravel, adoptJournal, journalSlices, travel as travelHistory, type History, type HistoryOptions, type JournalSlice,
} from './history';
import { appendStep, createStepTable, stepTableBytes, type StepTable } from './steptable';
import { addSpan, createSpanTable, spanLevel, spanStep, spansIn, spanTableBytes, type SpanTable } from './spans';

export interface Step extends StepInfo {
  /** 1-based; step 0 is the populated memory before the first action. */
  readonly id: number;
  /** Index of the scenario action that produced it. */
  readonly action: number;
  /** The action's task name, used in trace lines (like ftrace's TASK-PID). */
  readonly task: string;
}

export interface Task {
  readonly action: number;
  readonly name: string;
  readonly gen: Steps<unknown>;
  /** The CPU the task runs on (smp_processor_id() for per-CPU lists); 0 when absent. */
  readonly cpu?: number;
  /** One of a `race` action's migrators: its isolation shows each guard as a step (kernel/guard-steps.ts). */
  readonly raced?: boolean;
}

/** Yields the next task to resume, or null when every task is done. */
export interface Scheduler {
  next(): Task | null;
  finished(t: Task): void;
}

export interface TimelineOptions extends HistoryOptions {
  /** Older name of segmentEntries: journal writes between checkpoints. */
  readonly checkpointEvery?: number;
  /** Keep every step in full (tests): nothing is ever made again. */
  readonly recordAll?: boolean;
  /** Record every step and hand each new one here as it is computed (the CLI's --trace). */
  readonly onStep?: (s: Step) => void;
  /** Full steps kept in the cache (the rest are made again when looked at). */
  readonly keepFull?: number;
  /** The actions whose footprint counts are kept in actionCounts (all when absent). */
  readonly counted?: (action: number) => boolean;
}

/** Steps recorded in full before a target the timeline is asked to reach (the trace panel's lines). */
export const RECORD_BEHIND = 160;

export interface Timeline {
  readonly k: Kernel;
  /** Compact records of steps 1..rec.n (the frontier). */
  readonly rec: StepTable;
  readonly spans: SpanTable;
  readonly hist: History;
  /** The step the kernel state is at (or -1 while generators run). */
  cur: number;
  /** Every action has run: the frontier is the last step. */
  done: boolean;
  readonly makeScheduler: () => Scheduler;
  sched: Scheduler;
  /** Steps the live generators have produced: the frontier, or less after a re-execution. */
  genStep: number;
  /** The live scheduler has no task left. */
  genDone: boolean;
  /** Absolute journal position of journal index 0 (the open segment's start, or a scratch's). */
  jBase: number;
  /** Steps from this id on are made in full as they are computed. */
  recordFrom: number;
  /**
   * Fast-forward (runToEnd, computeAhead) records from here on: Infinity until a caller who knows
   * the end is near lowers it (the worker's run job, from the compaction's progress).
   */
  fastFrom: number;
  readonly onStep: ((s: Step) => void) | null;
  readonly recordAll: boolean;
  readonly full: Map<number, Step>;
  readonly keepFull: number;
  /** Called when new steps were computed, with the kernel at the frontier (series, charts). */
  readonly observers: ((t: Timeline) => void)[];
  /** struct page field reads/writes each counted action's kernel code made (memmap.ts Footprint.counts). */
  readonly actionCounts: Map<number, Float64Array>;
  /** Which actions count (TimelineOptions.counted); null: all. */
  readonly counted: ((action: number) => boolean) | null;
  /** Steps computed again by re-execution, over the timeline's life (bench, tests). */
  reexecuted: number;
  /** Steps handed to onStep so far. */
  streamed: number;
  /** The last stretch of kernel code ran recording (its footprint reached the next step whole). */
  prevRecorded: boolean;
  /** A re-execution making one step in time slices (materializeSome). */
  making: Making | null;
  /** allSteps(): where a whole re-execution collects its steps, and its last answer. */
  collect: Step[] | null;
  all: Step[] | null;
  /**
   * What the kernel threw past the frontier (a BUG of the model). The state went back to the
   * frontier's last step; computing further throws it again.
   */
  failure: Error | null;
  /** The action whose span is open, and its first step. */
  actionSpan: { action: number; start: number } | null;
  /** Each running task's span sink, holding its open spans. */
  readonly spanStacks: Map<Task, SpanSink & { readonly open_: readonly OpenSpan[] }>;
}

interface OpenSpan {
  readonly kind: SpanKind;
  readonly start: number;
}

/**
 * Spans still open at the frontier (the migrate_pages() call running there), by level, each as
 * [start, frontier]: a zoomed timeline and Previous span see them like closed ones.
 */
export function openSpans(t: Timeline): { level: number; start: number; end: number }[] {
  const out: { level: number; start: number; end: number }[] = [];
  if (t.done) return out;
  const end = t.rec.n;
  if (t.actionSpan && t.actionSpan.start <= end) out.push({ level: 0, start: t.actionSpan.start, end });
  for (const sink of t.spanStacks.values()) for (const e of sink.open_) if (e.start <= end) out.push({ level: spanLevel(e.kind), start: e.start, end });
  return out;
}

/** spansIn() with the spans still open at the frontier. */
export function spansAt(t: Timeline, level: number, from: number, to: number, max: number): { start: number; end: number }[] {
  const closed = spansIn(t.spans, level, from, to, max);
  const open = openSpans(t).filter((o) => o.level === level && o.start <= to && o.end >= from);
  return open.length ? [...closed, ...open.map(({ start, end }) => ({ start, end }))].sort((a, b) => a.start - b.start) : closed;
}

/** spanStep() with the spans still open at the frontier. */
export function spanStepAt(t: Timeline, level: number, cur: number, dir: 1 | -1): number | null {
  let best = spanStep(t.spans, level, cur, dir);
  for (const o of openSpans(t)) {
    if (o.level !== level) continue;
    if (dir > 0 && o.start > cur && (best === null || o.start < best)) best = o.start;
    if (dir < 0 && o.start < cur && (best === null || o.start > best)) best = o.start;
  }
  return best;
}

export function createTimeline(k: Kernel, makeScheduler: () => Scheduler, opts: TimelineOptions = {}): Timeline {
  if (k.st.j.len !== 0) throw new Error('a timeline starts from an unjournaled base state');
  isolatorTable(k); // stores a path may need are made before the history copies them
  k.st.j.on = true;
  k.mem.fp = newFootprint();
  const t: Timeline = {
    k,
    rec: createStepTable(),
    spans: createSpanTable(),
    hist: createHistory(k.st, { segmentEntries: opts.segmentEntries ?? opts.checkpointEvery, journalBudget: opts.journalBudget, checkpointBudget: opts.checkpointBudget }),
    cur: 0,
    done: false,
    makeScheduler,
    sched: makeScheduler(),
    genStep: 0,
    genDone: false,
    jBase: 0,
    recordFrom: 1,
    fastFrom: Infinity,
    onStep: opts.onStep ?? null,
    recordAll: opts.recordAll ?? false,
    full: new Map(),
    // At least what one materialize() records, so the step it makes stays.
    keepFull: Math.max(opts.keepFull ?? 4096, 4 * RECORD_BEHIND + 512),
    observers: [],
    actionCounts: new Map(),
    counted: opts.counted ?? null,
    reexecuted: 0,
    streamed: 0,
    prevRecorded: true,
    making: null,
    collect: null,
    all: null,
    failure: null,
    actionSpan: null,
    spanStacks: new Map(),
  };
  return t;
}

export const frontier = (t: Timeline): number => t.rec.n;

/** The absolute journal position after step n (0 for step 0). */
export const markAt = (t: Timeline, n: number): number => t.rec.mark[n]!;

/** Where the kernel state is now, as an absolute journal position. */
const position = (t: Timeline): number => t.jBase + t.k.st.j.len;

const replaying = (t: Timeline): boolean => t.hist.parked !== null;

/** The span sink of a task: one per task, kept with its stack of open spans. */
function spanSink(t: Timeline, task: Task): SpanSink {
  let sink = t.spanStacks.get(task);
  if (sink) return sink;
  const s: OpenSpan[] = [];
  const next = (): number => t.genStep + 1 + (t.k.sink?.length ?? 0);
  sink = {
    open(kind) {
      s.push({ kind, start: next() });
    },
    close(kind) {
      // Closing a span closes what is still open inside it; a kind not open is ignored.
      if (!s.some((e) => e.kind === kind)) return;
      for (let e = s.pop(); e; e = s.pop()) {
        addSpan(t.spans, spanLevel(e.kind), e.start, next() - 1);
        if (e.kind === kind) break;
      }
    },
    open_: s,
  };
  t.spanStacks.set(task, sink);
  return sink;
}

function keep(t: Timeline, step: Step): void {
  t.full.set(step.id, step);
  if (t.recordAll || t.full.size <= t.keepFull) return;
  // Drop the cached steps farthest from where the timeline is looking (or the step being made).
  const at = t.making ? t.making.id : t.cur >= 0 ? t.cur : step.id;
  const ids = [...t.full.keys()].sort((a, b) => Math.abs(b - at) - Math.abs(a - at));
  for (const id of ids.slice(0, t.full.size - (t.keepFull >> 1))) t.full.delete(id);
}

/** A step the generators just reported: new (appended) or made again (checked against the record). */
function produce(t: Timeline, task: Task, mark: number, info: StepInfo, recording: boolean, first: boolean): void {
  const id = ++t.genStep;
  if (id > t.rec.n) {
    appendStep(t.rec, mark, task.action, task.name, info);
    if (t.actionSpan?.action !== task.action) {
      if (t.actionSpan) addSpan(t.spans, 0, t.actionSpan.start, id - 1);
      t.actionSpan = { action: task.action, start: id };
    }
  } else {
    t.reexecuted++;
    if (t.rec.mark[id] !== mark) {
      throw new Error(`re-execution diverged at step ${id}: journal position ${mark}, the first run recorded ${t.rec.mark[id]}`);
    }
  }
  // Not kept: a step built in an earlier, fast stretch and reported now (a path that builds
  // several steps at once), and the first step after a fast stretch, whose per-page footprint
  // misses what that stretch wrote after its last step. materialize() records from further back.
  const complete = recording && !madeFast(info) && (t.prevRecorded || first === false);
  if (complete) {
    // The StepInfo was made for this timeline alone (mkStep): number it in place rather than copy.
    const step = info as Step & { id: number; action: number; task: string };
    step.id = id;
    step.action = task.action;
    step.task = task.name;
    keep(t, step);
    if (t.collect && id === t.collect.length + 1) t.collect.push(step);
    if (t.onStep && id > t.streamed) {
      t.streamed = id;
      t.onStep(step);
    }
  }
}

/** Resume one task once. False when no task is left. */
function runOnce(t: Timeline): boolean {
  const k = t.k;
  const task = t.sched.next();
  if (!task) {
    t.genDone = true;
    if (t.genStep < t.rec.n) throw new Error(`re-execution ended at step ${t.genStep}, the first run reached ${t.rec.n}`);
    if (!t.done && t.actionSpan) addSpan(t.spans, 0, t.actionSpan.start, t.rec.n);
    t.done = true;
    return false;
  }
  const isNew = t.genStep >= t.rec.n;
  const recording = t.recordAll || t.genStep + 1 >= t.recordFrom;
  const fp = k.mem.fp!;
  fp.track = recording;
  const sink: { mark: number; info: StepInfo }[] = [];
  k.sink = sink;
  // A tracepoint fired after a task's last step (none follows) must not land on another task's step.
  k.pendingTrace.length = 0;
  k.spans = isNew ? spanSink(t, task) : null;
  k.cpu = task.cpu ?? 0;
  k.raced = task.raced === true;
  // The accessors count into the action's totals; a re-execution's reads were counted the first
  // time, so it counts nothing (and classifies no page for it), nor does an action not counted.
  const counting = isNew && (t.counted === null || t.counted(task.action));
  fp.count = counting;
  if (counting) {
    let acc = t.actionCounts.get(task.action);
    if (!acc) t.actionCounts.set(task.action, (acc = new Float64Array(FP_COUNTS)));
    fp.counts = acc;
  }
  let r: IteratorResult<StepInfo, unknown>;
  try {
    r = task.gen.next();
  } finally {
    k.sink = null;
    k.spans = null;
  }
  let first = true;
  for (const rec of sink) {
    produce(t, task, t.jBase + rec.mark, rec.info, recording, first);
    first = false;
  }
  if (!r.done) produce(t, task, position(t), r.value, recording, first);
  else {
    t.sched.finished(task);
    t.spanStacks.delete(task);
    // Writes after the path's last step must belong to a step too.
    if (position(t) > t.rec.mark[t.genStep]!) {
      produce(t, task, position(t), mkStep(k, { phase: 'done', fn: task.name, file: '', text: `${task.name} finished`, pfns: [] }), recording, first);
    }
  }
  t.prevRecorded = recording;
  return true;
}

/** After a stretch of re-execution: cross segment boundaries, and rejoin the frontier. */
function afterReplayStretch(t: Timeline): void {
  const h = t.hist;
  const pos = position(t);
  for (;;) {
    const si = segmentAt(h, t.jBase);
    if (si >= h.segs.length - 1) break;
    const seg = h.segs[si]!;
    if (pos < seg.end) break;
    if (pos > seg.end) throw new Error(`re-execution crossed the checkpoint at step ${seg.endStep} without stopping on it`);
    const cp = h.cps[si + 1]!;
    if (cp.h1 !== t.k.st.h1 || cp.h2 !== t.k.st.h2) throw new Error(`re-execution diverged: the state hash at step ${seg.endStep} differs from the first run's`);
    const j = t.k.st.j;
    if (!segmentPresent(h, si) && t.jBase === seg.start) adoptJournal(h, si, j.sid, j.idx, j.old, j.nu);
    j.len = 0;
    t.jBase = seg.end;
  }
  if (t.genStep >= t.rec.n) {
    // Back at the frontier: the open segment's journal takes over again.
    if (pos !== journalEnd(h)) throw new Error(`re-execution reached step ${t.genStep} at position ${pos}, the frontier is at ${journalEnd(h)}`);
    swapJournal(h, false);
    t.jBase = openSegment(h).start;
  }
}

/** A re-execution stopped short of the frontier: drop its scratch journal, settle at its step. */
function endReplay(t: Timeline): void {
  if (!replaying(t)) return;
  swapJournal(t.hist, false);
  t.jBase = openSegment(t.hist).start;
  t.cur = t.genStep;
}

/** Move the kernel state to absolute position `to`; false (and nothing moved) when only re-execution reaches it. */
function travelTo(t: Timeline, to: number): boolean {
  endReplay(t);
  return travelHistory(t.hist, t.cur >= 0 ? markAt(t, t.cur) : position(t), to);
}

/** Step 0 again, with the actions' generators started afresh, in replay mode. */
function restart(t: Timeline): void {
  endReplay(t);
  restoreCheckpoint(t.hist, 0);
  t.sched = t.makeScheduler();
  t.genStep = 0;
  t.genDone = false;
  t.spanStacks.clear();
  t.k.quietFrees = false;
  // The footprint starts as it did at step 0: nothing read or written yet.
  const fp = t.k.mem.fp!;
  fp.reads = 0;
  fp.writes = 0;
  fp.touched.length = 0;
  t.prevRecorded = true;
  t.cur = -1;
  swapJournal(t.hist, true);
  t.jBase = 0;
}

/**
 * Bring the live generators to step `upTo` or just past it (a stretch may report several steps),
 * re-executing from step 0 when they are past it or cannot be resumed. Leaves the kernel at the
 * generators' position (cur -1), in replay mode while they are behind the frontier.
 */
function reexecute(t: Timeline, upTo: number, until: () => boolean = () => false): void {
  const h = t.hist;
  upTo = Math.min(upTo, t.rec.n);
  if (t.genStep === upTo && !replaying(t) && t.cur === t.genStep) return;
  if (replaying(t) && t.genStep <= upTo) {
    // carry on
  } else if (t.genStep <= upTo && !t.genDone && travelTo(t, markAt(t, t.genStep))) {
    t.cur = -1;
    if (t.genStep < t.rec.n) {
      swapJournal(h, true);
      t.jBase = markAt(t, t.genStep);
    }
  } else restart(t);
  while (t.genStep < upTo && !until()) {
    if (!runOnce(t)) break;
    afterReplayStretch(t);
  }
}

/**
 * Compute new steps until the frontier passes `target` or every action is done (or `until()`
 * says stop: a deadline). The generators are first brought to the frontier.
 */
function computeTo(t: Timeline, target: number, until: () => boolean): void {
  if (t.done) return;
  if (t.genStep < t.rec.n) {
    reexecute(t, t.rec.n, until);
    if (t.genStep < t.rec.n) return endReplay(t); // stopped by `until`
  } else if (t.cur >= 0) {
    if (!travelTo(t, markAt(t, t.genStep))) throw new Error('the frontier state is unreachable');
  }
  t.cur = -1;
  const h = t.hist;
  if (t.failure) {
    t.cur = t.genStep;
    throw t.failure;
  }
  while (t.rec.n <= target && !t.done && !until()) {
    const n = t.rec.n;
    try {
      if (!runOnce(t)) {
        if (t.done) for (const o of t.observers) o(t); // the end: observers see the last frontier
        break;
      }
    } catch (e) {
      keepFailure(t, e);
    }
    // Observers sample the frontier as it moves (series: at their own stride).
    if (t.rec.n > n) for (const o of t.observers) o(t);
    if (t.k.st.j.len >= h.segmentEntries) {
      sealSegment(h, t.genStep);
      t.jBase = openSegment(h).start;
      enforceBudget(h, markAt(t, t.genStep), []);
    }
  }
  t.cur = t.genStep;
}

/**
 * Kernel code threw while computing new steps: undo its partial writes back to the last step
 * (which the journal holds), keep the failure for whoever computes further, and rethrow.
 */
function keepFailure(t: Timeline, e: unknown): never {
  const err = e instanceof Error ? e : new Error(String(e));
  t.k.sink = null;
  t.k.spans = null;
  const h = t.hist;
  const at = markAt(t, t.genStep);
  travelHistory(h, position(t), at);
  t.k.st.j.len = at - t.jBase;
  t.cur = t.genStep;
  t.failure = err;
  throw err;
}

/** Settle the kernel at step n (computed), re-executing when its journal was dropped. */
function settle(t: Timeline, n: number): void {
  const to = markAt(t, n);
  if (!travelTo(t, to)) {
    // Re-execute (fast) to the end of n's segment, which journals it again, then replay within it.
    const si = segmentAt(t.hist, to);
    recordingFrom(t, t.recordAll ? t.recordFrom : Infinity, () => reexecute(t, t.hist.segs[si]!.endStep));
    if (!travelTo(t, to)) throw new Error(`step ${n} cannot be reached`);
  }
  t.cur = n;
  enforceBudget(t.hist, to, [markAt(t, t.genStep)]);
}

/**
 * Steps a re-execution must run before step n (computed) can be shown: 0 when checkpoints and
 * journal reach it, else up to the end of its segment, whose journal was dropped.
 */
export function seekCost(t: Timeline, n: number): number {
  if (n < 0 || n > t.rec.n) return 0;
  const to = markAt(t, n);
  const from = replaying(t) ? markAt(t, t.genStep) : t.cur >= 0 ? markAt(t, t.cur) : position(t);
  if (!replaying(t) && canTravel(t.hist, from, to)) return 0;
  return t.hist.segs[segmentAt(t.hist, to)]!.endStep;
}

/**
 * Go to step n, computed already, a time slice at a time: true once there; false while a
 * re-execution into a dropped journal goes on (the state then stays at its position: call again,
 * or leaveReplay()). The worker's seek job.
 */
export function seekSome(t: Timeline, n: number, until: () => boolean): boolean {
  giveUpMaking(t);
  n = Math.max(0, Math.min(n, t.rec.n));
  const to = markAt(t, n);
  if (!replaying(t) && travelTo(t, to)) {
    t.cur = n;
    enforceBudget(t.hist, to, [markAt(t, t.genStep)]);
    return true;
  }
  const end = t.hist.segs[segmentAt(t.hist, to)]!.endStep;
  recordingFrom(t, t.recordAll ? t.recordFrom : Infinity, () => reexecute(t, end, until));
  if (t.genStep < end && !t.genDone && until()) return false;
  if (!travelTo(t, to)) throw new Error(`step ${n} cannot be reached`);
  t.cur = n;
  enforceBudget(t.hist, to, [markAt(t, t.genStep)]);
  return true;
}

/** Stop a re-execution between slices: the state is that of the step it reached. */
export function leaveReplay(t: Timeline): void {
  endReplay(t);
}

/**
 * Go to step n (clamped to what exists once every action has run). `until` stops computing early
 * (the worker's time slice); the timeline then stays at the last step computed. Returns the step.
 */
export function seek(t: Timeline, n: number, until: () => boolean = () => false): number {
  giveUpMaking(t);
  if (n < 0) n = 0;
  if (n >= frontier(t) && !t.done) {
    t.recordFrom = Math.max(t.recordFrom, n - RECORD_BEHIND);
    // Compute one step past n when it exists, so that t.done is known while showing the last step.
    computeTo(t, n, until);
  }
  if (n > frontier(t)) n = frontier(t);
  settle(t, n);
  return n;
}

/**
 * `read` the kernel as it was before the current step, then come back: what the step changed
 * (the inspector's before → after). Only by replaying the step's own journal, a few dozen
 * writes; null at step 0, while generators run, or when that journal was dropped (a restore
 * would copy every store: 272 MB for a 24 GiB machine).
 */
export function readBefore<T>(t: Timeline, read: (k: Kernel) => T): T | null {
  if (t.cur < 1 || replaying(t)) return null;
  const at = markAt(t, t.cur);
  const before = markAt(t, t.cur - 1);
  if (!canReplay(t.hist, at, before)) return null;
  travelHistory(t.hist, at, before);
  try {
    return read(t.k);
  } finally {
    travelHistory(t.hist, before, at);
  }
}

export function stepBy(t: Timeline, delta: number): number {
  return seek(t, t.cur + delta);
}

/**
 * Compute every step (fast-forward), leaving the state at the end (or, stopped by `until`, at the
 * last step computed). Steps are recorded only from `recordFrom` on: whoever looks at the end
 * raises it when the end is near (the worker's run job), or materializes the last steps
 * by re-execution. A timeline that records everything (recordAll, onStep) records as it goes.
 */
export function runToEnd(t: Timeline, until: () => boolean = () => false): number {
  computeFast(t, Infinity, until);
  settle(t, frontier(t));
  return t.cur;
}

/**
 * A fast run stopped where a person will look (the worker's Cancel): compute up to three more
 * stretches, recording, so the frontier step is held in full; else showing it re-executes the run
 * from step 0 (seconds on 1 Mi PFNs). The first step recorded after a fast stretch is not complete
 * (produce()), and a path that builds a batch of steps at once and reports them one by one
 * (migrate-process's) needs recording from before the batch: such a step stays made on demand.
 */
export function holdFrontier(t: Timeline): void {
  const n = t.rec.n;
  if (t.done || n === 0 || t.cur !== n || t.genStep !== n || t.full.has(n) || t.failure) return;
  let stretches = 0;
  try {
    recordingFrom(t, Math.min(t.recordFrom, n + 1), () => computeTo(t, Infinity, () => t.full.has(t.rec.n) || stretches++ === 3));
  } catch {
    // A BUG in those stretches is kept (keepFailure) for whoever steps there, as the look-ahead's is.
  }
  settle(t, t.rec.n);
}

/** Run `fn` with steps recorded from `rf` on (recordFrom), restoring it after. */
function recordingFrom<T>(t: Timeline, rf: number, fn: () => T): T {
  const from = t.recordFrom;
  t.recordFrom = rf;
  try {
    return fn();
  } finally {
    t.recordFrom = from;
  }
}

/** computeTo() in fast-forward: new steps are recorded only from fastFrom on (or all, for recordAll / onStep). */
function computeFast(t: Timeline, target: number, until: () => boolean): void {
  giveUpMaking(t);
  const rf = t.recordAll || t.onStep ? t.recordFrom : Math.max(t.recordFrom, t.rec.n + 1, t.fastFrom);
  recordingFrom(t, rf, () => computeTo(t, target, until));
}

/**
 * Compute steps in fast mode until the frontier passes `target`, every action is done, or
 * `until()` says stop, without moving the current step (the worker's background work).
 */
export function computeAhead(t: Timeline, target: number, until: () => boolean): void {
  giveUpMaking(t);
  const cur = t.cur;
  try {
    computeFast(t, target, until);
  } finally {
    // A BUG met ahead (keepFailure) leaves the state at the frontier: the step shown stays.
    settle(t, cur);
  }
}

/** A step already held in full, or undefined (never re-executes). */
export const cachedStep = (t: Timeline, id: number): Step | undefined => t.full.get(id);

/** A re-execution in progress for one step (materializeSome), kept across time slices. */
interface Making {
  readonly id: number;
  /** Where the state goes back to when it is done or given up. */
  readonly cur: number;
  /** Recording starts here; the generators run to hi. */
  rf: number;
  readonly hi: number;
  margin: number;
  /** This attempt records from a fresh step 0. */
  fromZero: boolean;
}

/**
 * Kernel writes a re-execution of `steps` steps ending at step `to` makes again: its other cost.
 * Steps differ a thousandfold in work (one madvise over 1 Mi PFNs writes millions of fields), so a
 * few hundred steps can take seconds.
 */
export const replayedWrites = (t: Timeline, to: number, steps: number): number => {
  to = Math.max(0, Math.min(to, t.rec.n));
  return markAt(t, to) - markAt(t, Math.max(0, to - steps));
};

/** Steps a re-execution would run to make step `id` (0 when it is held in full). */
export function materializeCost(t: Timeline, id: number): number {
  if (t.full.has(id)) return 0;
  if (forwardsFrom(t, id)) return id - t.genStep;
  // As materializeSome() plans it: live generators before the recording window go on from there.
  const rf = Math.max(1, id - RECORD_BEHIND - 256);
  return t.genStep < rf && (replaying(t) || !t.genDone) ? id - t.genStep : id;
}

/** Walking forwards through steps computed fast: the generators are just behind and can go on. */
const forwardsFrom = (t: Timeline, id: number): boolean =>
  t.genStep < id && t.genStep >= id - 4 * RECORD_BEHIND && (replaying(t) || !t.genDone);

/**
 * Make step `id` in full, a time slice at a time: null while `until()` stopped it (the state then
 * stays at the re-execution's position: call again to go on, or giveUpMaking), the step once made
 * (the state is back where it was). From the cache when held; else by re-execution with its
 * neighbours, recording from well before it.
 */
export function materializeSome(t: Timeline, id: number, until: () => boolean): Step | null {
  const hit = t.full.get(id);
  if (hit) return hit;
  let m = t.making && t.making.id === id ? t.making : null;
  if (!m) {
    giveUpMaking(t);
    const cur = t.cur >= 0 ? t.cur : t.genStep;
    if (forwardsFrom(t, id)) m = { id, cur, rf: t.genStep + 1, hi: Math.min(t.rec.n, id + 4 * RECORD_BEHIND), margin: 0, fromZero: false };
    else {
      // A stretch of kernel code records or not as a whole: start recording well before the
      // trace panel's window, and further back (up to step 1) if a long stretch swallowed it.
      const lo = Math.max(1, id - RECORD_BEHIND);
      m = { id, cur, rf: Math.max(1, lo - 256), hi: Math.min(t.rec.n, id + 32), margin: 256, fromZero: false };
    }
    t.making = m;
    if (t.genStep >= m.rf) {
      restart(t); // generators past the window: start again
      m.fromZero = m.rf === 1;
    }
  }
  for (;;) {
    recordingFrom(t, m.rf, () => reexecute(t, m.hi, until));
    if (t.genStep < m.hi && !t.genDone && until()) return null;
    if (t.full.has(id) || m.fromZero) break;
    // Not made whole: record from further back, at worst from step 0 (which always makes it).
    m.margin = Math.max(256, m.margin * 16);
    m.rf = Math.max(1, id - RECORD_BEHIND - m.margin);
    m.fromZero = m.rf === 1;
    restart(t);
  }
  t.making = null;
  const s = t.full.get(id);
  if (!s) throw new Error(`step ${id} was not made again by re-execution`);
  settle(t, m.cur);
  return s;
}

/** Abandon a re-execution stopped between slices: the state goes back to the step it was at. */
export function giveUpMaking(t: Timeline): void {
  const m = t.making;
  if (!m) return;
  t.making = null;
  settle(t, m.cur);
}

/** Step `id` in full: from the cache, or made again by re-execution (with its neighbours). */
export function materialize(t: Timeline, id: number): Step | undefined {
  if (id < 1 || id > t.rec.n) return undefined;
  return materializeSome(t, id, () => false)!;
}

export function currentStep(t: Timeline): Step | undefined {
  return t.cur > 0 ? materialize(t, t.cur) : undefined;
}

/**
 * Every computed step in full, in order (tests and small runs): from the cache when it holds them
 * all, else by one re-execution of the whole computed run, recording (kept until the run grows).
 * A caller that will want them all opens its session with `recordAll`, which keeps them as they
 * are computed and spares that second run.
 */
export function allSteps(t: Timeline): Step[] {
  if (t.all && t.all.length === t.rec.n) return t.all;
  let complete = true;
  for (let id = 1; id <= t.rec.n && complete; id++) complete = t.full.has(id);
  if (complete) return (t.all = Array.from({ length: t.rec.n }, (_, i) => t.full.get(i + 1)!));
  giveUpMaking(t);
  const cur = t.cur >= 0 ? t.cur : t.genStep;
  const out: Step[] = [];
  t.collect = out;
  try {
    recordingFrom(t, 1, () => {
      restart(t);
      reexecute(t, t.rec.n);
    });
  } finally {
    t.collect = null;
  }
  settle(t, cur);
  if (out.length < t.rec.n) throw new Error(`re-execution made ${out.length} of ${t.rec.n} steps`);
  return (t.all = out.slice(0, t.rec.n));
}

/** The journal between two positions, for the view tracker (viewtracker.ts: updateView). */
export const journalOf = (t: Timeline) => (lo: number, hi: number): JournalSlice[] | null => journalSlices(t.hist, lo, hi);

export function timelineHash(t: Timeline): string {
  return stateHash(t.k.st);
}

/** Memory the timeline holds beyond the stores, by part. */
export function timelineBytes(t: Timeline): { steps: number; spans: number; journal: number; checkpoints: number; full: number } {
  return {
    steps: stepTableBytes(t.rec),
    spans: spanTableBytes(t.spans),
    journal: journalBytes(t.hist),
    checkpoints: t.hist.cpBytes,
    full: t.full.size * 1200,
  };
}
