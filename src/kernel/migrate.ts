// migrate_pages() for LRU folios, as in mm/migrate.c of Linux 6.18: batches, the unmap phase
// (migrate_folio_unmap: lock, writeback, try_to_migrate), the move phase (migrate_folio_move:
// move_to_new_folio → __migrate_folio: refcount check, copy, mapping switch under a frozen
// refcount, flags; LRU add; remove_migration_ptes), the passes and retries, and the undo paths.
// Each point worth stopping at is a step with the real refcount and mapcount values.
// hugetlb folios go first, through migrate_hugetlbs() (migrate-hugetlb.ts).
// Not modelled yet: deferred split queues, swap cache, PMD-mapped THPs (large folios here are
// mapped by PTEs).

import { PG } from './flags';
import { pageZone, type Kernel } from './kernel';
import {
  clearPageFlag, folio_nr_pages, setPageFlag, setPageIndex, setPageMapping, setPagePrivate,
  setPageRefcount, testClearPageFlag, testPageFlag, pageType,
} from './memmap';
import { folio_get, folio_mapcount, folio_mapped, folio_put, folio_ref_add, folio_ref_count, folio_test_anon } from './folio';
import { folio_add_lru, lru_add_drain_cpu } from './swap';
import { lruBatchCpu } from './fbatch-state';
import { folio_end_writeback, folioAddressSpace } from './filemap';
import { addHolder, HOLD, holdersOf, removeHolder, HOLD_NAMES } from './pins';
import { listAddTail, listDel, listEmpty, listFirst } from './list';
import { folioListPfns, listMoveTail, newFolioList } from './isolate';
import { remove_migration_ptes, try_to_migrate } from './migrate-rmap';
import { split_folio_to_list } from './huge_memory';
import { mappingId } from './vm';
import { balloon_page_migrate, page_has_movable_ops } from './balloon';
import { hasPageOps, pageOpsOf, runDesign } from './designs';
import { guardOn } from './guards';
import { raceExclusion } from './guard-steps';

/** A non-LRU movable page: 6.18's movable_ops, or a design's own encoding (6.12's PAGE_MAPPING_MOVABLE). */
const isMovable = (k: Kernel, pfn: number): boolean => page_has_movable_ops(k, pfn) || hasPageOps(k, pfn);

/** What a non-LRU movable page is: its page type and how it says "movable" (6.18: PG_movable_ops; 6.12: page->mapping). */
function movableKind(k: Kernel, pfn: number): string {
  const ops = pageOpsOf(k, pfn);
  const type = k.mem.pageType.a[pfn] === PGTY.zsmalloc ? 'PageZsmalloc' : ops?.kind ?? 'PageOffline';
  return `${type} + ${ops ? ops.encoding : 'PG_movable_ops'}`;
}

/** Who keeps dst once migration drops its allocation reference. */
function dstKeepers(k: Kernel, dst: number): string {
  const keeper = pageOpsOf(k, dst)?.keeper;
  if (keeper) return keeper;
  if (isMovable(k, dst)) return k.mem.pageType.a[dst] === PGTY.zsmalloc ? "zsmalloc's reference keeps it" : "the balloon's reference keeps it";
  const parts: string[] = [];
  const maps = folio_mapcount(k, dst);
  if (maps) parts.push(`its ${maps} mapping${maps > 1 ? 's' : ''}`);
  if (!folio_test_anon(k, dst) && k.mem.mapping.a[dst] !== 0) parts.push('the page cache');
  const batch = lruBatchCpu(k.fbatch, dst);
  if (batch >= 0) parts.push(`CPU ${batch}'s lru_add batch`);
  return parts.length ? `${parts.join(' and ')} keep${parts.length === 1 && maps <= 1 ? 's' : ''} it` : 'no mapping or cache holds it';
}
import { zs_page_migrate } from './zsmalloc';
import { migrate_hugetlbs } from './migrate-hugetlb';
import { PGTY, pageTypeName } from './flags';
import { put } from './store';
import { count_vm_events, mod_node_page_state, NS, VM_EVENT } from './vmstat';
import { emitStep, hex, mkStep, spanClose, spanOpen, type Steps, type StepInfo } from './step';
import { FOLIO_LIST } from './folio-lists';
import { folio_test_partially_mapped, folioOnDeferredList } from './deferred-split';
import { __swap_cache_replace_folio, folio_test_swapcache, folioSwapEntry } from './swap_state';

export const MIGRATE_MODE = { ASYNC: 0, SYNC_LIGHT: 1, SYNC: 2 } as const;
export type MigrateMode = (typeof MIGRATE_MODE)[keyof typeof MIGRATE_MODE];
export const MODE_NAMES = ['MIGRATE_ASYNC', 'MIGRATE_SYNC_LIGHT', 'MIGRATE_SYNC'] as const;

/** enum migrate_reason and the strings the mm_migrate_pages tracepoint prints. */
export const MR = {
  COMPACTION: 0, MEMORY_FAILURE: 1, MEMORY_HOTPLUG: 2, SYSCALL: 3, MEMPOLICY_MBIND: 4,
  NUMA_MISPLACED: 5, CONTIG_RANGE: 6, LONGTERM_PIN: 7, DEMOTION: 8, DAMON: 9,
} as const;
export type MigrateReason = (typeof MR)[keyof typeof MR];
export const MR_NAMES = [
  'compaction', 'memory_failure', 'memory_hotplug', 'syscall_or_cpuset', 'mempolicy_mbind',
  'numa_misplaced', 'contig_range', 'longterm_pin', 'demotion', 'damon',
] as const;

export const EAGAIN = -11;
export const ENOMEM = -12;
export const EBUSY = -16;
export const EOPNOTSUPP = -95;
const ERRNO: Record<number, string> = { [EAGAIN]: '-EAGAIN', [ENOMEM]: '-ENOMEM', [EBUSY]: '-EBUSY', [EOPNOTSUPP]: '-EOPNOTSUPP', [-4]: '-EINTR', [-22]: '-EINVAL', [-2]: '-ENOENT' };
export const errName = (rc: number): string => (rc === 0 ? '0' : ERRNO[rc] ?? String(rc));

/** NR_MAX_BATCHED_MIGRATION = HPAGE_PMD_NR, and the pass counts of migrate_pages_batch(). */
const NR_MAX_BATCHED_MIGRATION = 512;
const NR_MAX_MIGRATE_PAGES_RETRY = 10;
const NR_MAX_MIGRATE_ASYNC_RETRY = 3;
const NR_MAX_MIGRATE_SYNC_RETRY = NR_MAX_MIGRATE_PAGES_RETRY - NR_MAX_MIGRATE_ASYNC_RETRY;

/** get_new_folio / put_new_folio: where destinations come from (alloc_migration_target, compaction_alloc). */
export interface NewFolioSource {
  readonly name: string;
  /**
   * A new folio of the source's order with refcount 1, or -1. May report allocator sub-steps.
   * `frozen`: with refcount 0 (alloc_frozen_pages()), for a design whose destinations hold none.
   */
  get(k: Kernel, src: number, frozen?: boolean): number;
  /** put_new_folio; absent means folio_put(dst). `frozen`: dst holds no reference, nothing to drop. */
  put?(k: Kernel, dst: number, frozen?: boolean): void;
  /** The highest zone the destination may come from, when the caller limits it (for narration). */
  readonly zone?: string;
}

export interface MigrateStats {
  nr_succeeded: number;
  nr_failed_pages: number;
  nr_thp_succeeded: number;
  nr_thp_failed: number;
  nr_thp_split: number;
  nr_split: number;
}

