// Emptying a PFN range: alloc_contig_range() (mm/page_alloc.c, the allocator behind CMA and
// gigantic pages) and offline_pages() (mm/memory_hotplug.c). Both isolate the range's
// pageblocks (MIGRATE_ISOLATE), migrate everything movable out, check that the range is wholly
// free, and then take it: as allocated pages, or out of the allocator for good.
// Ranges are pageblock-aligned (the scenario checks). Not modelled: hugetlb folios in the range
// (isolate_or_dissolve_huge_folio), reclaim_clean_pages_from_list() (clean page cache is
// migrated, not dropped), memory notifiers (no driver takes part in MEM_GOING_OFFLINE).

import { PG, PGTY } from './flags';
import { pageZone, pfnValid, type Kernel } from './kernel';
import { buddy_order, PageBuddy, take_offline_free_block } from './buddy';
import { page_folio } from './folio';
import { folio_nr_pages, setPagePrivate, setPageRefcount, testPageFlag } from './memmap';
import { listDel, listEmpty, listFirst, listPfns } from './list';
import { isolate_folio_to_list, newFolioList, putback_movable_pages } from './isolate';
import { alloc_migration_target } from './migrate-paths';
import { ENOMEM, errName, MIGRATE_MODE, migrate_pages, MR } from './migrate';
import { page_has_movable_ops } from './balloon';
import { hasPageOps } from './designs';
import { COMPACT_CLUSTER_MAX, endCompactControl, isolate_freepages_block, isolate_migratepages_block, newCompactControl, type CompactControl } from './compaction';
import { drain_all_pages, zone_pcp_disable, zone_pcp_enable } from './pcp';
import { lru_cache_disable, lru_cache_enable } from './swap';
import { start_isolate_page_range, test_pages_isolated, undo_isolate_page_range } from './page_isolation';
import { invalidateWatermarks } from './watermark';
import { MT, NR_PAGE_ORDERS, PAGEBLOCK_NR_PAGES, PAGEBLOCK_ORDER, PB_OFFLINE } from './zone';
import { put } from './store';
import { hex, mkStep, type Steps } from './step';
import { FOLIO_LIST } from './folio-lists';

const EBUSY = -16;
const EINVAL = -22;
const EINTR = -4;
const ISOLATE_UNEVICTABLE = 0x8;

/** Is [start, end) inside one zone, with a struct page for every PFN? */
function rangeProblem(k: Kernel, start: number, end: number): string | null {
  if (start < 0 || end > k.mem.nr || start >= end) return `the range ${hex(start)}..${hex(end)} is outside memory`;
  for (let p = start; p < end; p++) if (!pfnValid(k, p)) return `${hex(p)} is a hole (no struct page)`;
  if (pageZone(k, start) !== pageZone(k, end - 1)) return 'the range spans two zones';
  return null;
}

// mm/compaction.c: isolate_migratepages_range() — block by block until 32 pages are isolated.
function* isolate_migratepages_range(k: Kernel, cc: CompactControl, start: number, end: number): Steps<number> {
  let pfn = start;
  let blockEnd = (start & ~(PAGEBLOCK_NR_PAGES - 1)) + PAGEBLOCK_NR_PAGES;
  for (; pfn < end; pfn = blockEnd, blockEnd += PAGEBLOCK_NR_PAGES) {
    const rc = yield* isolate_migratepages_block(k, cc, pfn, Math.min(blockEnd, end), ISOLATE_UNEVICTABLE);
    if (rc) return rc;
    if (cc.nr_migratepages >= COMPACT_CLUSTER_MAX) break;
  }
  return 0;
}

// mm/page_alloc.c: __alloc_contig_migrate_range() — isolate up to 32 pages at a time and migrate
// them out of the range; a list that keeps failing is given up after 5 tries (-EBUSY).
function* __alloc_contig_migrate_range(k: Kernel, cc: CompactControl, start: number, end: number): Steps<number> {
  let pfn = start;
  let tries = 0;
  let ret = 0;
  lru_cache_disable(k, cc.who); // isolation must find every folio of the range on the LRU
  while (pfn < end || !listEmpty(k.lists, cc.migratepages)) {
    if (listEmpty(k.lists, cc.migratepages)) {
      cc.nr_migratepages = 0;
      ret = yield* isolate_migratepages_range(k, cc, pfn, end);
      if (ret && ret !== -11) break;
      pfn = cc.migrate_pfn;
      tries = 0;
      if (listEmpty(k.lists, cc.migratepages)) continue;
    } else if (++tries === 5) {
      ret = EBUSY;
      yield mkStep(k, {
        phase: 'putback', fn: '__alloc_contig_migrate_range', file: 'mm/page_alloc.c',
        text: `${cc.who}: the same ${[...listPfns(k, k.lists, cc.migratepages)].length} folio(s) failed to migrate 5 times: -EBUSY`,
        pfns: [...listPfns(k, k.lists, cc.migratepages)].map((p) => ({ pfn: p, role: 'pinned' as const })), result: '-EBUSY',
      });
      break;
    }
    const r = yield* migrate_pages(k, cc.migratepages, alloc_migration_target(), MIGRATE_MODE.SYNC, MR.CONTIG_RANGE, cc.who);
    ret = r.rc;
    if (ret === ENOMEM) break;
  }
  lru_cache_enable(k);
  if (ret < 0) yield* putback_movable_pages(k, cc.migratepages);
  return ret < 0 ? ret : 0;
}

