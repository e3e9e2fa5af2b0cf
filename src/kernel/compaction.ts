// Memory compaction, mm/compaction.c of Linux 6.18: compact_zone() with its two scanners — the
// migrate scanner walking up from the zone start isolating movable pages a pageblock at a time
// (isolate_migratepages_block), the free scanner walking down from the zone end taking whole free
// blocks (isolate_freepages_block) — and migrate_pages() between them, with compaction_alloc() and
// compaction_free() as its destination callbacks. Steps are the points the tracepoints mark.
// Not modelled: per-CPU lists to drain, lock contention and signals (never contended), memcg,
// CMA, __GFP_FS-less callers (every caller here may isolate file folios).

import { PG, PGTY } from './flags';
import { freeSlot, pageZone, pfnValid, type Kernel } from './kernel';
import {
  __isolate_free_page, find_suitable_fallback, free_pages_prepare, prep_compound_page, free_frozen_pages,
} from './buddy';
import { folio_nr_pages, setPageFlag, setPagePrivate, setPageRefcount, testClearPageFlag, testPageFlag } from './memmap';
import { folio_mapcount, folio_put, folio_try_get } from './folio';
import { folio_test_swapcache } from './swap_state';
import { lruvec_del_folio } from './lru';
import { listAdd, listAddTail, listDel, listEmpty, listFirst, listPfns } from './list';
import { newFolioList, putback_movable_pages, isolate_movable_ops_page } from './isolate';
import { hasPageOps, pageOpsOf, runDesign } from './designs';
import { page_has_movable_ops, PageMovableOpsIsolated } from './balloon';
import { folio_set_large_rmappable } from './memory';
import { migrate_pages, MIGRATE_MODE, MODE_NAMES, MR, ENOMEM, type MigrateMode, type NewFolioSource } from './migrate';
import { mappingId, mappingIsAnon } from './vm';
import { addHolder, HOLD } from './pins';
import { count_vm_events, mod_node_page_state, node_page_state, NS, VM_EVENT } from './vmstat';
import {
  get_pfnblock_migratetype, MAX_PAGE_ORDER, MT, NR_PAGE_ORDERS, PAGE_ALLOC_COSTLY_ORDER, PAGEBLOCK_NR_PAGES,
  PAGEBLOCK_ORDER, PB_COMPACT_SKIP, pageblockBits, setPageblockBits, type ZoneName,
} from './zone';
import { put } from './store';
import { lru_add_drain, lru_add_drain_all, lru_add_drain_cpu_zone } from './swap';
import { CAPC, MAX_CC, SCAN, SCAN_N, ZC, ZC_N } from './compaction-state';
import { extfrag_for_order, fragmentation_index, lowmem_reserve, zone_watermark_ok, zoneWatermarks } from './watermark';
import { emitStep, hex, mkStep, spanClose, spanOpen, type StepInfo, type Steps } from './step';
import { FOLIO_LIST } from './folio-lists';

const FILE = 'mm/compaction.c';

/** enum compact_result and the strings its tracepoints print. */
export const COMPACT = {
  NOT_SUITABLE_ZONE: 0, SKIPPED: 1, DEFERRED: 2, NO_SUITABLE_PAGE: 3, CONTINUE: 4, COMPLETE: 5,
  PARTIAL_SKIPPED: 6, CONTENDED: 7, SUCCESS: 8,
} as const;
export type CompactResult = (typeof COMPACT)[keyof typeof COMPACT];
export const COMPACT_NAMES = [
  'not_suitable_zone', 'skipped', 'deferred', 'no_suitable_page', 'continue', 'complete', 'partial_skipped', 'contended', 'success',
] as const;

/** enum compact_priority: lower is harder. */
export const COMPACT_PRIO = { SYNC_FULL: 0, SYNC_LIGHT: 1, ASYNC: 2 } as const;
export const MIN_COMPACT_PRIORITY = COMPACT_PRIO.SYNC_FULL;

export const COMPACT_CLUSTER_MAX = 32;
const COMPACT_MAX_DEFER_SHIFT = 6;
/** vm.extfrag_threshold */
export const EXTFRAG_THRESHOLD = 500;
/** isolate_mode_t bits; ISOLATE_UNEVICTABLE is always set (vm.compact_unevictable_allowed = 1). */
const ISOLATE_ASYNC_MIGRATE = 0x4;
const ISOLATE_UNEVICTABLE = 0x8;

/** struct compact_control. The freepages lists and scanner positions are mirrored in k.compact. */
export interface CompactControl {
  readonly slot: number;
  readonly zone: number;
  /** -1: compact everything (compact_memory, alloc_contig_range). */
  readonly order: number;
  readonly mode: MigrateMode;
  readonly migratetype: number;
  readonly who: string;
  migrate_pfn: number;
  free_pfn: number;
  fast_start_pfn: number;
  nr_freepages: number;
  nr_migratepages: number;
  readonly migratepages: number;
  total_migrate_scanned: number;
  total_free_scanned: number;
  fast_search_fail: number;
  search_order: number;
  whole_zone: boolean;
  readonly ignore_skip_hint: boolean;
  readonly ignore_block_suitable: boolean;
  readonly direct_compaction: boolean;
  readonly proactive_compaction: boolean;
  readonly alloc_contig: boolean;
  readonly no_set_skip_hint: boolean;
  finish_pageblock: boolean;
  /** vm.compaction_proactiveness for a proactive run. */
  readonly proactiveness?: number;
  /** The direct compactor's highest zone (model index): lower zones keep their lowmem_reserve from it. */
  readonly highest_zoneidx?: number;
  /** Trace lines of events with no step of their own, carried to the next step. */
  readonly trace: string[];
  nr_migrated: number;
  nr_failed: number;
}

export type CompactSettings = Pick<CompactControl, 'zone' | 'order' | 'mode' | 'migratetype' | 'who' | 'whole_zone' | 'ignore_skip_hint' | 'ignore_block_suitable' | 'direct_compaction' | 'proactive_compaction' | 'alloc_contig' | 'no_set_skip_hint' | 'proactiveness' | 'highest_zoneidx'>;

const pageblock_start_pfn = (pfn: number): number => pfn & ~(PAGEBLOCK_NR_PAGES - 1);
const pageblock_end_pfn = (pfn: number): number => pageblock_start_pfn(pfn) + PAGEBLOCK_NR_PAGES;
const pageblock_aligned = (pfn: number): boolean => (pfn & (PAGEBLOCK_NR_PAGES - 1)) === 0;
const block_end_pfn = (pfn: number, order: number): number => (pfn | ((1 << order) - 1)) + 1;
const zoneName = (k: Kernel, zone: number): ZoneName => k.zones[zone]!.name;
const pad8 = (s: string): string => s.padEnd(8, ' ');

const zc = (k: Kernel, zone: number, f: number): number => k.compact.zone.a[zone * ZC_N + f]!;
const setZc = (k: Kernel, zone: number, f: number, v: number): void => put(k.st, k.compact.zone, zone * ZC_N + f, v);
const freeList = (cc: CompactControl, order: number): number => cc.slot * NR_PAGE_ORDERS + order;

/** Claim a compact_control slot: its scanner record and its freepages lists. */
export function newCompactControl(k: Kernel, s: CompactSettings): CompactControl {
  let slot = -1;
  for (let i = 0; i < MAX_CC && slot < 0; i++) if (!k.compact.scan.a[i * SCAN_N + SCAN.ACTIVE]) slot = i;
  if (slot < 0) throw new Error(`more than ${MAX_CC} compactions at once`);
  const z = k.zones[s.zone]!;
  const cc: CompactControl = {
    ...s, slot, migrate_pfn: z.start, free_pfn: pageblock_start_pfn(z.end - 1), fast_start_pfn: 0,
    nr_freepages: 0, nr_migratepages: 0, migratepages: newFolioList(k, FOLIO_LIST.migratepages), total_migrate_scanned: 0, total_free_scanned: 0,
    fast_search_fail: 0, search_order: s.order, finish_pageblock: false, trace: [], nr_migrated: 0, nr_failed: 0,
  };
  const b = slot * SCAN_N;
  put(k.st, k.compact.scan, b + SCAN.ACTIVE, 1);
  put(k.st, k.compact.scan, b + SCAN.ZONE, s.zone);
  put(k.st, k.compact.scan, b + SCAN.ORDER, s.order + 1);
  publishScanners(k, cc);
  return cc;
}

/** Mirror the scanner positions into the journaled store the UI draws from. */
function publishScanners(k: Kernel, cc: CompactControl): void {
  const b = cc.slot * SCAN_N;
  if (k.compact.scan.a[b + SCAN.MIGRATE] !== cc.migrate_pfn) put(k.st, k.compact.scan, b + SCAN.MIGRATE, cc.migrate_pfn);
  if (k.compact.scan.a[b + SCAN.FREE] !== cc.free_pfn) put(k.st, k.compact.scan, b + SCAN.FREE, cc.free_pfn);
}

export function endCompactControl(k: Kernel, cc: CompactControl): void {
  put(k.st, k.compact.scan, cc.slot * SCAN_N + SCAN.ACTIVE, 0);
}

// --- pageblock skip hints -------------------------------------------------------------------