export interface MigrateCtx {
  readonly k: Kernel;
  readonly target: NewFolioSource;
  readonly reason: MigrateReason;
  /** Who is migrating, for narration when two migrators race. */
  readonly who: string;
  /** current->flags & PF_MEMALLOC: set only by __alloc_pages_direct_compact() (memalloc_noreclaim_save). */
  readonly pfMemalloc: boolean;
}
type Ctx = MigrateCtx;

// migrate_folio_unmap() records its state in dst->private: PAGE_WAS_MAPPED | PAGE_WAS_MLOCKED,
// or'ed with the anon_vma pointer (here: anon_vma index + 1, shifted above the state bits).
const PAGE_WAS_MAPPED = 1;
const PAGE_WAS_MLOCKED = 2;

const isThp = (k: Kernel, folio: number): boolean => testPageFlag(k, folio, PG.head) && k.mem.order.a[folio] === 9;

function refsText(k: Kernel, folio: number): string {
  return `refcount ${folio_ref_count(k, folio)}, mapcount ${folio_mapcount(k, folio)}`;
}

// include/linux/mm.h: folio_expected_ref_count() — the references a folio must have when only
// its swap cache or page cache, its private data and its mappings hold it.
export function folio_expected_ref_count(k: Kernel, folio: number): { count: number; parts: string[] } {
  // A typed page other than hugetlb (zsmalloc, offline, table, ...) is no folio these counts
  // describe: the kernel warns once (WARN_ON_ONCE) and expects no reference at all.
  const type = pageType(k, folio);
  if (type !== PGTY.none && type !== PGTY.hugetlb) return { count: 0, parts: [`page_has_type ${pageTypeName(type)}: WARN_ON_ONCE, 0`] };
  const nr = folio_nr_pages(k, folio);
  const parts: string[] = [];
  let count = 0;
  if (folio_test_swapcache(k, folio)) {
    count += nr;
    parts.push(`swap cache ${nr}`);
  }
  if (!folio_test_anon(k, folio)) {
    if (k.mem.mapping.a[folio] !== 0) {
      count += nr;
      parts.push(`page cache ${nr}`);
    }
    if (testPageFlag(k, folio, PG.private)) {
      count += 1;
      parts.push('PG_private 1');
    }
  }
  const mc = folio_mapcount(k, folio);
  if (mc) parts.push(`mapcount ${mc}`);
  return { count: count + mc, parts };
}

/** Who holds references beyond what is expected, in words (for the -EAGAIN narration). */
function extraHolders(k: Kernel, folio: number): string {
  const names = holdersOf(k.pins, folio).filter((h) => h !== HOLD.ISOLATED).map((h) => HOLD_NAMES[h]);
  return names.length ? names.join(', ') : 'an unknown holder';
}

/** migrate_pages()' vm events at its end: pgmigrate_success/fail, thp_migration_success/fail/split. */
export function countMigrateEvents(k: Kernel, stats: MigrateStats): void {
  count_vm_events(k, VM_EVENT.PGMIGRATE_SUCCESS, stats.nr_succeeded);
  count_vm_events(k, VM_EVENT.PGMIGRATE_FAIL, stats.nr_failed_pages);
  count_vm_events(k, VM_EVENT.THP_MIGRATION_SUCCESS, stats.nr_thp_succeeded);
  count_vm_events(k, VM_EVENT.THP_MIGRATION_FAIL, stats.nr_thp_failed);
  count_vm_events(k, VM_EVENT.THP_MIGRATION_SPLIT, stats.nr_thp_split);
}

// mm/migrate.c: migrate_folio_done() — reported before its folio_put() so that the free and the
// merges that follow read in the order they happen.
function migrate_folio_done(c: Ctx, src: number): void {
  const { k } = c;
  const nr = folio_nr_pages(k, src);
  const movable = isMovable(k, src) || k.mem.pageType.a[src] === PGTY.offline;
  if (!movable && c.reason !== MR.DEMOTION) mod_node_page_state(k, testPageFlag(k, src, PG.swapbacked) ? NS.NR_ISOLATED_ANON : NS.NR_ISOLATED_FILE, -nr);
  const ops = pageOpsOf(k, src);
  if (ops?.put) {
    // A frozen page: no isolation reference to drop; the design's put frees it (PageOffline-aware).
    removeHolder(k.st, k.pins, src, HOLD.ISOLATED);
    const what = ops.put(k, src);
    emitStep(k, { phase: 'free', fn: 'migrate_folio_done', file: 'mm/migrate.c', text: `a movable_ops page (no NR_ISOLATED); ${what}`, pfns: [{ pfn: src, role: 'src', nr }] });
    return;
  }
  const ref = folio_ref_count(k, src);
  // MR_MEMORY_FAILURE: the reference goes to soft_offline_in_use_page(), whose
  // page_handle_poison() puts it and takes one back: the page stays held, out of use for good.
  const poisoned = c.reason === MR.MEMORY_FAILURE;
  if (poisoned) {
    removeHolder(k.st, k.pins, src, HOLD.ISOLATED);
    addHolder(k.st, k.pins, src, HOLD.HWPOISON);
  }
  emitStep(k, {
    phase: 'free', fn: 'migrate_folio_done', file: 'mm/migrate.c',
    text: `${movable ? 'a movable_ops page (no NR_ISOLATED)' : `NR_ISOLATED -${nr}`}; ` + (poisoned
      ? `reason memory_failure: the isolation reference is left to page_handle_poison(), which keeps ${hex(src)} out of use (refcount ${ref})`
      : `folio_put(src) drops the isolation reference (refcount ${ref} → ${ref - 1})${ref === 1 ? ': the old folio is freed to the buddy allocator' : ''}`),
    pfns: [{ pfn: src, role: 'src', nr }],
  });
  if (poisoned) return;
  // The isolation reference is still held at the step that tells of its put.
  removeHolder(k.st, k.pins, src, HOLD.ISOLATED);
  folio_put(k, src);
  ops?.migrated?.(k, src);
}

function undo_src(c: Ctx, src: number, wasMapped: boolean, locked: boolean, from: number, ret: number | null): StepInfo[] {
  const { k } = c;
  const steps = wasMapped ? remove_migration_ptes(k, src, src) : [];
  const restored = steps.length;
  if (locked) clearPageFlag(k, src, PG.locked);
  if (ret !== null) listMoveTail(k, src, from, ret);
  steps.push(mkStep(k, {
    phase: 'putback', fn: 'migrate_folio_undo_src', file: 'mm/migrate.c',
    text: `undo on ${hex(src)}: ${restored ? `${restored} PTE${restored > 1 ? 's' : ''} restored from migration entries, ` : ''}${locked ? 'unlocked, ' : ''}${ret !== null ? 'moved to the failed list' : 'left on the list to retry'} (${refsText(k, src)})`,
    pfns: [{ pfn: src, role: 'src', nr: folio_nr_pages(k, src) }],
  }));
  return steps;
}

function undo_dst(c: Ctx, dst: number, locked: boolean): StepInfo {
  const { k } = c;
  const nr = folio_nr_pages(k, dst);
  if (locked) clearPageFlag(k, dst, PG.locked);
  removeHolder(k.st, k.pins, dst, HOLD.MIGRATE_NEW);
  const ops = pageOpsOf(k, dst);
  const frozen = ops?.put ? ops.put(k, dst, c.target) : '';
  if (frozen) { /* a frozen destination: the design's put gave it back */ } else if (c.target.put) c.target.put(k, dst);
  else folio_put(k, dst);
  return mkStep(k, {
    phase: 'free', fn: 'migrate_folio_undo_dst', file: 'mm/migrate.c',
    text: `the unused destination ${hex(dst)} is unlocked and given back (${frozen || (c.target.put ? 'put_new_folio' : 'folio_put')})`,
    pfns: [{ pfn: dst, role: 'dst', nr }],
  });
}

