// The swap cache (mm/swap_state.c) and the slot allocator it takes entries from (mm/swapfile.c),
// on one abstract swap device, type 0. 6.18 keeps the cache in each swap cluster's swap table,
// indexed by swap offset; here that is one journaled column, slot → folio head (-1: no folio).
// A folio in the cache has PG_swapcache (PG_owner_priv_1 on a swap-backed folio), its first entry
// in folio->swap (page->private of the head; type 0 makes swp_entry_t.val the offset) and one
// reference per page held by the cache. Slot 0 is the swap header and never handed out.
// Slots are allocated first-fit, aligned to the folio's size (a THP takes one aligned run,
// CONFIG_THP_SWAP), so a scenario's entries are a pure function of its steps.

import { PG } from './flags';
import type { Kernel } from './kernel';
import { folio_nr_pages, pagePrivate, setPageFlag, setPagePrivate, testPageFlag, clearPageFlag } from './memmap';
import { folio_mapped, folio_put_refs, folio_ref_add } from './folio';
import { addStore, growStore, put, type Store, type Stores } from './store';
import { mod_node_page_state, NS } from './vmstat';

export interface SwapState {
  /** The swap table of type 0: offset → folio head caching it, -1 for none. Grows on demand. */
  readonly table: Store & { a: Int32Array };
}

const INITIAL_SLOTS = 1024;

export function createSwapState(st: Stores): SwapState {
  return { table: addStore(st, 'swap_info[0].swap_table', new Int32Array(INITIAL_SLOTS).fill(-1), -1) };
}

// include/linux/page-flags.h: folio_test_swapcache() — the bit is PG_swapcache only on a
// swap-backed folio (elsewhere PG_owner_priv_1 is PG_checked).
export function folio_test_swapcache(k: Kernel, folio: number): boolean {
  return testPageFlag(k, folio, PG.swapbacked) && testPageFlag(k, folio, PG.owner_priv_1);
}

/** folio->swap.val: the first swap entry of a folio in the swap cache (type 0: the offset). */
export function folioSwapEntry(k: Kernel, folio: number): number {
  return pagePrivate(k, folio);
}

/**
 * How many slots of the swap cache point at `folio` (its references there). For the inspector
 * and the invariants: reads the arrays directly, so it adds nothing to a step's footprint.
 */
export function swapCacheRefs(k: Kernel, folio: number): number {
  const f = k.mem.flags.a[folio]!;
  if (!(f & (1 << PG.swapbacked)) || !(f & (1 << PG.owner_priv_1))) return 0;
  const off = k.mem.private_.a[folio]!;
  const nr = f & (1 << PG.head) ? 1 << k.mem.order.a[folio]! : 1;
  const t = k.swap.table.a;
  let n = 0;
  for (let i = 0; i < nr; i++) if (t[off + i] === folio) n++;
  return n;
}

// mm/swapfile.c: swap_alloc_fast() / swap_alloc_slow() reduced to a first-fit search for `nr`
// free slots aligned to `nr`; the table grows (doubling) when no run is free.
export function swap_alloc(k: Kernel, nr: number): number {
  const s = k.swap.table;
  for (;;) {
    const a = s.a;
    for (let off = nr; off + nr <= a.length; off += nr) {
      let free = true;
      for (let i = 0; i < nr && free; i++) if (a[off + i] !== -1) free = false;
      if (free) return off;
    }
    growStore(s, a.length * 2);
  }
}

// mm/swap_state.c: swap_cache_add_folio() — the table's slots point at the folio, which takes
// one reference per page, PG_swapcache and folio->swap; NR_FILE_PAGES and NR_SWAPCACHE grow.
export function swap_cache_add_folio(k: Kernel, folio: number, entry: number): void {
  const nr = folio_nr_pages(k, folio);
  for (let i = 0; i < nr; i++) put(k.st, k.swap.table, entry + i, folio);
  folio_ref_add(k, folio, nr);
  setPageFlag(k, folio, PG.owner_priv_1); // folio_set_swapcache()
  setPagePrivate(k, folio, entry);
  mod_node_page_state(k, NS.NR_FILE_PAGES, nr);
  mod_node_page_state(k, NS.NR_SWAPCACHE, nr);
}

// mm/swapfile.c: folio_alloc_swap() — slots for every page of the folio, then into the cache.
// Returns the entry (never fails: the abstract device grows).
export function folio_alloc_swap(k: Kernel, folio: number): number {
  const entry = swap_alloc(k, folio_nr_pages(k, folio));
  swap_cache_add_folio(k, folio, entry);
  return entry;
}

// mm/swap_state.c: __swap_cache_del_folio() — the slots drop the folio (6.18 may leave a
// workingset shadow; the model leaves the slot empty), PG_swapcache and folio->swap are
// cleared. The caller drops the cache's references (and, in 6.18, the slots: put_swap_folio()).
export function __swap_cache_del_folio(k: Kernel, folio: number): number {
  const nr = folio_nr_pages(k, folio);
  const entry = folioSwapEntry(k, folio);
  if (testPageFlag(k, folio, PG.writeback)) throw new Error(`swap cache: ${folio} leaves the swap cache under writeback`);
  for (let i = 0; i < nr; i++) put(k.st, k.swap.table, entry + i, -1);
  setPagePrivate(k, folio, 0);
  clearPageFlag(k, folio, PG.owner_priv_1); // folio_clear_swapcache()
  mod_node_page_state(k, NS.NR_FILE_PAGES, -nr);
  mod_node_page_state(k, NS.NR_SWAPCACHE, -nr);
  return entry;
}

// mm/swap_state.c: __swap_cache_replace_folio() — under the cluster lock, with the old folio's
// refcount frozen, every slot of the old folio points at the new one (migration).
export function __swap_cache_replace_folio(k: Kernel, old: number, nu: number): void {
  const entry = folioSwapEntry(k, old);
  for (let i = 0; i < folio_nr_pages(k, old); i++) put(k.st, k.swap.table, entry + i, nu);
}

// mm/swap_state.c: swap_cache_del_folio() — out of the cache, slots freed, the cache's
// references dropped (the caller still holds its own, so this never frees the folio). The
// model's table has no swap_map counts (no PTE ever holds a swap entry here), so emptying a
// slot is also put_swap_folio() giving it back.
export function swap_cache_del_folio(k: Kernel, folio: number): void {
  __swap_cache_del_folio(k, folio);
  folio_put_refs(k, folio, folio_nr_pages(k, folio)); // folio_ref_sub()
}

// mm/swapfile.c: folio_free_swap() — a swap-cache folio no PTE maps through a swap entry
// (folio_swapped(): never, here) and not under writeback leaves the cache; it is marked dirty
// because its only copy is now in memory.
export function folio_free_swap(k: Kernel, folio: number): boolean {
  if (!folio_test_swapcache(k, folio) || testPageFlag(k, folio, PG.writeback)) return false;
  swap_cache_del_folio(k, folio);
  setPageFlag(k, folio, PG.dirty); // folio_set_dirty()
  return true;
}

// mm/swap_state.c: free_swap_cache() — as a zap drops a folio's last mapping (mmu_gather's
// free_pages_and_swap_cache(), before the zap's references go), a folio it can trylock leaves
// the swap cache; one under writeback stays until reclaim finds it clean.
export function free_swap_cache(k: Kernel, folio: number): void {
  if (folio_test_swapcache(k, folio) && !folio_mapped(k, folio) && !testPageFlag(k, folio, PG.locked)) folio_free_swap(k, folio);
}