const get_pageblock_skip = (k: Kernel, pfn: number): boolean => (pageblockBits(k, pfn) & PB_COMPACT_SKIP) !== 0;

function set_pageblock_skip(k: Kernel, pfn: number): void {
  const b = pageblockBits(k, pfn);
  if (!(b & PB_COMPACT_SKIP)) setPageblockBits(k, pfn, b | PB_COMPACT_SKIP);
}

// mm/compaction.c: isolation_suitable()
const isolation_suitable = (k: Kernel, cc: CompactControl, pfn: number): boolean => cc.ignore_skip_hint || !get_pageblock_skip(k, pfn);

// mm/compaction.c: test_and_set_skip()
function test_and_set_skip(k: Kernel, cc: CompactControl, pfn: number): boolean {
  if (cc.ignore_skip_hint) return false;
  const skip = get_pageblock_skip(k, pfn);
  if (!skip && !cc.no_set_skip_hint) set_pageblock_skip(k, pfn);
  return skip;
}

// mm/compaction.c: __reset_isolation_suitable() — forget every skip hint of the zone.
function __reset_isolation_suitable(k: Kernel, zone: number): void {
  const z = k.zones[zone]!;
  for (let p = pageblock_start_pfn(z.start); p < z.end; p += PAGEBLOCK_NR_PAGES) {
    const b = pageblockBits(k, p);
    if (b & PB_COMPACT_SKIP) setPageblockBits(k, p, b & ~PB_COMPACT_SKIP);
  }
  setZc(k, zone, ZC.BLOCKSKIP_FLUSH, 0);
}

// mm/compaction.c: update_cached_migrate()
function update_cached_migrate(k: Kernel, cc: CompactControl, pfn: number): void {
  if (cc.no_set_skip_hint) return;
  const end = pageblock_end_pfn(pfn);
  if (end > zc(k, cc.zone, ZC.CACHED_MIGRATE_ASYNC)) setZc(k, cc.zone, ZC.CACHED_MIGRATE_ASYNC, end);
  if (cc.mode !== MIGRATE_MODE.ASYNC && end > zc(k, cc.zone, ZC.CACHED_MIGRATE_SYNC)) setZc(k, cc.zone, ZC.CACHED_MIGRATE_SYNC, end);
}

// mm/compaction.c: update_pageblock_skip() (the free scanner's)
function update_pageblock_skip(k: Kernel, cc: CompactControl, blockPfn: number, pfn: number): void {
  if (cc.no_set_skip_hint) return;
  set_pageblock_skip(k, blockPfn);
  if (pfn < zc(k, cc.zone, ZC.CACHED_FREE)) setZc(k, cc.zone, ZC.CACHED_FREE, pfn);
}

// mm/compaction.c: reset_cached_positions()
function reset_cached_positions(k: Kernel, zone: number): void {
  const z = k.zones[zone]!;
  setZc(k, zone, ZC.CACHED_MIGRATE_ASYNC, z.start);
  setZc(k, zone, ZC.CACHED_MIGRATE_SYNC, z.start);
  setZc(k, zone, ZC.CACHED_FREE, pageblock_start_pfn(z.end - 1));
}

// mm/compaction.c: pageblock_pfn_to_page() — null when the block is not wholly valid and in the zone.
function pageblock_pfn_ok(k: Kernel, start: number, end: number, zone: number): boolean {
  const z = k.zones[zone]!;
  const s = Math.max(start, z.start);
  const e = Math.min(end, z.end);
  return s < e && pfnValid(k, s) && pfnValid(k, e - 1) && pageZone(k, s) === zone && pageZone(k, e - 1) === zone;
}

// mm/compaction.c: compact_scanners_met()
export const compact_scanners_met = (cc: CompactControl): boolean => cc.free_pfn >> PAGEBLOCK_ORDER <= cc.migrate_pfn >> PAGEBLOCK_ORDER;

// mm/compaction.c: skip_isolation_on_order()
function skip_isolation_on_order(order: number, target: number): boolean {
  if (target !== -1 && order >= target) return true;
  return order >= PAGEBLOCK_ORDER;
}

// mm/compaction.c: too_many_isolated() (every caller here has __GFP_FS: the counts are >>3)
function too_many_isolated(k: Kernel): boolean {
  const z = k.zones.length;
  let lru = 0;
  for (let i = 0; i < z; i++) for (let l = 0; l < 4; l++) lru += k.zstat.a[i * 7 + 2 + l]!;
  const isolated = node_page_state(k, NS.NR_ISOLATED_ANON) + node_page_state(k, NS.NR_ISOLATED_FILE);
  return isolated > (lru >> 3) / 2;
}

// --- the migrate scanner ----------------------------------------------------------------------

/** Why isolate_migratepages_block() left a page, counted for the step's sentence. */
class SkipTally {
  private readonly n = new Map<string, number>();
  private readonly example = new Map<string, string>();
  add(why: string, pages = 1, example?: string): void {
    this.n.set(why, (this.n.get(why) ?? 0) + pages);
    if (example && !this.example.has(why)) this.example.set(why, example);
  }
  text(): string {
    const parts = [...this.n].sort((a, b) => b[1] - a[1]).map(([w, c]) => `${c} ${w}${this.example.has(w) ? ` (e.g. ${this.example.get(w)})` : ''}`);
    return parts.length ? parts.join(', ') : 'nothing';
  }
}

/** A non-LRU page the migrate scanner meets, in words. */
function nonLruKind(k: Kernel, pfn: number): string {
  const t = k.mem.pageType.a[pfn]!;
  if (t === PGTY.slab) return 'slab pages';
  if (t === PGTY.table) return 'page-table pages';
  if (t === PGTY.offline) return 'PageOffline pages without movable_ops';
  if (t === PGTY.zsmalloc) return 'zsmalloc pages';
  if (testPageFlag(k, pfn, PG.reserved)) return 'reserved pages';
  if (k.mem.mapping.a[pfn] !== 0) return 'user folios already isolated by someone else (PG_lru clear)';
  return 'other kernel pages (no LRU, no movable_ops)';
}

/** Isolate a movable_ops page with the operations of the design that made it (6.18's unless one owns it). */
function isolateMovable(k: Kernel, page: number): string | null {
  const ops = pageOpsOf(k, page);
  return ops ? ops.isolate(k, page) : isolate_movable_ops_page(k, page);
}

/** The dirty-folio check: only folios whose mapping has ->migrate_folio migrate without blocking. */
function mappingHasMigrateFolio(k: Kernel, folio: number): boolean {
  const m = k.mem.mapping.a[folio]!;
  if (m === 0 || mappingIsAnon(m)) return true;
  return k.vm.spaces[mappingId(m)]?.kind !== 'ramfs';
}