// mm/migrate.c: migrate_folio_unmap() — 0 with *dst set, or an error; on -EAGAIN the folio stays
// on `from` for the next pass, on other errors it moves to `ret`.
function* migrate_folio_unmap(c: Ctx, src: number, mode: MigrateMode, from: number, ret: number): Steps<{ rc: number; dst: number }> {
  const { k } = c;
  const nr = folio_nr_pages(k, src);
  const order = k.mem.order.a[src]!;
  const ops = pageOpsOf(k, src);
  const dst = ops?.newPage ? ops.newPage(k, src, c.target) : c.target.get(k, src);
  if (dst < 0) {
    yield mkStep(k, {
      phase: 'alloc', fn: 'migrate_folio_unmap', file: 'mm/migrate.c',
      text: `${c.target.name} finds no free order-${order} folio for ${hex(src)}: -ENOMEM`,
      pfns: [{ pfn: src, role: 'src', nr }], result: '-ENOMEM',
    });
    return { rc: ENOMEM, dst: -1 };
  }
  addHolder(k.st, k.pins, dst, HOLD.MIGRATE_NEW);
  setPagePrivate(k, dst, 0);
  yield mkStep(k, {
    phase: 'alloc', fn: c.target.name, file: c.target.name === 'compaction_alloc' ? 'mm/compaction.c' : 'mm/migrate.c',
    text: `destination for ${hex(src)}: new order-${order} folio ${hex(dst)} in zone ${k.zones[pageZone(k, dst)]!.name} (refcount ${folio_ref_count(k, dst)})`,
    pfns: [{ pfn: src, role: 'src', nr }, { pfn: dst, role: 'dst', nr }],
  });
  let rc = EAGAIN;
  let state = 0;
  let locked = false;
  let dstLocked = false;
  function* out(): Steps<{ rc: number; dst: number }> {
    for (const s of undo_src(c, src, (state & PAGE_WAS_MAPPED) !== 0, locked, from, rc === EAGAIN ? null : ret)) yield s;
    yield undo_dst(c, dst, dstLocked);
    return { rc, dst: -1 };
  }
  // folio_trylock(src)
  if (testPageFlag(k, src, PG.locked) && guardOn(k, 'trylock')) {
    const why = mode === MIGRATE_MODE.ASYNC ? 'MIGRATE_ASYNC does not wait for it'
      : c.pfMemalloc ? 'direct compaction (PF_MEMALLOC) must not sleep on it'
        : mode === MIGRATE_MODE.SYNC_LIGHT && !testPageFlag(k, src, PG.uptodate) ? 'MIGRATE_SYNC_LIGHT does not wait for I/O' : '';
    if (why) {
      yield mkStep(k, { phase: 'unmap', fn: 'folio_trylock', file: 'mm/migrate.c', text: `${hex(src)} is locked by someone else and ${why}: -EAGAIN`, pfns: [{ pfn: src, role: 'src', nr }], result: '-EAGAIN', ...raceExclusion(k, 'trylock', 'trylock failed') });
      return yield* out();
    }
    while (testPageFlag(k, src, PG.locked)) {
      yield mkStep(k, { phase: 'unmap', fn: 'folio_lock', file: 'mm/filemap.c', text: `${hex(src)} is locked by someone else: ${c.who} sleeps until it is unlocked`, pfns: [{ pfn: src, role: 'src', nr }] });
    }
  }
  setPageFlag(k, src, PG.locked);
  locked = true;
  if (testPageFlag(k, src, PG.mlocked)) state |= PAGE_WAS_MLOCKED;
  yield mkStep(k, { phase: 'unmap', fn: 'migrate_folio_unmap', file: 'mm/migrate.c', text: `${c.who} locks the source ${hex(src)} (PG_locked): ${isMovable(k, src) ? 'nothing faults on it; whoever else folio_trylock()s it (isolation, the driver) passes it by' : 'faults on it will wait'} (${refsText(k, src)})`, pfns: [{ pfn: src, role: 'src', nr }] });
  if (testPageFlag(k, src, PG.writeback)) {
    if (mode !== MIGRATE_MODE.SYNC) {
      rc = EBUSY;
      yield mkStep(k, { phase: 'unmap', fn: 'migrate_folio_unmap', file: 'mm/migrate.c', text: `${hex(src)} is under writeback and only MIGRATE_SYNC waits for it (${MODE_NAMES[mode]}): -EBUSY`, pfns: [{ pfn: src, role: 'src', nr }], result: '-EBUSY' });
      return yield* out();
    }
    // folio_wait_writeback(): the I/O completes while we sleep.
    folio_end_writeback(k, src);
    yield mkStep(k, { phase: 'unmap', fn: 'folio_wait_writeback', file: 'mm/page-writeback.c', text: `${hex(src)} is under writeback: MIGRATE_SYNC sleeps until the I/O completes (PG_writeback cleared)`, pfns: [{ pfn: src, role: 'src', nr }] });
  }
  const anonVma = folio_test_anon(k, src) ? mappingId(k.mem.mapping.a[src]!) : -1; // folio_get_anon_vma()
  // folio_trylock(dst): a fresh folio nobody else knows.
  setPageFlag(k, dst, PG.locked);
  dstLocked = true;
  if (isMovable(k, src)) {
    setPagePrivate(k, dst, state); // __migrate_folio_record(): nothing to unmap
    yield mkStep(k, {
      phase: 'unmap', fn: 'migrate_folio_unmap', file: 'mm/migrate.c',
      text: `${hex(src)} is a movable_ops page (${movableKind(k, src)}): not mapped, nothing to unmap — the unmap phase only locks both pages`,
      pfns: [{ pfn: src, role: 'src', nr }, { pfn: dst, role: 'dst', nr }], result: '0',
    });
    return { rc: 0, dst };
  }
  if (k.mem.mapping.a[src] === 0) {
    if (testPageFlag(k, src, PG.private)) {
      yield mkStep(k, { phase: 'unmap', fn: 'migrate_folio_unmap', file: 'mm/migrate.c', text: `${hex(src)} has no mapping but private data: try_to_free_buffers(), then -EAGAIN`, pfns: [{ pfn: src, role: 'src', nr }], result: '-EAGAIN' });
      return yield* out();
    }
  } else if (folio_mapped(k, src)) {
    yield mkStep(k, {
      phase: 'unmap', fn: 'migrate_folio_unmap', file: 'mm/migrate.c',
      text: `destination ${hex(dst)} locked; ${anonVma >= 0 ? `folio_get_anon_vma() pins anon_vma #${anonVma} (the mapcount is about to drop to 0); ` : ''}try_to_migrate() replaces the ${folio_mapcount(k, src)} PTE mapping(s) with migration entries`,
      pfns: [{ pfn: src, role: 'src', nr }, { pfn: dst, role: 'dst', nr }],
    });
    const r = try_to_migrate(k, src);
    state |= PAGE_WAS_MAPPED;
    for (const s of r.steps) yield s;
  }
  if (!folio_mapped(k, src)) {
    setPagePrivate(k, dst, state | ((anonVma + 1) << 2)); // __migrate_folio_record()
    yield mkStep(k, {
      phase: 'unmap', fn: 'migrate_folio_unmap', file: 'mm/migrate.c',
      text: `${hex(src)} is unmapped (mapcount 0, refcount ${folio_ref_count(k, src)}); the state (${state & PAGE_WAS_MAPPED ? 'PAGE_WAS_MAPPED' : 'was not mapped'}${anonVma >= 0 ? ' + anon_vma' : ''}) is recorded in dst->private = ${state | ((anonVma + 1) << 2)}`,
      pfns: [{ pfn: src, role: 'src', nr }, { pfn: dst, role: 'dst', nr }], result: '0',
    });
    return { rc: 0, dst };
  }
  yield mkStep(k, { phase: 'unmap', fn: 'migrate_folio_unmap', file: 'mm/migrate.c', text: `${hex(src)} is still mapped after try_to_migrate(): -EAGAIN, the migration entries made so far are undone`, pfns: [{ pfn: src, role: 'src', nr }], result: '-EAGAIN' });
  return yield* out();
}

