// Design "pgtable-movable": Linux 6.18 plus David Hildenbrand's hint from the PageOffline thread —
// leaf page-table pages become movable non-folio pages, so compaction can move the one page table
// that keeps a pageblock from ever becoming a free 2 MiB block. Everything else (balloon pages,
// LRU folios) is 6.18's. The ops are in pgtable-ops.ts.

import { balloon_deflate, balloon_inflate } from '../../balloon';
import { PGTY } from '../../flags';
import type { Design } from '../types';
import {
  isolateStep, pgtable_isolate_page, pgtable_migrate_page, pgtable_putback_page, pgtable_release_old, putbackStep, tableIsolated,
} from './pgtable-ops';

export const pgtableMovable = {
  name: 'pgtable-movable',
  summary: 'Linux 6.18 with leaf page tables movable: their own isolation flag, migration copies the table and switches the PMD under pmd_lock',
  assumes: [
    'Which pages: every leaf (PTE) page table of a user mm, VM_LOCKED VMAs included (mlock promises residency, not a physical address; a table move faults nothing in). hugetlb VMAs have no PTE tables here, and shared hugetlb PMD tables (pt_share_count) would not qualify: several PUDs point at them.',
    'How a table says "movable": a kernel with this design would set PG_movable_ops (the PG_uptodate bit) in pagetable_pte_ctor() and page_movable_ops() would return the table ops for PageTable, the type staying until the buddy gets the page back, as for PageOffline. The model does not store that bit: under this design it takes every PageTable page as movable, so the memory populate builds is the same bytes under every design.',
    'The isolation flag: PG_movable_ops_isolated, the PG_reclaim bit, set by an atomic test-and-set without the page lock. It is free on a ptdesc: pt_flags uses only PT_kernel (PG_referenced) and PT_reserved (PG_reserved), and PG_reclaim is meaningful only on folios under writeback or readahead.',
    'Safety against walkers: the switch happens under pmd_lock() and the old table\'s split PTE lock; lock-holding walkers (faults, zap, page_vma_mapped_walk for rmap) recheck the PMD after pte_offset_map_lock() and retry on a change, as they already do for khugepaged\'s retract_page_tables(). GUP-fast walks without locks with IRQs off, so the old table is retired with pte_free_defer() (an RCU grace period) and never reused while a walker may read it.',
    'flush_tlb_range() over the 2 MiB before the locks drop: x86 caches PMD entries in its paging-structure caches, so a CPU could keep walking the old table.',
    'The second migrator: kept out by the isolation flag; if that guard were absent, the pmd_same() recheck under pmd_lock() finds the PMD moved and returns -EAGAIN (guard "lock").',
    'The old table\'s data is not copied byte by byte in the model: a VMA\'s PTEs live in its own store and the PMD entry (vma.ptPages) names the table page holding them, so switching the PMD is the copy.',
  ],
  inflate: (k, pages, got) => balloon_inflate(k, pages, got),
  deflate: (k, pages) => balloon_deflate(k, pages),
  pageOps: {
    // Under this design only: a kernel without it has no movable page tables (see assumes).
    owns: (k, pfn) => k.variant === 'pgtable-movable' && k.mem.pageType.a[pfn] === PGTY.table,
    isolate: (k, page) => pgtable_isolate_page(k, page),
    migrate: (k, dst, src) => pgtable_migrate_page(k, dst, src),
    isolated: (k, page) => tableIsolated(k, page),
    isolateStep: (k, who, page, ref, why) => isolateStep(k, who, page, ref, why),
    putback: (k, page) => pgtable_putback_page(k, page),
    putbackStep: (k, page, ref) => putbackStep(k, page, ref),
    encoding: 'PageTable under the pgtable-movable design (page_movable_ops() by page type)',
    kind: 'PageTable',
    ownerRef: () => 1, // the table's own reference, pagetable_alloc()'s, until pte_free_defer() drops it
    keeper: 'the table\'s own reference keeps it: its PMD points at it now',
    migrated: (k, src) => pgtable_release_old(k, src),
  },
} as const satisfies Design;
