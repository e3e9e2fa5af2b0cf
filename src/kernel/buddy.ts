// The buddy allocator of mm/page_alloc.c (6.18): free_area[order].free_list[migratetype] per
// zone, split on allocation (expand), merge on free (__free_one_page), and the fallback to other
// migratetypes (__rmqueue_claim, __rmqueue_steal) that decides how pageblocks change type.
// Order-0..3 and THP frees and allocations go through the per-CPU lists (pcp.ts).
// Not modelled: watermark refusals, page shuffling, guard pages, CMA, highatomic reserves.

import { PG, PGTY, PAGE_FLAGS_CHECK_AT_FREE, bit, decodeFlags } from './flags';
import {
  clearCompoundHead, folioOrder, pageFlags, pageMapcountRaw, pageMapping, pagePrivate, pageRefcount, pageType,
  setCompoundHead, setFolioOrder, setPageFlag, setPageFlags, setPageMapping, setPagePrivate,
  setPageRefcount, setPageType, PageTail,
} from './memmap';
import { freeSlot, pageZone, type Kernel } from './kernel';
import { listAdd, listAddTail, listDel, listEmpty, listFirst } from './list';
import {
  MAX_PAGE_ORDER, MIGRATE_PCPTYPES, MT, NR_PAGE_ORDERS, PAGEBLOCK_NR_PAGES, PAGEBLOCK_ORDER, PB_MIGRATE_ISOLATE, PB_MT_MASK,
  get_pfnblock_migratetype, is_migrate_isolate, migratetype_is_mergeable, set_pageblock_migratetype,
} from './zone';
import { count_vm_events, mod_zone_page_state, VM_EVENT, zone_page_state, ZS } from './vmstat';
import { CAPC } from './compaction-state';
import { put } from './store';
import { emitStep, hex, traceEvent, tracing } from './step';
import { MT_NAMES } from './zone';
import { zone_watermark_ok, zoneWatermarks } from './watermark';
import { free_to_pcp, note_below_high, pcp_allowed_order, rmqueue_pcplist } from './pcp';
import { MAPPING_FLAGS } from './vm';

const FILE = 'mm/page_alloc.c';
/** x86-64 vmemmap without KASLR: where struct page of a PFN would sit (tracepoints print it). */
export const pagePtr = (pfn: number): string => (0xffffea0000000000n + BigInt(pfn) * 64n).toString(16);
const mtName = (mt: number): string => MT_NAMES[mt] ?? String(mt);

// include/linux/gfp_types.h (the low bits keep their historical values).
export const __GFP_DMA = 0x01;
export const __GFP_DMA32 = 0x04;
export const __GFP_MOVABLE = 0x08;
export const __GFP_RECLAIMABLE = 0x10;
/** Make a compound (large) folio for order > 0. Our own bit value. */
export const __GFP_COMP = 0x40000;
const GFP_MOVABLE_SHIFT = 3;

export const GFP_KERNEL = 0;
export const GFP_HIGHUSER_MOVABLE = __GFP_MOVABLE;
export const GFP_TRANSHUGE = __GFP_MOVABLE | __GFP_COMP;

/** show_gfp_flags() for the bits the model keeps, in include/trace/events/mmflags.h's order. */
export function gfpName(gfp: number): string {
  const parts = [gfp & __GFP_MOVABLE ? 'GFP_HIGHUSER_MOVABLE' : 'GFP_KERNEL'];
  if (gfp & __GFP_DMA) parts.push('GFP_DMA');
  if (gfp & __GFP_DMA32) parts.push('GFP_DMA32');
  if (gfp & __GFP_RECLAIMABLE) parts.push('__GFP_RECLAIMABLE');
  if (gfp & __GFP_COMP) parts.push('__GFP_COMP');
  return parts.join('|');
}

// include/trace/events/kmem.h: mm_page_alloc, fired once per __alloc_pages() call, also when it
// fails (page=NULL, pfn=0x0).
export function trace_mm_page_alloc(k: Kernel, pfn: number, order: number, gfp: number): void {
  if (!tracing(k)) return;
  const page = pfn >= 0 ? pagePtr(pfn) : '0000000000000000';
  traceEvent(k, `mm_page_alloc: page=${page} pfn=${hex(Math.max(pfn, 0))} order=${order} migratetype=${gfp_migratetype(gfp)} gfp_flags=${gfpName(gfp)}`);
}

// include/linux/gfp.h: gfp_migratetype()
export function gfp_migratetype(gfp: number): number {
  return (gfp & (__GFP_MOVABLE | __GFP_RECLAIMABLE)) >> GFP_MOVABLE_SHIFT;
}

/** mm/page_alloc.c: fallbacks[] — the order in which other free lists are raided. */
const FALLBACKS: readonly (readonly number[])[] = [
  [MT.RECLAIMABLE, MT.MOVABLE], // UNMOVABLE
  [MT.RECLAIMABLE, MT.UNMOVABLE], // MOVABLE
  [MT.UNMOVABLE, MT.MOVABLE], // RECLAIMABLE
];