// mm/compaction.c: isolate_migratepages_block() — 0, or -EAGAIN when too many pages are isolated.
export function* isolate_migratepages_block(k: Kernel, cc: CompactControl, lowPfn: number, endPfn: number, mode: number): Steps<number> {
  let nrScanned = 0, nrIsolated = 0;
  let validPage = -1;
  let skipUpdated = false;
  let skipOnFailure = false;
  let nextSkipPfn = 0;
  const startPfn = lowPfn;
  const skips = new SkipTally();
  const taken: number[] = [];
  let aborted = '';
  cc.migrate_pfn = lowPfn;
  if (too_many_isolated(k) && (cc.nr_migratepages || cc.mode === MIGRATE_MODE.ASYNC)) return -11;
  if (cc.direct_compaction && cc.mode === MIGRATE_MODE.ASYNC) {
    skipOnFailure = true;
    nextSkipPfn = block_end_pfn(lowPfn, cc.order);
  }
  const m = k.mem;
  let heldFolio = -1; // a folio whose PG_lru we cleared when the scan aborted (isolate_abort)
  for (; lowPfn < endPfn; lowPfn++) {
    if (skipOnFailure && lowPfn >= nextSkipPfn) {
      if (nrIsolated) break;
      nextSkipPfn = block_end_pfn(lowPfn, cc.order);
    }
    nrScanned++;
    const page = lowPfn;
    if (validPage < 0 && (pageblock_aligned(lowPfn) || lowPfn === k.zones[cc.zone]!.start)) {
      if (!isolation_suitable(k, cc, page)) {
        lowPfn = endPfn;
        aborted = 'the pageblock has its skip bit set';
        break;
      }
      validPage = page;
    }
    let fail = '';
    let example: string | undefined;
    let failPut = -1;
    const t = m.pageType.a[page]!;
    const next = m.lruNext.a[page]!;
    const isTail = next <= -2;
    const head = isTail ? -next - 2 : page;
    const isHead = (m.flags.a[page]! & (1 << PG.head)) !== 0;
    scan: {
      if (t === PGTY.hugetlb || (isTail && m.pageType.a[head] === PGTY.hugetlb)) {
        const order = isHead ? m.order.a[page]! : 0;
        if (order <= MAX_PAGE_ORDER) {
          lowPfn += (1 << order) - 1;
          nrScanned += (1 << order) - 1;
        }
        fail = 'hugetlb pages';
        skips.add(fail, 1 << order);
        break scan;
      }
      if (t === PGTY.buddy) {
        const order = m.private_.a[page]!;
        if (order > 0 && order <= MAX_PAGE_ORDER) {
          lowPfn += (1 << order) - 1;
          nrScanned += (1 << order) - 1;
        }
        skips.add('free pages (PageBuddy: jumped over)', 1 << order);
        continue;
      }
      if ((isHead || isTail) && !cc.alloc_contig) {
        const order = isHead ? m.order.a[page]! : 0; // compound_order() of a tail reads 0
        if (skip_isolation_on_order(order, cc.order)) {
          if (order <= MAX_PAGE_ORDER) {
            lowPfn += (1 << order) - 1;
            nrScanned += (1 << order) - 1;
          }
          fail = `pages of order-${order} folios (${cc.order < 0 ? `>= pageblock_order` : `>= the requested order ${cc.order}`})`;
          skips.add(fail, 1 << order);
          break scan;
        }
      }
      // PageLRU() of a tail reads its head's flag.
      if (!(m.flags.a[head]! & (1 << PG.lru))) {
        if ((page_has_movable_ops(k, page) && !PageMovableOpsIsolated(k, page)) || pageOpsOf(k, page)?.isolated(k, page) === false) {
          const why = isolateMovable(k, page);
          if (!why) {
            listAdd(k, k.lists, cc.migratepages, page);
            taken.push(page);
            cc.nr_migratepages += 1;
            nrIsolated += 1;
            if (cc.nr_migratepages >= COMPACT_CLUSTER_MAX && !cc.finish_pageblock) {
              lowPfn++;
              break;
            }
            continue;
          }
          fail = `movable_ops pages not isolated: ${why}`;
        } else if (page_has_movable_ops(k, page) || hasPageOps(k, page)) fail = 'movable_ops pages already isolated by another migrator';
        else fail = nonLruKind(k, page);
        skips.add(fail);
        break scan;
      }
      // folio_get_nontail_page()
      if (isTail || !folio_try_get(k, page)) {
        fail = isTail ? 'tail pages of a folio whose head was not scanned' : 'folios being freed (refcount 0)';
        skips.add(fail);
        break scan;
      }
      failPut = page;
      const folio = page;
      const anon = mappingIsAnon(m.mapping.a[folio]!);
      const ref = m.refcount.a[folio]!;
      const mc = folio_mapcount(k, folio);
      // !folio_mapping(): a swap-cache folio's extra references are the cache's, checked later.
      if (anon && !folio_test_swapcache(k, folio) && ref - 1 > mc) {
        fail = 'anon folios with extra references (refcount - 1 > mapcount: pinned)';
        example = `${hex(folio)}: refcount ${ref - 1} + our 1, mapcount ${mc}`;
        break scan;
      }
      if (!testPageFlag(k, folio, PG.lru)) {
        fail = 'folios that left the LRU meanwhile';
        break scan;
      }
      const unevictable = testPageFlag(k, folio, PG.unevictable);
      if (!(mode & ISOLATE_UNEVICTABLE) && unevictable) {
        fail = 'unevictable folios';
        break scan;
      }
      if (mode & ISOLATE_ASYNC_MIGRATE && testPageFlag(k, folio, PG.writeback)) {
        fail = 'folios under writeback (async mode does not wait)';
        break scan;
      }
      const dirty = testPageFlag(k, folio, PG.dirty);
      if ((mode & ISOLATE_ASYNC_MIGRATE && dirty) || (!anon && unevictable)) {
        if (testPageFlag(k, folio, PG.locked)) {
          fail = 'locked folios (folio_trylock fails)';
          break scan;
        }
        if (mode & ISOLATE_ASYNC_MIGRATE && dirty && !mappingHasMigrateFolio(k, folio)) {
          fail = 'dirty folios whose mapping has no migrate_folio (async mode)';
          break scan;
        }
      }
      if (!testPageFlag(k, folio, PG.lru)) {
        fail = 'folios whose PG_lru another isolator cleared first';
        break scan;
      }
      testClearPageFlag(k, folio, PG.lru); // folio_test_clear_lru()
      if (!skipUpdated && validPage >= 0) {
        skipUpdated = true;
        if (test_and_set_skip(k, cc, validPage) && !cc.finish_pageblock) {
          heldFolio = folio;
          lowPfn = endPfn;
          aborted = 'another compactor marked the pageblock skip';
          break;
        }
      }
      if (skip_isolation_on_order(m.order.a[folio]!, cc.order) && !cc.alloc_contig && isHead) {
        const nr = folio_nr_pages(k, folio);
        lowPfn += nr - 1;
        nrScanned += nr - 1;
        setLru(k, folio);
        fail = 'folios too large for the request (rechecked under the lock)';
        break scan;
      }
      const nr = folio_nr_pages(k, folio);
      if (nr > 1) lowPfn += nr - 1;
      lruvec_del_folio(k, pageZone(k, folio), folio);
      mod_node_page_state(k, testPageFlag(k, folio, PG.swapbacked) ? NS.NR_ISOLATED_ANON : NS.NR_ISOLATED_FILE, nr);
      addHolder(k.st, k.pins, folio, HOLD.ISOLATED); // our reference is now the isolation reference
      listAdd(k, k.lists, cc.migratepages, folio);
      taken.push(folio);
      cc.nr_migratepages += nr;
      nrIsolated += nr;
      nrScanned += nr - 1;
      if (cc.nr_migratepages >= COMPACT_CLUSTER_MAX && !cc.finish_pageblock) {
        lowPfn++;
        break;
      }
      continue;
    }
    // isolate_fail_put / isolate_fail
    if (failPut >= 0) {
      folio_put(k, failPut);
      skips.add(fail, 1, example);
    }
    if (!skipOnFailure) continue;
    if (nrIsolated) {
      const list = folioListCopy(k, cc.migratepages);
      yield mkStep(k, {
        phase: 'putback', fn: 'isolate_migratepages_block', file: FILE,
        text: `${cc.who}: async direct compaction gives up on an order-${cc.order} block as soon as one page in it cannot be isolated (${fail}): the ${list.length} folio(s) isolated there go back`,
        pfns: list.map((p) => ({ pfn: p, role: 'src' as const })),
      });
      yield* putback_movable_pages(k, cc.migratepages);
      cc.nr_migratepages = 0;
      nrIsolated = 0;
      taken.length = 0;
    }
    if (lowPfn < nextSkipPfn) {
      lowPfn = nextSkipPfn - 1;
      nextSkipPfn += 1 << cc.order;
    }
  }
  if (lowPfn > endPfn) lowPfn = endPfn;
  if (heldFolio >= 0) {
    setLru(k, heldFolio);
    folio_put(k, heldFolio);
  }
  let skipSet = false;
  if (lowPfn === endPfn && (!nrIsolated || cc.finish_pageblock)) {
    if (!cc.no_set_skip_hint && validPage >= 0 && !skipUpdated) {
      set_pageblock_skip(k, validPage);
      skipSet = true;
    }
    update_cached_migrate(k, cc, lowPfn);
  }
  cc.total_migrate_scanned += nrScanned;
  if (nrIsolated) count_vm_events(k, VM_EVENT.COMPACTISOLATED, nrIsolated);
  cc.migrate_pfn = lowPfn;
  publishScanners(k, cc);
  const trace = [...cc.trace.splice(0), `mm_compaction_isolate_migratepages: range=(${hex(startPfn)} ~ ${hex(lowPfn)}) nr_scanned=${nrScanned} nr_taken=${nrIsolated}`];
  yield mkStep(k, {
    phase: 'scan', fn: 'isolate_migratepages_block', file: FILE,
    text: `${cc.who}: migrate scanner over ${hex(startPfn)}..${hex(lowPfn)} (${nrScanned} PFNs scanned): ${nrIsolated ? `isolated ${nrIsolated} page(s) onto cc->migratepages` : 'isolated nothing'}` +
      `${aborted ? `; stopped: ${aborted}` : ''}; left ${skips.text()}` +
      (skipSet ? '. Nothing was isolated, so the pageblock gets its skip bit' : ''),
    pfns: [{ pfn: startPfn, role: 'scanner', nr: Math.max(1, lowPfn - startPfn) }, ...taken.slice(0, 64).map((p) => ({ pfn: p, role: 'src' as const, nr: folio_nr_pages(k, p) }))],
    trace,
  });
  return 0;
}

const folioListCopy = (k: Kernel, slot: number): number[] => [...listPfns(k, k.lists, slot)];

const setLru = (k: Kernel, folio: number): void => setPageFlag(k, folio, PG.lru); // folio_set_lru()

// mm/compaction.c: suitable_migration_source()
function suitable_migration_source(k: Kernel, cc: CompactControl, pfn: number): boolean {
  if (cc.mode !== MIGRATE_MODE.ASYNC || !cc.direct_compaction) return true;
  const mt = get_pfnblock_migratetype(k, pfn);
  return cc.migratetype === MT.MOVABLE ? mt === MT.MOVABLE : mt === cc.migratetype;
}

// mm/compaction.c: update_fast_start_pfn() — the lowest block the fast search picked; Infinity
// (the kernel's ULONG_MAX) once reinit_migrate_pfn() has used it.
function update_fast_start_pfn(cc: CompactControl, pfn: number): void {
  if (cc.fast_start_pfn === Infinity) return;
  cc.fast_start_pfn = cc.fast_start_pfn ? Math.min(cc.fast_start_pfn, pfn) : pfn;
}

