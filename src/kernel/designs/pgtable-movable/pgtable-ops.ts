// The movable operations of a leaf page table under the pgtable-movable design (David
// Hildenbrand's hint in the PageOffline thread: page tables as movable non-folio pages, with their
// own isolation flag; the migration copies the table and switches the PMD under the page-table
// lock). Nothing here exists upstream: the ops are a proposal, named pgtable_isolate_page(),
// pgtable_migrate_page() and pgtable_putback_page() after the movable_operations members they
// fill; the steps inside name the kernel functions they use (pmd_lock, pagetable_pte_ctor, copy_page,
// pmd_populate, flush_tlb_range, pte_free_defer, pagetable_dtor, pagetable_free).
//
// In the model a VMA's PTE values live in its own store and vma.ptPages[chunk] is the PMD entry:
// the PFN of the table page holding that 2 MiB chunk's 512 entries. Moving the table is switching
// that entry, so the PTEs follow the move by construction and every rmap walk (which goes through
// vma.pte) still finds them; invariants.ts checks that every PMD points at a live page table.

import { PG, PGTY } from '../../flags';
import { clearPageFlag, setPageFlag, testPageFlag } from '../../memmap';
import { folio_get, folio_put } from '../../folio';
import { __pagetable_ctor, pagetable_dtor } from '../../kalloc';
import { addHolder, HOLD } from '../../pins';
import { put } from '../../store';
import { emitStep, hex, mkStep, type StepInfo } from '../../step';
import { guardOn, type Exclusion } from '../../guards';
import { pteIsMigration, ptePresent, PTRS_PER_PTE, type Vma } from '../../vm';
import type { Kernel } from '../../kernel';

const EAGAIN = -11;
const PROPOSAL = 'pgtable-movable design';

/** The PMD entry that points at a table page: the VMA and its 2 MiB chunk, or null. */
export function pmdOf(k: Kernel, table: number): { vma: Vma; chunk: number } | null {
  for (const vma of k.vm.vmas) {
    const pts = vma.ptPages.a;
    for (let c = 0; c < pts.length; c++) if (pts[c] === table) return { vma, chunk: c };
  }
  return null;
}

/** The address range the table maps (virtual 2 MiB, in bytes) and its owner, for the narration. */
function where(k: Kernel, vma: Vma, chunk: number): string {
  const mm = k.vm.mms[vma.mm]!;
  const base = ((vma.start >> 9) + chunk) << 9;
  return `${mm.comm}[${mm.pid}] ${hex(base * 4096)}-${hex((base + PTRS_PER_PTE) * 4096)}`;
}

/** The slots of the VMA the table covers. */
function slotsOf(vma: Vma, chunk: number): [number, number] {
  const base = ((vma.start >> 9) + chunk) << 9;
  return [Math.max(0, base - vma.start), Math.min(vma.nrPages, base + PTRS_PER_PTE - vma.start)];
}

/** PG_movable_ops_isolated: the PG_reclaim bit of pt_flags, which page tables never use (see index.ts). */
export const tableIsolated = (k: Kernel, page: number): boolean => testPageFlag(k, page, PG.reclaim);

const WHY_FROZEN = 'refcount 0: the table is being freed';
const WHY_FLAG = 'PG_movable_ops_isolated already set';
const WHY_NO_PMD = 'no PMD points at it any more';

// Proposal: pgtable_isolate_page() — the speculative reference, then the test-and-set of the
// isolation flag: the one atomic that keeps a second migrator out (no page lock, as David's series
// later did for balloon pages). null on success, else why not.
export function pgtable_isolate_page(k: Kernel, page: number): string | null {
  if (guardOn(k, 'try-get') && k.mem.refcount.a[page] === 0) return WHY_FROZEN;
  folio_get(k, page);
  if (guardOn(k, 'isolated-flag') && tableIsolated(k, page)) {
    folio_put(k, page); // the loser's transient +1 undone
    return WHY_FLAG;
  }
  setPageFlag(k, page, PG.reclaim); // test_and_set_bit(PG_movable_ops_isolated)
  addHolder(k.st, k.pins, page, HOLD.ISOLATED);
  return null;
}