export function PageBuddy(k: Kernel, pfn: number): boolean {
  return pageType(k, pfn) === PGTY.buddy;
}

export function buddy_order(k: Kernel, pfn: number): number {
  return pagePrivate(k, pfn);
}

function set_buddy_order(k: Kernel, pfn: number, order: number): void {
  setPagePrivate(k, pfn, order);
  setPageType(k, pfn, PGTY.buddy); // __SetPageBuddy
}

// mm/page_alloc.c: account_freepages() — isolated free pages do not count as free.
function account_freepages(k: Kernel, zone: number, nr: number, mt: number): void {
  if (is_migrate_isolate(mt)) return;
  mod_zone_page_state(k, zone, ZS.NR_FREE_PAGES, nr);
}

// mm/page_alloc.c: __add_to_free_list()
function __add_to_free_list(k: Kernel, pfn: number, zone: number, order: number, mt: number, tail: boolean): void {
  const slot = freeSlot(zone, order, mt);
  if (tail) listAddTail(k, k.freeLists, slot, pfn);
  else listAdd(k, k.freeLists, slot, pfn);
  const i = zone * NR_PAGE_ORDERS + order;
  put(k.st, k.nrFree, i, k.nrFree.a[i]! + 1);
  if (order >= PAGEBLOCK_ORDER && !is_migrate_isolate(mt)) mod_zone_page_state(k, zone, ZS.NR_FREE_PAGES_BLOCKS, 1 << order);
}

// mm/page_alloc.c: __del_page_from_free_list()
function __del_page_from_free_list(k: Kernel, pfn: number, zone: number, order: number, mt: number): void {
  listDel(k, k.freeLists, freeSlot(zone, order, mt), pfn);
  setPageType(k, pfn, PGTY.none); // __ClearPageBuddy
  setPagePrivate(k, pfn, 0);
  const i = zone * NR_PAGE_ORDERS + order;
  put(k.st, k.nrFree, i, k.nrFree.a[i]! - 1);
  if (order >= PAGEBLOCK_ORDER && !is_migrate_isolate(mt)) mod_zone_page_state(k, zone, ZS.NR_FREE_PAGES_BLOCKS, -(1 << order));
}

function del_page_from_free_list(k: Kernel, pfn: number, zone: number, order: number, mt: number): void {
  __del_page_from_free_list(k, pfn, zone, order, mt);
  account_freepages(k, zone, -(1 << order), mt);
}

// mm/page_alloc.c: move_to_free_list() — to the tail, so moved pages are not reused at once.
function move_to_free_list(k: Kernel, pfn: number, zone: number, order: number, oldMt: number, newMt: number): void {
  listDel(k, k.freeLists, freeSlot(zone, order, oldMt), pfn);
  listAddTail(k, k.freeLists, freeSlot(zone, order, newMt), pfn);
  account_freepages(k, zone, -(1 << order), oldMt);
  account_freepages(k, zone, 1 << order, newMt);
  if (order >= PAGEBLOCK_ORDER && is_migrate_isolate(oldMt) !== is_migrate_isolate(newMt)) {
    mod_zone_page_state(k, zone, ZS.NR_FREE_PAGES_BLOCKS, is_migrate_isolate(oldMt) ? 1 << order : -(1 << order));
  }
}

/** __find_buddy_pfn(): the buddy of a block differs in exactly the bit of its order. */
export const __find_buddy_pfn = (pfn: number, order: number): number => pfn ^ (1 << order);

// mm/internal.h: page_is_buddy() via find_buddy_page_pfn()
function page_is_buddy(k: Kernel, pfn: number, buddy: number, order: number): boolean {
  if (buddy < 0 || buddy >= k.mem.nr) return false;
  if (!PageBuddy(k, buddy)) return false;
  if (buddy_order(k, buddy) !== order) return false;
  return pageZone(k, pfn) === pageZone(k, buddy);
}

// mm/page_alloc.c: buddy_merge_likely() — if the next-higher buddy is free, queue at the tail so
// this block stays free long enough to merge.
function buddy_merge_likely(k: Kernel, pfn: number, buddyPfn: number, order: number): boolean {
  if (order >= MAX_PAGE_ORDER - 1) return false;
  const higher = buddyPfn & pfn;
  return page_is_buddy(k, higher, __find_buddy_pfn(higher, order + 1), order + 1);
}

function change_pageblock_range(k: Kernel, pfn: number, startOrder: number, mt: number): void {
  for (let n = 1 << (startOrder - PAGEBLOCK_ORDER); n > 0; n--, pfn += PAGEBLOCK_NR_PAGES) set_pageblock_migratetype(k, pfn, mt);
}