// mm/compaction.c: reinit_migrate_pfn()
function reinit_migrate_pfn(cc: CompactControl): number {
  if (!cc.fast_start_pfn || cc.fast_start_pfn === Infinity) return cc.migrate_pfn;
  cc.migrate_pfn = cc.fast_start_pfn;
  cc.fast_start_pfn = Infinity;
  return cc.migrate_pfn;
}

// mm/compaction.c: freelist_scan_limit()
const freelist_scan_limit = (cc: CompactControl): number => (COMPACT_CLUSTER_MAX >> Math.min(31, cc.fast_search_fail)) + 1;

// mm/compaction.c: fast_find_migrateblock() — for order > 3: start in a pageblock that already
// has free pages of orders cc->order-1 … 3 on the MOVABLE lists, in the near part of the gap.
function fast_find_migrateblock(k: Kernel, cc: CompactControl): number {
  let pfn = cc.migrate_pfn;
  const z = k.zones[cc.zone]!;
  if (cc.ignore_skip_hint || cc.finish_pageblock) return pfn;
  if (pfn !== z.start && pfn !== pageblock_start_pfn(pfn)) return pfn;
  if (cc.order <= PAGE_ALLOC_COSTLY_ORDER) return pfn;
  if (cc.direct_compaction && cc.migratetype !== MT.MOVABLE) return pfn;
  const limit = freelist_scan_limit(cc);
  let distance = (cc.free_pfn - cc.migrate_pfn) >> 1;
  if (cc.migrate_pfn !== z.start) distance >>= 2;
  const highPfn = pageblock_start_pfn(cc.migrate_pfn + distance);
  let scanned = 0;
  let found = false;
  for (let order = cc.order - 1; order >= PAGE_ALLOC_COSTLY_ORDER && !found && scanned < limit; order--) {
    if (!k.nrFree.a[cc.zone * NR_PAGE_ORDERS + order]) continue;
    const slot = freeSlot(cc.zone, order, MT.MOVABLE);
    for (const freePfn of listPfns(k, k.freeLists, slot)) { // the walk stops at `limit`: no copy of the list
      if (scanned++ >= limit) break;
      if (freePfn < highPfn) {
        if (get_pageblock_skip(k, freePfn)) continue;
        update_fast_start_pfn(cc, freePfn); // (the kernel also moves the entry to the list's tail: not modelled)
        pfn = Math.max(pageblock_start_pfn(freePfn), z.start);
        cc.fast_search_fail = 0;
        found = true;
        break;
      }
    }
  }
  cc.total_migrate_scanned += scanned;
  if (!found) {
    cc.fast_search_fail++;
    pfn = reinit_migrate_pfn(cc);
  }
  return pfn;
}

const ISOLATE_ABORT = 0, ISOLATE_NONE = 1, ISOLATE_SUCCESS = 2;

// mm/compaction.c: isolate_migratepages() — from the migrate scanner's position, the first
// suitable pageblock below the free scanner.
function* isolate_migratepages(k: Kernel, cc: CompactControl): Steps<number> {
  const isolateMode = ISOLATE_UNEVICTABLE | (cc.mode !== MIGRATE_MODE.SYNC ? ISOLATE_ASYNC_MIGRATE : 0);
  const z = k.zones[cc.zone]!;
  let lowPfn = fast_find_migrateblock(k, cc);
  let blockStart = Math.max(pageblock_start_pfn(lowPfn), z.start);
  let fastFind = lowPfn !== cc.migrate_pfn && !cc.fast_search_fail;
  let blockEnd = pageblock_end_pfn(lowPfn);
  for (; blockEnd <= cc.free_pfn; fastFind = false, cc.migrate_pfn = lowPfn = blockEnd, blockStart = blockEnd, blockEnd += PAGEBLOCK_NR_PAGES) {
    if (!pageblock_pfn_ok(k, blockStart, blockEnd, cc.zone)) continue;
    if ((pageblock_aligned(lowPfn) || lowPfn === z.start) && !fastFind && !isolation_suitable(k, cc, blockStart)) continue;
    if (!suitable_migration_source(k, cc, blockStart)) {
      update_cached_migrate(k, cc, blockEnd);
      continue;
    }
    const rc = yield* isolate_migratepages_block(k, cc, lowPfn, Math.min(blockEnd, z.end), isolateMode);
    if (rc) return ISOLATE_ABORT;
    break;
  }
  publishScanners(k, cc);
  return cc.nr_migratepages ? ISOLATE_SUCCESS : ISOLATE_NONE;
}

// --- the free scanner -------------------------------------------------------------------------

// mm/compaction.c: isolate_freepages_block() — free blocks are taken whole onto
// cc->freepages[order]; stops once there are as many free pages as pages to migrate.
export function isolate_freepages_block(k: Kernel, cc: CompactControl, start: number, endPfn: number, stride: number, strict: boolean, fn = 'isolate_freepages_block'): { next: number; isolated: number } {
  let nrScanned = 0, total = 0;
  let blockpfn = start;
  if (strict) stride = 1;
  const m = k.mem;
  const min = zoneWatermarks(k)[cc.zone]!.min;
  const taken: { pfn: number; role: 'target'; nr: number }[] = [];
  for (; blockpfn < endPfn; blockpfn += stride) {
    nrScanned++;
    const isHead = (m.flags.a[blockpfn]! & (1 << PG.head)) !== 0;
    if (isHead || m.lruNext.a[blockpfn]! <= -2) {
      const order = isHead ? m.order.a[blockpfn]! : 0;
      if (order <= MAX_PAGE_ORDER && blockpfn + (1 << order) <= endPfn) {
        blockpfn += (1 << order) - 1;
        nrScanned += (1 << order) - 1;
      }
      if (strict) break;
      continue;
    }
    if (m.pageType.a[blockpfn] !== PGTY.buddy) {
      if (strict) break;
      continue;
    }
    const order = m.private_.a[blockpfn]!;
    const isolated = __isolate_free_page(k, blockpfn, order, min);
    if (!isolated) break;
    setPagePrivate(k, blockpfn, order);
    nrScanned += isolated - 1;
    total += isolated;
    cc.nr_freepages += isolated;
    listAddTail(k, k.compact.free, freeList(cc, order), blockpfn);
    taken.push({ pfn: blockpfn, role: 'target', nr: isolated });
    if (!strict && cc.nr_migratepages <= cc.nr_freepages) {
      blockpfn += isolated;
      break;
    }
    blockpfn += isolated - 1;
  }
  if (blockpfn > endPfn) blockpfn = endPfn;
  cc.total_free_scanned += nrScanned;
  if (total) count_vm_events(k, VM_EVENT.COMPACTISOLATED, total);
  if (strict && blockpfn < endPfn) total = 0;
  if (k.sink) {
    emitStep(k, {
      phase: 'scan', fn, file: FILE,
      text: `${cc.who}: free scanner over ${hex(start)}..${hex(blockpfn)}${stride > 1 ? ` (stride ${stride})` : ''}: ${taken.length ? `took ${taken.length} free block(s), ${total} page(s), whole onto cc->freepages[] (not split: compaction_alloc() splits them when it hands them out)` : 'no free block taken'}; cc has ${cc.nr_freepages} free page(s) for ${cc.nr_migratepages} to migrate`,
      pfns: [{ pfn: start, role: 'scanner', nr: Math.max(1, blockpfn - start) }, ...taken.slice(0, 64)],
      trace: [...cc.trace.splice(0), `mm_compaction_isolate_freepages: range=(${hex(start)} ~ ${hex(blockpfn)}) nr_scanned=${nrScanned} nr_taken=${total}`],
    });
  }
  return { next: blockpfn, isolated: total };
}

// mm/compaction.c: suitable_migration_target()
function suitable_migration_target(k: Kernel, cc: CompactControl, pfn: number): boolean {
  if (k.mem.pageType.a[pfn] === PGTY.buddy) {
    const order = cc.order > 0 ? cc.order : PAGEBLOCK_ORDER;
    if (k.mem.private_.a[pfn]! >= order) return false;
  }
  if (cc.ignore_block_suitable) return true;
  return get_pfnblock_migratetype(k, pfn) === MT.MOVABLE;
}

