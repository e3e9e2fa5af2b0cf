// The LRU lists of the node's lruvec (include/linux/mm_inline.h, mm/swap.c). The lists hold no
// reference: a folio on the LRU is kept alive by whoever maps or caches it, which is why
// isolation (folio_isolate_lru) must take one.

import { listAdd, listDel, type ListHeads } from './list';
import { PG } from './flags';
import { clearPageFlag, NO_LINK, setLru, setPageFlag, testClearPageFlag, testPageFlag, folio_nr_pages, pageMapping, type PageAccess } from './memmap';
import type { Store, Stores } from './store';
import { count_vm_events, mod_zone_page_state, VM_EVENT, ZS } from './vmstat';
import { mappingId, mappingIsFile, type Vm } from './vm';

export const LRU = {
  INACTIVE_ANON: 0,
  ACTIVE_ANON: 1,
  INACTIVE_FILE: 2,
  ACTIVE_FILE: 3,
  UNEVICTABLE: 4,
} as const;
export const NR_LRU_LISTS = 5;
export const LRU_NAMES = ['inactive_anon', 'active_anon', 'inactive_file', 'active_file', 'unevictable'] as const;

export interface LruOwner extends PageAccess {
  readonly st: Stores;
  readonly lru: ListHeads;
  readonly zstat: Store & { a: Int32Array };
  readonly nstat: Store & { a: Int32Array };
  readonly events: Store & { a: Int32Array };
  readonly vm: Vm;
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

// include/linux/mm_inline.h: lruvec_add_folio(). Since 5.18 the unevictable "list" is only a
// count: such a folio is not threaded anywhere, and page->lru holds its mlock_count instead.
export function lruvec_add_folio(k: LruOwner, zone: number, folio: number): void {
  const lru = folio_lru_list(k, folio);
  update_lru_size(k, zone, lru, folio_nr_pages(k, folio));
  if (lru !== LRU.UNEVICTABLE) listAdd(k, k.lru, lru, folio);
}

// include/linux/mm_inline.h: lruvec_del_folio()
export function lruvec_del_folio(k: LruOwner, zone: number, folio: number): void {
  const lru = folio_lru_list(k, folio);
  if (lru !== LRU.UNEVICTABLE) listDel(k, k.lru, lru, folio);
  // The kernel leaves mlock_count in page->lru; the model clears it so that "linked" always
  // means "on a list" (the next list_add overwrites both words either way).
  else setLru(k, folio, NO_LINK, NO_LINK);
  update_lru_size(k, zone, lru, -folio_nr_pages(k, folio));
}

/** folio->mlock_count: the second word of page->lru while the folio is on the unevictable LRU. */
export function folio_mlock_count(k: PageAccess, folio: number): number {
  return k.mem.lruPrev.a[folio]!;
}
export function set_folio_mlock_count(k: PageAccess, folio: number, n: number): void {
  setLru(k, folio, n, NO_LINK);
}

// mm/internal.h: folio_evictable() — not mlocked, and its mapping is not unevictable
// (mapping_unevictable(): ramfs, SHM_LOCKed shmem).
export function folio_evictable(k: LruOwner, folio: number): boolean {
  if (testPageFlag(k, folio, PG.mlocked)) return false;
  const m = pageMapping(k, folio);
  return !(mappingIsFile(m) && k.vm.spaces[mappingId(m)]?.kind === 'ramfs');
}

// mm/swap.c: lru_add() — evictability is decided again as the folio joins the LRU; an
// unevictable one starts with mlock_count 0, an undercount reclaim would correct.
export function lru_add(k: LruOwner, zone: number, folio: number): void {
  const nr = folio_nr_pages(k, folio);
  const wasUnevictable = testClearPageFlag(k, folio, PG.unevictable);
  if (folio_evictable(k, folio)) {
    if (wasUnevictable) count_vm_events(k, VM_EVENT.UNEVICTABLE_PGRESCUED, nr);
  } else {
    clearPageFlag(k, folio, PG.active);
    setPageFlag(k, folio, PG.unevictable);
    set_folio_mlock_count(k, folio, 0);
    if (!wasUnevictable) count_vm_events(k, VM_EVENT.UNEVICTABLE_PGCULLED, nr);
  }
  lruvec_add_folio(k, zone, folio);
  setPageFlag(k, folio, PG.lru);
}

// mm/swap.c: folio_activate() — move an inactive LRU folio to the active list.
export function folio_activate(k: LruOwner, zone: number, folio: number): void {
  if (!testPageFlag(k, folio, PG.lru) || testPageFlag(k, folio, PG.active) || testPageFlag(k, folio, PG.unevictable)) return;
  lruvec_del_folio(k, zone, folio);
  setPageFlag(k, folio, PG.active);
  lruvec_add_folio(k, zone, folio);
}
