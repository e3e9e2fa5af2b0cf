// Kernel allocations that are not user memory: slab folios, page-table pages and plain
// alloc_pages() users. They hold one reference (the allocation's) and are unmovable, which is
// what makes a pageblock that contains one impossible to empty by migration.

import { PG, PGTY } from './flags';
import { folio_nr_pages, setPageFlag, setPageType } from './memmap';
import type { Kernel } from './kernel';
import { __alloc_pages, __GFP_COMP, __GFP_RECLAIMABLE, GFP_KERNEL } from './buddy';
import { folio_put } from './folio';
import { mod_node_page_state, NS } from './vmstat';

// mm/slub.c: alloc_slab_page() — reclaimable caches (dentries, inodes) use __GFP_RECLAIMABLE.
export function alloc_slab_page(k: Kernel, order: number, reclaimable: boolean): number {
  const gfp = GFP_KERNEL | (reclaimable ? __GFP_RECLAIMABLE : 0) | (order ? __GFP_COMP : 0);
  const pfn = __alloc_pages(k, gfp, order);
  if (pfn < 0) return -1;
  setPageType(k, pfn, PGTY.slab); // __folio_set_slab(): a folio-level type on the head
  mod_node_page_state(k, NS.NR_SLAB, 1 << order);
  return pfn;
}

// mm/slub.c: free_slab() → __free_slab()
export function free_slab_page(k: Kernel, folio: number): void {
  mod_node_page_state(k, NS.NR_SLAB, -folio_nr_pages(k, folio));
  setPageType(k, folio, PGTY.none); // __folio_clear_slab()
  folio_put(k, folio);
}

// include/linux/mm.h: pagetable_alloc() + pagetable_pte_ctor()
export function pagetable_alloc(k: Kernel): number {
  const pfn = __alloc_pages(k, GFP_KERNEL, 0);
  if (pfn < 0) return -1;
  __pagetable_ctor(k, pfn);
  return pfn;
}

// include/linux/mm.h: __pagetable_ctor() — the page becomes a page table (the split PTE lock in
// its ptdesc starts unlocked: page->private, which prep_new_page() zeroed).
export function __pagetable_ctor(k: Kernel, pfn: number): void {
  setPageType(k, pfn, PGTY.table); // __folio_set_pgtable()
  mod_node_page_state(k, NS.NR_PAGETABLE, 1);
}

// include/linux/mm.h: pagetable_dtor()
export function pagetable_dtor(k: Kernel, pfn: number): void {
  setPageType(k, pfn, PGTY.none); // __folio_clear_pgtable()
  mod_node_page_state(k, NS.NR_PAGETABLE, -1);
}

// include/linux/mm.h: pagetable_dtor() + pagetable_free()
export function pagetable_free(k: Kernel, pfn: number): void {
  pagetable_dtor(k, pfn);
  folio_put(k, pfn);
}

/** A plain alloc_pages(GFP_KERNEL) user: no flags, no type, one reference. */
export function alloc_kernel_pages(k: Kernel, order: number): number {
  return __alloc_pages(k, GFP_KERNEL | (order ? __GFP_COMP : 0), order);
}

/** memblock_reserve()d at boot: PG_reserved with refcount 1, never freed to the buddy. */
export function reservePage(k: Kernel, pfn: number): void {
  setPageFlag(k, pfn, PG.reserved);
}