// mm/compaction.c: fast_isolate_freepages() — for order > 0: take a free block from the MOVABLE
// lists of orders below cc->order that lies in the top quarter of the gap between the scanners.
function fast_isolate_freepages(k: Kernel, cc: CompactControl): void {
  if (cc.order <= 0) return;
  let limit = Math.max(1, freelist_scan_limit(cc) >> 1);
  let scanStart = false;
  if (cc.free_pfn >= zc(k, cc.zone, ZC.INIT_FREE)) {
    limit = PAGEBLOCK_NR_PAGES >> 1;
    scanStart = true;
  }
  const distance = cc.free_pfn - cc.migrate_pfn;
  let lowPfn = pageblock_start_pfn(cc.free_pfn - (distance >> 2));
  const minPfn = pageblock_start_pfn(cc.free_pfn - (distance >> 1));
  if (minPfn > lowPfn) lowPfn = minPfn;
  const z = k.zones[cc.zone]!;
  const minWmark = zoneWatermarks(k)[cc.zone]!.min;
  cc.search_order = Math.min(cc.order - 1, cc.search_order);
  let page = -1;
  let highest = 0;
  let nrScanned = 0, total = 0;
  const taken: { pfn: number; role: 'target'; nr: number }[] = [];
  for (let order = cc.search_order; page < 0 && order >= 0; order = next_search_order(cc, order)) {
    if (!k.nrFree.a[cc.zone * NR_PAGE_ORDERS + order]) continue;
    const slot = freeSlot(cc.zone, order, MT.MOVABLE);
    let orderScanned = 0;
    let highPfn = 0;
    // list_for_each_entry_reverse: from the tail
    for (let p = k.freeLists.heads.a[2 * slot + 1]!; p !== -1; p = k.mem.lruPrev.a[p]!) {
      orderScanned++;
      nrScanned++;
      if (p >= highest) highest = Math.max(pageblock_start_pfn(p), z.start);
      if (p >= lowPfn) {
        cc.fast_search_fail = 0;
        cc.search_order = order;
        page = p;
        break;
      }
      if (p >= minPfn && p > highPfn) {
        highPfn = p;
        limit >>= 1;
      }
      if (orderScanned >= limit) break;
    }
    if (page < 0 && highPfn) page = highPfn;
    if (page >= 0) {
      if (__isolate_free_page(k, page, order, minWmark)) {
        setPagePrivate(k, page, order);
        nrScanned += (1 << order) - 1;
        total += 1 << order;
        cc.nr_freepages += 1 << order;
        listAddTail(k, k.compact.free, freeList(cc, order), page);
        taken.push({ pfn: page, role: 'target', nr: 1 << order });
        count_vm_events(k, VM_EVENT.COMPACTISOLATED, 1 << order);
      } else {
        order = cc.search_order + 1;
        page = -1;
      }
    }
    if (cc.nr_freepages >= cc.nr_migratepages) break;
    if (orderScanned >= limit) limit = Math.max(1, limit >> 1);
  }
  if (k.sink) {
    emitStep(k, {
      phase: 'scan', fn: 'fast_isolate_freepages', file: FILE,
      text: `${cc.who}: fast search of the MOVABLE free lists below order ${cc.order} for a block in the top quarter of the scanner gap (${hex(lowPfn)}..${hex(cc.free_pfn)}): ${taken.length ? `took ${hex(taken[0]!.pfn)} (${taken[0]!.nr} pages)` : 'none found'}`,
      pfns: taken,
      trace: [...cc.trace.splice(0), `mm_compaction_fast_isolate_freepages: range=(${hex(minPfn)} ~ ${hex(cc.free_pfn)}) nr_scanned=${nrScanned} nr_taken=${total}`],
    });
  }
  if (page < 0) {
    cc.fast_search_fail++;
    if (scanStart && highest >= minPfn) {
      page = highest;
      cc.free_pfn = highest;
    } else if (scanStart && cc.direct_compaction && pfnValid(k, minPfn)) {
      cc.free_pfn = minPfn;
    }
  }
  if (highest && highest >= zc(k, cc.zone, ZC.CACHED_FREE)) setZc(k, cc.zone, ZC.CACHED_FREE, highest - PAGEBLOCK_NR_PAGES);
  cc.total_free_scanned += nrScanned;
  if (page < 0) return;
  // fast_isolate_around(): the rest of that pageblock
  if (cc.nr_freepages >= cc.nr_migratepages) return;
  if (cc.direct_compaction && cc.mode === MIGRATE_MODE.ASYNC) return;
  const start = Math.max(pageblock_start_pfn(page), z.start);
  const end = Math.min(pageblock_end_pfn(page), z.end);
  if (!pageblock_pfn_ok(k, start, end, cc.zone)) return;
  const r = isolate_freepages_block(k, cc, start, end, 1, false, 'fast_isolate_around');
  if (r.next === end && !cc.no_set_skip_hint) set_pageblock_skip(k, start);
}

// mm/compaction.c: next_search_order()
function next_search_order(cc: CompactControl, order: number): number {
  order--;
  if (order < 0) order = cc.order - 1;
  if (order === cc.search_order) {
    cc.search_order--;
    if (cc.search_order < 0) cc.search_order = cc.order - 1;
    return -1;
  }
  return order;
}

// mm/compaction.c: isolate_freepages() — from the free scanner's position down to the pageblock
// after the migrate scanner, until there are enough free pages for cc->migratepages.
export function isolate_freepages(k: Kernel, cc: CompactControl): void {
  fast_isolate_freepages(k, cc);
  if (cc.nr_freepages) return;
  const z = k.zones[cc.zone]!;
  let isolateStart = cc.free_pfn;
  let blockStart = pageblock_start_pfn(isolateStart);
  let blockEnd = Math.min(blockStart + PAGEBLOCK_NR_PAGES, z.end);
  const lowPfn = pageblock_end_pfn(cc.migrate_pfn);
  let stride = cc.mode === MIGRATE_MODE.ASYNC ? COMPACT_CLUSTER_MAX : 1;
  for (; blockStart >= lowPfn; blockEnd = blockStart, blockStart -= PAGEBLOCK_NR_PAGES, isolateStart = blockStart) {
    if (!pageblock_pfn_ok(k, blockStart, blockEnd, cc.zone)) continue;
    const first = Math.max(blockStart, z.start);
    if (!suitable_migration_target(k, cc, first)) continue;
    if (!isolation_suitable(k, cc, first)) continue;
    const r = isolate_freepages_block(k, cc, Math.max(isolateStart, z.start), blockEnd, stride, false);
    isolateStart = r.next;
    if (isolateStart === blockEnd) update_pageblock_skip(k, cc, first, blockStart - PAGEBLOCK_NR_PAGES);
    if (cc.nr_freepages >= cc.nr_migratepages) {
      if (isolateStart >= blockEnd) isolateStart = blockStart - PAGEBLOCK_NR_PAGES;
      break;
    } else if (isolateStart < blockEnd) break;
    stride = r.isolated ? 1 : Math.min(COMPACT_CLUSTER_MAX, stride << 1);
  }
  cc.free_pfn = isolateStart;
  publishScanners(k, cc);
}

// mm/compaction.c: compaction_alloc() / compaction_free(), migrate_pages()'s callbacks.
export function compactionTarget(cc: CompactControl): NewFolioSource {
  return {
    name: 'compaction_alloc',
    get(k: Kernel, src: number, frozen?: boolean): number {
      const order = testPageFlag(k, src, PG.head) ? k.mem.order.a[src]! : 0;
      let hasIsolated = false;
      let start = order;
      for (;;) {
        for (start = order; start < NR_PAGE_ORDERS; start++) if (!listEmpty(k.compact.free, freeList(cc, start))) break;
        if (start < NR_PAGE_ORDERS) break;
        if (hasIsolated) return -1;
        isolate_freepages(k, cc);
        hasIsolated = true;
      }
      const page = listFirst(k, k.compact.free, freeList(cc, start));
      listDel(k, k.compact.free, freeList(cc, start), page);
      let size = 1 << start;
      while (start > order) {
        start--;
        size >>= 1;
        listAdd(k, k.compact.free, freeList(cc, start), page + size);
        setPagePrivate(k, page + size, start);
      }
      setPagePrivate(k, page, 0); // post_alloc_hook()
      if (!frozen) setPageRefcount(k, page, 1); // set_page_refcounted(); a frozen request keeps 0
      if (order) {
        prep_compound_page(k, page, order);
        folio_set_large_rmappable(k, page); // page_rmappable_folio()
      }
      cc.nr_freepages -= 1 << order;
      cc.nr_migratepages -= 1 << order;
      return page;
    },
    put(k: Kernel, dst: number, frozen?: boolean): void {
      const order = testPageFlag(k, dst, PG.head) ? k.mem.order.a[dst]! : 0;
      const ref = frozen ? 0 : k.mem.refcount.a[dst]! - 1;
      if (!frozen) setPageRefcount(k, dst, ref); // folio_put_testzero()
      if (ref === 0) {
        free_pages_prepare(k, dst, order);
        listAdd(k, k.compact.free, freeList(cc, order), dst);
        cc.nr_freepages += 1 << order;
      }
      cc.nr_migratepages += 1 << order;
    },
  };
}

// mm/compaction.c: release_free_list() — what the free scanner took and nobody used goes back to
// the buddy allocator (mark_allocated + __free_pages); returns the highest PFN released.
export function release_free_list(k: Kernel, cc: CompactControl): number {
  let high = 0;
  for (let o = 0; o < NR_PAGE_ORDERS; o++) {
    const slot = freeList(cc, o);
    while (!listEmpty(k.compact.free, slot)) {
      const pfn = listFirst(k, k.compact.free, slot);
      listDel(k, k.compact.free, slot, pfn);
      setPagePrivate(k, pfn, 0);
      free_frozen_pages(k, pfn, o);
      if (pfn > high) high = pfn;
    }
  }
  return high;
}

// --- termination ------------------------------------------------------------------------------

