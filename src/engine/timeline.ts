// The timeline: the flat sequence of steps of all of a scenario's actions, and time travel
// over it. Why it is built this way:
// - Every kernel write is journaled (kernel/store.ts), so the state at any computed step is the
//   base state plus a prefix of the journal. Back and forward inside the computed prefix replay
//   old or new values and never call kernel code.
// - A generator's locals and position cannot be rewound, so only the frontier runs generators;
//   to go past it the kernel is first brought to the journal's end (where the generators are).
// - Kernel code may report several steps in one stretch without yielding (emitStep): each has
//   its journal mark, so a person can stop between them even though the code ran at once.
//   Code between two yields is atomic with respect to other actions, like code under a lock.
// - Sparse checkpoints (full copies of the stores) bound far seeks.

import type { Kernel } from '../kernel/kernel';
import { mkStep, type StepInfo, type Steps } from '../kernel/step';
import { newFootprint } from '../kernel/memmap';
import { redoJournal, stateHash, undoJournal, type Stores } from '../kernel/store';

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
}

/** Yields the next task to resume, or null when every task is done. */
export interface Scheduler {
  next(): Task | null;
  finished(t: Task): void;
}

interface Checkpoint {
  readonly step: number;
  readonly mark: number;
  readonly h1: number;
  readonly h2: number;
  readonly data: readonly (Int32Array | Uint8Array)[];
}

export interface Timeline {
  readonly k: Kernel;
  readonly steps: Step[];
  /** marks[n] = journal length at step n; marks[0] = 0. */
  readonly marks: number[];
  cur: number;
  /** Journal length the generators have reached (>= the frontier's mark). */
  jEnd: number;
  done: boolean;
  readonly sched: Scheduler;
  readonly checkpoints: Checkpoint[];
  /** Journal entries between checkpoints. */
  readonly checkpointEvery: number;
  /** Called when new steps were computed, with the kernel at the frontier (series, charts). */
  readonly observers: ((t: Timeline) => void)[];
  /** struct page field reads/writes each action's kernel code made (memmap.ts Footprint.counts). */
  readonly actionCounts: Map<number, Float64Array>;
}

export interface TimelineOptions {
  readonly checkpointEvery?: number;
}

export function createTimeline(k: Kernel, sched: Scheduler, opts: TimelineOptions = {}): Timeline {
  k.st.j.on = true;
  k.mem.fp = newFootprint();
  const t: Timeline = {
    k, steps: [], marks: [0], cur: 0, jEnd: k.st.j.len, done: false, sched, checkpoints: [],
    checkpointEvery: opts.checkpointEvery ?? 1 << 21,
    observers: [],
    actionCounts: new Map(),
  };
  if (k.st.j.len !== 0) throw new Error('a timeline starts from an unjournaled base state');
  t.checkpoints.push(takeCheckpoint(k.st, 0, 0));
  return t;
}

export const frontier = (t: Timeline): number => t.steps.length;

function takeCheckpoint(st: Stores, step: number, mark: number): Checkpoint {
  return { step, mark, h1: st.h1, h2: st.h2, data: st.list.map((s) => s.a.slice()) };
}

function restoreCheckpoint(st: Stores, cp: Checkpoint): void {
  st.list.forEach((s, i) => {
    const d = cp.data[i]!;
    s.a.set(d);
    if (s.a.length > d.length) s.a.fill(s.fill, d.length); // grown since: the rest was `fill` then
  });
  st.h1 = cp.h1;
  st.h2 = cp.h2;
}

/** Move the kernel state from journal position `from` to `to` (both within the journal). */
function travel(t: Timeline, from: number, to: number): void {
  if (from === to) return;
  // A checkpoint between (or beyond) them may be cheaper than replaying the whole distance.
  let best: Checkpoint | null = null;
  let bestCost = Math.abs(to - from);
  for (const cp of t.checkpoints) {
    const cost = Math.abs(to - cp.mark) + 64; // + restore, roughly a few dozen entries' worth per store
    if (cost < bestCost) {
      best = cp;
      bestCost = cost;
    }
  }
  if (best) {
    restoreCheckpoint(t.k.st, best);
    from = best.mark;
  }
  if (to < from) undoJournal(t.k.st, from, to);
  else redoJournal(t.k.st, from, to);
}