export const FPI_NONE = 0;
/** FPI_TO_TAIL: queue at the tail (boot-time freeing, onlining). */
export const FPI_TO_TAIL = 1;

// mm/page_alloc.c: __free_one_page()
export function __free_one_page(k: Kernel, pfn: number, zone: number, order: number, mt: number, fpi: number): void {
  account_freepages(k, zone, 1 << order, mt);
  let buddyPfn = 0;
  while (order < MAX_PAGE_ORDER) {
    let buddyMt = mt;
    if (k.compact.capc.a[CAPC.ZONE] === zone && compaction_capture(k, pfn, zone, order, mt)) return;
    buddyPfn = __find_buddy_pfn(pfn, order);
    if (!page_is_buddy(k, pfn, buddyPfn, order)) break;
    if (order >= PAGEBLOCK_ORDER) {
      // Blocks of types without fallbacks (isolate, highatomic) never merge with normal ones.
      buddyMt = get_pfnblock_migratetype(k, buddyPfn);
      if (mt !== buddyMt && (!migratetype_is_mergeable(mt) || !migratetype_is_mergeable(buddyMt))) break;
    }
    __del_page_from_free_list(k, buddyPfn, zone, order, buddyMt);
    if (buddyMt !== mt) change_pageblock_range(k, buddyPfn, order, mt);
    const merged = buddyPfn & pfn;
    if (k.sink && !k.quietFrees) {
      emitStep(k, {
        phase: 'merge', fn: '__free_one_page', file: FILE,
        text: `buddy ${hex(buddyPfn)} (= ${hex(pfn)} ^ ${hex(1 << order)}) is a free order-${order} block: taken off its list and merged into an order-${order + 1} block at ${hex(merged)}`,
        pfns: [{ pfn: merged, role: 'freed', nr: 2 << order }, { pfn: buddyPfn, role: 'buddy', nr: 1 << order }],
      });
    }
    pfn = merged;
    order++;
  }
  set_buddy_order(k, pfn, order);
  const toTail = fpi & FPI_TO_TAIL ? true : buddy_merge_likely(k, pfn, buddyPfn, order);
  __add_to_free_list(k, pfn, zone, order, mt, toTail);
  if (k.sink && !k.quietFrees) {
    const why = order >= MAX_PAGE_ORDER ? 'MAX_PAGE_ORDER reached' : `buddy ${hex(__find_buddy_pfn(pfn, order))} is not a free order-${order} block`;
    emitStep(k, {
      phase: 'free', fn: '__free_one_page', file: FILE,
      text: `${why}: order-${order} block ${hex(pfn)} goes on the ${toTail ? 'tail' : 'head'} of the ${mtName(mt)} order-${order} free list` +
        (toTail && !(fpi & FPI_TO_TAIL) ? ' (buddy_merge_likely: its order-' + (order + 1) + ' buddy is free)' : ''),
      pfns: [{ pfn, role: 'freed', nr: 1 << order }],
    });
  }
}

// mm/page_alloc.c: compaction_capture() — a task in direct compaction (capture_control set, for
// this zone) takes a block of exactly its order as it forms, before anyone else can allocate it.
function compaction_capture(k: Kernel, pfn: number, zone: number, order: number, mt: number): boolean {
  const capc = k.compact.capc.a;
  if (capc[CAPC.PFN] !== -1 || order !== capc[CAPC.ORDER]) return false;
  if (is_migrate_isolate(mt)) return false; // (and CMA, not modelled)
  const ccMt = capc[CAPC.MT]!;
  if (order < PAGEBLOCK_ORDER && mt === MT.MOVABLE && ccMt !== MT.MOVABLE) return false;
  put(k.st, k.compact.capc, CAPC.PFN, pfn);
  account_freepages(k, zone, -(1 << order), mt); // it never became free after all
  if (k.sink) {
    emitStep(k, {
      phase: 'alloc', fn: 'compaction_capture', file: FILE,
      text: `__free_one_page() has merged an order-${order} ${mtName(mt)} block at ${hex(pfn)}: exactly the order the compacting task wants, so its capture_control takes it before it reaches a free list`,
      pfns: [{ pfn, role: 'allocated', nr: 1 << order }],
      trace: mt !== ccMt ? [extfrag(pfn, order, order, ccMt, mt, get_pfnblock_migratetype(k, pfn))] : [],
    });
  }
  return true;
}

// mm/page_alloc.c: split_large_buddy() — blocks above a pageblock are freed a pageblock at a
// time, each with its own pageblock's migratetype.
function split_large_buddy(k: Kernel, zone: number, pfn: number, order: number, fpi: number): void {
  if (order > PAGEBLOCK_ORDER) {
    const end = pfn + (1 << order);
    for (; pfn < end; pfn += PAGEBLOCK_NR_PAGES) {
      __free_one_page(k, pfn, zone, PAGEBLOCK_ORDER, get_pfnblock_migratetype(k, pfn), fpi);
    }
  } else {
    __free_one_page(k, pfn, zone, order, get_pfnblock_migratetype(k, pfn), fpi);
  }
}

