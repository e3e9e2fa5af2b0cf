// Mapping hugetlb folios (mm/hugetlb.c, include/linux/rmap.h): a process's
// mmap(MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB | MAP_NORESERVE) area whose 2 MiB pages are
// faulted by hugetlb_fault() → hugetlb_no_page() from the pool and unmapped whole. An anonymous
// private mapping keeps the model simple and still real: the folio is anon (folio->mapping is the
// anon_vma), its one reference is the mapping's (refcount 1 = mapcount 1), and migration takes
// the anon path of unmap_and_move_huge_page() (no i_mmap lock, no page cache). MAP_NORESERVE
// means no reservation is taken at mmap time, so the whole free pool stays available to faults
// and to migration (available_huge_pages() = free_huge_pages). One huge entry maps the folio: its
// _entire_mapcount (and _large_mapcount) counts the mapping, the pages' own _mapcount stay -1.

import { PG } from './flags';
import type { Kernel } from './kernel';
import { setPageFlag, setPageIndex, setPageMapping } from './memmap';
import { folio_put } from './folio';
import { put } from './store';
import {
  anonMapping, createAnonVma, createMm, createVma, mkPte, ptePfn, ptePresent,
  PTE_DIRTY, PTE_EXCLUSIVE, PTE_WRITE, PTE_YOUNG, type Vma,
} from './vm';
import { alloc_hugetlb_folio, available_huge_pages, hpgClear, hpgSet, hugetlb_hstate_alloc_pages, poolText } from './hugetlb';
import { HPAGE_NR, HPG, HS, HUGETLB_ORDER, hugetlbCounter } from './hugetlb-state';
import { hex, mkStep, type Steps } from './step';

/** Where the map_hugetlb process's mapping starts, in pages (1 GiB: 2 MiB aligned). */
export const HUGETLB_VMA_START = 0x40000;

const slotOf = (folio: number): number => folio >> HUGETLB_ORDER;

/** folio_entire_mapcount() of a hugetlb folio: how many huge entries map it. */
export function folio_entire_mapcount(k: Kernel, folio: number): number {
  return k.hugetlb.entireMapcount.a[slotOf(folio)]! + 1;
}

function setEntireMapcountRaw(k: Kernel, folio: number, raw: number): void {
  put(k.st, k.hugetlb.entireMapcount, slotOf(folio), raw);
}

// mm/rmap.c: hugetlb_add_new_anon_rmap() — the first mapping of a new anon hugetlb folio:
// _entire_mapcount and _large_mapcount from -1 to 0, folio->mapping = the anon_vma, folio->index
// the linear page index (in 4 KiB pages), PG_anon_exclusive on the head page only.
export function hugetlb_add_new_anon_rmap(k: Kernel, folio: number, vma: Vma, slot: number): void {
  setEntireMapcountRaw(k, folio, 0);
  hpgClear(k, folio, HPG.restore_reserve);
  setPageMapping(k, folio, anonMapping(vma.anonVma)); // __folio_set_anon()
  setPageIndex(k, folio, vma.pgoff + slot);
  setPageFlag(k, folio, PG.owner_2); // SetPageAnonExclusive(&folio->page)
}

// include/linux/rmap.h: hugetlb_add_anon_rmap() — one more mapping (RMAP_EXCLUSIVE sets
// PG_anon_exclusive on the head).
export function hugetlb_add_anon_rmap(k: Kernel, folio: number, exclusive: boolean): void {
  setEntireMapcountRaw(k, folio, k.hugetlb.entireMapcount.a[slotOf(folio)]! + 1);
  if (exclusive) setPageFlag(k, folio, PG.owner_2);
}

// include/linux/rmap.h: hugetlb_remove_rmap()
export function hugetlb_remove_rmap(k: Kernel, folio: number): void {
  const raw = k.hugetlb.entireMapcount.a[slotOf(folio)]! - 1;
  if (raw < -1) throw new Error(`hugetlb _entire_mapcount underflow on pfn ${folio.toString(16)}`);
  setEntireMapcountRaw(k, folio, raw);
}

// mm/hugetlb.c: hugetlb_no_page() for a write fault on an empty huge entry of a private anon
// mapping: alloc_hugetlb_folio(), folio_zero_user(), __folio_mark_uptodate(), the new anon rmap,
// then make_huge_pte() made writable and dirty by hugetlb_wp() reusing the exclusive folio, and
// HPG_migratable set (only now can it be isolated). Returns the folio or -1 (VM_FAULT_SIGBUS).
export function hugetlb_no_page(k: Kernel, vma: Vma, slot: number): number {
  const folio = alloc_hugetlb_folio(k);
  if (folio < 0) return -1;
  setPageFlag(k, folio, PG.uptodate);
  hugetlb_add_new_anon_rmap(k, folio, vma, slot);
  put(k.st, vma.pte, slot, mkPte(folio, PTE_WRITE | PTE_DIRTY | PTE_YOUNG | PTE_EXCLUSIVE)); // set_huge_pte_at()
  hpgSet(k, folio, HPG.migratable);
  return folio;
}