// mm/compaction.c: isolate_freepages_range() — take every free block of the (isolated) range,
// strictly: a page that is not free fails the whole call.
function isolate_freepages_range(k: Kernel, cc: CompactControl, start: number, end: number): boolean {
  // A taken block may be larger than a pageblock: the next call starts where it ended.
  for (let pfn = start; pfn < end;) {
    const blockEnd = Math.min((pfn & ~(PAGEBLOCK_NR_PAGES - 1)) + PAGEBLOCK_NR_PAGES, end);
    const r = isolate_freepages_block(k, cc, pfn, blockEnd, 1, true);
    if (!r.isolated) return false;
    pfn += r.isolated;
  }
  return true;
}

// mm/page_alloc.c: split_free_pages() — every page of the taken blocks becomes an order-0 page
// with one reference: the caller's.
function split_free_pages(k: Kernel, cc: CompactControl): number[] {
  const got: number[] = [];
  for (let o = 0; o < NR_PAGE_ORDERS; o++) {
    const slot = cc.slot * NR_PAGE_ORDERS + o;
    while (!listEmpty(k.compact.free, slot)) {
      const pfn = listFirst(k, k.compact.free, slot);
      listDel(k, k.compact.free, slot, pfn);
      for (let i = 0; i < 1 << o; i++) {
        setPagePrivate(k, pfn + i, 0);
        setPageRefcount(k, pfn + i, 1);
        got.push(pfn + i);
      }
    }
  }
  return got.sort((a, b) => a - b);
}

const contigControl = (k: Kernel, start: number, who: string): CompactControl => newCompactControl(k, {
  zone: pageZone(k, start), order: -1, mode: MIGRATE_MODE.SYNC, migratetype: MT.MOVABLE, who,
  whole_zone: false, ignore_skip_hint: true, ignore_block_suitable: true, direct_compaction: false,
  proactive_compaction: false, alloc_contig: true, no_set_skip_hint: true,
});

