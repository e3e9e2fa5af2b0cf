// Scenario actions → tasks: each simple action is one kernel path (a generator); a `parallel`
// action is a group whose tasks the scheduler interleaves.

import type { Kernel } from '../kernel/kernel';
import {
  alloc_pages_path, exit_path, fault_path, free_pages_path, notPlainKernelPage, pin_path, reclaim_path, unpin_path,
  firstAnonVma, processPfns, userPagePfn, userPageTable,
} from '../kernel/paths';
import { hex, mkStep, type Steps } from '../kernel/step';
import { compact_nodes, kcompactd_proactive } from '../kernel/compaction';
import { alloc_contig_range, offline_pages } from '../kernel/contig';
import { device_fault_path, migrate_device_range_path, migrate_vma_path } from '../kernel/migrate_device';
import type { Vma } from '../kernel/vm';
import { madvise_dontneed_path, shmem_punch_hole_path } from '../kernel/madvise';
import { migrate_pfns_path, writeback_path, type MigrateSpec } from '../kernel/migrate-paths';
import { MIGRATE_MODE, MR, MR_NAMES, type MigrateReason } from '../kernel/migrate';
import { PGTY } from '../kernel/flags';
import { designOf, type Design, type DesignName } from '../kernel/designs';
import { alloc_zspage, zspagePages } from '../kernel/zsmalloc';
import { RACE_MIGRATORS } from './scenario-core';
import type { Action, SimpleAction } from './scenario';
import type { TaskGroup } from './scheduler';
import { NR_CPUS } from '../kernel/pcp-state';
import type { Task } from './timeline';

/**
 * What earlier actions produced, for later ones to refer to (`free` with `from`). Only the
 * frontier runs generators, in order, so this is written and read at most once per step and
 * never needs rewinding; a new scenario gets a new context.
 */
interface Context {
  readonly design: Design;
  /** Folios each action produced, by action index (a parallel group's members in one list). */
  readonly produced: Map<number, number[]>;
  /** Blocks each alloc or alloc-contig action allocated, by action index: what `free from` frees. */
  readonly allocated: Map<number, number[]>;
  /**
   * Those of them not freed yet, each with the action that allocated it. A PFN the scenario
   * freed, or whose page moved on (a migrated balloon page's old PFN), may belong to someone else
   * by now — a compaction destination, locked, with refcount 1 — so `free` never trusts a PFN's
   * state alone (seed 132683682).
   */
  readonly owned: Map<number, number>;
}

/** The action's list of produced folios; a parallel group's members all add to the group's. */
function producedList(ctx: Context, index: number): number[] {
  let got = ctx.produced.get(index);
  if (!got) ctx.produced.set(index, (got = []));
  return got;
}

/** Record blocks an alloc or alloc-contig action now owns. */
function own(ctx: Context, index: number, pfns: readonly number[]): void {
  let list = ctx.allocated.get(index);
  if (!list) ctx.allocated.set(index, (list = []));
  for (const pfn of pfns) {
    list.push(pfn);
    ctx.owned.set(pfn, index);
  }
}

function* allocMany(k: Kernel, ctx: Context, index: number, a: Extract<SimpleAction, { type: 'alloc' }>, who: string): Steps<void> {
  const got = producedList(ctx, index);
  for (let i = 0; i < (a.count ?? 1); i++) {
    const pfn = yield* alloc_pages_path(k, a.gfp, a.order, a.zone, a.compact ?? false, who);
    if (pfn >= 0) {
      got.push(pfn);
      own(ctx, index, [pfn]);
    } else if (a.untilFails) break;
  }
}

function* freeFrom(k: Kernel, ctx: Context, from: number): Steps<void> {
  const pfns = ctx.allocated.get(from);
  if (!pfns) {
    yield* free_pages_path(k, -1, `action ${from} is not an alloc action that ran before this one`);
    return;
  }
  for (const pfn of pfns) yield* freeOwned(k, ctx, pfn, from);
}

/** `free` by PFN: only a block one of the scenario's alloc actions allocated and still owns. */
function* freePfn(k: Kernel, ctx: Context, pfn: number): Steps<void> {
  const owner = ctx.owned.get(pfn);
  if (owner !== undefined) {
    yield* freeOwned(k, ctx, pfn, owner);
    return;
  }
  yield* free_pages_path(k, pfn, notPlainKernelPage(k, pfn) ?? `${hex(pfn)} is not a block this scenario's alloc actions allocated (only its owner may free it)`);
}

/** __free_pages() of a block the scenario allocated; a PFN it no longer owns is left alone. */
function* freeOwned(k: Kernel, ctx: Context, pfn: number, owner: number): Steps<void> {
  if (ctx.owned.get(pfn) !== owner) {
    yield* free_pages_path(k, pfn, `${hex(pfn)} was already freed by an earlier free action`);
    return;
  }
  if (yield* free_pages_path(k, pfn)) ctx.owned.delete(pfn);
}