// mm/page_alloc.c: expand() — halve the block, putting each upper half on the next list down.
function expand(k: Kernel, zone: number, pfn: number, low: number, high: number, mt: number): number {
  let size = 1 << high;
  let added = 0;
  while (high > low) {
    high--;
    size >>= 1;
    __add_to_free_list(k, pfn + size, zone, high, mt, false);
    set_buddy_order(k, pfn + size, high);
    added += size;
    if (k.sink) {
      emitStep(k, {
        phase: 'split', fn: 'expand', file: FILE,
        text: `split order-${high + 1} block ${hex(pfn)}: its upper half ${hex(pfn + size)} goes on the ${mtName(mt)} order-${high} free list, the lower half is kept`,
        pfns: [{ pfn, role: 'allocated', nr: size }, { pfn: pfn + size, role: 'buddy', nr: size }],
      });
    }
  }
  return added;
}

// mm/page_alloc.c: page_del_and_expand()
function page_del_and_expand(k: Kernel, zone: number, pfn: number, low: number, high: number, mt: number): void {
  __del_page_from_free_list(k, pfn, zone, high, mt);
  if (k.sink) {
    emitStep(k, {
      phase: 'alloc', fn: '__rmqueue_smallest', file: FILE,
      text: `the first block on the ${mtName(mt)} order-${high} list of zone ${k.zones[zone]!.name} is ${hex(pfn)}: taken off the list` +
        (high > low ? `; it is larger than order ${low}, so expand() splits it` : ''),
      pfns: [{ pfn, role: 'allocated', nr: 1 << high }],
    });
  }
  const nr = (1 << high) - expand(k, zone, pfn, low, high, mt);
  account_freepages(k, zone, -nr, mt);
}

// mm/page_alloc.c: __rmqueue_smallest()
export function __rmqueue_smallest(k: Kernel, zone: number, order: number, mt: number): number {
  for (let o = order; o < NR_PAGE_ORDERS; o++) {
    const slot = freeSlot(zone, o, mt);
    if (listEmpty(k.freeLists, slot)) continue;
    const pfn = listFirst(k, k.freeLists, slot);
    page_del_and_expand(k, zone, pfn, order, o, mt);
    return pfn;
  }
  return -1;
}

// mm/page_alloc.c: should_try_claim_block()
function should_try_claim_block(order: number, startMt: number): boolean {
  if (order >= PAGEBLOCK_ORDER) return true;
  if (order >= PAGEBLOCK_ORDER >> 1) return true; // C's unsigned pageblock_order / 2 = 4, not 4.5
  return startMt === MT.RECLAIMABLE || startMt === MT.UNMOVABLE;
}

// mm/page_alloc.c: find_suitable_fallback() — -2: too low an order to claim; -1: none here.
export function find_suitable_fallback(k: Kernel, zone: number, order: number, mt: number, claimable: boolean): number {
  if (claimable && !should_try_claim_block(order, mt)) return -2;
  if (k.nrFree.a[zone * NR_PAGE_ORDERS + order] === 0) return -1;
  for (const fb of FALLBACKS[mt]!) if (!listEmpty(k.freeLists, freeSlot(zone, order, fb))) return fb;
  return -1;
}

// mm/page_alloc.c: prep_move_freepages_block() — count free and movable pages of a pageblock.
function prep_move_freepages_block(k: Kernel, zone: number, pfn: number): { start: number; free: number; movable: number } | null {
  const start = pfn & ~(PAGEBLOCK_NR_PAGES - 1);
  const end = start + PAGEBLOCK_NR_PAGES;
  const z = k.zones[zone]!;
  if (start < z.start || end - 1 >= z.end) return null;
  let free = 0;
  let movable = 0;
  for (let p = start; p < end;) {
    if (PageBuddy(k, p)) {
      const nr = 1 << buddy_order(k, p);
      free += nr;
      p += nr;
      continue;
    }
    // PageLRU() looks at the head; page_has_movable_ops() needs the type and PG_movable_ops.
    const head = PageTail(k, p) ? -k.mem.lruNext.a[p]! - 2 : p;
    const f = pageFlags(k, head);
    const t = pageType(k, p);
    if (f & bit(PG.lru) || ((t === PGTY.offline || t === PGTY.zsmalloc) && f & bit(PG.uptodate))) movable++;
    p++;
  }
  return { start, free, movable };
}

// mm/page_alloc.c: __move_freepages_block()
function __move_freepages_block(k: Kernel, zone: number, start: number, oldMt: number, newMt: number): number {
  let moved = 0;
  for (let p = start; p < start + PAGEBLOCK_NR_PAGES;) {
    if (!PageBuddy(k, p)) {
      p++;
      continue;
    }
    const o = buddy_order(k, p);
    move_to_free_list(k, p, zone, o, oldMt, newMt);
    p += 1 << o;
    moved += 1 << o;
  }
  return moved;
}