/** __folio_migrate_mapping() for an anonymous folio outside the swap cache: dst takes src's anon_vma and index. */
export function folio_take_anon_mapping(k: Kernel, dst: number, src: number): void {
  setPageIndex(k, dst, k.mem.index.a[src]!);
  setPageMapping(k, dst, k.mem.mapping.a[src]!);
  if (testPageFlag(k, src, PG.swapbacked)) setPageFlag(k, dst, PG.swapbacked);
}

// mm/migrate.c: __folio_migrate_mapping() — the mapping switch, under a frozen refcount when the
// folio is in the page cache.
function* __folio_migrate_mapping(c: Ctx, dst: number, src: number, expected: number): Steps<number> {
  const { k } = c;
  const nr = folio_nr_pages(k, src);
  const as = folioAddressSpace(k, src);
  if (folio_test_swapcache(k, src)) return yield* swapcacheMigrateMapping(c, dst, src, expected);
  if (!as) {
    // Anon, not in the swap cache: no xarray to update, no freeze (a large rmappable folio is
    // frozen for an instant to leave the deferred split queue; not modelled).
    folio_take_anon_mapping(k, dst, src);
    yield mkStep(k, {
      phase: 'move-mapping', fn: '__folio_migrate_mapping', file: 'mm/migrate.c',
      text: `anonymous folio, no page cache: dst takes src's mapping (anon_vma) and index ${k.mem.index.a[src]}; nothing to freeze`,
      pfns: [{ pfn: src, role: 'src', nr }, { pfn: dst, role: 'dst', nr }], result: '0',
    });
    return 0;
  }
  // xas_lock_irq(); folio_ref_freeze(src, expected)
  const ref = folio_ref_count(k, src);
  if (ref !== expected && guardOn(k, 'refcount')) {
    yield mkStep(k, {
      phase: 'refcount', fn: 'folio_ref_freeze', file: 'include/linux/page_ref.h',
      text: `under the i_pages lock: refcount ${ref}, expected ${expected}: the freeze fails (${extraHolders(k, src)}) → -EAGAIN`,
      pfns: [{ pfn: src, role: 'src', nr }], result: '-EAGAIN', ...raceExclusion(k, 'refcount', `refcount ${ref}, expected ${expected}`),
    });
    return EAGAIN;
  }
  setPageRefcount(k, src, 0);
  yield mkStep(k, {
    phase: 'refcount', fn: 'folio_ref_freeze', file: 'include/linux/page_ref.h',
    text: `under the i_pages lock of ${as.name}: refcount ${ref} == expected ${expected}, frozen to 0 — speculative lookups (folio_try_get) now fail`,
    pfns: [{ pfn: src, role: 'src', nr }],
  });
  setPageIndex(k, dst, k.mem.index.a[src]!);
  setPageMapping(k, dst, k.mem.mapping.a[src]!);
  folio_ref_add(k, dst, nr); // the cache's references
  if (testPageFlag(k, src, PG.swapbacked)) setPageFlag(k, dst, PG.swapbacked);
  const dirty = testClearPageFlag(k, src, PG.dirty);
  if (dirty) setPageFlag(k, dst, PG.dirty);
  const index = k.mem.index.a[src]!;
  for (let i = 0; i < nr; i++) put(k.st, as.pages, index + i, dst); // xas_store()
  setPageRefcount(k, src, expected - nr); // folio_ref_unfreeze(): the cache's references leave with it
  yield mkStep(k, {
    phase: 'move-mapping', fn: '__folio_migrate_mapping', file: 'mm/migrate.c',
    text: `${as.name}[${index}] now points at ${hex(dst)} (+${nr} cache ref → refcount ${folio_ref_count(k, dst)})${dirty ? ', PG_dirty moved to dst' : ''}; src unfrozen at ${expected} − ${nr} = ${expected - nr}`,
    pfns: [{ pfn: src, role: 'src', nr }, { pfn: dst, role: 'dst', nr }], result: '0',
  });
  return 0;
}

// mm/migrate.c: __folio_migrate_mapping() for a folio in the swap cache (folio_mapping() is the
// swap address space): under the swap cluster lock the refcount is frozen at the expected count
// (which has the cache's one per page), dst takes index, mapping, PG_swapbacked, PG_swapcache,
// folio->swap and the cache's references, every slot is pointed at dst
// (__swap_cache_replace_folio()), and src is unfrozen without the cache's references.
function* swapcacheMigrateMapping(c: Ctx, dst: number, src: number, expected: number): Steps<number> {
  const { k } = c;
  const nr = folio_nr_pages(k, src);
  const entry = folioSwapEntry(k, src);
  const ref = folio_ref_count(k, src);
  if (ref !== expected && guardOn(k, 'refcount')) {
    yield mkStep(k, {
      phase: 'refcount', fn: 'folio_ref_freeze', file: 'include/linux/page_ref.h',
      text: `under the swap cluster lock: refcount ${ref}, expected ${expected}: the freeze fails (${extraHolders(k, src)}) → -EAGAIN`,
      pfns: [{ pfn: src, role: 'src', nr }], result: '-EAGAIN', ...raceExclusion(k, 'refcount', `refcount ${ref}, expected ${expected}`),
    });
    return EAGAIN;
  }
  setPageRefcount(k, src, 0);
  setPageIndex(k, dst, k.mem.index.a[src]!);
  setPageMapping(k, dst, k.mem.mapping.a[src]!);
  folio_ref_add(k, dst, nr); // the swap cache's references
  setPageFlag(k, dst, PG.swapbacked);
  setPageFlag(k, dst, PG.owner_priv_1); // folio_set_swapcache()
  setPagePrivate(k, dst, entry); // newfolio->private = folio_get_private(folio)
  const dirty = testClearPageFlag(k, src, PG.dirty);
  if (dirty) setPageFlag(k, dst, PG.dirty);
  __swap_cache_replace_folio(k, src, dst);
  setPageRefcount(k, src, expected - nr); // folio_ref_unfreeze()
  yield mkStep(k, {
    phase: 'move-mapping', fn: '__folio_migrate_mapping', file: 'mm/migrate.c',
    text: `swap cache: refcount ${ref} == expected ${expected}, frozen; swap slot${nr > 1 ? 's' : ''} ${entry}${nr > 1 ? `–${entry + nr - 1}` : ''} now point at ${hex(dst)}, which takes PG_swapcache, folio->swap = ${entry} and the cache's ${nr} reference${nr > 1 ? 's' : ''} (refcount ${folio_ref_count(k, dst)})${dirty ? ', PG_dirty moved to dst' : ''}; src unfrozen at ${expected} − ${nr} = ${expected - nr}`,
    pfns: [{ pfn: src, role: 'src', nr }, { pfn: dst, role: 'dst', nr }], result: '0',
  });
  return 0;
}

