// Page faults and unmapping (mm/memory.c), enough to populate memory the way user space does:
// anonymous faults, page-cache reads and file faults, zapping PTEs and tearing down an mm.

import { PG } from './flags';
import { clearPageFlag, folio_nr_pages, setPageFlag, setPagePrivate, testPageFlag } from './memmap';
import { pageZone, type Kernel } from './kernel';
import { __alloc_pages, __GFP_COMP, GFP_HIGHUSER_MOVABLE } from './buddy';
import { folio_get, folio_put, folio_put_refs, folio_ref_add, page_folio } from './folio';
import { lruvec_del_folio } from './lru';
import { folio_add_lru } from './swap';
import { folio_add_lru_vma } from './mlock';
import { folio_add_new_anon_rmap, folio_add_rmap_ptes, folio_remove_rmap_ptes } from './rmap';
import { __filemap_remove_folio, filemap_add_folio } from './filemap';
import { pagetable_alloc, pagetable_free } from './kalloc';
import { put } from './store';
import { zap_huge_pte } from './hugetlb-fault';
import { free_swap_cache } from './swap_state';
import {
  mappingId, mkPte, ptChunk, pteBits, pteIsDevicePrivate, ptePfn, ptePresent, PTE_DIRTY, PTE_EXCLUSIVE, PTE_WRITE, PTE_YOUNG, PTRS_PER_PTE,
  type AddressSpace, type MmStruct, type Vma,
} from './vm';

// mm/memory.c: __pte_alloc() — the page-table page that will hold this PTE.
export function __pte_alloc(k: Kernel, vma: Vma, slot: number): boolean {
  const c = ptChunk(vma, slot);
  if (vma.ptPages.a[c]! >= 0) return true;
  const pt = pagetable_alloc(k);
  if (pt < 0) return false;
  put(k.st, vma.ptPages, c, pt);
  return true;
}

function set_pte_at(k: Kernel, vma: Vma, slot: number, pfn: number, bits: number): void {
  put(k.st, vma.pte, slot, mkPte(pfn, bits));
}

/** Can an order-`order` folio be mapped at `slot`? (aligned, inside the VMA, all PTEs none) */
export function anonRangeFree(vma: Vma, slot: number, order: number): boolean {
  const nr = 1 << order;
  if ((vma.start + slot) & (nr - 1) || slot + nr > vma.nrPages) return false;
  for (let i = 0; i < nr; i++) if (vma.pte.a[slot + i] !== 0) return false;
  return true;
}

// mm/huge_memory.c: folio_set_large_rmappable() — PG_large_rmappable lives in page[1]'s flags
// (the PG_workingset bit there); it marks an anon or file THP/mTHP and drives KPF_THP.
export function folio_set_large_rmappable(k: Kernel, folio: number): void {
  setPageFlag(k, folio + 1, PG.workingset);
}

export function folio_test_large_rmappable(k: Kernel, folio: number): boolean {
  return testPageFlag(k, folio, PG.head) && testPageFlag(k, folio + 1, PG.workingset);
}

// mm/memory.c: do_anonymous_page() (and alloc_anon_folio() for mTHP orders). Returns the folio or -1.
export function do_anonymous_page(k: Kernel, vma: Vma, slot: number, order = 0): number {
  if (vma.anonVma < 0) throw new Error('anonymous fault in a VMA without an anon_vma');
  if (!anonRangeFree(vma, slot, order)) return -1;
  if (!__pte_alloc(k, vma, slot)) return -1;
  const folio = __alloc_pages(k, GFP_HIGHUSER_MOVABLE | (order ? __GFP_COMP : 0), order);
  if (folio < 0) return -1;
  const nr = 1 << order;
  setPageFlag(k, folio, PG.uptodate); // __folio_mark_uptodate()
  setPageFlag(k, folio, PG.swapbacked); // __folio_set_swapbacked()
  if (order) folio_set_large_rmappable(k, folio);
  folio_ref_add(k, folio, nr - 1); // one reference per PTE; the allocation's is the first
  folio_add_new_anon_rmap(k, folio, vma, slot, true);
  folio_add_lru_vma(k, folio, vma);
  for (let i = 0; i < nr; i++) set_pte_at(k, vma, slot + i, folio + i, PTE_WRITE | PTE_DIRTY | PTE_YOUNG | PTE_EXCLUSIVE);
  return folio;
}

// mm/filemap.c: filemap_read() / page_cache_ra_order() — bring `index` into the page cache.
// The allocation's reference is dropped at the end: the cache's own keeps the folio.
export function filemap_read_folio(k: Kernel, as: AddressSpace, index: number, order = 0): number {
  const cached = as.pages.a[index]!;
  if (cached >= 0) return cached;
  const nr = 1 << order;
  if (index & (nr - 1) || index + nr > as.pages.a.length) order = 0;
  for (let i = 1; i < 1 << order; i++) if (as.pages.a[index + i]! >= 0) order = 0;
  const folio = __alloc_pages(k, GFP_HIGHUSER_MOVABLE | (order ? __GFP_COMP : 0), order);
  if (folio < 0) return -1;
  if (order) folio_set_large_rmappable(k, folio);
  filemap_add_folio(k, as, folio, index);
  setPageFlag(k, folio, PG.uptodate);
  if (as.kind === 'ramfs') setPageFlag(k, folio, PG.unevictable); // mapping_set_unevictable()
  folio_add_lru(k, folio);
  folio_put(k, folio);
  return folio;
}