/** Which guard a failed isolation met, for the step's `excluded`. */
export function isolationExclusion(why: string): Exclusion {
  if (why === WHY_FROZEN) return { guard: 'try-get', why: 'folio_try_get failed: refcount 0, the table is being freed' };
  return { guard: 'isolated-flag', why };
}

export function isolateStep(k: Kernel, who: string, page: number, ref: number, why: string | null): StepInfo {
  const at = pmdOf(k, page);
  const owner = at ? ` (${where(k, at.vma, at.chunk)})` : '';
  return mkStep(k, {
    phase: 'isolate', fn: 'isolate_movable_ops_page', file: 'mm/migrate.c',
    text: why
      ? `${who} (${PROPOSAL}): page table ${hex(page)}${owner} is not isolated: ${why}${why === WHY_FLAG ? '; its transient reference is dropped again (refcount back to ' + k.mem.refcount.a[page] + ')' : ''}`
      : `${who} (${PROPOSAL}): page table ${hex(page)}${owner}: +1 reference (refcount ${ref} → ${ref + 1}), PG_movable_ops_isolated test-and-set (the PG_reclaim bit of pt_flags; no page lock)`,
    pfns: [{ pfn: page, role: 'src' }], result: why ? 'false' : 'true',
    ...(why ? { excluded: isolationExclusion(why) } : {}),
  });
}

// Proposal: pgtable_migrate_page() — under the PMD's lock and the old table's PTE lock, a new
// table gets the 512 entries and the PMD is switched to it; the TLB is flushed before the locks go.
export function pgtable_migrate_page(k: Kernel, dst: number, src: number): { rc: number; steps: StepInfo[] } {
  const steps: StepInfo[] = [];
  const at = pmdOf(k, src);
  if (!at) {
    // pmd_same() under pmd_lock(): someone else switched (or cleared) the PMD since isolation.
    steps.push(mkStep(k, {
      phase: 'move-mapping', fn: 'pmd_lock', file: 'include/linux/mm.h',
      text: `${PROPOSAL}: under pmd_lock() the PMD no longer points at ${hex(src)} (another migrator moved the table, or the range was unmapped): -EAGAIN`,
      pfns: [{ pfn: src, role: 'src' }, { pfn: dst, role: 'dst' }], result: '-EAGAIN',
      ...(guardOn(k, 'lock') ? { excluded: { guard: 'lock' as const, why: `pmd_same() failed under pmd_lock: ${WHY_NO_PMD}` } } : {}),
    }));
    return { rc: EAGAIN, steps };
  }
  const { vma, chunk } = at;
  const [lo, hi] = slotsOf(vma, chunk);
  let present = 0, migration = 0;
  for (let s = lo; s < hi; s++) {
    const v = vma.pte.a[s]!;
    if (ptePresent(v)) present++;
    else if (pteIsMigration(v)) migration++;
  }
  const range = where(k, vma, chunk);
  steps.push(mkStep(k, {
    phase: 'move-mapping', fn: 'pmd_lock', file: 'include/linux/mm.h',
    text: `${PROPOSAL}: pmd_lock() on the PMD of ${range}, which points at ${hex(src)}; then pte_lockptr(): the split PTE lock in ${hex(src)}'s ptdesc. Faults, zaps and rmap walks of this range (pte_offset_map_lock) now wait, and recheck the PMD once they get the lock`,
    pfns: [{ pfn: src, role: 'src' }],
  }));
  __pagetable_ctor(k, dst);
  folio_get(k, dst); // the table's own reference, as pagetable_alloc()'s: the core drops dst's allocation one
  steps.push(mkStep(k, {
    phase: 'copy', fn: 'pagetable_pte_ctor', file: 'include/linux/mm.h',
    text: `${hex(dst)} becomes a page table (PGTY_table, NR_PAGETABLE +1, its own split PTE lock initialised), and copy_page() copies all ${PTRS_PER_PTE} entries of ${hex(src)}: ${present} present PTE(s)${migration ? `, ${migration} migration entr${migration > 1 ? 'ies' : 'y'}` : ''}, the rest none`,
    pfns: [{ pfn: src, role: 'src' }, { pfn: dst, role: 'dst' }],
  }));
  put(k.st, vma.ptPages, chunk, dst);
  steps.push(mkStep(k, {
    phase: 'remap', fn: 'pmd_populate', file: 'arch/x86/include/asm/pgalloc.h',
    text: `pmd_populate(): the PMD of ${range} now points at ${hex(dst)}; the same ${present} PTE(s) map the same pages, so no data page moves and no PTE changes`,
    pfns: [{ pfn: src, role: 'src' }, { pfn: dst, role: 'dst' }],
  }));
  clearPageFlag(k, src, PG.reclaim); // the core's ClearPageMovableOpsIsolated() on success
  steps.push(mkStep(k, {
    phase: 'remap', fn: 'flush_tlb_range', file: 'arch/x86/include/asm/tlbflush.h',
    text: `flush_tlb_range() over ${range}: CPUs may cache the old PMD in their paging-structure caches and walk ${hex(src)} from there; after the flush none does. Both locks are released; ${hex(src)} is no longer isolated (PG_movable_ops_isolated cleared) and nothing maps it`,
    pfns: [{ pfn: src, role: 'src' }, { pfn: dst, role: 'dst' }], result: '0',
  }));
  return { rc: 0, steps };
}