// mm/migrate.c: folio_migrate_flags()
export function folio_migrate_flags(k: Kernel, dst: number, src: number): string[] {
  const moved: string[] = [];
  const copy = (bit: number, name: string): void => {
    if (testPageFlag(k, src, bit)) {
      setPageFlag(k, dst, bit);
      moved.push(name);
    }
  };
  copy(PG.referenced, 'referenced');
  copy(PG.uptodate, 'uptodate');
  if (testClearPageFlag(k, src, PG.active)) {
    setPageFlag(k, dst, PG.active);
    moved.push('active (cleared on src)');
  } else if (testClearPageFlag(k, src, PG.unevictable)) {
    setPageFlag(k, dst, PG.unevictable);
    moved.push('unevictable (cleared on src)');
  }
  copy(PG.workingset, 'workingset');
  if (!testPageFlag(k, src, PG.swapbacked)) copy(PG.owner_priv_1, 'checked');
  copy(PG.owner_2, 'mappedtodisk/anon_exclusive');
  copy(PG.dirty, 'dirty');
  copy(PG.young, 'young');
  copy(PG.idle, 'idle');
  if (testPageFlag(k, src, PG.swapbacked)) clearPageFlag(k, src, PG.owner_priv_1); // folio_clear_swapcache()
  clearPageFlag(k, src, PG.private);
  if (k.mem.pageType.a[src] !== PGTY.hugetlb) setPagePrivate(k, src, 0); // a hugetlb folio keeps its HPG_* flags there
  if (testPageFlag(k, dst, PG.writeback)) clearPageFlag(k, dst, PG.writeback); // folio_end_writeback()
  copy(PG.reclaim, 'readahead');
  return moved;
}

// mm/migrate.c: __migrate_folio() (via migrate_folio(), filemap_migrate_folio()).
function* __migrate_folio(c: Ctx, dst: number, src: number, srcPrivate: boolean, fn: string): Steps<number> {
  const { k } = c;
  const nr = folio_nr_pages(k, src);
  const exp = folio_expected_ref_count(k, src);
  const expected = exp.count + 1;
  const ref = folio_ref_count(k, src);
  const parts = [...exp.parts, 'isolation 1'].join(' + ');
  if (ref !== expected && guardOn(k, 'refcount')) {
    yield mkStep(k, {
      phase: 'refcount', fn, file: 'mm/migrate.c',
      text: `refcount ${ref}, expected ${expected} (${parts}): ${ref - expected} more reference${ref - expected === 1 ? '' : 's'} held by ${extraHolders(k, src)} → -EAGAIN`,
      pfns: [{ pfn: src, role: 'src', nr }, { pfn: dst, role: 'dst', nr }], result: '-EAGAIN', ...raceExclusion(k, 'refcount', `refcount ${ref}, expected ${expected}`),
    });
    return EAGAIN;
  }
  yield mkStep(k, {
    phase: 'refcount', fn, file: 'mm/migrate.c',
    text: `refcount ${ref} == expected ${expected} (folio_expected_ref_count ${exp.count}: ${exp.parts.join(' + ') || 'nothing'}; + 1 isolation): no one else holds ${hex(src)}`,
    pfns: [{ pfn: src, role: 'src', nr }, { pfn: dst, role: 'dst', nr }],
  });
  yield mkStep(k, {
    phase: 'copy', fn: 'folio_mc_copy', file: 'mm/util.c',
    text: `copy ${nr} page${nr > 1 ? 's' : ''} of contents ${hex(src)} → ${hex(dst)} (machine-check safe). 6.18 copies before switching the mapping, unlike steps 9–12 of Documentation/mm/page_migration.rst`,
    pfns: [{ pfn: src, role: 'src', nr }, { pfn: dst, role: 'dst', nr }],
  });
  const rc = yield* __folio_migrate_mapping(c, dst, src, expected);
  if (rc) return rc;
  if (srcPrivate) {
    // folio_attach_private(dst, folio_detach_private(src)): the private reference moves.
    clearPageFlag(k, src, PG.private);
    const priv = k.mem.private_.a[src]!;
    setPagePrivate(k, src, 0);
    folio_put(k, src);
    folio_get(k, dst);
    setPageFlag(k, dst, PG.private);
    setPagePrivate(k, dst, priv);
  }
  const moved = folio_migrate_flags(k, dst, src);
  yield mkStep(k, {
    phase: 'copy', fn: 'folio_migrate_flags', file: 'mm/migrate.c',
    text: `flags copied to ${hex(dst)}: ${moved.join(', ') || 'none'}${srcPrivate ? '; private data (buffer heads) and its reference moved' : ''}`,
    pfns: [{ pfn: src, role: 'src', nr }, { pfn: dst, role: 'dst', nr }], result: '0',
  });
  return 0;
}

// mm/migrate.c: move_to_new_folio() — pick the migrate_folio callback of the folio's mapping.
export function* move_to_new_folio(c: Ctx, dst: number, src: number, mode: MigrateMode): Steps<number> {
  const { k } = c;
  const as = folioAddressSpace(k, src);
  let rc: number;
  if (!as) rc = yield* __migrate_folio(c, dst, src, false, 'migrate_folio');
  else if (as.kind === 'ramfs') {
    // ramfs's ram_aops has no migrate_folio: fallback_migrate_folio() refuses dirty folios.
    if (testPageFlag(k, src, PG.dirty)) {
      yield mkStep(k, {
        phase: 'move-mapping', fn: 'fallback_migrate_folio', file: 'mm/migrate.c',
        text: `${as.name} (ramfs) has no migrate_folio callback and ${hex(src)} is dirty: fallback_migrate_folio() returns -EBUSY (a permanent failure)`,
        pfns: [{ pfn: src, role: 'src' }], result: '-EBUSY',
      });
      rc = EBUSY;
    } else rc = yield* __migrate_folio(c, dst, src, false, 'migrate_folio');
  } else if (as.kind === 'shmem') rc = yield* __migrate_folio(c, dst, src, false, 'migrate_folio');
  else rc = yield* __migrate_folio(c, dst, src, testPageFlag(k, src, PG.private), 'filemap_migrate_folio');
  if (!rc && !folio_test_anon(k, src)) setPageMapping(k, src, 0); // page-cache src must lose its mapping before it is freed
  void mode;
  return rc;
}

// mm/migrate.c: migrate_folio_move() — 0 (src will be freed), -EAGAIN (stay for the next pass),
// or another error (undone, src to `ret`).
function* migrate_folio_move(c: Ctx, src: number, dst: number, mode: MigrateMode, unmap: number, dsts: number, ret: number): Steps<number> {
  const { k } = c;
  const nr = folio_nr_pages(k, src);
  const recorded = k.mem.private_.a[dst]!;
  const state = recorded & 3; // __migrate_folio_extract()
  setPagePrivate(k, dst, 0);
  // list_del(&dst->lru) first: a movable_ops driver may put dst on its own list (the balloon does).
  const next = k.mem.lruNext.a[dst]!;
  listDel(k, k.lists, dsts, dst);
  const movable = isMovable(k, src);
  const rc = movable ? yield* migrate_movable_ops_page(k, dst, src) : yield* move_to_new_folio(c, dst, src, mode);
  if (rc === EAGAIN) {
    // list_add(&dst->lru, prev): back where it was, for the next pass.
    if (next === -1) listAddTail(k, k.lists, dsts, dst);
    else addBefore(k, dsts, dst, next);
    setPagePrivate(k, dst, recorded); // __migrate_folio_record() again
    return rc;
  }
  if (rc) {
    for (const s of undo_src(c, src, (state & PAGE_WAS_MAPPED) !== 0, true, unmap, ret)) yield s;
    yield undo_dst(c, dst, true);
    return rc;
  }
  if (!movable) yield* add_lru_and_remap(c, src, dst, state);
  clearPageFlag(k, dst, PG.locked);

  removeHolder(k.st, k.pins, dst, HOLD.MIGRATE_NEW);
  const dops = pageOpsOf(k, dst);
  if (dops?.put) {
    // A design whose pages hold no reference: its put says what happens instead of the folio_put().
    const what = dops.put(k, dst);
    yield mkStep(k, {
      phase: 'remap', fn: 'migrate_folio_move', file: 'mm/migrate.c',
      text: `${hex(dst)} unlocked; ${what}`,
      pfns: [{ pfn: src, role: 'src', nr }, { pfn: dst, role: 'dst', nr }],
    });
  } else {
    const dref = folio_ref_count(k, dst);
    folio_put(k, dst);
    yield mkStep(k, {
      phase: 'remap', fn: 'migrate_folio_move', file: 'mm/migrate.c',
      text: `${hex(dst)} unlocked; folio_put(dst) drops the allocation reference (refcount ${dref} → ${dref - 1}: ${dstKeepers(k, dst)})`,
      pfns: [{ pfn: src, role: 'src', nr }, { pfn: dst, role: 'dst', nr }],
    });
  }
  listDel(k, k.lists, unmap, src);
  clearPageFlag(k, src, PG.locked);
  migrate_folio_done(c, src);
  return 0;
}

