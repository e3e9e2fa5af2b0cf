// Callers of migrate_pages() for the scenario's actions: a move_pages(2)-like migration of a set
// of PFNs (isolate each folio, migrate, put back what failed), and writeback on a folio.

import { PG, PGTY } from './flags';
import type { Kernel } from './kernel';
import type { Exclusion } from './guards';
import { __alloc_frozen_pages, __alloc_pages, __GFP_COMP, __GFP_DMA, __GFP_DMA32, GFP_HIGHUSER_MOVABLE } from './buddy';
import { folio_mapped, folio_test_anon, page_folio } from './folio';
import { swap_writeout_start } from './swap-out';
import { folio_test_swapcache } from './swap_state';
import { folio_nr_pages, setPageFlag, clearPageFlag, testPageFlag } from './memmap';
import { folio_set_large_rmappable } from './memory';
import { compactionLruGuards, folioListPfns, isolate_folio_to_list, isolateOnto, listMoveTail, newFolioList, putback_movable_pages } from './isolate';
import { listEmpty } from './list';
import { errName, MIGRATE_MODE, MODE_NAMES, migrate_pages, MR, type MigrateMode, type MigrateReason, type NewFolioSource } from './migrate';
import { pageZone } from './kernel';
import { compactionTarget, endCompactControl, newCompactControl, release_free_list } from './compaction';
import { MT, PAGEBLOCK_NR_PAGES } from './zone';
import { hex, mkStep, type Steps } from './step';
import { runGuards } from './guard-steps';
import { folio_end_writeback, folioAddressSpace } from './filemap';
import { page_has_movable_ops } from './balloon';
import { hasPageOps } from './designs';
import { mod_node_page_state, NS } from './vmstat';
import { alloc_hugetlb_folio_nodemask } from './hugetlb';
import { FOLIO_LIST } from './folio-lists';
import { lru_add_drain, lru_add_drain_all, lru_cache_disable, lru_cache_enable } from './swap';

// mm/migrate.c: alloc_migration_target() for one node: same order, GFP_HIGHUSER_MOVABLE (a large
// folio gets __GFP_COMP and comes back large_rmappable), limited to `zone` and below; a hugetlb
// folio's destination comes from the hstate (alloc_hugetlb_folio_nodemask(), hugetlb.ts).
export function alloc_migration_target(zone?: 'DMA' | 'DMA32' | 'Normal'): NewFolioSource {
  const zoneGfp = zone === 'DMA' ? __GFP_DMA : zone === 'DMA32' ? __GFP_DMA32 : 0;
  return {
    name: 'alloc_migration_target',
    zone,
    get(k: Kernel, src: number, frozen?: boolean): number {
      // folio_test_hugetlb(src): htlb_modify_alloc_mask() and alloc_hugetlb_folio_nodemask().
      if (k.mem.pageType.a[src] === PGTY.hugetlb) return alloc_hugetlb_folio_nodemask(k, zoneGfp);
      const order = k.mem.order.a[src]!;
      const large = testPageFlag(k, src, PG.head);
      const gfp = GFP_HIGHUSER_MOVABLE | zoneGfp | (large ? __GFP_COMP : 0);
      const dst = frozen ? __alloc_frozen_pages(k, gfp, large ? order : 0) : __alloc_pages(k, gfp, large ? order : 0);
      if (dst >= 0 && large) folio_set_large_rmappable(k, dst);
      return dst;
    },
  };
}

export interface MigrateSpec {
  readonly pfns: readonly number[];
  readonly zone?: 'DMA' | 'DMA32' | 'Normal';
  readonly mode: MigrateMode;
  readonly reason: MigrateReason;
}

/**
 * A page table met by a migrator of a design without movable page tables: what pgtable-movable
 * would migrate, kept out here because it has neither PG_lru nor movable_ops.
 */
export function unmovablePageTable(k: Kernel, folio: number): { excluded?: Exclusion } {
  return k.mem.pageType.a[folio] === PGTY.table ? { excluded: { guard: 'lru-flag', why: 'PageTable: no PG_lru and no movable_ops, not movable in this design' } } : {};
}

