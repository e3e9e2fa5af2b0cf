// Reverse mapping (mm/rmap.c): per-page _mapcount, and the walk from a folio to every PTE that
// maps it. The walk uses only folio->mapping and folio->index, as the kernel's rmap_walk_anon()
// and rmap_walk_file() do: the anon_vma (or the file's i_mmap) lists the VMAs, and
// vma_address() says where in each VMA the folio would sit.

import { PG } from './flags';
import {
  folio_nr_pages, pageIndex, pageMapcountRaw, pageMapping, setPageFlag, setPageIndex, setPageMapcountRaw,
  setPageMapping,
} from './memmap';
import type { Kernel } from './kernel';
import { mod_node_page_state, NS } from './vmstat';
import { mlock_vma_folio, munlock_vma_folio } from './mlock';
import { deferred_split_folio, folio_test_partially_mapped } from './deferred-split';
import { anonMapping, mappingId, mappingIsAnon, ptePfn, vma_address, type Vma } from './vm';

// mm/rmap.c: folio_add_new_anon_rmap() — a freshly faulted anon folio, mapped by `vma` at `slot`.
export function folio_add_new_anon_rmap(k: Kernel, folio: number, vma: Vma, slot: number, exclusive: boolean): void {
  const nr = folio_nr_pages(k, folio);
  setPageMapping(k, folio, anonMapping(vma.anonVma));
  setPageIndex(k, folio, vma.pgoff + slot); // linear_page_index()
  for (let i = 0; i < nr; i++) {
    setPageMapcountRaw(k, folio + i, 0);
    if (exclusive) setPageFlag(k, folio + i, PG.owner_2); // PG_anon_exclusive, per page
  }
  mod_node_page_state(k, NS.NR_ANON_MAPPED, nr);
}

// mm/rmap.c: folio_add_file_rmap_ptes() / folio_add_anon_rmap_ptes() for an existing folio,
// mapped by `vma` (whose VM_LOCKED mlocks it, as __folio_add_{anon,file}_rmap() do).
export function folio_add_rmap_ptes(k: Kernel, folio: number, page: number, nr: number, vma: Vma): void {
  const anon = mappingIsAnon(pageMapping(k, folio));
  for (let i = 0; i < nr; i++) {
    const m = pageMapcountRaw(k, page + i) + 1;
    setPageMapcountRaw(k, page + i, m);
    if (m === 0) mod_node_page_state(k, anon ? NS.NR_ANON_MAPPED : NS.NR_FILE_MAPPED, 1);
  }
  mlock_vma_folio(k, folio, vma, nr);
}

// mm/rmap.c: folio_remove_rmap_ptes() — __folio_remove_rmap() ends in munlock_vma_folio().
export function folio_remove_rmap_ptes(k: Kernel, folio: number, page: number, nr: number, vma: Vma): void {
  const anon = mappingIsAnon(pageMapping(k, folio));
  let unmapped = 0;
  for (let i = 0; i < nr; i++) {
    const m = pageMapcountRaw(k, page + i) - 1;
    if (m < -1) throw new Error(`mapcount underflow on pfn ${(page + i).toString(16)}`);
    setPageMapcountRaw(k, page + i, m);
    if (m === -1) {
      mod_node_page_state(k, anon ? NS.NR_ANON_MAPPED : NS.NR_FILE_MAPPED, -1);
      unmapped++;
    }
  }
  // __folio_remove_rmap(): pages of a large anon folio lost their last mapping while others keep theirs.
  if (unmapped && anon && folio_nr_pages(k, folio) > 1 && !folio_test_partially_mapped(k, folio) && folioStillMapped(k, folio)) deferred_split_folio(k, folio, true);
  munlock_vma_folio(k, folio, vma);
}

function folioStillMapped(k: Kernel, folio: number): boolean {
  const nr = folio_nr_pages(k, folio);
  for (let i = 0; i < nr; i++) if (pageMapcountRaw(k, folio + i) >= 0) return true;
  return false;
}

export interface RmapHit {
  readonly vma: Vma;
  readonly slot: number;
  /** The page of the folio this PTE maps (or whose migration entry it holds). */
  readonly page: number;
  readonly pte: number;
}

/** VMAs that may map a folio with this mapping: the anon_vma's or the file's i_mmap. */
export function rmapVmas(k: Kernel, mapping: number): readonly Vma[] {
  if (mapping === 0) return [];
  const id = mappingId(mapping);
  const ids = mappingIsAnon(mapping) ? k.vm.anonVmas[id]?.vmas : k.vm.spaces[id]?.iMmap;
  return (ids ?? []).map((v) => k.vm.vmas[v]!);
}

// mm/rmap.c: rmap_walk() — every PTE (present or migration entry) that refers to a page of the folio.
export function rmap_walk(k: Kernel, folio: number): RmapHit[] {
  const mapping = pageMapping(k, folio);
  const index = pageIndex(k, folio);
  const nr = folio_nr_pages(k, folio);
  const hits: RmapHit[] = [];
  for (const vma of rmapVmas(k, mapping)) {
    for (let i = 0; i < nr; i++) {
      const slot = vma_address(vma, index + i);
      if (slot < 0) continue;
      const pte = vma.pte.a[slot]!;
      if (pte !== 0 && ptePfn(pte) === folio + i) hits.push({ vma, slot, page: folio + i, pte });
    }
  }
  return hits;
}
