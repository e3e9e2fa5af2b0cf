// The compact record of every computed step: what the timeline keeps for a step nobody looks at.
// About 30 bytes a step in growable typed arrays — its journal mark, action, task, phase, kernel
// function, whether it failed, and its PFNs with their roles — against ~1.2 KB for a full Step
// (narration, trace lines, per-page footprint, after values). The scrubber's markers, Previous /
// Next phase, a page's history and PFN breakpoints read only this; the full Step is rebuilt on
// demand (timeline.ts: materialize).

import type { Exclusion } from '../kernel/guards';
import type { Phase, Role, StepPfn } from '../kernel/step';
import { firstAbove, grown } from './sorted';

const PHASES: readonly Phase[] = [
  'alloc', 'free', 'split', 'merge', 'fault', 'unmap', 'pin', 'unpin', 'reclaim', 'isolate', 'refcount',
  'move-mapping', 'copy', 'remap', 'putback', 'scan', 'done',
];
const PHASE_ID = new Map(PHASES.map((p, i) => [p, i]));
// Plain objects for the per-step lookups: property loads with inline caches beat Map lookups here.
const PHASE_CODE = Object.fromEntries(PHASES.map((p, i) => [p, i])) as Record<Phase, number>;
/** The table's code of each phase. */
export const PHASE_IDS: ReadonlyMap<Phase, number> = PHASE_ID;
const ROLES: readonly Role[] = ['src', 'dst', 'buddy', 'scanner', 'target', 'pinned', 'freed', 'allocated'];
const ROLE_CODE = Object.fromEntries(ROLES.map((r, i) => [r, i])) as Record<Role, number>;

const PFN_MASK = (1 << 24) - 1;

/** Visit the PFN ranges of step `id`; stops early when `fn` returns true. */
function eachPfn(tb: StepTable, id: number, fn: (pfn: number, nr: number, role: number) => boolean): void {
  for (let o = tb.off[id - 1]!; o < tb.off[id]!; ) {
    const w = tb.pool[o++]!;
    const code = w >>> 27;
    const nr = code === 31 ? tb.pool[o++]! : 1 << code;
    if (fn(w & PFN_MASK, nr, (w >>> 24) & 7)) return;
  }
}

/** Step flag bits. */
export const SF = { failed: 1, hasResult: 2 } as const;

export interface StepTable {
  /** Steps recorded: ids 1..n live at index id - 1. */
  n: number;
  /** Absolute journal position after the step (timeline.ts: journal positions). */
  mark: Float64Array;
  action: Uint16Array;
  task: Uint16Array;
  phase: Uint8Array;
  fn: Uint16Array;
  flags: Uint8Array;
  /**
   * pfns of step id live at pool[off[id-1] .. off[id]): one word a PFN range — pfn in bits 0-23,
   * role in 24-26, log2(nr) in 27-31 — or, when nr is not a power of two, code 31 and a second
   * word holding nr.
   */
  off: Uint32Array;
  pool: Int32Array;
  poolLen: number;
  /** Interned "fn\0file" and task names. */
  readonly fns: string[];
  readonly fnIds: Map<string, number>;
  /** fn → file → id: a step's fn and file are interned without building a key string. */
  readonly fnCache: Map<string, Map<string, number>>;
  readonly tasks: string[];
  readonly taskIds: Map<string, number>;
  /** Ids of the failed steps, ascending: Next / Previous failure is a binary search. */
  failed: Int32Array;
  nFailed: number;
  /** The steps where a guard kept a task out (few: a sparse list, ascending ids). */
  readonly excluded: { readonly id: number; readonly exclusion: Exclusion }[];
  /** The last task interned (steps come in runs of one task). */
  lastTask: string;
  lastTaskId: number;
}

export function createStepTable(): StepTable {
  const cap = 1024;
  return {
    n: 0,
    mark: new Float64Array(cap + 1),
    action: new Uint16Array(cap),
    task: new Uint16Array(cap),
    phase: new Uint8Array(cap),
    fn: new Uint16Array(cap),
    flags: new Uint8Array(cap),
    off: new Uint32Array(cap + 1),
    pool: new Int32Array(2 * cap),
    poolLen: 0,
    fns: [],
    fnIds: new Map(),
    fnCache: new Map(),
    tasks: [],
    taskIds: new Map(),
    lastTask: '',
    lastTaskId: -1,
    failed: new Int32Array(64),
    nFailed: 0,
    excluded: [],
  };
}


function intern(list: string[], ids: Map<string, number>, s: string): number {
  let id = ids.get(s);
  if (id === undefined) {
    id = list.length;
    if (id > 0xffff) throw new Error('more than 65,536 distinct kernel functions or tasks');
    list.push(s);
    ids.set(s, id);
  }
  return id;
}

export interface StepFields {
  readonly phase: Phase;
  readonly fn: string;
  readonly file: string;
  readonly result?: string;
  readonly pfns: readonly StepPfn[];
  readonly excluded?: Exclusion;
}

