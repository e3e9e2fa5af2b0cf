// Freeing user memory in scattered holes, the way a fragmenting workload does: MADV_DONTNEED on a
// pseudo-random part of every process's anonymous pages, and FALLOC_FL_PUNCH_HOLE on tmpfs
// files. This is how the real captures in reference/real-kernel were fragmented (their frag.c),
// so scenarios can repeat it after the balloon has inflated.

import { PG } from './flags';
import { pageZone, type Kernel } from './kernel';
import { createPrng } from './prng';
import { folio_nr_pages, clearPageFlag, testPageFlag } from './memmap';
import { folio_put_refs } from './folio';
import { lruvec_del_folio } from './lru';
import { __filemap_remove_folio } from './filemap';
import { zap_pte } from './memory';
import { ptePresent } from './vm';
import { mkStep, quietly, type Steps } from './step';

// mm/madvise.c: madvise_dontneed_single_vma() → zap_page_range_single(), for each present PTE
// of every process's anonymous VMAs that the seeded PRNG picks with probability `fraction`.
export function* madvise_dontneed_path(k: Kernel, fraction: number, seed: number): Steps<number> {
  const rng = createPrng(seed);
  let total = 0;
  for (const mm of k.vm.mms) {
    let n = 0;
    for (const id of mm.vmas) {
      const vma = k.vm.vmas[id]!;
      // the holes are made in ordinary anonymous memory; can_madv_lru_vma() refuses VM_LOCKED and VM_HUGETLB
      if (vma.anonVma < 0 || vma.hugetlb || vma.locked) continue;
      n += quietly(k, () => {
        let z = 0;
        for (let s = 0; s < vma.nrPages; s++) {
          if (!ptePresent(vma.pte.a[s]!) || !rng.chance(fraction)) continue;
          zap_pte(k, vma, s);
          z++;
        }
        return z;
      });
    }
    if (!n) continue;
    total += n;
    yield mkStep(k, {
      phase: 'free', fn: 'madvise_dontneed_single_vma', file: 'mm/madvise.c',
      text: `${mm.comm} (pid ${mm.pid}): MADV_DONTNEED on ${n} scattered anonymous page(s): each PTE is zapped and the page's last reference freed, leaving holes between the pages it keeps (the allocator's merges are not shown one by one)`,
      pfns: [],
    });
  }
  return total;
}

// mm/shmem.c: shmem_fallocate(FALLOC_FL_PUNCH_HOLE) → shmem_undo_range() → truncate_inode_folio():
// each picked folio leaves the page cache and the LRU and is freed. Mapped folios are left alone
// (they would first be unmapped; the populated tmpfs files are not mapped).
export function* shmem_punch_hole_path(k: Kernel, fraction: number, seed: number): Steps<number> {
  const rng = createPrng(seed);
  let total = 0;
  for (const as of k.vm.spaces) {
    if (as.kind !== 'shmem') continue;
    const n = quietly(k, () => {
      let freed = 0;
      for (let i = 0; i < as.pages.a.length; i++) {
        const folio = as.pages.a[i]!;
        if (folio < 0 || k.mem.index.a[folio] !== i || !rng.chance(fraction)) continue;
        if (k.mem.mapcount.a[folio] !== -1 || testPageFlag(k, folio, PG.locked) || !testPageFlag(k, folio, PG.lru)) continue;
        const nr = folio_nr_pages(k, folio);
        lruvec_del_folio(k, pageZone(k, folio), folio);
        clearPageFlag(k, folio, PG.lru);
        clearPageFlag(k, folio, PG.active);
        clearPageFlag(k, folio, PG.dirty); // folio_cancel_dirty()
        __filemap_remove_folio(k, as, folio);
        folio_put_refs(k, folio, nr);
        freed += nr;
      }
      return freed;
    });
    if (!n) continue;
    total += n;
    yield mkStep(k, {
      phase: 'free', fn: 'shmem_undo_range', file: 'mm/shmem.c',
      text: `${as.name}: FALLOC_FL_PUNCH_HOLE frees ${n} scattered tmpfs page(s) (out of the page cache and off the LRU, then freed)`,
      pfns: [],
    });
  }
  return total;
}
