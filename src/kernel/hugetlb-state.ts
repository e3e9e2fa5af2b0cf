// The one hstate this model has (2 MiB, order 9: x86-64's default huge page size) in journaled
// stores, so that stepping back rewinds the pool: struct hstate's two lists (threaded through
// folio->lru like every other list here), its counters, and each huge folio's _entire_mapcount.
// One NUMA node: hugepage_freelists[] has one list and every *_node[] counter equals the global one.

import { listPfns, type ListHeads } from './list';
import type { PageAccess } from './memmap';
import { addStore, type Store, type Stores } from './store';

/** huge_page_order(&default_hstate) on x86-64. */
export const HUGETLB_ORDER = 9;
export const HPAGE_NR = 1 << HUGETLB_ORDER;

/** List slots in HugetlbState.lists: hugepage_freelists[0] and hugepage_activelist. */
export const HLIST = { FREE: 0, ACTIVE: 1 } as const;

/** struct hstate's counters (and max_huge_pages, the persistent pool size asked for). */
export const HS = {
  NR_HUGE_PAGES: 0,
  FREE_HUGE_PAGES: 1,
  RESV_HUGE_PAGES: 2,
  SURPLUS_HUGE_PAGES: 3,
  NR_OVERCOMMIT_HUGE_PAGES: 4,
  MAX_HUGE_PAGES: 5,
} as const;
export const NR_HS = 6;

/**
 * include/linux/hugetlb.h: enum hugetlb_page_flags, the bits hugetlb keeps in the head page's
 * page->private (folio->private), not in page->flags.
 */
export const HPG = {
  restore_reserve: 0,
  migratable: 1,
  temporary: 2,
  freed: 3,
  vmemmap_optimized: 4,
  raw_hwp_unreliable: 5,
  cma: 6,
} as const;

export const HPG_NAMES = Object.keys(HPG) as (keyof typeof HPG)[];

export interface HugetlbState {
  readonly lists: ListHeads;
  readonly counters: Store & { a: Int32Array };
  /**
   * folio->_entire_mapcount of the order-9 folio at each 2 MiB-aligned frame (pfn >> 9), raw
   * (-1 = not mapped). It lives in the folio's page[1] (words the model's struct page does not
   * have), and for hugetlb _large_mapcount always moves with it, so one column holds both.
   */
  readonly entireMapcount: Store & { a: Int32Array };
}

export function createHugetlbState(st: Stores, nrPfns: number): HugetlbState {
  return {
    lists: { heads: addStore(st, 'hstate.lists', new Int32Array(4).fill(-1), -1) },
    counters: addStore(st, 'hstate.counters', new Int32Array(NR_HS)),
    entireMapcount: addStore(st, 'folio._entire_mapcount', new Int32Array((nrPfns >> HUGETLB_ORDER) + 1).fill(-1), -1),
  };
}

/** The folios on one of the hstate's lists, in list order (no footprint: for checks and views). */
export function hstateList(k: PageAccess & { readonly hugetlb: HugetlbState }, slot: number): number[] {
  return [...listPfns(k, k.hugetlb.lists, slot)];
}

export const hugetlbCounter = (k: { readonly hugetlb: HugetlbState }, item: number): number => k.hugetlb.counters.a[item]!;