// mm/page_alloc.c: alloc_contig_range() for [start, end) without __GFP_COMP: 0 and the range's
// pages (each refcount 1) in `got`, or an error and nothing taken.
export function* alloc_contig_range(k: Kernel, start: number, end: number, who: string, got: number[] = []): Steps<number> {
  const FN = 'alloc_contig_range', FILE = 'mm/page_alloc.c';
  const bad = rangeProblem(k, start, end);
  if (bad) {
    yield mkStep(k, { phase: 'done', fn: FN, file: FILE, text: `${who}: ${bad}: -EINVAL`, pfns: [], result: errName(EINVAL) });
    return EINVAL;
  }
  const range = { pfn: start, role: 'target' as const, nr: end - start };
  const unmovable = start_isolate_page_range(k, start, end, false);
  if (unmovable) {
    yield mkStep(k, {
      phase: 'isolate', fn: 'start_isolate_page_range', file: 'mm/page_isolation.c',
      text: `${who}: ${unmovable.why}: has_unmovable_pages() refuses its pageblock, so no pageblock of ${hex(start)}..${hex(end)} is isolated: -EBUSY`,
      pfns: [range, { pfn: unmovable.pfn, role: 'pinned' }], result: '-EBUSY',
    });
    return EBUSY;
  }
  yield mkStep(k, {
    phase: 'isolate', fn: 'start_isolate_page_range', file: 'mm/page_isolation.c',
    text: `${who}: ${(end - start) >> PAGEBLOCK_ORDER} pageblock(s) of ${hex(start)}..${hex(end)} become MIGRATE_ISOLATE: no page in them is unmovable, their free pages move to the isolate free lists where no allocation looks`,
    pfns: [range],
  });
  // Pages freed to a per-CPU list before the isolation would stay there, neither free in the
  // buddy nor isolated: drain them (from here on, frees into the range bypass the lists).
  const drained = drain_all_pages(k, pageZone(k, start));
  yield mkStep(k, {
    phase: 'isolate', fn: 'drain_all_pages', file: 'mm/page_alloc.c',
    text: `${who}: drain_all_pages(): ${drained} page(s) on the zone's per-CPU lists go back to the buddy lists (those inside the isolated range land on its isolate lists)`,
    pfns: [range],
  });
  const cc = contigControl(k, start, who);
  cc.migrate_pfn = start;
  cc.free_pfn = end;
  let ret = yield* __alloc_contig_migrate_range(k, cc, start, end);
  let got1: number[] = [];
  let why = '';
  if (ret && ret !== EBUSY) why = `migration failed (${errName(ret)})`;
  else {
    const t = test_pages_isolated(k, start, end, false);
    if (!t.ok) {
      ret = EBUSY;
      why = `test_pages_isolated() finds ${hex(t.fin)} still in use`;
      yield mkStep(k, { phase: 'done', fn: 'test_pages_isolated', file: 'mm/page_isolation.c', text: `${who}: ${why}`, pfns: [range, { pfn: t.fin, role: 'pinned' }], result: 'fail', trace: [t.trace] });
    } else {
      yield mkStep(k, { phase: 'done', fn: 'test_pages_isolated', file: 'mm/page_isolation.c', text: `${who}: every page of ${hex(start)}..${hex(end)} is free now`, pfns: [range], result: 'success', trace: [t.trace] });
      if (!isolate_freepages_range(k, cc, start, end)) {
        ret = EBUSY;
        why = 'isolate_freepages_range() met a page that is not free';
      } else {
        ret = 0;
        got1 = split_free_pages(k, cc);
      }
    }
  }
  endCompactControl(k, cc);
  undo_isolate_page_range(k, start, end);
  got.push(...got1);
  yield mkStep(k, {
    phase: 'done', fn: FN, file: FILE,
    text: ret === 0
      ? `${who}: ${hex(start)}..${hex(end)} is allocated: ${got1.length} order-0 pages with one reference each (split_free_pages); the pageblocks are MIGRATE_MOVABLE again`
      : `${who}: ${why}: ${errName(ret)}; the pageblocks are MIGRATE_MOVABLE again and nothing is taken`,
    pfns: [range], result: errName(ret),
  });
  return ret;
}

/** The kernel retries offlining until a signal; the simulation's signal comes after this many passes. */
const OFFLINE_PASSES = 3;

// mm/memory_hotplug.c: scan_movable_pages() — the first page to migrate in [start, end), -ENOENT
// when none is left, -EBUSY for a PageOffline page its driver still holds.
function scan_movable_pages(k: Kernel, start: number, end: number): number {
  for (let pfn = start; pfn < end; pfn++) {
    const head = page_folio(k, pfn);
    if (testPageFlag(k, head, PG.lru) || page_has_movable_ops(k, pfn) || hasPageOps(k, pfn)) return pfn;
    if (k.mem.pageType.a[pfn] === PGTY.offline && k.mem.refcount.a[pfn]! > 0) return EBUSY;
  }
  return -2; // -ENOENT
}

// mm/memory_hotplug.c: do_migrate_range() — isolate every folio from `start` on, migrate them
// anywhere outside the isolated range, put back what failed.
function* do_migrate_range(k: Kernel, start: number, end: number, who: string): Steps<void> {
  const list = newFolioList(k, FOLIO_LIST.source);
  for (let pfn = start; pfn < end; pfn++) {
    const folio = page_folio(k, pfn);
    if (k.mem.refcount.a[folio] === 0) continue; // folio_try_get() fails: free
    if (folio !== pfn && pfn !== start) continue;
    const movable = testPageFlag(k, folio, PG.lru) || page_has_movable_ops(k, folio) || hasPageOps(k, folio);
    if (movable) yield* isolate_folio_to_list(k, folio, list, who);
    pfn = folio + folio_nr_pages(k, folio) - 1;
  }
  if (listEmpty(k.lists, list)) return;
  yield* migrate_pages(k, list, alloc_migration_target(), MIGRATE_MODE.SYNC, MR.MEMORY_HOTPLUG, who);
  if (!listEmpty(k.lists, list)) yield* putback_movable_pages(k, list);
}

