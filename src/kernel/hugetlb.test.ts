// The hugetlb pool and its folios (mm/hugetlb.c, 6.18), driven directly: what hugepages= and a
// MAP_HUGETLB fault leave behind, the /proc views of them, isolation and putback, and where a
// freed hugetlb folio goes (pool, or buddy for a temporary or surplus one). Values from the source.

import { describe, expect, it } from 'vitest';
import { checkInvariants } from './invariants';
import { DEFAULT_POPULATE, populate } from './populate';
import type { Kernel } from './kernel';
import { KPF, PG, PGTY } from './flags';
import { freePageMap, hugetlb_report_meminfo, kpagecount, stable_page_flags } from './procfs';
import { HLIST, HS, hstateList, hugetlbCounter } from './hugetlb-state';
import { alloc_hugetlb_folio_nodemask, folio_isolate_hugetlb, hpgNames } from './hugetlb';
import { folio_entire_mapcount, HUGETLB_VMA_START } from './hugetlb-fault';
import { folio_mapcount, folio_put } from './folio';
import { isolate_folio_to_list, newFolioList, putback_movable_pages } from './isolate';
import { FOLIO_LIST } from './folio-lists';
import { exit_mmap } from './memory';
import { buildView } from './view';
import { StateClass } from './classes';
import { mkPte, ptePfn, PTE_DIRTY, PTE_EXCLUSIVE, PTE_WRITE, PTE_YOUNG } from './vm';
import { __alloc_pages, GFP_HIGHUSER_MOVABLE, __GFP_COMP } from './buddy';
import type { Steps } from './step';

const SPEC = { ...DEFAULT_POPULATE, seed: 3, nrPfns: 8192, processes: 4, files: 6 };
const fresh = (hugepages = 3, hugetlbMapped = 2): Kernel => populate({ ...SPEC, hugepages, hugetlbMapped });
const drain = <T>(g: Steps<T>): T => {
  for (;;) {
    const r = g.next();
    if (r.done) return r.value;
  }
};
const counters = (k: Kernel): number[] => [HS.NR_HUGE_PAGES, HS.FREE_HUGE_PAGES, HS.RESV_HUGE_PAGES, HS.SURPLUS_HUGE_PAGES].map((i) => hugetlbCounter(k, i));
const kpf = (...bits: number[]): bigint => bits.reduce((a, b) => a | (1n << BigInt(b)), 0n);

describe('hugepages=3 and a MAP_HUGETLB process that faults two of them', () => {
  const k = fresh();
  const active = hstateList(k, HLIST.ACTIVE);
  const [free] = hstateList(k, HLIST.FREE);
  const vma = k.vm.vmas[k.vm.mms[0]!.vmas[0]!]!;

  it('the pool: three order-9 PGTY_hugetlb folios, two in use on hugepage_activelist, one frozen on the free list', () => {
    expect(counters(k)).toEqual([3, 1, 0, 0]);
    expect(hugetlbCounter(k, HS.MAX_HUGE_PAGES)).toBe(3);
    expect(active).toHaveLength(2);
    for (const f of [...active, free!]) {
      expect(f % 512).toBe(0);
      expect(k.mem.pageType.a[f]).toBe(PGTY.hugetlb);
      expect(k.mem.flags.a[f]! & (1 << PG.head)).not.toBe(0);
      expect(k.mem.order.a[f]).toBe(9);
      for (const i of [1, 100, 511]) expect(k.mem.lruNext.a[f + i]).toBe(-(f + 2)); // compound_head
      for (const i of [1, 511]) expect(k.mem.refcount.a[f + i]).toBe(0);
    }
    expect(k.mem.refcount.a[free!]).toBe(0);
    expect(hpgNames(k.mem.private_.a[free!]!)).toEqual(['HPG_freed']);
    expect(checkInvariants(k)).toEqual([]);
  });

  it('each mapped folio: one huge entry (write, dirty, young, exclusive) at a 2 MiB slot, refcount 1 = mapcount 1, anon, HPG_migratable', () => {
    expect(k.vm.mms[0]!.comm).toBe('map_hugetlb');
    expect(vma.hugetlb).toBe(true);
    expect(vma.start).toBe(HUGETLB_VMA_START);
    [0, 1].forEach((n) => {
      const f = ptePfn(vma.pte.a[n * 512]!);
      expect(active).toContain(f);
      expect(vma.pte.a[n * 512]).toBe(mkPte(f, PTE_WRITE | PTE_DIRTY | PTE_YOUNG | PTE_EXCLUSIVE));
      for (const i of [1, 255, 511]) expect(vma.pte.a[n * 512 + i]).toBe(0);
      expect(k.mem.refcount.a[f]).toBe(1);
      expect(folio_mapcount(k, f)).toBe(1);
      expect(folio_entire_mapcount(k, f)).toBe(1);
      expect(k.mem.mapcount.a[f]).toBe(-1); // the head's own _mapcount is its page type in C
      expect(k.mem.mapping.a[f]! & 1).toBe(1); // FOLIO_MAPPING_ANON
      expect(k.mem.index.a[f]).toBe(vma.pgoff + n * 512);
      expect(k.mem.flags.a[f]! & (1 << PG.owner_2)).not.toBe(0); // PG_anon_exclusive, head only
      expect(k.mem.flags.a[f + 1]! & (1 << PG.owner_2)).toBe(0);
      expect(hpgNames(k.mem.private_.a[f]!)).toEqual(['HPG_migratable']);
    });
    // The rest of the area is not faulted yet: room for more (twice the pool).
    expect(vma.nrPages).toBe(6 * 512);
  });

  it('/proc/meminfo, /proc/kpageflags and /proc/kpagecount read as on a real kernel', () => {
    expect(hugetlb_report_meminfo(k)).toBe(
      'HugePages_Total:       3\nHugePages_Free:        1\nHugePages_Rsvd:        0\nHugePages_Surp:        0\n' +
      'Hugepagesize:       2048 kB\nHugetlb:            6144 kB\n');
    const map = freePageMap(k);
    const f = active[0]!;
    const common = [KPF.MMAP, KPF.ANON, KPF.HUGE, KPF.UPTODATE, KPF.OWNER_2];
    expect(stable_page_flags(k, f, map)).toBe(kpf(KPF.COMPOUND_HEAD, ...common));
    expect(stable_page_flags(k, f + 7, map)).toBe(kpf(KPF.COMPOUND_TAIL, ...common));
    expect(stable_page_flags(k, free!, map)).toBe(kpf(KPF.COMPOUND_HEAD, KPF.HUGE));
    // folio_precise_page_mapcount(): every page of a mapped hugetlb folio counts its entire mapping.
    for (const i of [0, 1, 511]) expect(kpagecount(k, f + i)).toBe(1);
    expect(kpagecount(k, free!)).toBe(0);
  });

  it('the view draws all 512 pages of each hugetlb folio as hugetlb', () => {
    const view = new Uint8Array(k.mem.nr);
    buildView(k, view);
    for (const f of [...active, free!]) for (const i of [0, 1, 511]) expect(view[f + i]).toBe(StateClass.Hugetlb);
  });
});

