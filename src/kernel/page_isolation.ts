// Pageblock isolation, mm/page_isolation.c of Linux 6.18: marking pageblocks MIGRATE_ISOLATE so
// that the allocator stops handing out their free pages, refusing when a block holds a page
// that cannot move, undoing it, and testing that a range has become wholly free. The callers
// (alloc_contig_range, offline_pages) work on pageblock-aligned ranges here, so the boundary
// handling of isolate_single_pageblock() (a free block straddling the range's edge) is not needed.

import { PG, PGTY } from './flags';
import type { Kernel } from './kernel';
import { __move_freepages_block_isolate, buddy_order, PageBuddy, refree_free_block } from './buddy';
import { page_has_movable_ops } from './balloon';
import { hasPageOps } from './designs';
import { get_pfnblock_migratetype, MT, PAGEBLOCK_NR_PAGES, PAGEBLOCK_ORDER, PB_OFFLINE } from './zone';
import { hex } from './step';

/** Why a page makes its pageblock impossible to isolate. */
export interface Unmovable {
  readonly pfn: number;
  readonly why: string;
}

const headOf = (k: Kernel, pfn: number): number => {
  const n = k.mem.lruNext.a[pfn]!;
  return n <= -2 ? -n - 2 : pfn;
};

/** The kind of an unmovable page, in words. */
function unmovableKind(k: Kernel, pfn: number): string {
  switch (k.mem.pageType.a[pfn]) {
    case PGTY.slab: return 'a slab page';
    case PGTY.table: return 'a page-table page';
    case PGTY.offline: return 'a PageOffline page with a reference and no movable_ops';
  }
  return 'a kernel allocation (not on the LRU, no movable_ops)';
}

// mm/page_isolation.c: has_unmovable_pages() — the first page in [start, end) (one pageblock)
// that migration cannot move, or null.
export function has_unmovable_pages(k: Kernel, start: number, end: number, offline: boolean): Unmovable | null {
  const m = k.mem;
  for (let pfn = start; pfn < end; pfn++) {
    if (m.flags.a[pfn]! & (1 << PG.reserved)) return { pfn, why: `${hex(pfn)} is PG_reserved (a boot allocation)` };
    const head = headOf(k, pfn);
    const isLarge = (m.flags.a[head]! & (1 << PG.head)) !== 0;
    if (m.pageType.a[head] === PGTY.hugetlb || isLarge) {
      // Hugetlb folios migrate; other large folios must be on the LRU. Skip the rest of the folio.
      if (m.pageType.a[head] !== PGTY.hugetlb && !(m.flags.a[head]! & (1 << PG.lru))) return { pfn, why: `${hex(pfn)} is part of a large folio that is not on the LRU` };
      pfn = head + (1 << m.order.a[head]!) - 1;
      continue;
    }
    if (m.refcount.a[pfn] === 0) {
      if (PageBuddy(k, pfn)) pfn += (1 << buddy_order(k, pfn)) - 1;
      continue;
    }
    // Offlining treats PageOffline pages as movable: their driver may drop its reference when
    // MEM_GOING_OFFLINE is announced.
    if (offline && m.pageType.a[pfn] === PGTY.offline) continue;
    if (m.flags.a[pfn]! & (1 << PG.lru) || page_has_movable_ops(k, pfn) || hasPageOps(k, pfn)) continue;
    return { pfn, why: `${hex(pfn)} is ${unmovableKind(k, pfn)}` };
  }
  return null;
}

const isIsolated = (k: Kernel, pfn: number): boolean => get_pfnblock_migratetype(k, pfn) === MT.ISOLATE;

// mm/page_isolation.c: set_migratetype_isolate()
function set_migratetype_isolate(k: Kernel, block: number, offline: boolean): Unmovable | null {
  if (isIsolated(k, block)) return { pfn: block, why: `pageblock ${hex(block)} is already MIGRATE_ISOLATE (someone else is isolating it)` };
  const unmovable = has_unmovable_pages(k, block, block + PAGEBLOCK_NR_PAGES, offline);
  if (unmovable) return unmovable;
  __move_freepages_block_isolate(k, block, true);
  return null;
}

// mm/page_isolation.c: unset_migratetype_isolate() — back to its own migratetype; a free block of
// pageblock order is freed again so that it merges with a free buddy outside.
function unset_migratetype_isolate(k: Kernel, block: number): void {
  if (!isIsolated(k, block)) return;
  __move_freepages_block_isolate(k, block, false);
  if (PageBuddy(k, block) && buddy_order(k, block) === PAGEBLOCK_ORDER) refree_free_block(k, block);
}

// mm/page_isolation.c: start_isolate_page_range() — all or nothing.
export function start_isolate_page_range(k: Kernel, start: number, end: number, offline: boolean): Unmovable | null {
  for (let b = start; b < end; b += PAGEBLOCK_NR_PAGES) {
    if (k.pageblock.a[b >> PAGEBLOCK_ORDER]! & PB_OFFLINE) continue;
    const why = set_migratetype_isolate(k, b, offline);
    if (why) {
      undo_isolate_page_range(k, start, b);
      return why;
    }
  }
  return null;
}

// mm/page_isolation.c: undo_isolate_page_range()
export function undo_isolate_page_range(k: Kernel, start: number, end: number): void {
  for (let b = start; b < end; b += PAGEBLOCK_NR_PAGES) unset_migratetype_isolate(k, b);
}

// mm/page_isolation.c: test_pages_isolated() — every block isolated and every page free (or,
// when offlining, a PageOffline page its driver let go of). Returns the first PFN that is not.
export function test_pages_isolated(k: Kernel, start: number, end: number, offline: boolean): { ok: boolean; fin: number; trace: string } {
  let fin = start;
  let blocksOk = true;
  for (let b = start; b < end; b += PAGEBLOCK_NR_PAGES) if (!isIsolated(k, b)) blocksOk = false;
  if (blocksOk) {
    while (fin < end) {
      if (PageBuddy(k, fin)) fin += 1 << buddy_order(k, fin);
      else if (offline && k.mem.pageType.a[fin] === PGTY.offline && k.mem.refcount.a[fin] === 0) fin++;
      else break;
    }
  }
  const ok = blocksOk && fin >= end;
  return { ok, fin, trace: `test_pages_isolated: start_pfn=${hex(start)} end_pfn=${hex(end)} fin_pfn=${hex(fin)} ret=${ok ? 'success' : 'fail'}` };
}