// mm/page_alloc.c: try_to_claim_block()
function try_to_claim_block(k: Kernel, zone: number, pfn: number, curOrder: number, order: number, startMt: number, blockMt: number): number {
  if (curOrder >= PAGEBLOCK_ORDER) {
    del_page_from_free_list(k, pfn, zone, curOrder, blockMt);
    change_pageblock_range(k, pfn, curOrder, startMt);
    if (k.sink) {
      emitStep(k, {
        phase: 'alloc', fn: 'try_to_claim_block', file: FILE,
        text: `no ${mtName(startMt)} block free: claim the whole free order-${curOrder} ${mtName(blockMt)} block ${hex(pfn)} and retype its pageblock${curOrder > PAGEBLOCK_ORDER ? 's' : ''} ${mtName(startMt)}`,
        pfns: [{ pfn, role: 'allocated', nr: 1 << curOrder }],
      });
    }
    const added = expand(k, zone, pfn, order, curOrder, startMt);
    account_freepages(k, zone, added, startMt);
    return pfn;
  }
  const blk = prep_move_freepages_block(k, zone, pfn);
  if (!blk) return -1;
  let alike: number;
  if (startMt === MT.MOVABLE) alike = blk.movable;
  else alike = blockMt === MT.MOVABLE ? PAGEBLOCK_NR_PAGES - (blk.free + blk.movable) : 0;
  if (blk.free + alike >= 1 << (PAGEBLOCK_ORDER - 1)) {
    __move_freepages_block(k, zone, blk.start, blockMt, startMt);
    set_pageblock_migratetype(k, blk.start, startMt);
    if (k.sink) {
      emitStep(k, {
        phase: 'alloc', fn: 'try_to_claim_block', file: FILE,
        text: `pageblock ${hex(blk.start)} has ${blk.free} free + ${alike} compatible pages (>= ${1 << (PAGEBLOCK_ORDER - 1)}): its free pages move to the ${mtName(startMt)} lists and the block is retyped ${mtName(startMt)}`,
        pfns: [{ pfn: blk.start, role: 'target', nr: PAGEBLOCK_NR_PAGES }],
      });
    }
    return __rmqueue_smallest(k, zone, order, startMt);
  }
  return -1;
}

// mm/page_alloc.c: __rmqueue_claim() — take the largest fallback block and convert its pageblock.
function __rmqueue_claim(k: Kernel, zone: number, order: number, startMt: number): number {
  for (let o = MAX_PAGE_ORDER; o >= order; o--) {
    const fb = find_suitable_fallback(k, zone, o, startMt, true);
    if (fb === -1) continue;
    if (fb === -2) break;
    const pfn = try_to_claim_block(k, zone, listFirst(k, k.freeLists, freeSlot(zone, o, fb)), o, order, startMt, fb);
    if (pfn >= 0) {
      if (k.sink) {
        emitStep(k, {
          phase: 'alloc', fn: '__rmqueue_claim', file: FILE,
          text: `fallback allocation: order-${order} ${hex(pfn)} from a claimed ${mtName(fb)} order-${o} block`,
          pfns: [{ pfn, role: 'allocated', nr: 1 << order }],
          trace: [extfrag(pfn, order, o, startMt, fb, get_pfnblock_migratetype(k, pfn))],
        });
      }
      return pfn;
    }
  }
  return -1;
}

// mm/page_alloc.c: __rmqueue_steal() — take the smallest fallback block, leave its type alone.
function __rmqueue_steal(k: Kernel, zone: number, order: number, startMt: number): number {
  for (let o = order; o < NR_PAGE_ORDERS; o++) {
    const fb = find_suitable_fallback(k, zone, o, startMt, false);
    if (fb < 0) continue;
    const pfn = listFirst(k, k.freeLists, freeSlot(zone, o, fb));
    if (k.sink) {
      emitStep(k, {
        phase: 'alloc', fn: '__rmqueue_steal', file: FILE,
        text: `no ${mtName(startMt)} block free and none worth claiming: steal order-${o} ${mtName(fb)} block ${hex(pfn)} without retyping its pageblock (fragmenting)`,
        pfns: [{ pfn, role: 'allocated', nr: 1 << o }],
        trace: [extfrag(pfn, order, o, startMt, fb, get_pfnblock_migratetype(k, pfn))],
      });
    }
    page_del_and_expand(k, zone, pfn, order, o, fb);
    return pfn;
  }
  return -1;
}

// mm/page_alloc.c: __rmqueue()
export function __rmqueue(k: Kernel, zone: number, order: number, mt: number): number {
  let pfn = __rmqueue_smallest(k, zone, order, mt);
  if (pfn >= 0 || mt >= MIGRATE_PCPTYPES) return pfn;
  pfn = __rmqueue_claim(k, zone, order, mt);
  if (pfn >= 0) return pfn;
  return __rmqueue_steal(k, zone, order, mt);
}