// The LRU half of migrate_folio_move(): dst into this CPU's lru_add batch (a large folio goes on
// the LRU at once), then its PTEs back. An mlocked source's dst is drained onto the LRU first, so
// remove_migration_pte()'s mlock_vma_folio() finds it there and counts its VM_LOCKED mappings.
export function* add_lru_and_remap(c: Ctx, src: number, dst: number, state: number): Steps<void> {
  const { k } = c;
  const nr = folio_nr_pages(k, dst);
  const rescued = testPageFlag(k, dst, PG.unevictable);
  const ref = folio_ref_count(k, dst);
  folio_add_lru(k, dst);
  const mlocked = (state & PAGE_WAS_MLOCKED) !== 0;
  const drained = mlocked ? lru_add_drain_cpu(k, k.cpu) : 0;
  const batched = lruBatchCpu(k.fbatch, dst) >= 0;
  const where = batched
    ? `waits in CPU ${k.cpu}'s lru_add batch, whose reference it now carries (refcount ${ref} → ${ref + 1}); it gets PG_lru and a list when the batch fills or is drained`
    : mlocked
      ? `is on the LRU now: the source was mlocked (PAGE_WAS_MLOCKED), so lru_add_drain() moved CPU ${k.cpu}'s batch (${drained} folio(s)) at once, and lru_add() finds it evictable until its VM_LOCKED PTEs return${rescued ? ' (PG_unevictable, moved from the source, is cleared: unevictable_pgs_rescued)' : ''}`
      : nr > 1 ? 'is on the LRU at once: a large folio never waits in a per-CPU batch (folio_may_be_lru_cached)'
        : 'is on the LRU at once: it filled the batch, or lru_cache_disable() is in force';
  yield mkStep(k, {
    phase: 'move-mapping', fn: 'folio_add_lru', file: 'mm/swap.c',
    text: `the new folio ${hex(dst)} is added to the LRU before its PTEs come back (so an mlocked folio's mlock_count builds up right) — after them in the numbered list of page_migration.rst: it ${where}`,
    pfns: [{ pfn: dst, role: 'dst', nr }],
  });
  if (state & PAGE_WAS_MAPPED) for (const s of remove_migration_ptes(k, src, dst)) yield s;
}

// mm/migrate.c: migrate_movable_ops_page() → the page type's ops->migrate_page() (balloon:
// balloon_page_migrate() → virtballoon_migratepage()); on success PG_movable_ops_isolated is
// cleared on src. The core then drops dst's allocation reference and src's isolation reference.
export function* migrate_movable_ops_page(k: Kernel, dst: number, src: number): Steps<number> {
  const ops = pageOpsOf(k, src);
  if (ops) {
    // The design's own migrate_page (6.12: move_to_new_folio()'s movable branch clears PG_isolated itself).
    const r = ops.migrate(k, dst, src);
    for (const s of r.steps) yield s;
    return r.rc;
  }
  let rc: number;
  if (k.mem.pageType.a[src] === PGTY.zsmalloc) {
    const r = zs_page_migrate(k, dst, src);
    for (const s of r.steps) yield s;
    rc = r.rc;
  } else {
    // The balloon's migrate_page is the run's kernel's (balloon_mops, registered by its tree).
    const mops = runDesign(k).balloonMops;
    rc = mops ? yield* mops.migrate_page(k, dst, src) : yield* balloon_page_migrate(k, dst, src);
  }
  if (rc === 0) clearPageFlag(k, src, PG.reclaim); // ClearPageMovableOpsIsolated()
  return rc;
}

function* migrate_folios_undo(c: Ctx, unmap: number, dsts: number, ret: number): Steps<void> {
  const { k } = c;
  while (!listEmpty(k.lists, unmap)) {
    const src = listFirst(k, k.lists, unmap);
    const dst = listFirst(k, k.lists, dsts);
    const state = k.mem.private_.a[dst]! & 3;
    setPagePrivate(k, dst, 0);
    for (const s of undo_src(c, src, (state & PAGE_WAS_MAPPED) !== 0, true, unmap, ret)) yield s;
    listDel(k, k.lists, dsts, dst);
    yield undo_dst(c, dst, true);
  }
}