// Proposal: the old table's release, once the migration core dropped its isolation reference:
// pte_free_defer() (mm/pgtable-generic.c, khugepaged's way to retire a PTE table) — GUP-fast walks
// page tables locklessly with IRQs off, so the page is freed only after an RCU grace period; then
// pagetable_dtor() + pagetable_free() drop the table's own reference.
// Another isolator still holding it (possible only with the isolation flag's guard switched off)
// retires it at its putback instead.
export function pgtable_release_old(k: Kernel, src: number, holders = 1): void {
  if (k.mem.pageType.a[src] !== PGTY.table || pmdOf(k, src) || k.mem.refcount.a[src] !== holders) return;
  const ref = k.mem.refcount.a[src]!;
  // Reported before the put, as migrate_folio_done() is: the free and its merges follow in order.
  emitStep(k, {
    phase: 'free', fn: 'pte_free_defer', file: 'mm/pgtable-generic.c',
    text: `${PROPOSAL}: the old table ${hex(src)} is retired after an RCU grace period (a GUP-fast walker may still be reading it): pagetable_dtor() (NR_PAGETABLE -1), pagetable_free() drops its own reference (refcount ${ref} → ${ref - 1})${ref === 1 ? ': freed' : ''}`,
    pfns: [{ pfn: src, role: 'freed' }],
  });
  pagetable_dtor(k, src);
  folio_put(k, src);
}

// Proposal: pgtable_putback_page() — not migrated: the flag is cleared and the table stays where it is.
// If the table was moved by someone else meanwhile, nothing maps it: its own reference goes too.
export function pgtable_putback_page(k: Kernel, page: number): void {
  clearPageFlag(k, page, PG.reclaim);
  pgtable_release_old(k, page, 2); // its own reference and our isolation one
}

export function putbackStep(k: Kernel, page: number, ref: number): StepInfo {
  return mkStep(k, {
    phase: 'putback', fn: 'putback_movable_ops_page', file: 'mm/migrate.c',
    text: k.mem.pageType.a[page] === PGTY.table
      ? `${PROPOSAL}: page table ${hex(page)} was not migrated: PG_movable_ops_isolated cleared, the isolation reference dropped (refcount ${ref} → ${ref - 1}); its PMD still points at it`
      : `${PROPOSAL}: ${hex(page)} was not migrated by us: another migrator moved the table, so the putback retired the old one (pte_free_defer) and dropped the last, isolation, reference: freed`,
    pfns: [{ pfn: page, role: 'src' }],
  });
}