// fs/buffer.c: folio_attach_private() — buffer heads hold one extra reference.
export function folio_attach_private(k: Kernel, folio: number, priv: number): void {
  folio_get(k, folio);
  setPageFlag(k, folio, PG.private);
  setPagePrivate(k, folio, priv);
}

// mm/memory.c: do_read_fault() → finish_fault(): map the cached page of file index pgoff+slot.
export function do_read_fault(k: Kernel, vma: Vma, slot: number): number {
  const as = k.vm.spaces[vma.file];
  if (!as) throw new Error('file fault in a VMA without a file');
  if (vma.pte.a[slot] !== 0) return -1;
  if (!__pte_alloc(k, vma, slot)) return -1;
  const index = vma.pgoff + slot;
  const folio = filemap_read_folio(k, as, index);
  if (folio < 0) return -1;
  const page = folio + (index - k.mem.index.a[folio]!);
  folio_get(k, folio); // the mapping's reference
  folio_add_rmap_ptes(k, folio, page, 1, vma);
  set_pte_at(k, vma, slot, page, PTE_YOUNG | (vma.writable ? PTE_WRITE : 0));
  return folio;
}

// mm/memory.c: zap_present_ptes() for one PTE: drop the rmap and the mapping's reference.
export function zap_pte(k: Kernel, vma: Vma, slot: number): void {
  if (vma.hugetlb) {
    zap_huge_pte(k, vma, slot); // __unmap_hugepage_range(): one huge entry for the whole folio
    return;
  }
  const pte = vma.pte.a[slot]!;
  // zap_nonpresent_ptes(): a device-private entry holds its page's mapping and reference too.
  if (!ptePresent(pte) && !pteIsDevicePrivate(pte)) return;
  const page = ptePfn(pte);
  const folio = page_folio(k, page);
  put(k.st, vma.pte, slot, 0);
  folio_remove_rmap_ptes(k, folio, page, 1, vma);
  free_swap_cache(k, folio);
  folio_put(k, folio);
}

// mm/mmap.c: exit_mmap() — unmap every VMA, then free the page tables (free_pgtables()).
export function exit_mmap(k: Kernel, mm: MmStruct): void {
  for (const id of mm.vmas) {
    const vma = k.vm.vmas[id]!;
    for (let s = 0; s < vma.nrPages; s++) zap_pte(k, vma, s);
    for (let c = 0; c < vma.ptPages.a.length; c++) {
      const pt = vma.ptPages.a[c]!;
      if (pt >= 0) {
        put(k.st, vma.ptPages, c, -1);
        pagetable_free(k, pt);
      }
    }
  }
}

/** Is this folio's page cache copy droppable right now (clean, unmapped, unlocked, no extra refs)? */
export function folioEvictable(k: Kernel, folio: number): boolean {
  if (testPageFlag(k, folio, PG.dirty) || testPageFlag(k, folio, PG.locked) || testPageFlag(k, folio, PG.writeback)) return false;
  if (testPageFlag(k, folio, PG.unevictable)) return false;
  const expected = folio_nr_pages(k, folio) + (testPageFlag(k, folio, PG.private) ? 1 : 0);
  return k.mem.refcount.a[folio] === expected && k.mem.mapcount.a[folio] === -1;
}

export { PTRS_PER_PTE };

// mm/vmscan.c: shrink_folio_list() → __remove_mapping() for a clean, unmapped page-cache folio:
// off the LRU, buffers released, out of i_pages; the cache's references go and the folio is freed.
export function reclaim_clean_folio(k: Kernel, folio: number): boolean {
  if (!folioEvictable(k, folio)) return false;
  const as = k.vm.spaces[mappingId(k.mem.mapping.a[folio]!)];
  // shmem/tmpfs and ramfs have no backing store to drop to (and no swap is modelled).
  if (!as || as.kind !== 'file') return false;
  if (testPageFlag(k, folio, PG.lru)) {
    lruvec_del_folio(k, pageZone(k, folio), folio);
    clearPageFlag(k, folio, PG.lru);
    clearPageFlag(k, folio, PG.active);
  }
  if (testPageFlag(k, folio, PG.private)) {
    clearPageFlag(k, folio, PG.private); // try_to_release_page(): buffers freed
    setPagePrivate(k, folio, 0);
    folio_put_refs(k, folio, 1);
  }
  const nr = folio_nr_pages(k, folio);
  __filemap_remove_folio(k, as, folio);
  folio_put_refs(k, folio, nr);
  return true;
}

// kernel/fork.c: dup_mmap() → mm/memory.c: copy_page_range() → copy_present_ptes() for a private
// anonymous VMA: the child's VMA shares the anon_vma, every present PTE is copied, both sides
// are write-protected (COW), the pages lose PG_anon_exclusive, and each page gains a mapping
// and a reference.
export function copy_anon_vma_ptes(k: Kernel, parent: Vma, child: Vma): number {
  let copied = 0;
  for (let s = 0; s < parent.nrPages; s++) {
    const pte = parent.pte.a[s]!;
    if (!ptePresent(pte)) continue;
    if (!__pte_alloc(k, child, s)) return copied;
    const page = ptePfn(pte);
    const folio = page_folio(k, page);
    const bits = pteBits(pte) & ~(PTE_WRITE | PTE_EXCLUSIVE);
    put(k.st, parent.pte, s, mkPte(page, bits));
    set_pte_at(k, child, s, page, bits);
    clearPageFlag(k, page, PG.owner_2); // no longer exclusive to one process
    folio_get(k, folio);
    folio_add_rmap_ptes(k, folio, page, 1, child);
    copied++;
  }
  return copied;
}