// mm/compaction.c: __compact_finished()
function __compact_finished(k: Kernel, cc: CompactControl): CompactResult {
  if (compact_scanners_met(cc)) {
    reset_cached_positions(k, cc.zone);
    if (cc.direct_compaction) setZc(k, cc.zone, ZC.BLOCKSKIP_FLUSH, 1);
    return cc.whole_zone ? COMPACT.COMPLETE : COMPACT.PARTIAL_SKIPPED;
  }
  if (cc.proactive_compaction) {
    return fragmentation_score_zone(k, cc.zone) > fragmentation_score_wmark(true, cc.proactiveness) ? COMPACT.CONTINUE : COMPACT.SUCCESS;
  }
  if (cc.order === -1) return COMPACT.CONTINUE;
  if (!pageblock_aligned(cc.migrate_pfn)) return COMPACT.CONTINUE;
  for (let o = cc.order; o < NR_PAGE_ORDERS; o++) {
    if (!k.nrFree.a[cc.zone * NR_PAGE_ORDERS + o]) continue;
    if (!listEmpty(k.freeLists, freeSlot(cc.zone, o, cc.migratetype))) return COMPACT.SUCCESS;
    if (find_suitable_fallback(k, cc.zone, o, cc.migratetype, true) >= 0) return COMPACT.SUCCESS;
  }
  return COMPACT.NO_SUITABLE_PAGE;
}

const finishedTrace = (k: Kernel, cc: CompactControl, ret: number): string =>
  `mm_compaction_finished: node=0 zone=${pad8(zoneName(k, cc.zone))} order=${cc.order} ret=${COMPACT_NAMES[ret]}`;

// mm/compaction.c: compact_finished()
function compact_finished(k: Kernel, cc: CompactControl): CompactResult {
  let ret = __compact_finished(k, cc);
  cc.trace.push(finishedTrace(k, cc, ret));
  if (ret === COMPACT.NO_SUITABLE_PAGE) ret = COMPACT.CONTINUE;
  return ret;
}

/** vm.compaction_proactiveness */
export const COMPACTION_PROACTIVENESS = 20;
const COMPACTION_HPAGE_ORDER = 9;

// mm/compaction.c: fragmentation_score_zone() and fragmentation_score_wmark()
export function fragmentation_score_zone(k: Kernel, zone: number): number {
  return extfragForScore(k, zone);
}
export function fragmentation_score_wmark(low: boolean, proactiveness = COMPACTION_PROACTIVENESS): number {
  const wmarkLow = 100 - proactiveness;
  const leeway = Math.min(10, wmarkLow >> 1);
  return low ? wmarkLow : Math.min(wmarkLow + leeway, 100);
}
const extfragForScore = (k: Kernel, zone: number): number => extfrag_for_order(k, zone, COMPACTION_HPAGE_ORDER);

// --- compact_zone -----------------------------------------------------------------------------

// mm/compaction.c: compaction_suitable() and compaction_suit_allocation_order()
function compaction_suit_allocation_order(k: Kernel, cc: CompactControl): { ret: CompactResult; why: string } {
  const wm = zoneWatermarks(k)[cc.zone]!;
  const order = cc.order;
  const highest = cc.highest_zoneidx ?? cc.zone;
  const reserve = highest > cc.zone ? ` + lowmem_reserve ${lowmem_reserve(k, cc.zone, highest)} against ${zoneName(k, highest)} requests` : '';
  if (zone_watermark_ok(k, cc.zone, order, wm.min, highest)) return { ret: COMPACT.SUCCESS, why: `an order-${order} block is free above the min watermark (${wm.min}${reserve}) already` };
  const gap = 2 << order; // compact_gap()
  if (order > PAGE_ALLOC_COSTLY_ORDER && cc.mode === MIGRATE_MODE.ASYNC && !zone_watermark_ok(k, cc.zone, 0, wm.min + gap, highest)) {
    return { ret: COMPACT.SKIPPED, why: `free pages do not exceed min watermark ${wm.min} + compact_gap ${gap}${reserve}` };
  }
  const mark = wm.min + gap + (order > PAGE_ALLOC_COSTLY_ORDER ? wm.low - wm.min : 0);
  let ret: CompactResult;
  let why: string;
  if (!zone_watermark_ok(k, cc.zone, 0, mark, highest)) {
    ret = COMPACT.SKIPPED;
    why = `free pages do not exceed the order-0 watermark ${mark} (min ${wm.min} + compact_gap ${gap}${order > PAGE_ALLOC_COSTLY_ORDER ? ` + low-min ${wm.low - wm.min}` : ''}${reserve}): too little memory to compact into`;
  } else {
    ret = COMPACT.CONTINUE;
    why = `free pages exceed the order-0 watermark ${mark}`;
    if (order > PAGE_ALLOC_COSTLY_ORDER) {
      const fi = fragmentation_index(k, cc.zone, order);
      if (fi >= 0 && fi <= EXTFRAG_THRESHOLD) {
        ret = COMPACT.NOT_SUITABLE_ZONE;
        why += `, but the fragmentation index for order ${order} is ${(fi / 1000).toFixed(3)} <= extfrag_threshold ${EXTFRAG_THRESHOLD / 1000}: a failure would be for lack of memory, not fragmentation`;
      } else why += `; fragmentation index ${(fi / 1000).toFixed(3)} > ${EXTFRAG_THRESHOLD / 1000}: the failure is due to fragmentation`;
    }
  }
  cc.trace.push(`mm_compaction_suitable: node=0 zone=${pad8(zoneName(k, cc.zone))} order=${order} ret=${COMPACT_NAMES[ret]}`);
  return { ret, why };
}

// mm/compaction.c: compaction_restarting()
function compaction_restarting(k: Kernel, zone: number, order: number): boolean {
  if (order < zc(k, zone, ZC.ORDER_FAILED)) return false;
  return zc(k, zone, ZC.DEFER_SHIFT) === COMPACT_MAX_DEFER_SHIFT && zc(k, zone, ZC.CONSIDERED) >= 1 << COMPACT_MAX_DEFER_SHIFT;
}

const beginFields = (k: Kernel, cc: CompactControl): string => {
  const z = k.zones[cc.zone]!;
  return `zone_start=${hex(z.start)} migrate_pfn=${hex(cc.migrate_pfn)} free_pfn=${hex(cc.free_pfn)} zone_end=${hex(z.end)}, mode=${cc.mode !== MIGRATE_MODE.ASYNC ? 'sync' : 'async'}`;
};

export interface CompactZoneResult {
  readonly ret: CompactResult;
  readonly migrated: number;
  readonly failed: number;
}

