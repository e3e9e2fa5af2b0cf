// Kernel paths for the scenario's basic actions (allocate, free, fault, exit, pin, unpin,
// reclaim), as generators that yield a step at each point worth stopping at. The allocator's
// splits, claims and merges inside them are reported by the allocator itself (emitStep).

import { lru_add_drain } from './swap';
import { lruBatchCpu, PAGEVEC_SIZE } from './fbatch-state';
import { PG, PGTY } from './flags';
import type { Kernel } from './kernel';
import {
  __GFP_COMP, __GFP_DMA, __GFP_DMA32, __GFP_MOVABLE, __GFP_RECLAIMABLE, GFP_KERNEL, free_frozen_pages, get_page_from_freelist, gfp_migratetype, gfp_zone,
  gfpName, prep_new_page, trace_mm_page_alloc,
} from './buddy';
import { compaction_defer_reset, COMPACT, COMPACT_NAMES, COMPACT_PRIO, try_to_compact_pages } from './compaction';
import { CAPC } from './compaction-state';
import { count_vm_events, VM_EVENT } from './vmstat';
import { pageZone } from './kernel';
import { setPageRefcount, testPageFlag } from './memmap';
import { folio_mapcount, folio_ref_count, page_folio } from './folio';
import { pin_user_page, unpin_user_page } from './gup';
import { HOLD } from './pins';
import { do_anonymous_page, reclaim_clean_folio, zap_pte } from './memory';
import { reclaim_swapcache_folio } from './swap-out';
import { folio_test_swapcache, folioSwapEntry } from './swap_state';
import { pagetable_free } from './kalloc';
import { rmap_walk } from './rmap';
import { LRU } from './lru';
import { put } from './store';
import { emitStep, mkStep, hex, type Steps } from './step';
import { hugetlb_fault_path } from './hugetlb-fault';
import { ptChunk, ptePresent, ptePfn, pteIsDevicePrivate, describeVma, type Vma } from './vm';
import { MT_NAMES, PAGE_ALLOC_COSTLY_ORDER } from './zone';

const refs = (k: Kernel, folio: number): string => `refcount ${folio_ref_count(k, folio)}, mapcount ${folio_mapcount(k, folio)}`;

/** Where folio_add_lru() left a new folio: in this CPU's lru_add batch, or on the LRU already. */
function lruWhere(k: Kernel, folio: number): string {
  const cpu = lruBatchCpu(k.fbatch, folio);
  if (cpu < 0) return testPageFlag(k, folio, PG.unevictable) ? 'on the unevictable LRU' : 'on the LRU';
  return `waiting in CPU ${cpu}'s lru_add batch (${k.fbatch.nr.a[cpu]} of ${PAGEVEC_SIZE}), whose reference it carries: no PG_lru until the batch fills or is drained`;
}

export type GfpKind = 'unmovable' | 'movable' | 'reclaimable';

export function gfpFor(kind: GfpKind, order: number, zone?: 'DMA' | 'DMA32'): number {
  const mt = kind === 'movable' ? __GFP_MOVABLE : kind === 'reclaimable' ? __GFP_RECLAIMABLE : 0;
  const z = zone === 'DMA' ? __GFP_DMA : zone === 'DMA32' ? __GFP_DMA32 : 0;
  return GFP_KERNEL | mt | z | (order ? __GFP_COMP : 0);
}