/** gfp_zone(): the highest zone index a request may use. */
export function gfp_zone(k: Kernel, gfp: number): number {
  const want = gfp & __GFP_DMA ? 'DMA' : gfp & __GFP_DMA32 ? 'DMA32' : null;
  let best = 0;
  for (const z of k.zones) {
    if (z.name === 'Device') continue;
    if (want === null || z.name === want || (want === 'DMA32' && z.name === 'DMA')) best = Math.max(best, z.idx);
  }
  return best;
}

// mm/page_alloc.c: prep_compound_page()
export function prep_compound_page(k: Kernel, pfn: number, order: number): void {
  setPageFlag(k, pfn, PG.head);
  setFolioOrder(k, pfn, order);
  for (let i = 1; i < 1 << order; i++) setCompoundHead(k, pfn + i, pfn);
}

// mm/page_alloc.c: post_alloc_hook() + prep_new_page(): refcount 1 on the head.
export function prep_new_page(k: Kernel, pfn: number, order: number, gfp: number, frozen: boolean): void {
  if (!frozen) setPageRefcount(k, pfn, 1); // set_page_refcounted()
  if (order && gfp & __GFP_COMP) prep_compound_page(k, pfn, order);
}

// mm/page_alloc.c: __alloc_pages() → get_page_from_freelist() over the zonelist, highest zone
// first. Returns the PFN of the first page, or -1. No reclaim or compaction on failure (yet).
export function __alloc_pages(k: Kernel, gfp: number, order: number): number {
  const pfn = get_page_from_freelist(k, gfp, order, false);
  trace_mm_page_alloc(k, pfn, order, gfp);
  return pfn;
}

// mm/page_alloc.c: __alloc_frozen_pages_noprof() — the page comes with refcount 0 (frozen), for
// owners that do not use the refcount at all.
export function __alloc_frozen_pages(k: Kernel, gfp: number, order: number): number {
  const pfn = get_page_from_freelist(k, gfp, order, true);
  trace_mm_page_alloc(k, pfn, order, gfp);
  return pfn;
}

// mm/page_alloc.c: rmqueue() — the CPU's list first for the orders it keeps, else the buddy lists.
function rmqueue(k: Kernel, zone: number, order: number, mt: number): number {
  if (pcp_allowed_order(order)) {
    const pfn = rmqueue_pcplist(k, zone, order, mt);
    if (pfn >= 0) return pfn;
  }
  return __rmqueue(k, zone, order, mt); // rmqueue_buddy()
}

/**
 * The fast path alone, for a caller that adds the slow path and fires mm_page_alloc itself.
 * A lower zone, falling back from the request's highest zone, must stay above its min watermark
 * plus its lowmem_reserve for that zone (zone_watermark_fast() at ALLOC_WMARK_MIN, the mark the
 * slow path retries with). The request's own zone is not held to a watermark: kswapd and reclaim,
 * which the kernel would run before letting it fail there, are not modelled.
 */
export function get_page_from_freelist(k: Kernel, gfp: number, order: number, frozen: boolean): number {
  const mt = gfp_migratetype(gfp);
  const highest = gfp_zone(k, gfp);
  for (let z = highest; z >= 0; z--) {
    if (k.zones[z]!.name === 'Device') continue;
    note_below_high(k, z, order, highest);
    if (z < highest && !zone_watermark_ok(k, z, order, zoneWatermarks(k)[z]!.min, highest)) continue; // zone_watermark_fast()
    const pfn = rmqueue(k, z, order, mt);
    if (pfn >= 0) {
      prep_new_page(k, pfn, order, gfp, frozen);
      return pfn;
    }
  }
  return -1;
}

export class BadPageError extends Error {}