// mm/memory_hotplug.c: offline_pages() for [start, end): 0 when the range is offline (out of the
// allocator, drawn as offlined memory), or an error with the range back as it was.
export function* offline_pages(k: Kernel, start: number, end: number, who: string): Steps<number> {
  const FN = 'offline_pages', FILE = 'mm/memory_hotplug.c';
  const range = { pfn: start, role: 'target' as const, nr: end - start };
  const bad = rangeProblem(k, start, end);
  if (bad) {
    yield mkStep(k, { phase: 'done', fn: FN, file: FILE, text: `${who}: ${bad}: -EINVAL`, pfns: [], result: errName(EINVAL) });
    return EINVAL;
  }
  // Disable pcplists so that no page of the isolated range is left on one (zone_pcp_disable).
  const zone = pageZone(k, start);
  zone_pcp_disable(k, zone);
  lru_cache_disable(k, who); // no folio waits in a per-CPU batch while the range is emptied
  const unmovable = start_isolate_page_range(k, start, end, true);
  if (unmovable) {
    lru_cache_enable(k);
    zone_pcp_enable(k, zone);
    yield mkStep(k, {
      phase: 'isolate', fn: FN, file: FILE,
      text: `${who}: offlining ${hex(start)}..${hex(end)} failed: failure to isolate range: ${unmovable.why} (has_unmovable_pages)`,
      pfns: [range, { pfn: unmovable.pfn, role: 'pinned' }], result: '-EBUSY',
    });
    return EBUSY;
  }
  yield mkStep(k, {
    phase: 'isolate', fn: 'start_isolate_page_range', file: 'mm/page_isolation.c',
    text: `${who}: the ${(end - start) >> PAGEBLOCK_ORDER} pageblock(s) of ${hex(start)}..${hex(end)} become MIGRATE_ISOLATE (PB_ISOLATE_MODE_MEM_OFFLINE); now every movable page is migrated out`,
    pfns: [range],
  });
  let ret = 0;
  let reason = '';
  let stuck = 0, last = -1, passes = 0;
  outer: for (;;) {
    let pfn = start;
    for (;;) {
      const found = scan_movable_pages(k, pfn, end);
      if (found < 0) {
        ret = found;
        break;
      }
      stuck = found === last ? stuck + 1 : 0;
      last = found;
      if (stuck >= OFFLINE_PASSES) {
        ret = EINTR;
        reason = `signal backoff: ${hex(found)} still cannot be migrated after ${stuck + 1} tries (the kernel retries until a signal arrives; here it arrives now)`;
        break outer;
      }
      pfn = found;
      yield* do_migrate_range(k, pfn, end, who);
    }
    if (ret === EBUSY) {
      reason = `unmovable page: ${hex(pfn)} is a PageOffline page its driver still holds`;
      break;
    }
    const t = test_pages_isolated(k, start, end, true);
    yield mkStep(k, {
      phase: 'done', fn: 'test_pages_isolated', file: 'mm/page_isolation.c',
      text: t.ok ? `${who}: every page of ${hex(start)}..${hex(end)} is free` : `${who}: ${hex(t.fin)} is still in use: another pass`,
      pfns: [range], result: t.ok ? 'success' : 'fail', trace: [t.trace],
    });
    if (t.ok) {
      ret = 0;
      break;
    }
    if (++passes >= OFFLINE_PASSES) {
      ret = EINTR;
      reason = `signal backoff: ${hex(t.fin)} is still in use after ${passes} passes`;
      break;
    }
  }
  if (ret) {
    undo_isolate_page_range(k, start, end);
    lru_cache_enable(k);
    zone_pcp_enable(k, zone);
    yield mkStep(k, { phase: 'done', fn: FN, file: FILE, text: `${who}: offlining ${hex(start)}..${hex(end)} failed: ${reason}; the pageblocks are back to their migratetype`, pfns: [range], result: errName(ret) });
    return ret;
  }
  // __offline_isolated_pages(): the free blocks leave the allocator; the blocks are offline.
  let taken = 0;
  for (let pfn = start; pfn < end;) {
    if (PageBuddy(k, pfn)) {
      const n = 1 << buddy_order(k, pfn);
      taken += take_offline_free_block(k, pfn);
      pfn += n;
    } else pfn++;
  }
  for (let b = start; b < end; b += PAGEBLOCK_NR_PAGES) put(k.st, k.pageblock, b >> PAGEBLOCK_ORDER, k.pageblock.a[b >> PAGEBLOCK_ORDER]! | PB_OFFLINE);
  invalidateWatermarks(k); // and zone_pcp_update(): batch and high follow the new managed size
  lru_cache_enable(k);
  zone_pcp_enable(k, zone);
  yield mkStep(k, {
    phase: 'done', fn: '__offline_isolated_pages', file: 'mm/page_alloc.c',
    text: `${who}: ${hex(start)}..${hex(end)} is offline: ${taken} free pages left the buddy allocator for good (managed pages -${taken}); the memory block can be removed`,
    pfns: [range], result: '0',
  });
  return 0;
}