// mm/page_alloc.c: __alloc_pages() for a driver's alloc_pages(gfp, order). With `compact`, a
// failed order > 0 request goes the slow path's way: direct compaction at COMPACT_PRIO_ASYNC,
// then at SYNC_LIGHT (and, below the costly order, SYNC_FULL), retrying after each (reclaim is
// not modelled, so those retries are compaction's alone). mm_page_alloc fires once, at the end.
export function* alloc_pages_path(k: Kernel, kind: GfpKind, order: number, zone?: 'DMA' | 'DMA32', compact = false, who = 'alloc'): Steps<number> {
  const gfp = gfpFor(kind, order, zone);
  const mt = gfp_migratetype(gfp);
  let pfn = get_page_from_freelist(k, gfp, order, false);
  if (pfn < 0 && compact && order > 0) {
    yield mkStep(k, {
      phase: 'alloc', fn: '__alloc_pages_slowpath', file: 'mm/page_alloc.c',
      text: `no free block of order >= ${order} on any list the request may use: the slow path tries direct compaction`,
      pfns: [],
    });
    const prios = order > PAGE_ALLOC_COSTLY_ORDER ? [COMPACT_PRIO.ASYNC, COMPACT_PRIO.SYNC_LIGHT] : [COMPACT_PRIO.ASYNC, COMPACT_PRIO.SYNC_LIGHT, COMPACT_PRIO.SYNC_FULL];
    for (const prio of prios) {
      pfn = yield* __alloc_pages_direct_compact(k, gfp, gfpName(gfp), order, prio, who);
      if (pfn >= 0) break;
    }
  }
  trace_mm_page_alloc(k, pfn, order, gfp);
  if (pfn < 0) {
    yield mkStep(k, {
      phase: 'alloc', fn: '__alloc_pages', file: 'mm/page_alloc.c',
      text: `no free block of order >= ${order} in any zone the request may use: the allocation fails` +
        (compact && order > 0 ? ' (direct compaction did not produce one; reclaim is not modelled)' : order > 0 ? ' (this alloc action does not enter direct compaction: give it "compact": true)' : ' (reclaim is not modelled on this path)'),
      pfns: [], result: 'NULL',
    });
    return -1;
  }
  yield mkStep(k, {
    phase: 'alloc', fn: '__alloc_pages', file: 'mm/page_alloc.c',
    text: `alloc_pages(${gfpName(gfp)}, ${order}) returns ${hex(pfn)}${order ? `..${hex(pfn + (1 << order) - 1)}` : ''} with refcount 1 (${MT_NAMES[mt]} request)`,
    pfns: [{ pfn, role: 'allocated', nr: 1 << order }], result: hex(pfn),
  });
  return pfn;
}

// mm/page_alloc.c: __alloc_pages_direct_compact() — compact, then take the captured block or
// try the free lists again.
function* __alloc_pages_direct_compact(k: Kernel, gfp: number, name: string, order: number, prio: number, who: string): Steps<number> {
  const mt = gfp_migratetype(gfp);
  const r = yield* try_to_compact_pages(k, name, order, mt, gfp_zone(k, gfp), prio, who);
  if (r.ret === COMPACT.SKIPPED) return -1;
  count_vm_events(k, VM_EVENT.COMPACTSTALL, 1);
  let pfn = -1;
  if (r.captured >= 0) {
    pfn = r.captured;
    put(k.st, k.compact.capc, CAPC.PFN, -1);
    prep_new_page(k, pfn, order, gfp, false);
  } else pfn = get_page_from_freelist(k, gfp, order, false);
  if (pfn >= 0) {
    const zone = pageZone(k, pfn);
    const t = compaction_defer_reset(k, zone, order, true);
    count_vm_events(k, VM_EVENT.COMPACTSUCCESS, 1);
    yield mkStep(k, {
      phase: 'alloc', fn: '__alloc_pages_direct_compact', file: 'mm/page_alloc.c',
      text: `${who}: after compaction at priority ${['SYNC_FULL', 'SYNC_LIGHT', 'ASYNC'][prio]} the order-${order} request gets ${hex(pfn)}${r.captured >= 0 ? ' (the block compaction captured as it formed)' : ' from the free lists'}; compaction_defer_reset() clears the deferral`,
      pfns: [{ pfn, role: 'allocated', nr: 1 << order }], trace: [t],
    });
    return pfn;
  }
  count_vm_events(k, VM_EVENT.COMPACTFAIL, 1);
  yield mkStep(k, {
    phase: 'alloc', fn: '__alloc_pages_direct_compact', file: 'mm/page_alloc.c',
    text: `${who}: compaction at priority ${['SYNC_FULL', 'SYNC_LIGHT', 'ASYNC'][prio]} ended ${COMPACT_NAMES[r.ret]} and the free lists still have no order-${order} block`,
    pfns: [], result: 'NULL',
  });
  return -1;
}