// mm/compaction.c: compact_zone()
export function* compact_zone(k: Kernel, cc: CompactControl): Steps<CompactZoneResult> {
  const z = k.zones[cc.zone]!;
  const sync = cc.mode !== MIGRATE_MODE.ASYNC;
  let ret: CompactResult = COMPACT.CONTINUE;
  spanOpen(k, 'compaction');
  if (cc.order >= 0) {
    const s = compaction_suit_allocation_order(k, cc);
    if (s.ret !== COMPACT.CONTINUE) {
      yield mkStep(k, {
        phase: 'done', fn: s.ret === COMPACT.SUCCESS ? 'compaction_suit_allocation_order' : 'compaction_suitable', file: FILE,
        text: `${cc.who}: zone ${z.name}, order ${cc.order}: ${s.why} → ${COMPACT_NAMES[s.ret]}; compact_zone() does not scan`,
        pfns: [], result: COMPACT_NAMES[s.ret], trace: cc.trace.splice(0),
      });
      endCompactControl(k, cc);
      spanClose(k, 'compaction');
      return { ret: s.ret, migrated: 0, failed: 0 };
    }
  }
  if (compaction_restarting(k, cc.zone, cc.order)) __reset_isolation_suitable(k, cc.zone);
  if (cc.whole_zone) {
    cc.migrate_pfn = z.start;
    cc.free_pfn = pageblock_start_pfn(z.end - 1);
  } else {
    cc.migrate_pfn = zc(k, cc.zone, sync ? ZC.CACHED_MIGRATE_SYNC : ZC.CACHED_MIGRATE_ASYNC);
    cc.free_pfn = zc(k, cc.zone, ZC.CACHED_FREE);
    if (cc.free_pfn < z.start || cc.free_pfn >= z.end) {
      cc.free_pfn = pageblock_start_pfn(z.end - 1);
      setZc(k, cc.zone, ZC.CACHED_FREE, cc.free_pfn);
    }
    if (cc.migrate_pfn < z.start || cc.migrate_pfn >= z.end) {
      cc.migrate_pfn = z.start;
      setZc(k, cc.zone, ZC.CACHED_MIGRATE_ASYNC, z.start);
      setZc(k, cc.zone, ZC.CACHED_MIGRATE_SYNC, z.start);
    }
    if (cc.migrate_pfn <= zc(k, cc.zone, ZC.INIT_MIGRATE)) cc.whole_zone = true;
  }
  publishScanners(k, cc);
  let lastMigratedPfn = 0;
  let updateCached = !sync && zc(k, cc.zone, ZC.CACHED_MIGRATE_ASYNC) === zc(k, cc.zone, ZC.CACHED_MIGRATE_SYNC);
  // Only this CPU's batches: a folio another CPU just added to the LRU is not isolated this time.
  lru_add_drain(k, cc.who);
  yield mkStep(k, {
    phase: 'scan', fn: 'compact_zone', file: FILE,
    text: `${cc.who}: compact zone ${z.name} (${hex(z.start)}..${hex(z.end)}) for ${cc.order < 0 ? 'everything (order -1)' : `order ${cc.order}`}, ${MODE_NAMES[cc.mode]}${cc.whole_zone ? ', whole zone' : ', from the cached scanner positions'}${cc.ignore_skip_hint ? ', skip hints ignored' : ''}: the migrate scanner starts at ${hex(cc.migrate_pfn)} and walks up, the free scanner starts at ${hex(cc.free_pfn)} and walks down`,
    pfns: [{ pfn: cc.migrate_pfn, role: 'scanner' }, { pfn: cc.free_pfn, role: 'scanner' }],
    trace: [...cc.trace.splice(0), `mm_compaction_begin: ${beginFields(k, cc)}`],
  });
  while ((ret = compact_finished(k, cc)) === COMPACT.CONTINUE) {
    // One pass of the loop: the migrate scanner isolates from a pageblock, then migrate_pages().
    spanClose(k, 'pageblock');
    spanOpen(k, 'pageblock');
    const iterationStart = cc.migrate_pfn;
    cc.finish_pageblock = pageblock_start_pfn(lastMigratedPfn) === pageblock_start_pfn(iterationStart);
    let rescan = true;
    let abort = false;
    while (rescan) {
      rescan = false;
      const r = yield* isolate_migratepages(k, cc);
      if (r === ISOLATE_ABORT) {
        ret = COMPACT.CONTENDED;
        yield* putback_movable_pages(k, cc.migratepages);
        cc.nr_migratepages = 0;
        abort = true;
        break;
      }
      if (r === ISOLATE_NONE) {
        if (updateCached) setZc(k, cc.zone, ZC.CACHED_MIGRATE_SYNC, zc(k, cc.zone, ZC.CACHED_MIGRATE_ASYNC));
        break;
      }
      updateCached = false;
      lastMigratedPfn = Math.max(z.start, pageblock_start_pfn(cc.migrate_pfn - 1));
      const nrMigratepages = cc.nr_migratepages;
      // PF_MEMALLOC is set exactly for direct compaction (__alloc_pages_direct_compact() wraps
      // try_to_compact_pages() in memalloc_noreclaim_save()); kcompactd and compact_memory run without it.
      const migrate = runDesign(k).migrateIsolated ?? migrate_pages; // a design may replace migrate_pages()
      const res = yield* withQuietFrees(k, migrate(k, cc.migratepages, compactionTarget(cc), cc.mode, MR.COMPACTION, cc.who, cc.direct_compaction));
      const succeeded = res.stats.nr_succeeded;
      cc.nr_migrated += succeeded;
      cc.nr_failed += nrMigratepages - succeeded;
      cc.trace.push(`mm_compaction_migratepages: nr_migrated=${succeeded} nr_failed=${nrMigratepages - succeeded}`);
      cc.nr_migratepages = 0;
      if (res.rc) {
        yield* putback_movable_pages(k, cc.migratepages);
        if (res.rc === ENOMEM && !compact_scanners_met(cc)) {
          ret = COMPACT.CONTENDED;
          abort = true;
          break;
        }
        if (!pageblock_aligned(cc.migrate_pfn) && !cc.ignore_skip_hint && !cc.finish_pageblock && cc.mode < MIGRATE_MODE.SYNC) {
          cc.finish_pageblock = true;
          if (cc.order === COMPACTION_HPAGE_ORDER) lastMigratedPfn = 0;
          rescan = true;
        }
      }
    }
    if (abort) break;
    if (k.compact.capc.a[CAPC.PFN]! >= 0 && k.compact.capc.a[CAPC.ZONE] !== -1) {
      ret = COMPACT.SUCCESS;
      break;
    }
    // check_drain: once the migrate scanner has left the cc->order aligned block it migrated
    // from, the pages freed there wait on this CPU's lists: flush them so they can merge and
    // compact_finished() sees the block (lru_add_drain_cpu_zone).
    if (cc.order > 0 && lastMigratedPfn && lastMigratedPfn < (cc.migrate_pfn & ~((1 << cc.order) - 1))) {
      const drained = lru_add_drain_cpu_zone(k, cc.zone, cc.who);
      lastMigratedPfn = 0;
      if (drained) {
        yield mkStep(k, {
          phase: 'free', fn: 'lru_add_drain_cpu_zone', file: 'mm/swap.c',
          text: `${cc.who}: the migrate scanner left the order-${cc.order} block it migrated from: drain_local_pages() returns ${drained} page(s) from CPU ${k.cpu}'s lists of zone ${z.name} to the buddy lists, where they can merge`,
          pfns: [],
        });
      }
    }
  }
  spanClose(k, 'pageblock');
  // out:
  if (cc.nr_freepages > 0) {
    const freePfn = pageblock_start_pfn(release_free_list(k, cc));
    cc.nr_freepages = 0;
    if (freePfn > zc(k, cc.zone, ZC.CACHED_FREE)) setZc(k, cc.zone, ZC.CACHED_FREE, freePfn);
  }
  count_vm_events(k, VM_EVENT.COMPACTMIGRATE_SCANNED, cc.total_migrate_scanned);
  count_vm_events(k, VM_EVENT.COMPACTFREE_SCANNED, cc.total_free_scanned);
  publishScanners(k, cc);
  const captured = k.compact.capc.a[CAPC.PFN]!;
  yield mkStep(k, {
    phase: 'done', fn: 'compact_zone', file: FILE,
    text: `${cc.who}: compaction of zone ${z.name} ends: ${COMPACT_NAMES[ret]}${ret === COMPACT.COMPLETE ? ' (the scanners met, the whole zone was scanned)' : ret === COMPACT.PARTIAL_SKIPPED ? ' (the scanners met, part of the zone was skipped)' : ret === COMPACT.SUCCESS ? (captured >= 0 ? ` (a block of order ${cc.order} was captured at ${hex(captured)})` : ` (a free block of order >= ${cc.order} exists now)`) : ''}; ` +
      `${cc.nr_migrated} page(s) migrated, ${cc.nr_failed} isolated but not migrated; ${cc.total_migrate_scanned} PFNs scanned by the migrate scanner, ${cc.total_free_scanned} by the free scanner`,
    pfns: [{ pfn: cc.migrate_pfn, role: 'scanner' }, { pfn: cc.free_pfn, role: 'scanner' }], result: COMPACT_NAMES[ret],
    trace: [...cc.trace.splice(0), `mm_compaction_end: ${beginFields(k, cc)} status=${COMPACT_NAMES[ret]}`],
  });
  endCompactControl(k, cc);
  spanClose(k, 'compaction');
  return { ret, migrated: cc.nr_migrated, failed: cc.nr_failed };
}

// --- callers ----------------------------------------------------------------------------------

/** The GFP request's zone walk, highest allowed zone first (the zonelist of one node). */
const zonesDown = (k: Kernel, highest: number): number[] => {
  const out: number[] = [];
  for (let z = highest; z >= 0; z--) if (k.zones[z]!.name !== 'Device') out.push(z);
  return out;
};

const zoneHasPages = (k: Kernel, zone: number): boolean => zoneWatermarks(k)[zone]!.managed > 0;

// mm/compaction.c: compact_node() / compact_nodes() — /proc/sys/vm/compact_memory: order -1,
// MIGRATE_SYNC, whole zone, skip hints ignored, every populated zone.
export function* compact_nodes(k: Kernel, who: string, proactive = false, onlyZone?: number, proactiveness = COMPACTION_PROACTIVENESS): Steps<CompactResult[]> {
  const out: CompactResult[] = [];
  // compact_nodes() and compact_store() flush every CPU's batches first; kcompactd's proactive
  // pass (proactive_compact_node) does not.
  if (!proactive) lru_add_drain_all(k, who);
  for (const z of k.zones) {
    if (z.name === 'Device' || !zoneHasPages(k, z.idx)) continue;
    if (onlyZone !== undefined && z.idx !== onlyZone) continue;
    const cc = newCompactControl(k, {
      zone: z.idx, order: -1, mode: proactive ? MIGRATE_MODE.SYNC_LIGHT : MIGRATE_MODE.SYNC, migratetype: MT.UNMOVABLE, who,
      whole_zone: true, ignore_skip_hint: true, ignore_block_suitable: false, direct_compaction: false,
      proactive_compaction: proactive, alloc_contig: false, no_set_skip_hint: false, proactiveness,
    });
    const r = yield* compact_zone(k, cc);
    out.push(r.ret);
  }
  return out;
}

// mm/compaction.c: fragmentation_score_node() — each zone's score weighted by its share of the
// node's present pages.
export function fragmentation_score_node(k: Kernel): number {
  const present = k.zones.map((z) => {
    let n = 0;
    for (let p = z.start; p < z.end; p++) if (pfnValid(k, p)) n++;
    return z.name === 'Device' ? 0 : n;
  });
  const node = present.reduce((a, b) => a + b, 0);
  let score = 0;
  k.zones.forEach((z, i) => {
    if (present[i]) score += Math.floor((present[i]! * fragmentation_score_zone(k, z.idx)) / (node + 1));
  });
  return score;
}