// mm/memory.c: handle_mm_fault() → hugetlb_fault() on a MAP_HUGETLB area: one 2 MiB folio per
// 512 pages asked for, at the first empty huge entries.
export function* hugetlb_fault_path(k: Kernel, vma: Vma, pages: number, folios: number[] = []): Steps<number> {
  const want = Math.ceil(pages / HPAGE_NR);
  const mm = k.vm.mms[vma.mm]!;
  let done = 0;
  for (let slot = 0; slot + HPAGE_NR <= vma.nrPages && done < want; slot += HPAGE_NR) {
    if (vma.pte.a[slot] !== 0) continue;
    const free = hugetlbCounter(k, HS.FREE_HUGE_PAGES);
    const surplus = hugetlbCounter(k, HS.SURPLUS_HUGE_PAGES);
    const avail = available_huge_pages(k);
    const folio = hugetlb_no_page(k, vma, slot);
    const at = hex((vma.start + slot) * 4096);
    if (folio < 0) {
      yield mkStep(k, {
        phase: 'fault', fn: 'hugetlb_no_page', file: 'mm/hugetlb.c',
        text: `write fault at ${at} in ${mm.comm}[${mm.pid}]: alloc_hugetlb_folio() finds available_huge_pages() = ${avail} (free_huge_pages ${free}) and may not allocate a surplus page (surplus_huge_pages ${hugetlbCounter(k, HS.SURPLUS_HUGE_PAGES)} ≥ nr_overcommit_hugepages ${hugetlbCounter(k, HS.NR_OVERCOMMIT_HUGE_PAGES)}): -ENOSPC → VM_FAULT_SIGBUS`,
        pfns: [], result: 'VM_FAULT_SIGBUS',
      });
      return done;
    }
    done++;
    folios.push(folio);
    yield mkStep(k, {
      phase: 'fault', fn: 'hugetlb_no_page', file: 'mm/hugetlb.c',
      text: `write fault at ${at} in ${mm.comm}[${mm.pid}]: ${hugetlbCounter(k, HS.SURPLUS_HUGE_PAGES) > surplus
        ? `the pool has no free folio, so alloc_surplus_hugetlb_folio() takes ${hex(folio)} from the buddy allocator (surplus_huge_pages ${surplus} → ${surplus + 1}, nr_overcommit_hugepages ${hugetlbCounter(k, HS.NR_OVERCOMMIT_HUGE_PAGES)})`
        : `the pool's free folio ${hex(folio)} is dequeued (free_huge_pages ${free} → ${hugetlbCounter(k, HS.FREE_HUGE_PAGES)})`}; it is mapped whole by one huge entry and HPG_migratable set (refcount ${k.mem.refcount.a[folio]}, mapcount ${folio_entire_mapcount(k, folio)}; ${poolText(k)})`,
      pfns: [{ pfn: folio, role: 'allocated', nr: HPAGE_NR }], result: hex(folio),
    });
  }
  if (done < want) {
    yield mkStep(k, {
      phase: 'fault', fn: 'hugetlb_fault', file: 'mm/hugetlb.c',
      text: `${mm.comm}[${mm.pid}]'s MAP_HUGETLB area (${vma.nrPages / HPAGE_NR} huge pages) has no unfaulted huge page left: ${done} of ${want} faulted`,
      pfns: [],
    });
  }
  return done;
}

// mm/hugetlb.c: __unmap_hugepage_range() for one huge entry: cleared, hugetlb_remove_rmap(), and
// the mapping's reference put (the last one sends the folio to free_huge_folio()).
export function zap_huge_pte(k: Kernel, vma: Vma, slot: number): void {
  const pte = vma.pte.a[slot]!;
  if (!ptePresent(pte)) return;
  const folio = ptePfn(pte);
  put(k.st, vma.pte, slot, 0);
  hugetlb_remove_rmap(k, folio);
  folio_put(k, folio);
}

/**
 * populate's hugetlb part, before the workload: hugepages=`pool` on the kernel command line
 * (hugetlb_hstate_alloc_pages() while memory is still unfragmented), then one process,
 * map_hugetlb (after tools/testing/selftests/mm/map_hugetlb.c), maps an area twice the pool's size
 * and writes to its first `mapped` huge pages. It is the first process: `process: 0`. With
 * `overcommit`, faults past the pool may take that many surplus folios from the buddy.
 */
export function hugetlb_populate(k: Kernel, pid: number, pool: number, mapped: number, overcommit = 0): Vma {
  hugetlb_hstate_alloc_pages(k, pool);
  put(k.st, k.hugetlb.counters, HS.NR_OVERCOMMIT_HUGE_PAGES, overcommit); // sysctl vm.nr_overcommit_hugepages
  const mm = createMm(k, pid, 'map_hugetlb');
  // Room to fault past what it maps (into surplus, or SIGBUS); at least every folio it maps, or
  // the faults past its end would take folios that no entry maps.
  const nrPages = 2 * Math.max(pool, mapped, 1) * HPAGE_NR;
  const vma = createVma(k, { mm, start: HUGETLB_VMA_START, nrPages, pgoff: HUGETLB_VMA_START, anonVma: createAnonVma(k), writable: true, hugetlb: true });
  for (let i = 0; i < mapped; i++) if (hugetlb_no_page(k, vma, i * HPAGE_NR) < 0) break;
  return vma;
}