/** A step result that reads as a failure (protocol.ts: isFailedResult, the same rule). */
export const isFailed = (result: string | undefined): boolean =>
  result !== undefined && (result.startsWith('-') || /^nr_failed=[1-9]/.test(result));

/** Append step n + 1 (its journal mark: the absolute position after it). */
export function appendStep(tb: StepTable, mark: number, action: number, task: string, s: StepFields): number {
  const i = tb.n;
  if (i + 1 >= tb.action.length) {
    const cap = (i + 1) * 2;
    tb.mark = grown(tb.mark, cap + 1);
    tb.action = grown(tb.action, cap);
    tb.task = grown(tb.task, cap);
    tb.phase = grown(tb.phase, cap);
    tb.fn = grown(tb.fn, cap);
    tb.flags = grown(tb.flags, cap);
    tb.off = grown(tb.off, cap + 1);
  }
  tb.mark[i + 1] = mark;
  tb.action[i] = action;
  if (task !== tb.lastTask) {
    tb.lastTask = task;
    tb.lastTaskId = intern(tb.tasks, tb.taskIds, task);
  }
  tb.task[i] = tb.lastTaskId;
  tb.phase[i] = PHASE_CODE[s.phase] ?? 0;
  let byFile = tb.fnCache.get(s.fn);
  if (!byFile) tb.fnCache.set(s.fn, (byFile = new Map()));
  let fn = byFile.get(s.file);
  if (fn === undefined) byFile.set(s.file, (fn = intern(tb.fns, tb.fnIds, s.fn + '\0' + s.file)));
  tb.fn[i] = fn;
  const failed = isFailed(s.result);
  tb.flags[i] = (failed ? SF.failed : 0) | (s.result !== undefined ? SF.hasResult : 0);
  if (failed) {
    if (tb.nFailed === tb.failed.length) tb.failed = grown(tb.failed, tb.nFailed * 2);
    tb.failed[tb.nFailed++] = i + 1;
  }
  const pf = s.pfns;
  if (tb.poolLen + 2 * pf.length > tb.pool.length) tb.pool = grown(tb.pool, tb.poolLen + 2 * pf.length);
  for (const p of pf) {
    if (p.pfn < 0) continue; // no page (a failed allocation): nothing to find it by
    if (p.pfn > PFN_MASK) throw new Error(`step pfn ${p.pfn} is outside 0..${PFN_MASK}`);
    const nr = p.nr ?? 1;
    const log = 31 - Math.clz32(nr);
    const pow2 = nr > 0 && 1 << log === nr && log < 31;
    tb.pool[tb.poolLen++] = p.pfn | ((ROLE_CODE[p.role] ?? 0) << 24) | ((pow2 ? log : 31) << 27);
    if (!pow2) tb.pool[tb.poolLen++] = nr;
  }
  tb.off[i + 1] = tb.poolLen;
  if (s.excluded) tb.excluded.push({ id: i + 1, exclusion: s.excluded });
  return ++tb.n;
}

/** The next (dir 1) or previous (dir -1) failed step seen from step `cur`, or null: O(log n). */
export function failedStep(tb: StepTable, cur: number, dir: 1 | -1): number | null {
  const lo = firstAbove(tb.failed, tb.nFailed, cur);
  if (dir > 0) return lo < tb.nFailed ? tb.failed[lo]! : null;
  const i = lo - 1 >= 0 && tb.failed[lo - 1] === cur ? lo - 2 : lo - 1;
  return i >= 0 ? tb.failed[i]! : null;
}

export const phaseOf = (tb: StepTable, id: number): Phase => PHASES[tb.phase[id - 1]!]!;
export const fnOf = (tb: StepTable, id: number): string => tb.fns[tb.fn[id - 1]!]!.split('\0')[0]!;
export const fileOf = (tb: StepTable, id: number): string => tb.fns[tb.fn[id - 1]!]!.split('\0')[1]!;
export const taskOf = (tb: StepTable, id: number): string => tb.tasks[tb.task[id - 1]!]!;
export const failedAt = (tb: StepTable, id: number): boolean => (tb.flags[id - 1]! & SF.failed) !== 0;

/** The step's PFNs with their roles, as the kernel path reported them. */
export function pfnsOf(tb: StepTable, id: number): StepPfn[] {
  const out: StepPfn[] = [];
  eachPfn(tb, id, (pfn, nr, role) => {
    out.push(nr === 1 ? { pfn, role: ROLES[role]! } : { pfn, role: ROLES[role]!, nr });
    return false;
  });
  return out;
}

/** The role of the first PFN range of step `id` that covers `pfn`, or null. */
export function roleAt(tb: StepTable, id: number, pfn: number): Role | null {
  let found: Role | null = null;
  eachPfn(tb, id, (start, nr, role) => {
    if (pfn >= start && pfn < start + nr) found = ROLES[role]!;
    return found !== null;
  });
  return found;
}

/** Bytes the table holds for its steps (what is used, not the growth slack). */
export function stepTableBytes(tb: StepTable): number {
  return tb.n * (8 + 2 + 2 + 1 + 2 + 1 + 4) + tb.poolLen * 4 + tb.nFailed * 4;
}