// mm/migrate.c: migrate_pages_batch() — unmap everything it can, then move what is unmapped.
function* migrate_pages_batch(c: Ctx, from: number, mode: MigrateMode, ret: number, split: number | null, stats: MigrateStats, nrPass: number): Steps<number> {
  const { k } = c;
  spanOpen(k, 'batch');
  const unmap = newFolioList(k, FOLIO_LIST.unmap_folios);
  const dsts = newFolioList(k, FOLIO_LIST.dst_folios);
  let retry = 1;
  let thpRetry = 0;
  let nrFailed = 0;
  let nrRetryPages = 0;
  let rcSaved = 0;
  let skipMove = false;
  unmapPhase: for (let pass = 0; pass < nrPass && retry; pass++) {
    retry = 0;
    thpRetry = 0;
    nrRetryPages = 0;
    spanClose(k, 'pass');
    spanOpen(k, 'pass');
    yield mkStep(k, {
      phase: 'unmap', fn: 'migrate_pages_batch', file: 'mm/migrate.c',
      text: `${MODE_NAMES[mode]} unmap pass ${pass + 1} of at most ${nrPass} over ${folioListPfns(k, from).length} folio(s)`,
      pfns: folioListPfns(k, from).map((p) => ({ pfn: p, role: 'src' as const, nr: folio_nr_pages(k, p) })),
    });
    for (const folio of folioListPfns(k, from)) {
      const nr = folio_nr_pages(k, folio);
      const thp = isThp(k, folio);
      // A partially mapped folio on the deferred split queue is split now, its pieces migrated
      // after the batch; it counts as failed so migrate_pages() never reports success early.
      if (nr > 2 && split !== null && folioOnDeferredList(k, folio) && folio_test_partially_mapped(k, folio)) {
        yield mkStep(k, {
          phase: 'split', fn: 'migrate_pages_batch', file: 'mm/migrate.c',
          text: `${hex(folio)} is a partially mapped order-${Math.log2(nr)} folio on the deferred split queue: 6.18 splits it before migrating (try_split_folio)`,
          pfns: [{ pfn: folio, role: 'src', nr }],
        });
        if ((yield* try_split_folio(c, folio, from, split, mode)) === 0) {
          nrFailed++;
          stats.nr_thp_failed += thp ? 1 : 0;
          stats.nr_thp_split += thp ? 1 : 0;
          stats.nr_split++;
          continue;
        }
      }
      if (!isMovable(k, folio) && folio_ref_count(k, folio) === 1) {
        // Only our isolation reference is left: the owner freed it under us.
        clearPageFlag(k, folio, PG.active);
        clearPageFlag(k, folio, PG.unevictable);
        listDel(k, k.lists, from, folio);
        migrate_folio_done(c, folio);
        stats.nr_succeeded += nr;
        stats.nr_thp_succeeded += thp ? 1 : 0;
        continue;
      }
      spanOpen(k, 'folio');
      const { rc, dst } = yield* migrate_folio_unmap(c, folio, mode, from, ret);
      spanClose(k, 'folio');
      if (rc === ENOMEM) {
        nrFailed++;
        stats.nr_thp_failed += thp ? 1 : 0;
        // A large folio is split and its pieces retried later (not for NUMA hinting faults).
        if (nr > 1 && split !== null && c.reason !== MR.NUMA_MISPLACED) {
          const src = yield* try_split_folio(c, folio, from, split, mode);
          if (src === 0) {
            stats.nr_thp_split += thp ? 1 : 0;
            stats.nr_split++;
            continue;
          }
        }
        stats.nr_failed_pages += nr + nrRetryPages;
        stats.nr_thp_failed += thpRetry;
        rcSaved = rc;
        if (listEmpty(k.lists, unmap)) skipMove = true;
        break unmapPhase;
      } else if (rc === EAGAIN) {
        retry++;
        thpRetry += thp ? 1 : 0;
        nrRetryPages += nr;
      } else if (rc === 0) {
        listMoveTail(k, folio, from, unmap);
        listAddTail(k, k.lists, dsts, dst);
      } else {
        nrFailed++;
        stats.nr_thp_failed += thp ? 1 : 0;
        stats.nr_failed_pages += nr;
      }
    }
  }
  if (!rcSaved) {
    nrFailed += retry;
    stats.nr_thp_failed += thpRetry;
    stats.nr_failed_pages += nrRetryPages;
  }
  if (!skipMove) {
    // try_to_unmap_flush(): one TLB flush for every unmapped folio.
    retry = 1;
    for (let pass = 0; pass < nrPass && retry; pass++) {
      retry = 0;
      thpRetry = 0;
      nrRetryPages = 0;
      if (listEmpty(k.lists, unmap)) break; // migrate_folios_move() over an empty list: nothing to count
      spanClose(k, 'pass');
      spanOpen(k, 'pass');
      yield mkStep(k, {
        phase: 'move-mapping', fn: 'migrate_folios_move', file: 'mm/migrate.c',
        text: `move pass ${pass + 1} of at most ${nrPass} over ${folioListPfns(k, unmap).length} unmapped folio(s) (TLBs flushed once by try_to_unmap_flush())`,
        pfns: folioListPfns(k, unmap).map((p) => ({ pfn: p, role: 'src' as const, nr: folio_nr_pages(k, p) })),
      });
      const srcs = folioListPfns(k, unmap);
      const dstList = folioListPfns(k, dsts);
      for (let i = 0; i < srcs.length; i++) {
        const src = srcs[i]!;
        const nr = folio_nr_pages(k, src);
        const thp = isThp(k, src);
        spanOpen(k, 'folio');
        const rc = yield* migrate_folio_move(c, src, dstList[i]!, mode, unmap, dsts, ret);
        spanClose(k, 'folio');
        if (rc === EAGAIN) {
          retry++;
          thpRetry += thp ? 1 : 0;
          nrRetryPages += nr;
        } else if (rc === 0) {
          stats.nr_succeeded += nr;
          stats.nr_thp_succeeded += thp ? 1 : 0;
        } else {
          nrFailed++;
          stats.nr_thp_failed += thp ? 1 : 0;
          stats.nr_failed_pages += nr;
        }
      }
    }
    nrFailed += retry;
    stats.nr_thp_failed += thpRetry;
    stats.nr_failed_pages += nrRetryPages;
  }
  spanClose(k, 'pass');
  // Folios still unmapped after the last pass: undone, to `ret`.
  yield* migrate_folios_undo(c, unmap, dsts, ret);
  spanClose(k, 'batch');
  return rcSaved || nrFailed;
}

// mm/migrate.c: migrate_pages_sync() — the batch in MIGRATE_ASYNC first (3 passes), then each
// remaining folio alone in the requested mode (7 passes).
function* migrate_pages_sync(c: Ctx, from: number, mode: MigrateMode, ret: number, split: number, stats: MigrateStats): Steps<number> {
  const { k } = c;
  const folios = newFolioList(k, FOLIO_LIST.folios);
  const astats: MigrateStats = { nr_succeeded: 0, nr_failed_pages: 0, nr_thp_succeeded: 0, nr_thp_failed: 0, nr_thp_split: 0, nr_split: 0 };
  let rc = yield* migrate_pages_batch(c, from, MIGRATE_MODE.ASYNC, folios, split, astats, NR_MAX_MIGRATE_ASYNC_RETRY);
  stats.nr_succeeded += astats.nr_succeeded;
  stats.nr_thp_succeeded += astats.nr_thp_succeeded;
  stats.nr_thp_split += astats.nr_thp_split;
  stats.nr_split += astats.nr_split;
  if (rc < 0) {
    stats.nr_failed_pages += astats.nr_failed_pages;
    stats.nr_thp_failed += astats.nr_thp_failed;
    for (const f of folioListPfns(k, folios)) listMoveTail(k, f, folios, ret);
    return rc;
  }
  stats.nr_thp_failed += astats.nr_thp_split;
  let nrFailed = astats.nr_split;
  for (const f of folioListPfns(k, folios)) listMoveTail(k, f, folios, from);
  if (!listEmpty(k.lists, from)) {
    yield mkStep(k, {
      phase: 'unmap', fn: 'migrate_pages_sync', file: 'mm/migrate.c',
      text: `${folioListPfns(k, from).length} folio(s) left after the MIGRATE_ASYNC batch: each is now retried alone in ${MODE_NAMES[mode]} (up to ${NR_MAX_MIGRATE_SYNC_RETRY} passes)`,
      pfns: folioListPfns(k, from).map((p) => ({ pfn: p, role: 'src' as const })),
    });
  }
  while (!listEmpty(k.lists, from)) {
    listMoveTail(k, listFirst(k, k.lists, from), from, folios);
    rc = yield* migrate_pages_batch(c, folios, mode, ret, split, stats, NR_MAX_MIGRATE_SYNC_RETRY);
    for (const f of folioListPfns(k, folios)) listMoveTail(k, f, folios, ret);
    if (rc < 0) return rc;
    nrFailed += rc;
  }
  return nrFailed;
}

export interface MigrateResult {
  readonly rc: number;
  readonly stats: MigrateStats;
}

