// Replay of a real ftrace (issue 10): one step per kept event over a kernel (imported memory or a
// scenario's), so a person can walk a real compaction run on the grid. The step keeps the
// recorded line as its trace (the log shows the real lines), and what the UI can draw: the
// scanner positions, the PFN ranges the scanners went over, each migration's source and
// destination when the line gives them (kprobes, or the PTE values of the migration PTE events).
//
// Replay writes only what it is sure of, through the journaled stores, so stepping back rewinds
// it: the scanners of each compaction (k.compact.scan, one slot per traced task) and the vm event
// counters the traced kernel counted (pgmigrate_*, compact_*, balloon_migrate). It moves no
// page: the traced machine's state between events is not in the trace, and re-running the
// model's migration would show the model's choices, not the kernel's. So page state stays as it
// was (checkInvariants stays clean at every step) and the narration says so.

import type { Kernel } from '../kernel/kernel';
import { MAX_CC, SCAN, SCAN_N } from '../kernel/compaction-state';
import { mkStep, hex, type Phase, type StepPfn, type Steps } from '../kernel/step';
import { put } from '../kernel/store';
import { count_vm_events, VM_EVENT } from '../kernel/vmstat';
import { zoneOf } from '../kernel/zone';
import type { ParsedTrace, TraceEvent } from './replay-parse';
import { createScheduler } from './scheduler';
import type { Scenario } from './scenario';
import type { Session } from './session';
import { createTimeline, type Task, type TimelineOptions } from './timeline';

export const REPLAYED = 'replayed from the trace: the simulation shows where, it does not re-run the migration';

export interface ReplaySession extends Session {
  readonly trace: ParsedTrace;
}

/** Step PFNs a migrate_pages batch step lists at most per role (the grid outlines them). */
const BATCH_SHOWN = 64;

const FILES: Readonly<Record<string, string>> = {
  balloon_page_migrate: 'mm/balloon_compaction.c',
  folio_migrate_flags: 'mm/migrate.c',
  migrate_folio: 'mm/migrate.c',
  move_to_new_folio: 'mm/migrate.c',
  zs_page_migrate: 'mm/zsmalloc.c',
};

const ERRNO: Readonly<Record<number, string>> = { 1: 'EPERM', 2: 'ENOENT', 11: 'EAGAIN', 12: 'ENOMEM', 13: 'EACCES', 14: 'EFAULT', 16: 'EBUSY', 17: 'EEXIST', 22: 'EINVAL', 28: 'ENOSPC', 38: 'ENOSYS', 95: 'EOPNOTSUPP' };
const retName = (ret: number): string => (ret >= 0 ? String(ret) : ERRNO[-ret] ? `-${ERRNO[-ret]}` : String(ret));

/** What replay keeps per traced task: its scanner slot, cc->order, the migrate_pages batch. */
interface TaskState {
  slot: number;
  order: number;
  zone: string | null;
  batch: { src: Set<number>; dst: Set<number> } | null;
  /** The last kprobe migration per probed function, for its kretprobe's step. */
  readonly probes: Map<string, { src: number | null; dst: number | null }>;
  /** set_migration_pte's old PFN per user address, to tell a restore from a new mapping. */
  readonly ptes: Map<string, number>;
}

/**
 * A session whose timeline is the trace. `k` must be fresh (unjournaled): the populated memory
 * of `scenario`, or imported memory. `scenario` is what the session reports as its own.
 */
export function openReplaySession(k: Kernel, trace: ParsedTrace, scenario: Scenario, opts: TimelineOptions = {}): ReplaySession {
  // The timeline names each step by its task when it takes it: the traced TASK-PID of the event.
  // A re-execution starts the replay afresh, task names included.
  const schedule = (): ReturnType<typeof createScheduler> => {
    let task = trace.events[0]?.task ?? 'replay';
    const gen = replayTrace(k, trace, (t) => (task = t));
    const replayTask: Task = { action: 0, get name() { return task; }, gen };
    return createScheduler([{ tasks: [replayTask] }]);
  };
  const t = createTimeline(k, schedule, opts);
  return { scenario: { ...scenario, name: `replay of ${trace.name}`.slice(0, 80), actions: [] }, k, t, trace };
}