/** Why a PFN is not something a driver could have allocated and may free, or null if it is. */
export function notPlainKernelPage(k: Kernel, pfn: number): string | null {
  const m = k.mem;
  if (pfn < 0 || pfn >= m.nr) return `pfn ${hex(pfn)} is beyond the end of memory (${hex(m.nr)})`;
  if (m.lruNext.a[pfn]! <= -2) return `${hex(pfn)} is a tail page of the folio at ${hex(page_folio(k, pfn))}`;
  if (m.pageType.a[pfn] === PGTY.buddy) return `${hex(pfn)} is already free`;
  if (m.flags.a[pfn]! & (1 << PG.reserved)) return `${hex(pfn)} is PG_reserved (memblock), never freed`;
  if (m.pageType.a[pfn] !== PGTY.none) return `${hex(pfn)} is a typed page (slab, page table, ...) its owner frees`;
  if (m.mapping.a[pfn] !== 0 || m.flags.a[pfn]! & (1 << PG.lru)) return `${hex(pfn)} is user memory (mapped, cached or on the LRU)`;
  if (m.refcount.a[pfn] !== 1) return `${hex(pfn)} has refcount ${m.refcount.a[pfn]}, not the single allocation reference`;
  return null;
}

// mm/page_alloc.c: __free_pages() — drop the allocation's reference.
export function* free_pages_path(k: Kernel, pfn: number, reason?: string): Steps<boolean> {
  const why = reason ?? notPlainKernelPage(k, pfn);
  if (why) {
    yield mkStep(k, { phase: 'free', fn: '__free_pages', file: 'mm/page_alloc.c', text: `not freed: ${why}`, pfns: pfn >= 0 && pfn < k.mem.nr ? [{ pfn, role: 'target' }] : [], result: '-EINVAL' });
    return false;
  }
  const order = k.mem.order.a[pfn]!;
  // put_page_testzero(): the allocation's reference was the only one.
  setPageRefcount(k, pfn, 0);
  emitStep(k, {
    phase: 'free', fn: '__free_pages', file: 'mm/page_alloc.c',
    text: `put_page_testzero(${hex(pfn)}): refcount 1 → 0, so the ${order ? `order-${order} ` : ''}block is freed`,
    pfns: [{ pfn, role: 'freed', nr: 1 << order }],
  });
  free_frozen_pages(k, pfn, order); // emits every merge
  yield mkStep(k, {
    phase: 'free', fn: '__free_pages', file: 'mm/page_alloc.c',
    text: `order-${order} allocation at ${hex(pfn)} is back in the buddy allocator`,
    pfns: [{ pfn, role: 'freed', nr: 1 << order }], result: '0',
  });
  return true;
}

export function firstAnonVma(k: Kernel, process: number): Vma | string {
  const mm = k.vm.mms[process];
  if (!mm) return `there is no process ${process} (the scenario has ${k.vm.mms.length})`;
  for (const id of mm.vmas) if (k.vm.vmas[id]!.anonVma >= 0) return k.vm.vmas[id]!;
  return `${mm.comm}[${mm.pid}] has no anonymous mapping`;
}

/** Every page mapped by a process's VMAs, in address order (mm/mempolicy.c: queue_pages_range()). */
export function processPfns(k: Kernel, process: number): number[] {
  const out: number[] = [];
  for (const id of k.vm.mms[process]?.vmas ?? []) {
    const vma = k.vm.vmas[id]!;
    for (let s = 0; s < vma.nrPages; s++) if (ptePresent(vma.pte.a[s]!)) out.push(ptePfn(vma.pte.a[s]!));
  }
  return out;
}