// mm/migrate.c: do_pages_move() / do_move_pages_to_node() for a list of PFNs: isolate each
// folio (isolate_folio_to_list), migrate_pages(), putback_movable_pages() for what is left.
// With reason compaction the destinations come from compaction_alloc() (compaction_migrate_path).
export function* migrate_pfns_path(k: Kernel, spec: MigrateSpec, who: string): Steps<number> {
  const from = newFolioList(k, FOLIO_LIST.pagelist);
  const disable = drainBeforeIsolating(k, spec.reason, who);
  yield* isolate_pfns(k, spec.pfns, from, who, spec.reason === MR.COMPACTION);
  if (listEmpty(k.lists, from)) {
    if (disable) lru_cache_enable(k);
    yield mkStep(k, { phase: 'done', fn: 'migrate_pages', file: 'mm/migrate.c', text: `${who}: nothing was isolated, so migrate_pages() is not called`, pfns: [], result: '0' });
    return 0;
  }
  if (spec.reason === MR.COMPACTION) return yield* compaction_migrate_path(k, from, spec.mode, who, spec.mode === MIGRATE_MODE.ASYNC);
  const r = yield* migrate_pages(k, from, alloc_migration_target(spec.zone), spec.mode, spec.reason, who);
  if (!listEmpty(k.lists, from)) yield* putback_movable_pages(k, from);
  if (disable) lru_cache_enable(k, who);
  return r.rc;
}

// What the caller of each reason does about the per-CPU lru_add batches before it isolates:
// compaction (compact_zone) and demotion (shrink_inactive_list) drain only their own CPU;
// move_pages/migrate_pages(2) (do_pages_move, do_migrate_pages), mbind (do_mbind), memory
// hotplug and alloc_contig_range call lru_cache_disable(), which drains every CPU and keeps the
// batches off until lru_cache_enable(); a long-term pin (collect_longterm_unpinnable_folios) and
// soft offline (shake_page) drain every CPU; a NUMA hinting fault and DAMON do not drain.
// Returns whether lru_cache_disable() is in force.
export function drainBeforeIsolating(k: Kernel, reason: MigrateReason, who: string): boolean {
  switch (reason) {
    case MR.COMPACTION: case MR.DEMOTION: lru_add_drain(k, who); return false;
    case MR.SYSCALL: case MR.MEMPOLICY_MBIND: case MR.MEMORY_HOTPLUG: case MR.CONTIG_RANGE: lru_cache_disable(k, who); return true;
    case MR.LONGTERM_PIN: case MR.MEMORY_FAILURE: lru_add_drain_all(k, who); return false;
    default: return false;
  }
}

function* isolate_pfns(k: Kernel, pfns: readonly number[], from: number, who: string, compaction = false): Steps<void> {
  const seen = new Set<number>();
  for (const pfn of pfns) {
    if (pfn < 0 || pfn >= k.mem.nr) {
      yield mkStep(k, { phase: 'isolate', fn: 'isolate_folio_to_list', file: 'mm/migrate.c', text: pfn < 0 ? `${who}: the page named is not there (no such page of the process, or the action named produced none): skipped` : `${who}: pfn ${hex(pfn)} is outside memory: skipped`, pfns: [], result: '-EINVAL' });
      continue;
    }
    const folio = page_folio(k, pfn);
    if (seen.has(folio)) continue;
    seen.add(folio);
    const m = k.mem;
    const movableOps = page_has_movable_ops(k, folio) || hasPageOps(k, folio);
    const hugetlb = m.pageType.a[folio] === PGTY.hugetlb; // isolate_folio_to_list() takes those too
    if (!movableOps && !hugetlb && (m.pageType.a[folio] !== PGTY.none || (m.mapping.a[folio] === 0 && !testPageFlag(k, folio, PG.lru)))) {
      yield mkStep(k, {
        phase: 'isolate', fn: 'isolate_folio_to_list', file: 'mm/migrate.c',
        text: `${who}: ${hex(pfn)} is not an LRU folio (${m.pageType.a[folio] === PGTY.buddy ? 'free' : m.pageType.a[folio] === PGTY.table ? 'a page table: no PG_lru, and this design gives page tables no movable_ops' : m.pageType.a[folio] !== PGTY.none ? 'a typed kernel page' : m.refcount.a[folio] === 0 ? 'free, on a per-CPU list' : 'kernel memory'}): nothing to migrate`,
        pfns: [{ pfn: folio, role: 'target' }], result: 'false',
        ...unmovablePageTable(k, folio),
      });
      continue;
    }
    // __add_folio_for_migration() puts LRU and hugetlb folios at the tail; a movable_ops page (which
    // no syscall reaches: the model's migration by PFN) goes the way isolate_folio_to_list() takes it.
    if (movableOps) yield* isolate_folio_to_list(k, folio, from, who);
    // Two compactors racing for an LRU folio isolate it as isolate_migratepages_block() does:
    // speculative reference first, one guard a step (guard-steps.ts).
    else if (k.raced && compaction && !hugetlb) yield* runGuards(k, compactionLruGuards(k, folio, from), { who, page: folio, fn: 'isolate_migratepages_block', file: 'mm/compaction.c' });
    else yield* isolateOnto(k, folio, from, who, true);
  }
}

