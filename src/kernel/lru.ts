// The LRU lists of the node's lruvec (include/linux/mm_inline.h, mm/swap.c). The lists hold no
// reference: a folio on the LRU is kept alive by whoever maps or caches it, which is why
// isolation (folio_isolate_lru) must take one.

import { listAdd, listDel, type ListHeads } from './list';
import { PG } from './flags';
import { setPageFlag, testPageFlag, folio_nr_pages, type PageAccess } from './memmap';
import type { Store, Stores } from './store';
import { mod_zone_page_state, ZS } from './vmstat';

export const LRU = {
  INACTIVE_ANON: 0,
  ACTIVE_ANON: 1,
  INACTIVE_FILE: 2,
  ACTIVE_FILE: 3,
  UNEVICTABLE: 4,
} as const;
export const NR_LRU_LISTS = 5;
export const LRU_NAMES = ['inactive_anon', 'active_anon', 'inactive_file', 'active_file', 'unevictable'] as const;

interface LruOwner extends PageAccess {
  readonly st: Stores;
  readonly lru: ListHeads;
  readonly zstat: Store & { a: Int32Array };
  readonly nstat: Store & { a: Int32Array };
}

// include/linux/mm_inline.h: folio_lru_list()
export function folio_lru_list(k: PageAccess, folio: number): number {
  if (testPageFlag(k, folio, PG.unevictable)) return LRU.UNEVICTABLE;
  const file = !testPageFlag(k, folio, PG.swapbacked); // folio_is_file_lru()
  return (file ? LRU.INACTIVE_FILE : LRU.INACTIVE_ANON) + (testPageFlag(k, folio, PG.active) ? 1 : 0);
}

// include/linux/mm_inline.h: update_lru_size() — NR_ZONE_<lru> follows the list index.
function update_lru_size(k: LruOwner, zone: number, lru: number, nr: number): void {
  mod_zone_page_state(k, zone, ZS.NR_ZONE_INACTIVE_ANON + lru, nr);
}

// include/linux/mm_inline.h: lruvec_add_folio()
export function lruvec_add_folio(k: LruOwner, zone: number, folio: number): void {
  const lru = folio_lru_list(k, folio);
  update_lru_size(k, zone, lru, folio_nr_pages(k, folio));
  listAdd(k, k.lru, lru, folio);
}

// include/linux/mm_inline.h: lruvec_del_folio()
export function lruvec_del_folio(k: LruOwner, zone: number, folio: number): void {
  const lru = folio_lru_list(k, folio);
  listDel(k, k.lru, lru, folio);
  update_lru_size(k, zone, lru, -folio_nr_pages(k, folio));
}

// mm/swap.c: folio_add_lru() → lru_add(). The per-CPU batch is not modelled: the folio goes on
// the list at once (so lru_add_drain() has nothing to do here).
export function folio_add_lru(k: LruOwner, zone: number, folio: number): void {
  setPageFlag(k, folio, PG.lru);
  lruvec_add_folio(k, zone, folio);
}

// mm/swap.c: folio_activate() — move an inactive LRU folio to the active list.
export function folio_activate(k: LruOwner, zone: number, folio: number): void {
  if (!testPageFlag(k, folio, PG.lru) || testPageFlag(k, folio, PG.active) || testPageFlag(k, folio, PG.unevictable)) return;
  lruvec_del_folio(k, zone, folio);
  setPageFlag(k, folio, PG.active);
  lruvec_add_folio(k, zone, folio);
}