/** The journal position the kernel is at right now. */
function position(t: Timeline): number {
  return t.marks[t.cur]!;
}

/** Resume generators until at least one more step exists or everything is done. */
function extend(t: Timeline): boolean {
  const k = t.k;
  if (t.done) return false;
  // Generators live at the journal's end: bring the kernel there first.
  travel(t, position(t), t.jEnd);
  t.cur = -1; // kernel is at jEnd, not at a step mark, until we settle below
  const before = t.steps.length;
  while (t.steps.length === before) {
    const task = t.sched.next();
    if (!task) {
      t.done = true;
      break;
    }
    const sink: { mark: number; info: StepInfo }[] = [];
    k.sink = sink;
    let r: IteratorResult<StepInfo, unknown>;
    const counts = k.mem.fp!.counts;
    const countsBefore = counts.slice();
    try {
      r = task.gen.next();
    } finally {
      k.sink = null;
      let acc = t.actionCounts.get(task.action);
      if (!acc) t.actionCounts.set(task.action, (acc = new Float64Array(counts.length)));
      for (let i = 0; i < counts.length; i++) acc[i]! += counts[i]! - countsBefore[i]!;
    }
    for (const rec of sink) push(t, task, rec.mark, rec.info);
    if (!r.done) push(t, task, k.st.j.len, r.value);
    else {
      t.sched.finished(task);
      // Writes after the path's last step must belong to a step too.
      if (k.st.j.len > t.marks[t.marks.length - 1]!) {
        push(t, task, k.st.j.len, mkStep(k, { phase: 'done', fn: task.name, file: '', text: `${task.name} finished`, pfns: [] }));
      }
    }
  }
  t.jEnd = k.st.j.len;
  // Settle at the journal's end, which is the last step's mark.
  t.cur = t.steps.length;
  if (t.marks[t.cur] !== t.jEnd) throw new Error('journal end is not at a step boundary');
  if (t.steps.length > before) for (const o of t.observers) o(t);
  return t.steps.length > before;
}

function push(t: Timeline, task: Task, mark: number, info: StepInfo): void {
  const id = t.steps.length + 1;
  // The StepInfo was made for this timeline alone (mkStep): number it in place rather than copy it,
  // which halves the garbage of a long fast-forward.
  const step = info as Step & { id: number; action: number; task: string };
  step.id = id;
  step.action = task.action;
  step.task = task.name;
  t.steps.push(step);
  t.marks.push(mark);
  const last = t.checkpoints[t.checkpoints.length - 1]!;
  if (mark - last.mark >= t.checkpointEvery && mark === t.k.st.j.len) t.checkpoints.push(takeCheckpoint(t.k.st, id, mark));
}

/** Go to step n (clamped to what exists once every action has run). Returns the step reached. */
export function seek(t: Timeline, n: number): number {
  if (n < 0) n = 0;
  // Compute one step past n when it exists, so that t.done is known while showing the last step.
  while (n >= frontier(t) && !t.done && extend(t)) {
    /* keep computing */
  }
  if (n > frontier(t)) n = frontier(t);
  travel(t, position(t), t.marks[n]!);
  t.cur = n;
  return n;
}

export function stepBy(t: Timeline, delta: number): number {
  return seek(t, t.cur + delta);
}

/** Compute every step (fast-forward), leaving the state at the end. */
export function runToEnd(t: Timeline): number {
  while (extend(t)) {
    /* keep computing */
  }
  return seek(t, frontier(t));
}

export function currentStep(t: Timeline): Step | undefined {
  return t.cur > 0 ? t.steps[t.cur - 1] : undefined;
}

export function timelineHash(t: Timeline): string {
  return stateHash(t.k.st);
}