function firstFileVma(k: Kernel, process: number): Vma | null {
  const mm = k.vm.mms[process];
  for (const id of mm?.vmas ?? []) if (k.vm.vmas[id]!.file >= 0) return k.vm.vmas[id]!;
  return null;
}

// mm/memory.c: handle_mm_fault() → do_anonymous_page() for `pages` untouched pages of a process's heap.
export function* fault_path(k: Kernel, process: number, pages: number, order: number, folios: number[] = []): Steps<number> {
  const vma = firstAnonVma(k, process);
  if (typeof vma === 'string') {
    yield mkStep(k, { phase: 'fault', fn: 'handle_mm_fault', file: 'mm/memory.c', text: vma, pfns: [], result: 'VM_FAULT_SIGSEGV' });
    return 0;
  }
  if (vma.hugetlb) return yield* hugetlb_fault_path(k, vma, pages, folios);
  let done = 0;
  for (let slot = 0; slot < vma.nrPages && done < pages; slot++) {
    if (vma.pte.a[slot] !== 0) continue;
    const o = order && ((vma.start + slot) & ((1 << order) - 1)) === 0 ? order : 0;
    const folio = do_anonymous_page(k, vma, slot, o);
    if (folio < 0) {
      if (o) continue; // no room for a large folio here: the kernel falls back to order 0 elsewhere
      yield mkStep(k, { phase: 'fault', fn: 'do_anonymous_page', file: 'mm/memory.c', text: `no memory for a page at ${describeVma(k, vma)}+${hex(slot * 4096)}: the fault fails`, pfns: [], result: 'VM_FAULT_OOM' });
      return done;
    }
    done += 1 << o;
    folios.push(folio);
    yield mkStep(k, {
      phase: 'fault', fn: 'do_anonymous_page', file: 'mm/memory.c',
      text: `write fault at ${hex((vma.start + slot) * 4096)} in ${k.vm.mms[vma.mm]!.comm}: new ${o ? `order-${o} ` : ''}anon folio ${hex(folio)}, mapped by ${1 << o} PTE${o ? 's' : ''}, ${lruWhere(k, folio)} (${refs(k, folio)})`,
      pfns: [{ pfn: folio, role: 'allocated', nr: 1 << o }],
    });
    slot += (1 << o) - 1;
  }
  return done;
}

// kernel/exit.c → mm/mmap.c: exit_mmap() — every PTE zapped, then the page tables freed.
export function* exit_path(k: Kernel, process: number): Steps<void> {
  const mm = k.vm.mms[process];
  if (!mm) {
    yield mkStep(k, { phase: 'unmap', fn: 'exit_mmap', file: 'mm/mmap.c', text: `there is no process ${process}`, pfns: [], result: '-ESRCH' });
    return;
  }
  for (const id of mm.vmas) {
    const vma = k.vm.vmas[id]!;
    for (let s = 0; s < vma.nrPages; s++) {
      const pte = vma.pte.a[s]!;
      const device = pteIsDevicePrivate(pte);
      if (!ptePresent(pte) && !device) continue;
      const page = ptePfn(pte);
      const folio = page_folio(k, page);
      const before = refs(k, folio);
      zap_pte(k, vma, s);
      const gone = k.mem.pageType.a[folio] === PGTY.buddy || k.mem.refcount.a[folio] === 0;
      const huge = vma.hugetlb === true;
      yield mkStep(k, {
        phase: 'unmap', fn: device ? 'zap_nonpresent_ptes' : huge ? '__unmap_hugepage_range' : 'zap_present_ptes', file: huge ? 'mm/hugetlb.c' : 'mm/memory.c',
        text: `${mm.comm}[${mm.pid}] exits: ${device ? 'device-private entry' : huge ? 'huge entry' : 'PTE'} at ${hex((vma.start + s) * 4096)} zapped; folio ${hex(folio)} ${before} → ${gone ? (device ? 'freed: page_free() returns it to the driver' : k.mem.pageType.a[folio] === PGTY.hugetlb ? 'back in the hugetlb pool (free_huge_folio())' : 'freed') : refs(k, folio)}`,
        pfns: [{ pfn: page, role: gone ? 'freed' : 'target' }],
      });
    }
    for (let c = 0; c < vma.ptPages.a.length; c++) {
      const pt = vma.ptPages.a[c]!;
      if (pt < 0) continue;
      put(k.st, vma.ptPages, c, -1);
      pagetable_free(k, pt);
      yield mkStep(k, { phase: 'free', fn: 'free_pgtables', file: 'mm/memory.c', text: `page-table page ${hex(pt)} of ${mm.comm}[${mm.pid}] freed`, pfns: [{ pfn: pt, role: 'freed' }] });
    }
  }
}