/** The action's kernel path; `who` is its task's name, which the narration uses too. */
function pathOf(k: Kernel, ctx: Context, index: number, a: SimpleAction, who: string): Steps<unknown> {
  switch (a.type) {
    case 'alloc': return allocMany(k, ctx, index, a, who);
    case 'free': return a.from !== undefined ? freeFrom(k, ctx, a.from) : freePfn(k, ctx, a.pfn!);
    case 'fault': return faultAction(k, ctx, index, a);
    case 'exit': return exit_path(k, a.process);
    case 'pin': return pin_path(k, resolvePage(k, ctx, a)[0] ?? -1, a.kind ?? 'pin');
    case 'unpin': return unpin_path(k, resolvePage(k, ctx, a)[0] ?? -1, a.kind ?? 'pin');
    case 'reclaim': return reclaim_path(k, a.pages);
    case 'migrate': return migrateAction(k, ctx, a, who);
    case 'race': return migrateAction(k, ctx, a, who); // inside a parallel group: one migrator
    case 'writeback': return writebackAction(k, ctx, a);
    case 'balloon': return balloonAction(k, ctx, index, a);
    case 'zsmalloc': return zsmallocAction(k, ctx, index, a);
    case 'compact': return compactAction(k, a, who);
    case 'alloc-contig': return allocContigAction(k, ctx, index, a, who);
    case 'offline': return offline_pages(k, a.start, a.end, who);
    case 'migrate-vma': return migrateVmaAction(k, a, who);
    case 'device-fault': return deviceFaultAction(k, a, who);
    case 'device-evict': return migrate_device_range_path(k, who);
    case 'madvise': return madvise_dontneed_path(k, a.fraction, a.seed ?? index + 1);
    case 'punch-hole': return shmem_punch_hole_path(k, a.fraction, a.seed ?? index + 1);
    default: {
      const never: never = a;
      throw new Error(`unknown action ${JSON.stringify(never)}`);
    }
  }
}

function* faultAction(k: Kernel, ctx: Context, index: number, a: Extract<SimpleAction, { type: 'fault' }>): Steps<void> {
  const got = producedList(ctx, index);
  yield* fault_path(k, a.process, a.pages, a.order ?? 0, got);
}

type PageRef = { pfn?: number; process?: number; page?: number; file?: boolean; from?: number; pgtable?: boolean };

/** The PFNs a page reference names now (a process's page may have moved by the time it runs). */
function resolvePage(k: Kernel, ctx: Context, a: PageRef): number[] {
  if (a.pfn !== undefined) return [a.pfn];
  if (a.from !== undefined) return ctx.produced.get(a.from) ?? [-1];
  if (a.pgtable) return [userPageTable(k, a.process!, a.page!, a.file ?? false)];
  return [userPagePfn(k, a.process!, a.page!, a.file ?? false)];
}

type MigrateAction = Extract<SimpleAction, { type: 'migrate' | 'race' }>;

const MODES = { async: MIGRATE_MODE.ASYNC, sync_light: MIGRATE_MODE.SYNC_LIGHT, sync: MIGRATE_MODE.SYNC } as const;

/** The PFNs an action names, resolved when it starts (a process's page may have moved by then). */
function targetPfns(k: Kernel, ctx: Context, a: MigrateAction): number[] {
  if (a.range) return Array.from({ length: a.range.end - a.range.start }, (_, i) => a.range!.start + i);
  if (a.process !== undefined) return processPfns(k, a.process);
  return (a.pages ?? []).flatMap((p) => resolvePage(k, ctx, p));
}

function migrateSpec(k: Kernel, ctx: Context, a: MigrateAction): MigrateSpec {
  return {
    pfns: targetPfns(k, ctx, a),
    zone: a.to,
    mode: MODES[a.mode ?? 'sync'],
    reason: a.reason ? (MR_NAMES.indexOf(a.reason) as MigrateReason) : MR.SYSCALL,
  };
}

function* migrateAction(k: Kernel, ctx: Context, a: MigrateAction, who: string): Steps<void> {
  const spec = migrateSpec(k, ctx, a);
  // A design that replaces migrate_pages() takes every page through its own path.
  if (ctx.design.path) {
    yield* ctx.design.path(k, spec, who);
    return;
  }
  // A design with its own path for the balloon's (PageOffline) pages takes them there; every
  // other page, and every page under the other designs, takes migrate_pages() as in 6.18.
  const offlinePath = ctx.design.offlinePath;
  if (offlinePath) {
    const isOffline = (p: number): boolean => p >= 0 && p < k.mem.nr && k.mem.pageType.a[p] === PGTY.offline;
    // Both lists before anything moves: a migrated page is no longer offline.
    const offline = spec.pfns.filter(isOffline);
    const rest = spec.pfns.filter((p) => !isOffline(p));
    if (offline.length) yield* offlinePath(k, offline, who);
    if (rest.length) yield* migrate_pfns_path(k, { ...spec, pfns: rest }, who);
    return;
  }
  yield* migrate_pfns_path(k, spec, who);
}