/** The replay itself: one step per event. `onTask` names the task of the step about to be yielded. */
export function* replayTrace(k: Kernel, trace: ParsedTrace, onTask: (task: string) => void): Steps<void> {
  const tasks = new Map<string, TaskState>();
  /** Functions with a kretprobe in the trace: their success is counted at the return. */
  const retFuncs = new Set(trace.events.flatMap((e) => (e.kind === 'kprobe-ret' ? [e.func] : [])));
  const owner: (string | null)[] = new Array<string | null>(MAX_CC).fill(null);
  let ended: number[] = [];
  const nr = k.mem.nr;
  const inRange = (p: number | null): p is number => p !== null && p >= 0 && p < nr;
  const clampPfn = (p: number): number => Math.max(0, Math.min(p, nr));
  const state = (name: string): TaskState => {
    let s = tasks.get(name);
    if (!s) tasks.set(name, (s = { slot: -1, order: -1, zone: null, batch: null, probes: new Map(), ptes: new Map() }));
    return s;
  };
  /** The task's scanner slot: its own, else a free one, else the first (4 compactions at once is the model's limit). */
  const slotOf = (name: string, s: TaskState): number => {
    if (s.slot < 0) {
      const free = owner.findIndex((o) => o === null);
      s.slot = free >= 0 ? free : 0;
      const prev = owner[s.slot];
      if (prev) state(prev).slot = -1;
      owner[s.slot] = name;
    }
    return s.slot;
  };
  const setScan = (slot: number, field: number, v: number): void => {
    if (k.compact.scan.a[slot * SCAN_N + field] !== v) put(k.st, k.compact.scan, slot * SCAN_N + field, v);
  };
  const zoneIndex = (pfn: number, name: string | null): number => {
    const z = zoneOf(k.zones, pfn);
    if (z) return k.zones.indexOf(z);
    const byName = k.zones.findIndex((x) => x.name === name);
    return Math.max(0, byName);
  };
  /**
   * Start (or continue) the task's compaction record. A trace may begin in the middle of a
   * compaction: a record started by an isolate event gets the scanners' starting places in its
   * zone (as compact_zone() puts them for a whole-zone run) until the trace says more.
   */
  const activate = (name: string, s: TaskState, pfn: number): number => {
    const slot = slotOf(name, s);
    ended = ended.filter((x) => x !== slot);
    const zone = zoneIndex(pfn, s.zone);
    if (!k.compact.scan.a[slot * SCAN_N + SCAN.ACTIVE]) {
      const z = k.zones[zone]!;
      setScan(slot, SCAN.MIGRATE, z.start);
      setScan(slot, SCAN.FREE, Math.max(z.start, (z.end - 1) & ~511));
    }
    setScan(slot, SCAN.ACTIVE, 1);
    setScan(slot, SCAN.ZONE, zone);
    setScan(slot, SCAN.ORDER, s.order + 1);
    return slot;
  };
  const zoneLabel = (s: TaskState, pfn: number): string => zoneOf(k.zones, pfn)?.name ?? s.zone ?? `the zone at ${hex(pfn)}`;

  let first = true;
  for (const e of trace.events) {
    // A compaction that ended in the previous step leaves the grid now.
    for (const slot of ended) setScan(slot, SCAN.ACTIVE, 0);
    ended = [];
    const s = state(e.task);
    const step = describe(e, s);
    onTask(e.task);
    const text = first ? `${step.text}. The first of ${trace.events.length} events of ${trace.name}, ${REPLAYED}` : step.text;
    first = false;
    const pfns = step.pfns.flatMap((p): StepPfn[] => {
      if (!inRange(p.pfn)) return [];
      const end = Math.min(p.pfn + (p.nr ?? 1), nr);
      return [end - p.pfn > 1 ? { ...p, nr: end - p.pfn } : { pfn: p.pfn, role: p.role }];
    });
    const info = mkStep(k, { phase: step.phase, fn: e.event, file: step.file, text, pfns, ...(step.result !== undefined ? { result: step.result } : {}), trace: [e.raw] });
    yield { ...info, verbatim: true };
  }

  /** The step of one event, applying what it publishes (scanners, counters) on the way. */
  function describe(e: TraceEvent, s: TaskState): { phase: Phase; file: string; text: string; pfns: StepPfn[]; result?: string } {
    const C = 'mm/compaction.c';
    switch (e.kind) {
      case 'compaction-note': {
        if (e.zone) s.zone = e.zone;
        if (e.order !== null) s.order = e.order;
        const where = `${e.zone ? `zone ${e.zone}` : ''}${e.order !== null ? `${e.zone ? ', ' : ''}order ${e.order}` : ''}`;
        const what = e.event === 'mm_compaction_finished' ? `compact_finished()${where ? ` (${where})` : ''}: ${e.ret ?? '?'}${e.ret === 'continue' ? ' (the scanners have not met)' : e.ret === 'complete' ? ' (the scanners met: the whole zone was scanned)' : ''}`
          : e.event === 'mm_compaction_suitable' ? `compaction_suitable()${where ? ` (${where})` : ''}: ${e.ret ?? '?'}`
          : `${e.event.replace(/^mm_compaction_/, '')}${where ? ` (${where})` : ''}${e.ret ? `: ${e.ret}` : ''}`;
        return { phase: 'scan', file: C, text: `${e.task}: ${what}`, pfns: [] };
      }
      case 'compaction-begin':
      case 'compaction-end': {
        const slot = activate(e.task, s, e.zoneStart);
        setScan(slot, SCAN.MIGRATE, clampPfn(e.migratePfn));
        setScan(slot, SCAN.FREE, clampPfn(e.freePfn));
        const zone = zoneLabel(s, e.zoneStart);
        const pfns: StepPfn[] = [{ pfn: e.migratePfn, role: 'scanner' }, { pfn: e.freePfn, role: 'scanner' }];
        if (e.kind === 'compaction-begin') {
          return { phase: 'scan', file: C, pfns, text: `${e.task}: compact_zone() begins on ${zone} (${hex(e.zoneStart)}..${hex(e.zoneEnd)}), ${e.mode}: the migrate scanner starts at ${hex(e.migratePfn)} and walks up, the free scanner at ${hex(e.freePfn)} and walks down` };
        }
        ended.push(slot);
        const met = e.freePfn >> 9 <= e.migratePfn >> 9;
        return { phase: 'done', file: C, pfns, result: e.status, text: `${e.task}: compaction of ${zone} ends: ${e.status}; the migrate scanner stopped at ${hex(e.migratePfn)}, the free scanner at ${hex(e.freePfn)}${met ? ' (the scanners met)' : ''}` };
      }
      case 'compaction-isolate': {
        const n = e.end - e.start;
        const pfns: StepPfn[] = [{ pfn: e.start, role: 'scanner', nr: Math.max(1, n) }];
        if (e.scanner === 'migrate') {
          count_vm_events(k, VM_EVENT.COMPACTMIGRATE_SCANNED, e.nrScanned);
          if (e.nrTaken) count_vm_events(k, VM_EVENT.COMPACTISOLATED, e.nrTaken);
          setScan(activate(e.task, s, e.start), SCAN.MIGRATE, clampPfn(e.end)); // cc->migrate_pfn = low_pfn
          return { phase: 'scan', file: C, pfns, text: `${e.task}: the migrate scanner went over ${hex(e.start)}..${hex(e.end)}: ${e.nrScanned} PFN(s) scanned, ${e.nrTaken ? `${e.nrTaken} page(s) isolated for migration` : 'nothing isolated'}` };
        }
        count_vm_events(k, VM_EVENT.COMPACTFREE_SCANNED, e.nrScanned);
        if (e.nrTaken) count_vm_events(k, VM_EVENT.COMPACTISOLATED, e.nrTaken);
        if (e.scanner === 'fast-free') {
          return { phase: 'scan', file: C, pfns, text: `${e.task}: fast_isolate_freepages() searched the free lists for blocks in ${hex(e.start)}..${hex(e.end)}: ${e.nrScanned} scanned, ${e.nrTaken} page(s) taken as destinations` };
        }
        // The trace gives the block the free scanner searched; cc->free_pfn is left there.
        setScan(activate(e.task, s, e.start), SCAN.FREE, clampPfn(e.start));
        return { phase: 'scan', file: C, pfns, text: `${e.task}: the free scanner went over ${hex(e.start)}..${hex(e.end)}: ${e.nrScanned} PFN(s) scanned, ${e.nrTaken ? `${e.nrTaken} free page(s) taken as destinations` : 'no free page taken'}` };
      }
      case 'compaction-migratepages':
        return { phase: 'done', file: C, pfns: [], text: `${e.task}: compact_zone(): ${e.nrMigrated} page(s) of this batch migrated, ${e.nrFailed} isolated page(s) not migrated (put back to where they were); ${REPLAYED}` };
      case 'migrate-start':
        s.batch = { src: new Set(), dst: new Set() };
        return { phase: 'isolate', file: 'mm/migrate.c', pfns: [], text: `${e.task}: migrate_pages() starts a batch, ${e.mode}, reason ${e.reason}` };
      case 'migrate-pages': {
        count_vm_events(k, VM_EVENT.PGMIGRATE_SUCCESS, e.nrSucceeded);
        if (e.nrFailed) count_vm_events(k, VM_EVENT.PGMIGRATE_FAIL, e.nrFailed);
        if (e.nrThpSucceeded) count_vm_events(k, VM_EVENT.THP_MIGRATION_SUCCESS, e.nrThpSucceeded);
        if (e.nrThpFailed) count_vm_events(k, VM_EVENT.THP_MIGRATION_FAIL, e.nrThpFailed);
        if (e.nrThpSplit) count_vm_events(k, VM_EVENT.THP_MIGRATION_SPLIT, e.nrThpSplit);
        const b = s.batch;
        s.batch = null;
        const pfns: StepPfn[] = b ? [...[...b.src].slice(0, BATCH_SHOWN).map((pfn) => ({ pfn, role: 'src' as const })), ...[...b.dst].slice(0, BATCH_SHOWN).map((pfn) => ({ pfn, role: 'dst' as const }))] : [];
        const thp = e.nrThpSucceeded || e.nrThpFailed || e.nrThpSplit ? ` (THP: ${e.nrThpSucceeded} migrated, ${e.nrThpFailed} failed, ${e.nrThpSplit} split)` : '';
        return {
          phase: 'done', file: 'mm/migrate.c', pfns, result: e.nrFailed > 0 ? `nr_failed=${e.nrFailed}` : '0',
          text: `${e.task}: migrate_pages() ends the batch (${e.mode}, ${e.reason}): ${e.nrSucceeded} page(s) migrated, ${e.nrFailed} failed${thp}${b && b.src.size ? `; the trace names ${b.src.size} source and ${b.dst.size} destination page(s)` : ''}; ${REPLAYED}`,
        };
      }
      case 'migration-pte': {
        const nrPages = 1 << e.order;
        if (e.op === 'set') {
          if (e.pfn !== null) {
            s.ptes.set(e.addr, e.pfn);
            s.batch?.src.add(e.pfn);
          }
          return { phase: 'unmap', file: 'mm/rmap.c', pfns: e.pfn !== null ? [{ pfn: e.pfn, role: 'src', nr: nrPages }] : [], text: `${e.task}: try_to_migrate_one(): the PTE at ${e.addr} now holds a migration entry${e.pfn !== null ? ` for ${hex(e.pfn)}` : ''}: the page is unmapped while it moves, and a fault on it waits` };
        }
        const old = s.ptes.get(e.addr);
        s.ptes.delete(e.addr);
        if (e.pfn !== null && old === e.pfn) {
          return { phase: 'remap', file: 'mm/migrate.c', pfns: [{ pfn: e.pfn, role: 'src', nr: nrPages }], text: `${e.task}: remove_migration_pte(): the PTE at ${e.addr} maps ${hex(e.pfn)} again, the page it had: this page was not migrated` };
        }
        if (e.pfn !== null) s.batch?.dst.add(e.pfn);
        return { phase: 'remap', file: 'mm/migrate.c', pfns: e.pfn !== null ? [{ pfn: e.pfn, role: 'dst', nr: nrPages }] : [], text: `${e.task}: remove_migration_pte(): the PTE at ${e.addr} maps ${e.pfn !== null ? `the new page ${hex(e.pfn)}` : 'the new page'}${old !== undefined ? ` (it mapped ${hex(old)})` : ''}` };
      }
      case 'pages-isolated':
        return {
          phase: 'done', file: 'mm/page_isolation.c', pfns: [{ pfn: e.start, role: 'target', nr: Math.max(1, e.end - e.start) }], result: e.ok ? '0' : '-EBUSY',
          text: `${e.task}: test_pages_isolated(): ${hex(e.start)}..${hex(e.end)} ${e.ok ? 'is all free or offline in isolated pageblocks' : `is not: the check stopped at ${hex(e.fin)}`}`,
        };
      case 'kprobe-migrate': {
        s.probes.set(e.func, { src: e.srcPfn, dst: e.dstPfn });
        if (e.srcPfn !== null) s.batch?.src.add(e.srcPfn);
        if (e.dstPfn !== null) s.batch?.dst.add(e.dstPfn);
        if (e.func === 'balloon_page_migrate' && !retFuncs.has(e.func)) count_vm_events(k, VM_EVENT.BALLOON_MIGRATE, 1);
        const pages = e.srcPfn !== null && e.dstPfn !== null ? `${hex(e.srcPfn)} → ${hex(e.dstPfn)}` : `struct page ${hex0(e.src)} → ${hex0(e.dst)} (no vmemmap_base known, so no PFNs)`;
        const pfns: StepPfn[] = [...(e.srcPfn !== null ? [{ pfn: e.srcPfn, role: 'src' as const }] : []), ...(e.dstPfn !== null ? [{ pfn: e.dstPfn, role: 'dst' as const }] : [])];
        return { phase: 'copy', file: FILES[e.func] ?? '', pfns, text: `${e.task}: ${e.func}() moves a page: ${pages}; ${REPLAYED}` };
      }
      case 'kprobe-ret': {
        const p = s.probes.get(e.func);
        if (e.func === 'balloon_page_migrate' && e.ret === 0) count_vm_events(k, VM_EVENT.BALLOON_MIGRATE, 1);
        const pfns: StepPfn[] = [...(p?.src != null ? [{ pfn: p.src, role: 'src' as const }] : []), ...(p?.dst != null ? [{ pfn: p.dst, role: 'dst' as const }] : [])];
        return { phase: 'done', file: FILES[e.func] ?? '', pfns, result: retName(e.ret), text: `${e.task}: ${e.func}() returned ${retName(e.ret)}${e.ret === 0 ? ' (MIGRATEPAGE_SUCCESS)' : ': the page stays where it was'}` };
      }
      default: {
        const never: never = e;
        throw new Error(`unknown replay event ${JSON.stringify(never)}`);
      }
    }
  }
}

const hex0 = (n: bigint): string => '0x' + n.toString(16);