// mm/compaction.c: kcompactd's proactive pass (should_proactive_compact_node, then
// compact_node(pgdat, true)): only when the node's score is above the high mark; each zone is
// compacted (MIGRATE_SYNC_LIGHT) until its own score falls to the low mark or the scanners meet.
export function* kcompactd_proactive(k: Kernel, who: string, proactiveness = COMPACTION_PROACTIVENESS): Steps<void> {
  const score = fragmentation_score_node(k);
  const high = fragmentation_score_wmark(false, proactiveness);
  const low = fragmentation_score_wmark(true, proactiveness);
  const zones = k.zones.filter((z) => z.name !== 'Device' && zoneHasPages(k, z.idx)).map((z) => `${z.name} ${fragmentation_score_zone(k, z.idx)}`).join(', ');
  if (score <= high) {
    yield mkStep(k, {
      phase: 'done', fn: 'should_proactive_compact_node', file: FILE,
      text: `${who}: the node's fragmentation score is ${score} (zones: ${zones}; % of free memory in blocks below order ${COMPACTION_HPAGE_ORDER}, weighted by zone size), not above the high mark ${high} (vm.compaction_proactiveness ${proactiveness}): kcompactd goes back to sleep`,
      pfns: [], result: 'false', trace: ['mm_compaction_kcompactd_sleep: nid=0'],
    });
    return;
  }
  yield mkStep(k, {
    phase: 'scan', fn: 'should_proactive_compact_node', file: FILE,
    text: `${who}: the node's fragmentation score is ${score} (zones: ${zones}), above the high mark ${high}: proactive compaction of every zone until its score is at most ${low}`,
    pfns: [], result: 'true',
  });
  yield* compact_nodes(k, who, true, undefined, proactiveness);
  const after = fragmentation_score_node(k);
  yield mkStep(k, {
    phase: 'done', fn: 'kcompactd_do_work', file: FILE,
    text: `${who}: the node's score went from ${score} to ${after}` + (after >= score ? `: it did not drop, so the next proactive attempt waits ${1 << COMPACT_MAX_DEFER_SHIFT} times longer (proactive_defer)` : ''),
    pfns: [], trace: ['mm_compaction_kcompactd_sleep: nid=0'],
  });
}

// mm/compaction.c: defer_compaction(), compaction_deferred(), compaction_defer_reset()
function defer_compaction(k: Kernel, zone: number, order: number): string {
  setZc(k, zone, ZC.CONSIDERED, 0);
  setZc(k, zone, ZC.DEFER_SHIFT, Math.min(COMPACT_MAX_DEFER_SHIFT, zc(k, zone, ZC.DEFER_SHIFT) + 1));
  if (order < zc(k, zone, ZC.ORDER_FAILED)) setZc(k, zone, ZC.ORDER_FAILED, order);
  return deferTrace(k, 'mm_compaction_defer_compaction', zone, order);
}

function compaction_deferred(k: Kernel, zone: number, order: number): string | null {
  const limit = 1 << zc(k, zone, ZC.DEFER_SHIFT);
  if (order < zc(k, zone, ZC.ORDER_FAILED)) return null;
  const considered = zc(k, zone, ZC.CONSIDERED) + 1;
  if (considered >= limit) {
    setZc(k, zone, ZC.CONSIDERED, limit);
    return null;
  }
  setZc(k, zone, ZC.CONSIDERED, considered);
  return deferTrace(k, 'mm_compaction_deferred', zone, order);
}

export function compaction_defer_reset(k: Kernel, zone: number, order: number, allocSuccess: boolean): string {
  if (allocSuccess) {
    setZc(k, zone, ZC.CONSIDERED, 0);
    setZc(k, zone, ZC.DEFER_SHIFT, 0);
  }
  if (order >= zc(k, zone, ZC.ORDER_FAILED)) setZc(k, zone, ZC.ORDER_FAILED, order + 1);
  return deferTrace(k, 'mm_compaction_defer_reset', zone, order);
}

const deferTrace = (k: Kernel, ev: string, zone: number, order: number): string =>
  `${ev}: node=0 zone=${pad8(zoneName(k, zone))} order=${order} order_failed=${zc(k, zone, ZC.ORDER_FAILED)} consider=${zc(k, zone, ZC.CONSIDERED)} limit=${1 << zc(k, zone, ZC.DEFER_SHIFT)}`;

/**
 * Run migrate_pages() for compaction without a stop for every free of a source page and each
 * merge it causes (thousands per run): migrate_folio_done says the old folio is freed, and the
 * grid shows the free blocks growing.
 */
function* withQuietFrees<T>(k: Kernel, gen: Steps<T>): Steps<T> {
  for (;;) {
    k.quietFrees = true;
    let r: IteratorResult<StepInfo, T>;
    try {
      r = gen.next();
    } finally {
      k.quietFrees = false;
    }
    if (r.done) return r.value;
    yield r.value;
  }
}

/** Run a generator with `current->capture_control` set only while it runs (not while others do). */
function* withCapture<T>(k: Kernel, zone: number, order: number, mt: number, gen: Steps<T>): Steps<{ value: T; captured: number }> {
  const capc = k.compact.capc;
  put(k.st, capc, CAPC.PFN, -1);
  put(k.st, capc, CAPC.ORDER, order);
  put(k.st, capc, CAPC.MT, mt);
  const set = (on: boolean): void => put(k.st, capc, CAPC.ZONE, on ? zone : -1);
  for (;;) {
    set(true);
    const r = gen.next();
    set(false);
    if (r.done) {
      const captured = capc.a[CAPC.PFN]!;
      return { value: r.value, captured };
    }
    yield r.value;
  }
}

export interface DirectCompactResult {
  readonly ret: CompactResult;
  /** A block captured while compacting (its order = the request's), or -1. */
  readonly captured: number;
  readonly zone: number;
}

// mm/compaction.c: try_to_compact_pages() → compact_zone_order() for each zone of the request.
export function* try_to_compact_pages(k: Kernel, gfpName: string, order: number, migratetype: number, highestZone: number, prio: number, who: string): Steps<DirectCompactResult> {
  let rc: CompactResult = COMPACT.SKIPPED;
  const trace = [`mm_compaction_try_to_compact_pages: order=${order} gfp_mask=${gfpName} priority=${prio}`];
  let captured = -1;
  let zoneOut = -1;
  for (const zone of zonesDown(k, highestZone)) {
    if (!zoneHasPages(k, zone)) continue;
    if (prio > MIN_COMPACT_PRIORITY) {
      const d = compaction_deferred(k, zone, order);
      if (d) {
        rc = Math.max(rc, COMPACT.DEFERRED) as CompactResult;
        yield mkStep(k, {
          phase: 'done', fn: 'compaction_deferred', file: FILE,
          text: `${who}: compaction of zone ${k.zones[zone]!.name} for order ${order} is deferred: it failed recently, and only every ${1 << zc(k, zone, ZC.DEFER_SHIFT)}th attempt runs (this is attempt ${zc(k, zone, ZC.CONSIDERED)})`,
          pfns: [], result: 'deferred', trace: [...trace.splice(0), d],
        });
        continue;
      }
    }
    const whole = prio === MIN_COMPACT_PRIORITY;
    const cc = newCompactControl(k, {
      zone, order, mode: prio === COMPACT_PRIO.ASYNC ? MIGRATE_MODE.ASYNC : MIGRATE_MODE.SYNC_LIGHT, migratetype, who,
      whole_zone: whole, ignore_skip_hint: whole, ignore_block_suitable: whole, direct_compaction: true,
      proactive_compaction: false, alloc_contig: false, no_set_skip_hint: false, highest_zoneidx: highestZone,
    });
    cc.trace.push(...trace.splice(0));
    const r = yield* withCapture(k, zone, order, migratetype, compact_zone(k, cc));
    let status = r.value.ret;
    if (r.captured >= 0) {
      status = COMPACT.SUCCESS;
      captured = r.captured;
    }
    rc = Math.max(rc, status) as CompactResult;
    zoneOut = zone;
    if (status === COMPACT.SUCCESS) {
      const t = compaction_defer_reset(k, zone, order, false);
      yield mkStep(k, { phase: 'done', fn: 'compaction_defer_reset', file: FILE, text: `${who}: compaction thinks the order-${order} allocation will succeed in ${k.zones[zone]!.name}; the deferral's failed order moves above ${order}`, pfns: [], trace: [t] });
      break;
    }
    if (prio !== COMPACT_PRIO.ASYNC && (status === COMPACT.COMPLETE || status === COMPACT.PARTIAL_SKIPPED)) {
      const t = defer_compaction(k, zone, order);
      yield mkStep(k, {
        phase: 'done', fn: 'defer_compaction', file: FILE,
        text: `${who}: ${MODE_NAMES[cc.mode]} compaction of ${k.zones[zone]!.name} scanned to the end without producing an order-${order} block: defer_compaction() skips the next ${1 << zc(k, zone, ZC.DEFER_SHIFT)} attempt(s) (defer_shift ${zc(k, zone, ZC.DEFER_SHIFT)})`,
        pfns: [], trace: [t],
      });
    }
  }
  return { ret: rc, captured, zone: zoneOut };
}