// mm/page_alloc.c: __free_pages_prepare() (free_pages_prepare before 6.17). Since 6.17 freeing
// also clears any page type and page->private, which is what ends PageOffline/PageZsmalloc.
// ->mapping is cleared only for an anon folio (a file folio lost it when it left the page cache,
// and the bad-page check wants it NULL); ->index is never touched. A 6.12-variant movable_ops page
// still has PAGE_MAPPING_MOVABLE there, which 6.12's free_pages_prepare() cleared (PageMappingFlags());
// 6.18 pages never carry that bit, so one test serves both.
function __free_pages_prepare(k: Kernel, pfn: number, order: number): void {
  if (tracing(k)) traceEvent(k, `mm_page_free: page=${pagePtr(pfn)} pfn=${hex(pfn)} order=${order}`);
  // A truncation that raced with munlock may leave PG_mlocked: cleared here, not a bad page.
  if (pageFlags(k, pfn) & bit(PG.mlocked)) {
    setPageFlags(k, pfn, pageFlags(k, pfn) & ~bit(PG.mlocked));
    mod_zone_page_state(k, pageZone(k, pfn), ZS.NR_MLOCK, -(1 << order));
    count_vm_events(k, VM_EVENT.UNEVICTABLE_PGCLEARED, 1 << order);
  }
  const check = (p: number): void => {
    const f = pageFlags(k, p);
    const why =
      pageMapcountRaw(k, p) !== -1 ? 'nonzero mapcount'
        : pageMapping(k, p) !== 0 ? 'non-NULL mapping'
          : pageRefcount(k, p) !== 0 ? 'nonzero _refcount'
            : f & PAGE_FLAGS_CHECK_AT_FREE ? `PAGE_FLAGS_CHECK_AT_FREE flag(s) set: ${decodeFlags(f & PAGE_FLAGS_CHECK_AT_FREE).join(',')}`
              : '';
    if (why) throw new BadPageError(`BUG: Bad page state: pfn:${p.toString(16)} ${why}`);
  };
  if (order > 0 && folioOrder(k, pfn) === order) {
    for (let i = 1; i < 1 << order; i++) {
      // free_tail_page_prepare(): a tail's ->mapping and compound_head are cleared, then checked.
      setPageMapping(k, pfn + i, 0);
      clearCompoundHead(k, pfn + i);
      check(pfn + i);
      setPageFlags(k, pfn + i, 0);
    }
    setFolioOrder(k, pfn, 0);
  }
  if (pageMapping(k, pfn) & MAPPING_FLAGS) setPageMapping(k, pfn, 0); // folio_test_anon()
  if (pageType(k, pfn) !== PGTY.none) setPageType(k, pfn, PGTY.none); // page_has_type()
  check(pfn);
  setPageFlags(k, pfn, 0); // PAGE_FLAGS_CHECK_AT_PREP: every flag, PG_head too
  setPagePrivate(k, pfn, 0);
}

/** free_pages_prepare(): the checks and clearing of freeing, without handing the page back. */
export function free_pages_prepare(k: Kernel, pfn: number, order: number): void {
  __free_pages_prepare(k, pfn, order);
}

// mm/page_alloc.c: __isolate_free_page() — take a free block off its list for a caller that
// owns it from now on (compaction's free scanner), keeping the order-0 min watermark; a block of
// at least half a pageblock turns its pageblock(s) MOVABLE.
export function __isolate_free_page(k: Kernel, pfn: number, order: number, minWmark: number): number {
  const zone = pageZone(k, pfn);
  const mt = get_pfnblock_migratetype(k, pfn);
  if (!is_migrate_isolate(mt)) {
    const free = zone_page_state(k, zone, ZS.NR_FREE_PAGES);
    if (free <= minWmark + (1 << order)) return 0; // zone_watermark_ok(zone, 0, min + 2^order)
  }
  del_page_from_free_list(k, pfn, zone, order, mt);
  if (order >= PAGEBLOCK_ORDER - 1) {
    for (let p = pfn; p < pfn + (1 << order); p += PAGEBLOCK_NR_PAGES) {
      const bmt = get_pfnblock_migratetype(k, p);
      if (migratetype_is_mergeable(bmt) && bmt !== MT.MOVABLE) {
        __move_freepages_block(k, zone, p & ~(PAGEBLOCK_NR_PAGES - 1), bmt, MT.MOVABLE);
        set_pageblock_migratetype(k, p, MT.MOVABLE);
      }
    }
  }
  return 1 << order;
}

// mm/page_alloc.c: take_page_off_buddy() + break_down_buddy_pages() — take one given free page
// out of the free block that holds it, the rest of the block going back on the lists in halves.
// The kernel's caller is memory_failure(); populate uses it to put a page where the allocations
// of a long uptime would have left it (populate-pgtables.ts). Returns false if the page is not free.
export function take_page_off_buddy(k: Kernel, page: number): boolean {
  for (let order = 0; order < NR_PAGE_ORDERS; order++) {
    const head = page - (page & ((1 << order) - 1));
    if (PageBuddy(k, head) && buddy_order(k, head) >= order) {
      const zone = pageZone(k, head);
      const mt = get_pfnblock_migratetype(k, head);
      let high = buddy_order(k, head);
      del_page_from_free_list(k, head, zone, high, mt);
      let lo = head;
      while (high > 0) {
        high--;
        const size = 1 << high;
        const buddy = page >= lo + size ? lo : lo + size; // the half without the target goes back
        if (buddy === lo) lo += size;
        __add_to_free_list(k, buddy, zone, high, mt, false);
        account_freepages(k, zone, size, mt);
        set_buddy_order(k, buddy, high);
      }
      return true;
    }
    if (pageRefcount(k, head) > 0) return false;
  }
  return false;
}