function mappingPte(k: Kernel, pfn: number): { vma: Vma; slot: number } | null {
  if (pfn < 0 || pfn >= k.mem.nr) return null;
  const folio = page_folio(k, pfn);
  for (const hit of rmap_walk(k, folio)) if (hit.page === pfn && ptePresent(hit.pte)) return { vma: hit.vma, slot: hit.slot };
  return null;
}

/** The PFN of the `page`-th present page of a process's first anonymous (or file) VMA, or -1. */
export function userPagePfn(k: Kernel, process: number, page: number, file = false): number {
  const vma = file ? firstFileVma(k, process) : firstAnonVma(k, process);
  if (vma === null || typeof vma === 'string') return -1;
  let n = 0;
  for (let s = 0; s < vma.nrPages; s++) {
    const pte = vma.pte.a[s]!;
    if (ptePresent(pte) && n++ === page) return ptePfn(pte);
  }
  return -1;
}

/** The leaf page table that maps the page userPagePfn() names (its PMD's target), or -1. */
export function userPageTable(k: Kernel, process: number, page: number, file = false): number {
  const vma = file ? firstFileVma(k, process) : firstAnonVma(k, process);
  if (vma === null || typeof vma === 'string') return -1;
  let n = 0;
  for (let s = 0; s < vma.nrPages; s++) if (ptePresent(vma.pte.a[s]!) && n++ === page) return vma.ptPages.a[ptChunk(vma, s)]!;
  return -1;
}

// mm/gup.c: pin_user_pages() / get_user_pages() on the user address that maps `pfn`.
export function* pin_path(k: Kernel, pfn: number, kind: 'pin' | 'get'): Steps<boolean> {
  const fn = kind === 'pin' ? 'pin_user_pages' : 'get_user_pages';
  const at = mappingPte(k, pfn);
  if (!at) {
    yield mkStep(k, { phase: 'pin', fn, file: 'mm/gup.c', text: `no process maps ${hex(pfn)}: GUP has no user address to resolve`, pfns: [], result: '-EFAULT' });
    return false;
  }
  const folio = page_folio(k, pfn);
  const before = folio_ref_count(k, folio);
  pin_user_page(k, at.vma, at.slot, kind === 'pin' ? HOLD.FOLL_PIN : HOLD.FOLL_GET);
  yield mkStep(k, {
    phase: 'pin', fn, file: 'mm/gup.c',
    text: `${kind === 'pin' ? 'FOLL_PIN' : 'FOLL_GET'} on ${hex(pfn)} through ${describeVma(k, at.vma)}+${hex(at.slot * 4096)}: refcount ${before} → ${folio_ref_count(k, folio)}` +
      (kind === 'pin' && folio === pfn && k.mem.order.a[folio] === 0 ? ' (+GUP_PIN_COUNTING_BIAS = 1024)' : ''),
    pfns: [{ pfn, role: 'pinned' }], result: '1',
  });
  return true;
}

