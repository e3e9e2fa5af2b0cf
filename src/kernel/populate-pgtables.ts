// Page-table pages spread over memory, one per pageblock, the way a long uptime leaves them: a
// leaf page table is a GFP_KERNEL (unmovable) page, and once the Unmovable free lists are empty
// __rmqueue_steal() takes single pages out of Movable pageblocks for them. A pageblock that holds
// one can never be emptied by 6.18's compaction, whatever else it holds. Only the
// compact-pgtables preset asks for this (populate's `pgtableProcesses`), so no other machine
// changes.
//
// Each page table belongs to a small process started last: its heap's first 2 MiB chunk is mapped
// by that table, and it faults a few anonymous pages there, so the table maps real PTEs that a
// migration of the table has to carry over.

import { take_page_off_buddy, prep_new_page, GFP_KERNEL } from './buddy';
import { __pagetable_ctor } from './kalloc';
import { do_anonymous_page } from './memory';
import { PG, PGTY } from './flags';
import { pfnValid, type Kernel } from './kernel';
import { put } from './store';
import { createAnonVma, createMm, createVma } from './vm';
import { PAGEBLOCK_NR_PAGES } from './zone';

/** Anonymous pages each of those processes faults (the PTEs its page table holds). */
export const PGTABLE_PROCESS_PAGES = 4;

/** vm_start of their heaps, in pages (1 GiB, 2 MiB aligned): the same in every mm, each its own. */
const HEAP_START = 0x40000;

/** A page that keeps its pageblock from ever being emptied by migration (6.18). */
function unmovable(k: Kernel, pfn: number): boolean {
  const t = k.mem.pageType.a[pfn]!;
  if (t === PGTY.buddy) return false;
  if (t !== PGTY.none) return true; // slab, page table, hugetlb, offline, zsmalloc
  if (k.mem.flags.a[pfn]! & (1 << PG.reserved)) return true;
  // A tail of a free block or of a user folio is fine; a kernel page (no LRU, no mapping) is not.
  if (k.mem.lruNext.a[pfn]! <= -2) return false;
  return k.mem.refcount.a[pfn]! > 0 && k.mem.mapping.a[pfn] === 0 && !(k.mem.flags.a[pfn]! & (1 << PG.lru));
}

/** The first free page of a pageblock with no unmovable page in it, or -1. */
function freePageIn(k: Kernel, start: number): number {
  let free = -1;
  for (let p = start; p < start + PAGEBLOCK_NR_PAGES; p++) {
    if (!pfnValid(k, p) || unmovable(k, p)) return -1;
    if (free < 0 && k.mem.pageType.a[p] === PGTY.buddy) free = p;
  }
  return free;
}

/**
 * Start up to `n` processes, each with its page table in a pageblock of its own that had a free
 * page and no unmovable page (lowest PFN first). Returns how many were started.
 */
export function spreadPgtables(k: Kernel, n: number, firstPid: number): number {
  const placed: number[] = [];
  for (let start = 0; start < k.mem.nr && placed.length < n; start += PAGEBLOCK_NR_PAGES) {
    const pfn = freePageIn(k, start);
    if (pfn < 0 || !take_page_off_buddy(k, pfn)) continue;
    prep_new_page(k, pfn, 0, GFP_KERNEL, false);
    __pagetable_ctor(k, pfn);
    placed.push(pfn);
  }
  // Fault the processes' pages only now: their pages come from the allocator and must not fill
  // a pageblock's last free page before its table is placed.
  placed.forEach((pt, i) => {
    const mm = createMm(k, firstPid + i, 'sh');
    const heap = createVma(k, { mm, start: HEAP_START, nrPages: PAGEBLOCK_NR_PAGES, pgoff: HEAP_START, anonVma: createAnonVma(k), writable: true });
    put(k.st, heap.ptPages, 0, pt); // __pte_alloc() → pmd_populate(): the PMD points at the table
    for (let s = 0; s < PGTABLE_PROCESS_PAGES; s++) do_anonymous_page(k, heap, s);
  });
  return placed.length;
}