describe('folio_isolate_hugetlb / folio_putback_hugetlb', () => {
  it('isolation: HPG_migratable test-and-cleared, +1 reference, off the active list; a second isolator and a free pool folio are refused', () => {
    const k = fresh();
    const [f] = hstateList(k, HLIST.ACTIVE);
    const [free] = hstateList(k, HLIST.FREE);
    const list = newFolioList(k, FOLIO_LIST.pagelist);
    expect(drain(isolate_folio_to_list(k, f!, list, 't'))).toBe(true);
    expect(k.mem.refcount.a[f!]).toBe(2);
    expect(hpgNames(k.mem.private_.a[f!]!)).toEqual([]);
    expect(hstateList(k, HLIST.ACTIVE)).not.toContain(f);
    expect(k.lists.heads.a[2 * list]).toBe(f);
    expect(checkInvariants(k)).toEqual([]);
    const view = new Uint8Array(k.mem.nr);
    buildView(k, view);
    expect(view[f! + 3]).toBe(StateClass.Isolated);
    expect(folio_isolate_hugetlb(k, f!, newFolioList(k, FOLIO_LIST.pagelist))).toMatch(/HPG_migratable is clear: someone else has it isolated/);
    expect(folio_isolate_hugetlb(k, free!, newFolioList(k, FOLIO_LIST.pagelist))).toMatch(/free pool folio/);
    expect(k.mem.refcount.a[free!]).toBe(0);

    drain(putback_movable_pages(k, list));
    expect(k.mem.refcount.a[f!]).toBe(1);
    expect(hpgNames(k.mem.private_.a[f!]!)).toEqual(['HPG_migratable']);
    expect(hstateList(k, HLIST.ACTIVE)).toContain(f);
    expect(checkInvariants(k)).toEqual([]);
  });
});

describe('where a freed hugetlb folio goes (free_huge_folio)', () => {
  it('exit: the huge entries are zapped and both folios go back to the pool, frozen, mapping cleared', () => {
    const k = fresh();
    const used = hstateList(k, HLIST.ACTIVE);
    exit_mmap(k, k.vm.mms[0]!);
    expect(counters(k)).toEqual([3, 3, 0, 0]);
    for (const f of used) {
      expect(k.mem.refcount.a[f]).toBe(0);
      expect(k.mem.mapping.a[f]).toBe(0);
      expect(k.mem.flags.a[f]! & (1 << PG.owner_2)).toBe(0); // __ClearPageAnonExclusive()
      expect(hpgNames(k.mem.private_.a[f]!)).toEqual(['HPG_freed']);
      expect(folio_entire_mapcount(k, f)).toBe(0);
    }
    expect(hstateList(k, HLIST.ACTIVE)).toEqual([]);
    expect(checkInvariants(k)).toEqual([]);
  });

  it('alloc_hugetlb_folio_nodemask(): the free pool first; then a temporary folio from the buddy that a put sends back to the buddy, not the pool', () => {
    const k = fresh(3, 3); // every pool folio in use
    expect(counters(k)).toEqual([3, 0, 0, 0]);
    const t = alloc_hugetlb_folio_nodemask(k, 0);
    expect(t).toBeGreaterThanOrEqual(0);
    expect(k.mem.pageType.a[t]).toBe(PGTY.hugetlb);
    expect(k.mem.refcount.a[t]).toBe(1);
    expect(hpgNames(k.mem.private_.a[t]!)).toEqual(['HPG_temporary']);
    expect(counters(k)).toEqual([4, 0, 0, 0]); // counted, but not as surplus
    folio_put(k, t);
    expect(counters(k)).toEqual([3, 0, 0, 0]);
    expect(k.mem.pageType.a[t]).toBe(PGTY.buddy);
    expect(freePageMap(k)[t + 511]).toBe(1);
    expect(checkInvariants(k)).toEqual([]);
  });

  it('with no pool folio and no free order-9 block in the allowed zones, the allocation fails', () => {
    const k = fresh(2, 2);
    while (__alloc_pages(k, GFP_HIGHUSER_MOVABLE | __GFP_COMP, 9) >= 0);
    expect(alloc_hugetlb_folio_nodemask(k, 0)).toBe(-1);
    expect(counters(k)).toEqual([2, 0, 0, 0]);
  });
});