/** Which compaction runs migrate_pages() so (kcompactd runs MIGRATE_SYNC_LIGHT, compact_memory MIGRATE_SYNC). */
const compactor = (mode: MigrateMode, pfMemalloc: boolean): string =>
  pfMemalloc ? `direct compaction (${MODE_NAMES[mode]}, PF_MEMALLOC set)` : mode === MIGRATE_MODE.SYNC ? 'compact_memory (MIGRATE_SYNC, no PF_MEMALLOC)' : `kcompactd (${MODE_NAMES[mode]}, no PF_MEMALLOC)`;

// mm/compaction.c: compact_zone()'s migrate_pages(cc->migratepages, compaction_alloc,
// compaction_free, cc, cc->mode, MR_COMPACTION) on the isolated folios, one zone at a time (a
// compact_control belongs to one zone): the free scanner takes destinations from the zone's top
// down to the pageblock above the highest source, as if the migrate scanner had just passed them.
// MR_COMPACTION never comes with another allocation callback. `pfMemalloc`: the caller is direct
// compaction; a migrate action sets it for MIGRATE_ASYNC, the one mode only direct compaction runs.
export function* compaction_migrate_path(k: Kernel, isolated: number, mode: MigrateMode, who: string, pfMemalloc: boolean): Steps<number> {
  const zones = [...new Set(folioListPfns(k, isolated).map((f) => pageZone(k, f)))];
  let rc = 0;
  for (const zone of zones) {
    const cc = newCompactControl(k, {
      zone, order: -1, mode, migratetype: MT.MOVABLE, who, whole_zone: false, ignore_skip_hint: true, ignore_block_suitable: false,
      direct_compaction: false, proactive_compaction: false, alloc_contig: false, no_set_skip_hint: true,
    });
    let highest = 0;
    for (const f of folioListPfns(k, isolated)) {
      if (pageZone(k, f) !== zone) continue;
      listMoveTail(k, f, isolated, cc.migratepages);
      cc.nr_migratepages += folio_nr_pages(k, f);
      highest = Math.max(highest, f + folio_nr_pages(k, f) - 1);
    }
    const z = k.zones[zone]!;
    cc.migrate_pfn = Math.min(z.end - 1, highest + 1);
    cc.free_pfn = (z.end - 1) & ~(PAGEBLOCK_NR_PAGES - 1);
    yield mkStep(k, {
      phase: 'alloc', fn: 'compact_zone', file: 'mm/compaction.c',
      text: `${who}: migrate_pages(reason compaction) as ${compactor(mode, pfMemalloc)} runs it: the destinations come from compaction_alloc(), whose free scanner walks down from ${hex(cc.free_pfn)} in zone ${z.name} to the pageblock above the highest source (${hex(highest)}); what it takes and does not use goes back at the end`,
      pfns: [{ pfn: cc.migrate_pfn, role: 'scanner' }, { pfn: cc.free_pfn, role: 'scanner' }],
    });
    const r = yield* migrate_pages(k, cc.migratepages, compactionTarget(cc), mode, MR.COMPACTION, who, pfMemalloc);
    if (!listEmpty(k.lists, cc.migratepages)) yield* putback_movable_pages(k, cc.migratepages);
    if (cc.nr_freepages > 0) release_free_list(k, cc);
    cc.nr_freepages = 0;
    endCompactControl(k, cc);
    if (r.rc < 0 && rc >= 0) rc = r.rc;
    else if (rc >= 0) rc += r.rc;
  }
  return rc;
}