// mm/page_alloc.c: find_large_buddy() — the free block that contains start_pfn, if one starts
// at or below it; else start_pfn.
export function find_large_buddy(k: Kernel, startPfn: number): number {
  let order = 0;
  let pfn = startPfn;
  while (!PageBuddy(k, pfn)) {
    if (++order > MAX_PAGE_ORDER) return startPfn;
    pfn &= ~((1 << order) - 1);
  }
  return pfn + (1 << buddy_order(k, pfn)) > startPfn ? pfn : startPfn;
}

// mm/page_alloc.c: __move_freepages_block_isolate() — toggle a pageblock's isolate bit and move
// its free pages to (or from) the MIGRATE_ISOLATE lists; a free block larger than a pageblock is
// split so that each pageblock's part lands on its own list.
export function __move_freepages_block_isolate(k: Kernel, pfn: number, isolate: boolean): boolean {
  const zone = pageZone(k, pfn);
  const start = pfn & ~(PAGEBLOCK_NR_PAGES - 1);
  const bits = k.pageblock.a[start >> PAGEBLOCK_ORDER]!;
  if (((bits & PB_MIGRATE_ISOLATE) !== 0) === isolate) return false;
  const toggle = (): void => put(k.st, k.pageblock, start >> PAGEBLOCK_ORDER, isolate ? bits | PB_MIGRATE_ISOLATE : bits & ~PB_MIGRATE_ISOLATE);
  const buddy = find_large_buddy(k, start);
  if (PageBuddy(k, buddy) && buddy_order(k, buddy) > PAGEBLOCK_ORDER) {
    const order = buddy_order(k, buddy);
    del_page_from_free_list(k, buddy, zone, order, get_pfnblock_migratetype(k, buddy));
    toggle();
    split_large_buddy(k, zone, buddy, order, FPI_NONE);
    return true;
  }
  const mt = bits & PB_MT_MASK;
  __move_freepages_block(k, zone, start, isolate ? mt : MT.ISOLATE, isolate ? MT.ISOLATE : mt);
  toggle();
  return true;
}

/** Take a free block off its list and free it again, so that it merges as far as it now can. */
export function refree_free_block(k: Kernel, pfn: number): void {
  const zone = pageZone(k, pfn);
  const order = buddy_order(k, pfn);
  const mt = get_pfnblock_migratetype(k, pfn);
  del_page_from_free_list(k, pfn, zone, order, mt);
  __free_one_page(k, pfn, zone, order, mt, FPI_NONE);
}

/** __offline_isolated_pages(): a free block leaves the allocator for good (its memory goes offline). */
export function take_offline_free_block(k: Kernel, pfn: number): number {
  const order = buddy_order(k, pfn);
  del_page_from_free_list(k, pfn, pageZone(k, pfn), order, get_pfnblock_migratetype(k, pfn));
  return 1 << order;
}

// mm/page_alloc.c: free_frozen_pages() / __free_pages_ok(): the page's refcount already hit 0.
// Orders the per-CPU lists keep go to this CPU's list; others straight to the buddy lists.
export function free_frozen_pages(k: Kernel, pfn: number, order: number): void {
  __free_pages_prepare(k, pfn, order);
  if (free_to_pcp(k, pfn, order)) return;
  split_large_buddy(k, pageZone(k, pfn), pfn, order, FPI_NONE); // free_one_page()
}

// mm/page_alloc.c: __free_pages_core() — boot: memblock hands its free ranges to the buddy
// allocator, queued at the tail so allocations start from low PFNs.
export function __free_pages_core(k: Kernel, pfn: number, order: number): void {
  for (let i = 0; i < 1 << order; i++) {
    setPageRefcount(k, pfn + i, 0);
    setPageFlags(k, pfn + i, pageFlags(k, pfn + i) & ~bit(PG.reserved));
  }
  split_large_buddy(k, pageZone(k, pfn), pfn, order, FPI_TO_TAIL);
}

/** Free blocks of one zone, order and migratetype, in list order (for summaries and checks). */
export function freeListLength(k: Kernel, zone: number, order: number, mt: number): number {
  let n = 0;
  for (let p = k.freeLists.heads.a[2 * freeSlot(zone, order, mt)]!; p !== -1; p = k.mem.lruNext.a[p]!) n++;
  return n;
}

// include/trace/events/kmem.h: mm_page_alloc_extfrag
function extfrag(pfn: number, order: number, fallbackOrder: number, allocMt: number, fallbackMt: number, blockMtNow: number): string {
  return `mm_page_alloc_extfrag: page=${pagePtr(pfn)} pfn=${hex(pfn)} alloc_order=${order} fallback_order=${fallbackOrder} ` +
    `pageblock_order=${PAGEBLOCK_ORDER} alloc_migratetype=${allocMt} fallback_migratetype=${fallbackMt} ` +
    `fragmenting=${fallbackOrder < PAGEBLOCK_ORDER ? 1 : 0} change_ownership=${blockMtNow === allocMt ? 1 : 0}`;
}