// mm/gup.c: unpin_user_page() for a FOLL_PIN; put_page() (include/linux/mm.h) for a FOLL_GET reference.
export function* unpin_path(k: Kernel, pfn: number, kind: 'pin' | 'get'): Steps<boolean> {
  const fn = kind === 'pin' ? 'unpin_user_page' : 'put_page';
  const file = kind === 'pin' ? 'mm/gup.c' : 'include/linux/mm.h';
  const folio = pfn >= 0 && pfn < k.mem.nr ? page_folio(k, pfn) : -1;
  const held = folio >= 0 && Array.from({ length: k.pins.n.a[0]! }, (_, i) => i).some((i) => k.pins.pfn.a[i] === folio && k.pins.kind.a[i] === (kind === 'pin' ? HOLD.FOLL_PIN : HOLD.FOLL_GET));
  if (!held) {
    yield mkStep(k, { phase: 'unpin', fn, file, text: `${hex(pfn)} holds no ${kind === 'pin' ? 'FOLL_PIN' : 'FOLL_GET'} reference to drop`, pfns: [], result: '-EINVAL' });
    return false;
  }
  const before = folio_ref_count(k, folio);
  unpin_user_page(k, pfn, kind === 'pin' ? HOLD.FOLL_PIN : HOLD.FOLL_GET);
  yield mkStep(k, {
    phase: 'unpin', fn, file,
    text: `${kind === 'pin' ? 'FOLL_PIN' : 'FOLL_GET'} on ${hex(pfn)} dropped: refcount ${before} → ${folio_ref_count(k, folio)}`,
    pfns: [{ pfn, role: 'target' }], result: '0',
  });
  return true;
}

// mm/vmscan.c: shrink_inactive_list() for clean page cache, oldest first (the list's tail), then
// the inactive anon list for clean, unmapped swap-cache folios whose write to swap has ended
// (reclaim starts no new swap-out here: the `writeback` action does).
export function* reclaim_path(k: Kernel, pages: number): Steps<number> {
  lru_add_drain(k, 'reclaim'); // shrink_inactive_list(): this CPU's new folios join the lists first
  const cands: number[] = [];
  for (let p = k.lru.heads.a[2 * LRU.INACTIVE_FILE + 1]!; p !== -1; p = k.mem.lruPrev.a[p]!) cands.push(p);
  const anon: number[] = [];
  for (let p = k.lru.heads.a[2 * LRU.INACTIVE_ANON + 1]!; p !== -1; p = k.mem.lruPrev.a[p]!) if (folio_test_swapcache(k, p)) anon.push(p);
  let freed = 0;
  for (const folio of [...cands, ...anon]) {
    if (freed >= pages) break;
    const nr = 1 << k.mem.order.a[folio]!;
    const swap = folio_test_swapcache(k, folio);
    const entry = swap ? folioSwapEntry(k, folio) : 0;
    if (!(swap ? reclaim_swapcache_folio(k, folio) : reclaim_clean_folio(k, folio))) continue;
    freed += nr;
    yield mkStep(k, {
      phase: 'reclaim', fn: '__remove_mapping', file: 'mm/vmscan.c',
      text: swap
        ? `clean, unmapped swap-cache folio ${hex(folio)} (${nr} page${nr > 1 ? 's' : ''}) leaves the swap cache (__swap_cache_del_folio(), put_swap_folio() frees slot${nr > 1 ? 's' : ''} ${entry}${nr > 1 ? `–${entry + nr - 1}` : ''}) and is freed (${freed}/${pages})`
        : `clean, unmapped page-cache folio ${hex(folio)} (${nr} page${nr > 1 ? 's' : ''}) dropped from its file and freed (${freed}/${pages})`,
      pfns: [{ pfn: folio, role: 'freed', nr }],
    });
  }
  if (freed < pages) {
    yield mkStep(k, { phase: 'reclaim', fn: 'shrink_inactive_list', file: 'mm/vmscan.c', text: `only ${freed} of ${pages} pages were clean and unmapped on the inactive file list (or clean swap cache on the inactive anon list)`, pfns: [], result: String(freed) });
  }
  return freed;
}