/** errno text for a migrate_pages() return value. */
export { errName };

// mm/page-writeback.c: folio_start_writeback() / folio_end_writeback() on the folio at `pfn`.
// A regular file's folio is written back where it sits, kept alive by the page cache. An
// anonymous folio's write-back is swap-out (swap-out.ts): it first enters the swap cache, whose
// references keep it while the I/O runs. A tmpfs folio's is shmem_writeout(), which moves it
// from the page cache to the swap cache: not modelled, so refused; ramfs never writes back.
export function* writeback_path(k: Kernel, pfn: number, start: boolean): Steps<boolean> {
  const folio = pfn >= 0 && pfn < k.mem.nr ? page_folio(k, pfn) : -1;
  const fn = start ? 'folio_start_writeback' : 'folio_end_writeback';
  if (folio < 0 || k.mem.mapping.a[folio] === 0) {
    yield mkStep(k, { phase: 'done', fn, file: 'mm/page-writeback.c', text: `${hex(pfn)} is not a user folio: no writeback`, pfns: [], result: '-EINVAL' });
    return false;
  }
  const kind = folioAddressSpace(k, folio)?.kind;
  const anon = kind === undefined && folio_test_anon(k, folio);
  if (kind !== 'file' && !anon) {
    const why = kind === 'ramfs' ? 'a ramfs folio, which has no backing store to write to'
      : `a ${kind ?? 'non-LRU'} folio: tmpfs writes back through shmem_writeout() into the swap cache, which is modelled for anonymous memory only`;
    yield mkStep(k, {
      phase: 'done', fn, file: 'mm/page-writeback.c',
      text: `${hex(folio)} is ${why}: no writeback`,
      pfns: [{ pfn: folio, role: 'target', nr: folio_nr_pages(k, folio) }], result: '-EINVAL',
    });
    return false;
  }
  if (start && anon) return yield* swap_writeout_start(k, folio);
  if (!start && !testPageFlag(k, folio, PG.writeback)) {
    yield mkStep(k, { phase: 'done', fn, file: 'mm/filemap.c', text: `${hex(folio)} is not under writeback: nothing to end`, pfns: [{ pfn: folio, role: 'target', nr: folio_nr_pages(k, folio) }], result: '-EINVAL' });
    return false;
  }
  let rotated = false;
  if (start) {
    setPageFlag(k, folio, PG.writeback);
    // folio_clear_dirty_for_io() before the I/O is issued (a real file's dirty pages are counted).
    if (testPageFlag(k, folio, PG.dirty) && folioAddressSpace(k, folio)?.kind === 'file') mod_node_page_state(k, NS.NR_FILE_DIRTY, -folio_nr_pages(k, folio));
    clearPageFlag(k, folio, PG.dirty);
  } else rotated = folio_end_writeback(k, folio);
  const where = folio_test_swapcache(k, folio)
    ? `; it stays in the swap cache, clean${folio_mapped(k, folio) ? '' : ' and unmapped, until reclaim frees it'}${rotated ? ' (PG_reclaim: rotated to the inactive list\'s tail)' : ''}`
    : '';
  yield mkStep(k, {
    phase: 'done', fn, file: start ? 'mm/page-writeback.c' : 'mm/filemap.c',
    text: start ? `write-back I/O starts on ${hex(folio)}: PG_dirty cleared, PG_writeback set until the I/O completes` : `write-back I/O on ${hex(folio)} completes: PG_writeback cleared${where}`,
    pfns: [{ pfn: folio, role: 'target', nr: folio_nr_pages(k, folio) }], result: '0',
  });
  return true;
}