function* balloonAction(k: Kernel, ctx: Context, index: number, a: Extract<SimpleAction, { type: 'balloon' }>): Steps<void> {
  const got = producedList(ctx, index);
  yield* (a.op === 'inflate' ? ctx.design.inflate(k, a.pages, got) : ctx.design.deflate(k, a.pages));
}

function* zsmallocAction(k: Kernel, ctx: Context, index: number, a: Extract<SimpleAction, { type: 'zsmalloc' }>): Steps<void> {
  const got = producedList(ctx, index);
  for (let i = 0; i < a.zspages; i++) {
    const id = yield* alloc_zspage(k, a.pagesPerZspage);
    if (id < 0) break;
    got.push(...zspagePages(k, id));
  }
}

/** The process's heap, or a step saying why there is none. */
function* heapOf(k: Kernel, process: number, fn: string): Steps<Vma | null> {
  const vma = firstAnonVma(k, process);
  if (typeof vma !== 'string') return vma;
  yield mkStep(k, { phase: 'done', fn, file: 'mm/migrate_device.c', text: vma, pfns: [], result: '-EINVAL' });
  return null;
}

function* migrateVmaAction(k: Kernel, a: Extract<SimpleAction, { type: 'migrate-vma' }>, who: string): Steps<void> {
  const vma = yield* heapOf(k, a.process, 'migrate_vma_setup');
  if (vma) yield* migrate_vma_path(k, vma, a.start ?? 0, a.pages, a.to ?? 'device', who);
}

function* deviceFaultAction(k: Kernel, a: Extract<SimpleAction, { type: 'device-fault' }>, who: string): Steps<void> {
  const vma = yield* heapOf(k, a.process, 'do_swap_page');
  if (vma) yield* device_fault_path(k, vma, a.page, who);
}

function* allocContigAction(k: Kernel, ctx: Context, index: number, a: Extract<SimpleAction, { type: 'alloc-contig' }>, who: string): Steps<void> {
  const got = producedList(ctx, index);
  const before = got.length;
  yield* alloc_contig_range(k, a.start, a.end, who, got);
  own(ctx, index, got.slice(before));
}

function* compactAction(k: Kernel, a: Extract<SimpleAction, { type: 'compact' }>, who: string): Steps<void> {
  const zone = a.zone === undefined ? undefined : k.zones.findIndex((z) => z.name === a.zone);
  if (zone === -1) {
    yield mkStep(k, { phase: 'done', fn: 'compact_node', file: 'mm/compaction.c', text: `this machine has no ${a.zone} zone: nothing to compact`, pfns: [], result: '-EINVAL' });
    return;
  }
  if (a.proactive) yield* kcompactd_proactive(k, who, a.proactiveness);
  else yield* compact_nodes(k, who, false, zone);
}

function* writebackAction(k: Kernel, ctx: Context, a: Extract<SimpleAction, { type: 'writeback' }>): Steps<void> {
  yield* writeback_path(k, resolvePage(k, ctx, a)[0] ?? -1, a.state === 'start');
}

/**
 * ftrace-like task names, comm-pid: the action type (kcompactd0 for proactive compaction, the
 * kernel thread that does it) and a pid per action.
 */
const taskName = (a: SimpleAction, index: number, member = 0): string =>
  `${a.type === 'compact' && a.proactive ? 'kcompactd0' : a.type === 'race' ? 'migrator' : a.type}-${1000 + index * 10 + member}`;

/** A design variant's name: the scenario's `variant`. */
export type Variant = DesignName;

export function taskGroups(k: Kernel, actions: readonly Action[], variant: Variant = 'linux-6.18'): TaskGroup[] {
  k.variant = variant;
  const ctx: Context = { produced: new Map(), allocated: new Map(), owned: new Map(), design: designOf(variant) };
  return actions.map((a, index): TaskGroup => {
    if (a.type === 'race') {
      // Two migrators of the same pages, interleaved at every yield: the second finds PG_lru clear
      // (or an extra reference) and backs off, which is how the kernel keeps them apart.
      const tasks: Task[] = Array.from({ length: RACE_MIGRATORS }, (_, i) => taskName(a, index, i)).map((name, i) => ({ action: index, name, cpu: i % NR_CPUS, raced: true, gen: migrateAction(k, ctx, a, name) }));
      return a.schedule ? { tasks, segments: a.schedule.map((e) => ({ task: e.migrator, steps: e.steps })) } : { tasks };
    }
    if (a.type === 'parallel') {
      const tasks: Task[] = a.actions.map((m, i) => taskName(m, index, i)).map((name, i) => ({ action: index, name, cpu: i % NR_CPUS, gen: pathOf(k, ctx, index, a.actions[i]!, name) }));
      return { tasks, schedule: Array.isArray(a.schedule) ? a.schedule : undefined };
    }
    const name = taskName(a, index);
    return { tasks: [{ action: index, name, gen: pathOf(k, ctx, index, a, name) }] };
  });
}
