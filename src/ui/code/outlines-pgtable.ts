// Outlines of the page-table functions the pgtable-movable design's migration calls (its own
// pgtable_migrate_page() is a proposal, with no code in 6.18), and of defer_compaction(), which
// compact-pgtables reaches when 6.18 compaction fails.
import { L, S, type Outline } from './outline';

export const PGTABLE_OUTLINES: Readonly<Record<string, Outline>> = {
  pmd_lock: {
    file: 'include/linux/mm.h',
    lines: [
      L("the PMD table's split lock (in its ptdesc), or mm->page_table_lock without split locks", 'spinlock_t *ptl = pmd_lockptr(mm, pmd);'),
      L('taken: every other PMD change in this table waits', 'spin_lock(ptl);'),
    ],
    stops: [S(1, 'move-mapping')],
  },
  pagetable_pte_ctor: {
    file: 'include/linux/mm.h',
    lines: [
      L('a user table gets its split PTE lock', 'if (mm != &init_mm && !ptlock_init(ptdesc))'),
      L('__pagetable_ctor(): the page type says table, NR_PAGETABLE counts it', '__pagetable_ctor(ptdesc);'),
    ],
    stops: [S(1, 'copy')],
  },
  pmd_populate: {
    file: 'arch/x86/include/asm/pgalloc.h',
    lines: [
      L('the new table\'s PFN', 'unsigned long pfn = page_to_pfn(pte);'),
      L('the PMD entry now points at it (_PAGE_TABLE)', 'set_pmd(pmd, __pmd(((pteval_t)pfn << PAGE_SHIFT) | _PAGE_TABLE));'),
    ],
    stops: [S(1, 'remap')],
  },
  flush_tlb_range: {
    file: 'arch/x86/include/asm/tlbflush.h',
    lines: [
      L('flush_tlb_mm_range() over the range, which also drops cached paging-structure entries (freed_tables true)', 'flush_tlb_mm_range((vma)->vm_mm, start, end,'),
    ],
    stops: [S(0, 'remap')],
  },
  pte_free_defer: {
    file: 'mm/pgtable-generic.c',
    lines: [
      L('free the table after an RCU grace period (pte_free_now: pagetable_dtor_free())', 'call_rcu(&page->rcu_head, pte_free_now);'),
    ],
    stops: [S(0, 'free')],
  },
  defer_compaction: {
    file: 'mm/compaction.c',
    lines: [
      L('compaction failed: skip it for the next 1 << compact_defer_shift attempts', 'zone->compact_defer_shift++;'),
      L('remember the lowest order that failed', 'zone->compact_order_failed = order;'),
      L('the shift is capped at COMPACT_MAX_DEFER_SHIFT', 'zone->compact_defer_shift = COMPACT_MAX_DEFER_SHIFT;'),
    ],
    stops: [S(0, 'done')],
  },
};