// mm/migrate.c: migrate_pages() — returns the number of folios not migrated (or an error);
// the folios that were not migrated are back on `from` for the caller's putback.
export function* migrate_pages(k: Kernel, from: number, target: NewFolioSource, mode: MigrateMode, reason: MigrateReason, who: string, pfMemalloc = false): Steps<MigrateResult> {
  const c: Ctx = { k, target, reason, who, pfMemalloc };
  spanOpen(k, 'migrate_pages');
  const stats: MigrateStats = { nr_succeeded: 0, nr_failed_pages: 0, nr_thp_succeeded: 0, nr_thp_failed: 0, nr_thp_split: 0, nr_split: 0 };
  const total = folioListPfns(k, from);
  yield mkStep(k, {
    phase: 'isolate', fn: 'migrate_pages', file: 'mm/migrate.c',
    text: `${who}: migrate_pages() of ${total.length} isolated folio(s), ${MODE_NAMES[mode]}, reason ${MR_NAMES[reason]}, destinations from ${target.name}`,
    pfns: total.map((p) => ({ pfn: p, role: 'src' as const, nr: folio_nr_pages(k, p) })),
    trace: [`mm_migrate_pages_start: mode=${MODE_NAMES[mode]} reason=${MR_NAMES[reason]}`],
  });
  const ret = newFolioList(k, FOLIO_LIST.ret_folios);
  const split = newFolioList(k, FOLIO_LIST.split_folios);
  // A design with a path of its own for its pages (offline-migrate) takes them off `from` first,
  // the way hugetlb folios go to migrate_hugetlbs().
  const own = folioListPfns(k, from).map((p) => pageOpsOf(k, p)).find((o) => o?.migratePages);
  const rcOwn = own?.migratePages ? yield* own.migratePages(c, from, mode, ret, stats) : 0;
  // hugetlb folios first; -ENOMEM there ends it all (goto out).
  let rcGather = yield* migrate_hugetlbs(c, from, mode, ret, stats);
  if (rcGather >= 0) rcGather += rcOwn;
  while (rcGather >= 0 && !listEmpty(k.lists, from)) {
    // Cut a batch of up to NR_MAX_BATCHED_MIGRATION base pages (the folio that reaches it included).
    const folios = newFolioList(k, FOLIO_LIST.folios);
    let nrPages = 0;
    for (const f of folioListPfns(k, from)) {
      if (k.mem.pageType.a[f] === PGTY.hugetlb) {
        listMoveTail(k, f, from, ret); // retried hugetlb folios are kept in the list (for the caller's putback)
        continue;
      }
      nrPages += folio_nr_pages(k, f);
      listMoveTail(k, f, from, folios);
      if (nrPages >= NR_MAX_BATCHED_MIGRATION) break;
    }
    if (listEmpty(k.lists, folios)) continue; // only hugetlb folios were left: the kernel's batch of nothing does nothing
    const rc = mode === MIGRATE_MODE.ASYNC
      ? yield* migrate_pages_batch(c, folios, mode, ret, split, stats, NR_MAX_MIGRATE_PAGES_RETRY)
      : yield* migrate_pages_sync(c, folios, mode, ret, split, stats);
    for (const f of folioListPfns(k, folios)) listMoveTail(k, f, folios, ret);
    if (rc < 0) {
      rcGather = rc;
      for (const f of folioListPfns(k, split)) listMoveTail(k, f, split, ret);
      break;
    }
    if (!listEmpty(k.lists, split)) {
      // The pieces of split folios: one MIGRATE_ASYNC pass, no further splitting; their failures
      // are not counted again (the large folio already counted as one).
      yield mkStep(k, {
        phase: 'unmap', fn: 'migrate_pages', file: 'mm/migrate.c',
        text: `${folioListPfns(k, split).length} folio(s) from split large folios get one MIGRATE_ASYNC pass`,
        pfns: [],
      });
      yield* migrate_pages_batch(c, split, MIGRATE_MODE.ASYNC, ret, null, stats, 1);
      for (const f of folioListPfns(k, split)) listMoveTail(k, f, split, ret);
    }
    rcGather += rc;
  }
  // Permanent failures go back on `from` for the caller (list_splice: at its head).
  const failed = folioListPfns(k, ret);
  for (let i = failed.length - 1; i >= 0; i--) {
    listDel(k, k.lists, ret, failed[i]!);
    const head = k.lists.heads.a[2 * from]!;
    if (head === -1) listAddTail(k, k.lists, from, failed[i]!);
    else addBefore(k, from, failed[i]!, head);
  }
  if (listEmpty(k.lists, from)) rcGather = 0;
  countMigrateEvents(k, stats);
  yield mkStep(k, {
    phase: 'done', fn: 'migrate_pages', file: 'mm/migrate.c',
    text: `migrate_pages() returns ${errName(rcGather)}${rcGather > 0 ? ` (${rcGather} folio(s) not migrated)` : rcGather === 0 ? ' (everything migrated)' : ''}: ${stats.nr_succeeded} page(s) migrated, ${stats.nr_failed_pages} failed`,
    pfns: folioListPfns(k, from).map((p) => ({ pfn: p, role: 'src' as const })), result: errName(rcGather),
    trace: [`mm_migrate_pages: nr_succeeded=${stats.nr_succeeded} nr_failed=${stats.nr_failed_pages} nr_thp_succeeded=${stats.nr_thp_succeeded} nr_thp_failed=${stats.nr_thp_failed} nr_thp_split=${stats.nr_thp_split} nr_split=${stats.nr_split} mode=${MODE_NAMES[mode]} reason=${MR_NAMES[reason]}`],
  });
  spanClose(k, 'migrate_pages');
  return { rc: rcGather, stats };
}

// mm/migrate.c: try_split_folio() — folio_trylock() in MIGRATE_ASYNC, folio_lock() (sleeping, even
// under PF_MEMALLOC) otherwise; split onto `split`, unlock; the old head follows its pieces.
export function* try_split_folio(c: Ctx, folio: number, from: number, split: number, mode: MigrateMode): Steps<number> {
  const { k } = c;
  const nr = folio_nr_pages(k, folio);
  if (testPageFlag(k, folio, PG.locked)) {
    if (mode === MIGRATE_MODE.ASYNC) {
      yield mkStep(k, { phase: 'split', fn: 'try_split_folio', file: 'mm/migrate.c', text: `${hex(folio)} is locked by someone else and MIGRATE_ASYNC only tries the lock: not split → -EAGAIN`, pfns: [{ pfn: folio, role: 'src', nr }], result: '-EAGAIN' });
      return EAGAIN;
    }
    while (testPageFlag(k, folio, PG.locked)) {
      yield mkStep(k, { phase: 'split', fn: 'folio_lock', file: 'mm/filemap.c', text: `${hex(folio)} is locked by someone else: ${c.who} sleeps until it is unlocked, to split it`, pfns: [{ pfn: folio, role: 'src', nr }] });
    }
  }
  setPageFlag(k, folio, PG.locked);
  yield mkStep(k, {
    phase: 'split', fn: 'try_split_folio', file: 'mm/migrate.c',
    text: `no order-${k.mem.order.a[folio]} destination: the large folio ${hex(folio)} is split and its pieces retried (${MODE_NAMES[mode]}); it counts as one failure`,
    pfns: [{ pfn: folio, role: 'src', nr }],
  });
  const rc = yield* split_folio_to_list(k, folio, split);
  clearPageFlag(k, folio, PG.locked);
  if (rc === 0) listMoveTail(k, folio, from, split);
  return rc;
}

/** list_add(new, head->prev): insert `pfn` in front of `before` on list `slot`. */
function addBefore(k: Kernel, slot: number, pfn: number, before: number): void {
  const prev = k.mem.lruPrev.a[before]!;
  const setLink = (p: number, pr: number, nx: number): void => {
    put(k.st, k.mem.lruPrev, p, pr);
    put(k.st, k.mem.lruNext, p, nx);
  };
  setLink(pfn, prev, before);
  put(k.st, k.mem.lruPrev, before, pfn);
  if (prev === -1) put(k.st, k.lists.heads, 2 * slot, pfn);
  else put(k.st, k.mem.lruNext, prev, pfn);
}
