// mlock (mm/mlock.c, mm/internal.h): a folio fully mapped by a VM_LOCKED VMA is PG_mlocked and
// sits on the unevictable LRU, where page->lru holds mlock_count (the mlocking VMAs counted,
// approximately). The rmap calls in: adding a mapping of a VM_LOCKED VMA mlocks the folio,
// removing one munlocks it. Migration passes through both: try_to_migrate_one() munlocks the
// source as it unmaps it, remove_migration_pte() mlocks the destination as it maps it.
//
// The kernel queues these on a per-CPU mlock_fbatch (holding a reference) and applies them in
// mlock_folio_batch(); both migration paths call mlock_drain_local() right after when the VMA is
// VM_LOCKED, so the model applies them at once. For a folio faulted into a VM_LOCKED VMA
// (mlock_new_folio) that shortcut is the model's: the batch and its reference are not modelled.

import { PG } from './flags';
import { pageZone, type Kernel } from './kernel';
import { clearPageFlag, folio_nr_pages, setPageFlag, testClearPageFlag, testPageFlag } from './memmap';
import { folio_add_lru } from './swap';
import { folio_evictable, folio_mlock_count, lruvec_add_folio, lruvec_del_folio, set_folio_mlock_count } from './lru';
import { count_vm_events, mod_zone_page_state, VM_EVENT, ZS } from './vmstat';
import type { Vma } from './vm';

// mm/mlock.c: __mlock_folio() — move an LRU folio to the unevictable LRU, or count one more mlock.
function __mlock_folio(k: Kernel, folio: number): void {
  // Off the LRU (isolated for migration): nothing more can be done; putback's lru_add() will
  // find it mlocked and make it unevictable then.
  if (!testPageFlag(k, folio, PG.lru)) return;
  const zone = pageZone(k, folio);
  const nr = folio_nr_pages(k, folio);
  if (folio_evictable(k, folio)) {
    if (testPageFlag(k, folio, PG.unevictable)) {
      lruvec_del_folio(k, zone, folio);
      clearPageFlag(k, folio, PG.unevictable);
      lruvec_add_folio(k, zone, folio);
      count_vm_events(k, VM_EVENT.UNEVICTABLE_PGRESCUED, nr);
    }
    return;
  }
  if (testPageFlag(k, folio, PG.unevictable)) {
    if (testPageFlag(k, folio, PG.mlocked)) set_folio_mlock_count(k, folio, folio_mlock_count(k, folio) + 1);
    return;
  }
  lruvec_del_folio(k, zone, folio);
  clearPageFlag(k, folio, PG.active);
  setPageFlag(k, folio, PG.unevictable);
  set_folio_mlock_count(k, folio, testPageFlag(k, folio, PG.mlocked) ? 1 : 0);
  lruvec_add_folio(k, zone, folio);
  count_vm_events(k, VM_EVENT.UNEVICTABLE_PGCULLED, nr);
}

// mm/mlock.c: mlock_folio() — PG_mlocked and NR_MLOCK at once, the LRU move in the batch.
export function mlock_folio(k: Kernel, folio: number): void {
  if (!testPageFlag(k, folio, PG.mlocked)) {
    const nr = folio_nr_pages(k, folio);
    setPageFlag(k, folio, PG.mlocked);
    mod_zone_page_state(k, pageZone(k, folio), ZS.NR_MLOCK, nr);
    count_vm_events(k, VM_EVENT.UNEVICTABLE_PGMLOCKED, nr);
  }
  __mlock_folio(k, folio);
}

// mm/mlock.c: munlock_folio() → __munlock_folio(). On the unevictable LRU only the last mlock
// clears PG_mlocked; off the LRU (isolated) it is cleared at once — "reclaim will fix it if not".
export function munlock_folio(k: Kernel, folio: number): void {
  const nr = folio_nr_pages(k, folio);
  const onLru = testPageFlag(k, folio, PG.lru);
  if (onLru && testPageFlag(k, folio, PG.unevictable)) {
    const count = Math.max(0, folio_mlock_count(k, folio) - 1);
    set_folio_mlock_count(k, folio, count);
    if (count > 0) return;
  }
  if (testClearPageFlag(k, folio, PG.mlocked)) {
    mod_zone_page_state(k, pageZone(k, folio), ZS.NR_MLOCK, -nr);
    // Off the LRU yet unevictable (isolated for migration): "stranded" until putback or free.
    count_vm_events(k, onLru || !testPageFlag(k, folio, PG.unevictable) ? VM_EVENT.UNEVICTABLE_PGMUNLOCKED : VM_EVENT.UNEVICTABLE_PGSTRANDED, nr);
  }
  if (onLru && testPageFlag(k, folio, PG.unevictable) && folio_evictable(k, folio)) {
    const zone = pageZone(k, folio);
    lruvec_del_folio(k, zone, folio);
    clearPageFlag(k, folio, PG.unevictable);
    lruvec_add_folio(k, zone, folio);
    count_vm_events(k, VM_EVENT.UNEVICTABLE_PGRESCUED, nr);
  }
}

// mm/mlock.c: mlock_new_folio() → __mlock_new_folio(): a folio not yet on the LRU goes straight
// to the unevictable LRU with mlock_count 1.
function mlock_new_folio(k: Kernel, folio: number): void {
  const nr = folio_nr_pages(k, folio);
  setPageFlag(k, folio, PG.mlocked);
  mod_zone_page_state(k, pageZone(k, folio), ZS.NR_MLOCK, nr);
  count_vm_events(k, VM_EVENT.UNEVICTABLE_PGMLOCKED, nr);
  setPageFlag(k, folio, PG.unevictable);
  set_folio_mlock_count(k, folio, 1);
  count_vm_events(k, VM_EVENT.UNEVICTABLE_PGCULLED, nr);
  lruvec_add_folio(k, pageZone(k, folio), folio);
  setPageFlag(k, folio, PG.lru);
}

// mm/swap.c: folio_add_lru_vma() — a folio faulted into a VM_LOCKED VMA is mlocked as it joins the LRU.
export function folio_add_lru_vma(k: Kernel, folio: number, vma: Vma): void {
  if (vma.locked) mlock_new_folio(k, folio);
  else folio_add_lru(k, folio);
}

// mm/internal.h: mlock_vma_folio(), as __folio_add_rmap() callers use it: only a folio mapped
// whole by this call is mlocked (a PTE-mapped large folio is left to reclaim to find).
export function mlock_vma_folio(k: Kernel, folio: number, vma: Vma, nrMapped: number): void {
  if (vma.locked && nrMapped === folio_nr_pages(k, folio)) mlock_folio(k, folio);
}

// mm/internal.h: munlock_vma_folio(), from __folio_remove_rmap(): every unmap from a VM_LOCKED VMA.
export function munlock_vma_folio(k: Kernel, folio: number, vma: Vma): void {
  if (vma.locked) munlock_folio(k, folio);
}
