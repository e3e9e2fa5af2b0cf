// checkInvariants() must be able to fail: for every rule, corrupt a populated kernel the way a
// bug would (a reference too many, a free block off its list, a stale counter...) and check that
// the rule is reported. A rule added to invariants.ts without a case here fails the last test.

import { PB_OFFLINE } from './zone';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkInvariants } from './invariants';
import { DEFAULT_POPULATE, populate } from './populate';
import { freeSlot, type Kernel } from './kernel';
import { listAdd, listDel, listPfns } from './list';
import { LRU } from './lru';
import { PG, PGTY } from './flags';
import { MT, NR_PAGE_ORDERS } from './zone';
import { NR_ZS, NS, ZS } from './vmstat';
import { fileMapping, mappingIsAnon, mkMigrationEntry, mkPte, ptePresent, ptePfn, type Vma } from './vm';
import { freeBlocks, type FreeBlock } from './testkit';
import { HLIST, HPG, HS, hstateList } from './hugetlb-state';
import { PCPV, PCPV_N, pcpIndex, pcpSlot } from './pcp-state';
import { pcpPlace } from './pcp';
import { PAGEVEC_SIZE } from './fbatch-state';
import { isolatorAdd } from './isolators';

const SPEC = { ...DEFAULT_POPULATE, seed: 3, nrPfns: 8192, processes: 4, files: 6, devicePages: 512 };
const fresh = (): Kernel => populate(SPEC);
const rules = (k: Kernel): string[] => [...new Set(checkInvariants(k, 1000).map((v) => v.rule))].sort();

// Finders over a populated kernel.
const allFree = (k: Kernel): (FreeBlock & { zone: number })[] => k.zones.flatMap((z) => freeBlocks(k, z.idx).map((b) => ({ ...b, zone: z.idx })));
const freeOfOrder = (k: Kernel, pred: (b: FreeBlock & { zone: number }) => boolean): FreeBlock & { zone: number } => {
  const b = allFree(k).find(pred);
  if (!b) throw new Error('populated kernel has no such free block');
  return b;
};
/** The blocks of the first pcp list that holds at least `n`. */
const pcpList = (k: Kernel, n: number): number[] => {
  for (let slot = 0; 2 * slot < k.pcp.lists.heads.a.length; slot++) {
    const l = [...listPfns(k, k.pcp.lists, slot)];
    if (l.length >= n) return l;
  }
  throw new Error(`no pcp list with ${n} blocks`);
};
const lruMember = (k: Kernel, lru: number): number => {
  const p = listPfns(k, k.lru, lru).next();
  if (p.done) throw new Error(`empty LRU list ${lru}`);
  return p.value;
};
const mappedPte = (k: Kernel, anon: boolean): { vma: Vma; slot: number; page: number } => {
  for (const vma of k.vm.vmas) {
    if ((vma.anonVma >= 0) !== anon) continue;
    for (let s = 0; s < vma.nrPages; s++) {
      const v = vma.pte.a[s]!;
      if (ptePresent(v)) return { vma, slot: s, page: ptePfn(v) };
    }
  }
  throw new Error('no mapped page');
};
const emptyAnonPte = (k: Kernel): { vma: Vma; slot: number } => {
  for (const vma of k.vm.vmas) {
    if (vma.anonVma < 0) continue;
    for (let s = 0; s < vma.nrPages; s++) if (vma.pte.a[s] === 0 && vma.ptPages.a[Math.floor(s / 512)]! >= 0) return { vma, slot: s };
  }
  throw new Error('no empty PTE');
};
const cachedUnmapped = (k: Kernel): { as: number; index: number; folio: number } => {
  for (const as of k.vm.spaces) {
    for (let i = 0; i < as.pages.a.length; i++) {
      const f = as.pages.a[i]!;
      if (f >= 0 && k.mem.index.a[f] === i && k.mem.mapcount.a[f] === -1 && !(k.mem.flags.a[f]! & (1 << PG.head))) return { as: as.id, index: i, folio: f };
    }
  }
  throw new Error('no cached folio');
};
const largeMappedAnon = (k: Kernel): number => {
  for (let p = 0; p < k.mem.nr; p++) {
    if (k.mem.flags.a[p]! & (1 << PG.head) && mappingIsAnon(k.mem.mapping.a[p]!) && k.mem.mapcount.a[p]! >= 0) return p;
  }
  throw new Error('no large anon folio');
};

interface Case {
  readonly rule: string;
  readonly what: string;
  /** Only this rule may fire (the corruption is precise enough). */
  readonly only?: boolean;
  readonly corrupt: (k: Kernel) => void;
  /** The kernel to corrupt, if not the common one (the hugetlb cases need a pool). */
  readonly kernel?: () => Kernel;
}

// A hugetlb pool of 3 (hugepages=3), 2 of them mapped by process 0 (map_hugetlb).
const freshHuge = (): Kernel => populate({ ...SPEC, hugepages: 3, hugetlbMapped: 2 });
const hugeActive = (k: Kernel): number => hstateList(k, HLIST.ACTIVE)[0]!;
const hugeFree = (k: Kernel): number => hstateList(k, HLIST.FREE)[0]!;

const CASES: readonly Case[] = [
  {
    rule: 'hugetlb list', what: 'a free pool folio taken off hugepage_freelists, still HPG_freed', kernel: freshHuge,
    corrupt: (k) => {
      listDel(k, k.hugetlb.lists, HLIST.FREE, hugeFree(k));
    },
  },
  {
    rule: 'hugetlb list', what: 'an in-use hugetlb folio, unmapped, on no hstate list and held by nobody (leaked)', kernel: freshHuge,
    corrupt: (k) => {
      const f = hugeActive(k);
      listDel(k, k.hugetlb.lists, HLIST.ACTIVE, f);
      k.mem.private_.a[f]! &= ~(1 << HPG.migratable);
      for (const vma of k.vm.vmas) vma.pte.a.forEach((v, i) => { if (v && ptePfn(v) === f) vma.pte.a[i] = 0; });
      k.hugetlb.entireMapcount.a[f >> 9] = -1;
    },
  },
  {
    rule: 'hugetlb migratable', what: 'a mapped HPG_migratable hugetlb folio taken off hugepage_activelist', only: true, kernel: freshHuge,
    corrupt: (k) => {
      listDel(k, k.hugetlb.lists, HLIST.ACTIVE, hugeActive(k));
    },
  },
  {
    rule: 'hugetlb mapcount', what: '_entire_mapcount one higher than the huge entries mapping the folio', only: true, kernel: freshHuge,
    corrupt: (k) => {
      k.hugetlb.entireMapcount.a[hugeActive(k) >> 9]!++;
    },
  },
  {
    rule: 'hugetlb mapcount', what: 'a stale _entire_mapcount on a 2 MiB frame that holds no hugetlb folio', only: true, kernel: freshHuge,
    corrupt: (k) => {
      k.hugetlb.entireMapcount.a[0] = 0;
    },
  },
  {
    rule: 'hugetlb counters', what: 'free_huge_pages one higher than hugepage_freelists', only: true, kernel: freshHuge,
    corrupt: (k) => {
      k.hugetlb.counters.a[HS.FREE_HUGE_PAGES]!++;
    },
  },
  {
    rule: 'hugetlb counters', what: 'nr_huge_pages one lower than the hugetlb folios that exist', only: true, kernel: freshHuge,
    corrupt: (k) => {
      k.hugetlb.counters.a[HS.NR_HUGE_PAGES]!--;
    },
  },
  {
    rule: 'refcount holders', what: 'a free hugetlb pool folio with a reference (pool folios are frozen at 0)', kernel: freshHuge,
    corrupt: (k) => {
      k.mem.refcount.a[hugeFree(k)] = 1;
    },
  },
  {
    rule: 'free list links', what: 'a free block whose lru.prev does not point at its predecessor',
    corrupt: (k) => {
      const b = allFree(k).find((x, i, a) => i > 0 && a[i - 1]!.order === x.order && a[i - 1]!.mt === x.mt && a[i - 1]!.zone === x.zone)!;
      k.mem.lruPrev.a[b.pfn] = b.pfn;
    },
  },
  {
    rule: 'one list', what: 'a free block reachable from an LRU list too',
    corrupt: (k) => {
      k.lru.heads.a[2 * LRU.ACTIVE_FILE] = allFree(k)[0]!.pfn;
    },
  },
  {
    rule: 'buddy head', what: 'a block on a free list without PageBuddy',
    corrupt: (k) => {
      k.mem.pageType.a[allFree(k)[0]!.pfn] = PGTY.none;
    },
  },
  {
    rule: 'alignment', what: 'an odd PFN on the order-1 list',
    corrupt: (k) => {
      const b = freeOfOrder(k, (x) => x.order === 0 && (x.pfn & 1) === 1);
      listDel(k, k.freeLists, freeSlot(b.zone, 0, b.mt), b.pfn);
      k.mem.private_.a[b.pfn] = 1;
      listAdd(k, k.freeLists, freeSlot(b.zone, 1, b.mt), b.pfn);
    },
  },
  {
    rule: 'zone', what: 'a block of one zone on the other zone\'s free list',
    corrupt: (k) => {
      const b = allFree(k)[0]!;
      listDel(k, k.freeLists, freeSlot(b.zone, b.order, b.mt), b.pfn);
      listAdd(k, k.freeLists, freeSlot(1 - b.zone, b.order, b.mt), b.pfn);
    },
  },
  {
    rule: 'free list type', what: 'a free block whose pageblock changed type under it', only: true,
    corrupt: (k) => {
      const b = freeOfOrder(k, (x) => x.mt === MT.MOVABLE && x.order < 9);
      k.pageblock.a[b.pfn >> 9] = MT.RECLAIMABLE;
    },
  },
  {
    rule: 'refcount', what: 'a free block with refcount 1',
    corrupt: (k) => {
      k.mem.refcount.a[allFree(k)[0]!.pfn] = 1;
    },
  },
  {
    rule: 'exactly one state', what: 'a page inside a free block that is also a free block of its own',
    corrupt: (k) => {
      const b = freeOfOrder(k, (x) => x.order >= 1);
      k.mem.pageType.a[b.pfn + 1] = PGTY.buddy;
      k.mem.private_.a[b.pfn + 1] = 0;
      listAdd(k, k.freeLists, freeSlot(b.zone, 0, b.mt), b.pfn + 1);
    },
  },
  {
    rule: 'exactly one state', what: 'a page inside a free block that is also on an LRU list',
    corrupt: (k) => {
      const b = freeOfOrder(k, (x) => x.order >= 1);
      k.mem.flags.a[b.pfn + 1] = 1 << PG.lru;
      listAdd(k, k.lru, LRU.INACTIVE_FILE, b.pfn + 1);
    },
  },
  {
    rule: 'free list tail', what: 'a free list whose tail pointer is stale', only: true,
    corrupt: (k) => {
      const b = freeOfOrder(k, (x) => x.order === 0);
      const slot = freeSlot(b.zone, 0, b.mt);
      const [first, second] = [...listPfns(k, k.freeLists, slot)];
      k.freeLists.heads.a[2 * slot + 1] = second === undefined ? first! + 1 : first!;
    },
  },
  {
    rule: 'free list count', what: "a free list whose block count is off by one (the model's count, kernel/list.ts)", only: true,
    corrupt: (k) => {
      const b = freeOfOrder(k, (x) => x.order === 0);
      k.freeLists.counts!.a[freeSlot(b.zone, 0, b.mt)]! += 1;
    },
  },
  {
    rule: 'balloon page', what: 'a slab page put on the balloon list',
    corrupt: (k) => {
      let p = 0;
      while (k.mem.pageType.a[p] !== PGTY.slab) p++;
      listAdd(k, k.balloon.list, 0, p); // on no other list, but not PageOffline / PG_movable_ops
    },
  },
  {
    rule: 'compaction free page', what: 'a slab page on a compaction free scanner\'s cc->freepages list',
    corrupt: (k) => {
      let p = 0;
      while (k.mem.pageType.a[p] !== PGTY.slab) p++;
      listAdd(k, k.compact.free, 0, p);
    },
  },
  {
    rule: 'device page', what: 'a device page on the driver\'s free list with a reference',
    corrupt: (k) => {
      const p = k.device.free.heads.a[0]!;
      k.mem.refcount.a[p] = 1;
    },
  },
  {
    rule: 'offlined memory', what: 'a pageblock marked offline that still holds a free block',
    corrupt: (k) => {
      const b = freeOfOrder(k, (x) => x.order >= 9);
      k.pageblock.a[b.pfn >> 9] = k.pageblock.a[b.pfn >> 9]! | PB_OFFLINE;
    },
  },
  {
    rule: 'balloon count', what: 'NR_BALLOON_PAGES one higher than the balloon list', only: true,
    corrupt: (k) => {
      k.nstat.a[NS.NR_BALLOON_PAGES] = k.nstat.a[NS.NR_BALLOON_PAGES]! + 1;
    },
  },
  {
    rule: 'nr_free', what: 'nr_free one higher than the blocks on the lists', only: true,
    corrupt: (k) => {
      k.nrFree.a[1 * NR_PAGE_ORDERS + 3]!++;
    },
  },
  {
    rule: 'NR_FREE_PAGES', what: 'NR_FREE_PAGES off by one', only: true,
    corrupt: (k) => {
      k.zstat.a[1 * NR_ZS + ZS.NR_FREE_PAGES]!--;
    },
  },
  {
    rule: 'NR_FREE_PAGES_BLOCKS', what: 'NR_FREE_PAGES_BLOCKS off by a pageblock', only: true,
    corrupt: (k) => {
      k.zstat.a[1 * NR_ZS + ZS.NR_FREE_PAGES_BLOCKS]! += 512;
    },
  },
  {
    rule: 'unmerged buddies', what: 'an order-1 block split into two free order-0 buddies (lists and counters consistent)', only: true,
    corrupt: (k) => {
      const b = freeOfOrder(k, (x) => x.order === 1);
      listDel(k, k.freeLists, freeSlot(b.zone, 1, b.mt), b.pfn);
      k.mem.private_.a[b.pfn] = 0;
      k.mem.pageType.a[b.pfn + 1] = PGTY.buddy;
      k.mem.private_.a[b.pfn + 1] = 0;
      listAdd(k, k.freeLists, freeSlot(b.zone, 0, b.mt), b.pfn);
      listAdd(k, k.freeLists, freeSlot(b.zone, 0, b.mt), b.pfn + 1);
      k.nrFree.a[b.zone * NR_PAGE_ORDERS + 1]!--;
      k.nrFree.a[b.zone * NR_PAGE_ORDERS + 0]! += 2;
    },
  },
  {
    rule: 'PG_lru', what: 'PG_lru cleared on an LRU list member', only: true,
    corrupt: (k) => {
      k.mem.flags.a[lruMember(k, LRU.INACTIVE_ANON)]! &= ~(1 << PG.lru);
    },
  },
  {
    rule: 'LRU list', what: 'PG_active set on a folio on the inactive list', only: true,
    corrupt: (k) => {
      k.mem.flags.a[lruMember(k, LRU.INACTIVE_FILE)]! |= 1 << PG.active;
    },
  },
  {
    rule: 'LRU size', what: 'NR_ZONE_ACTIVE_ANON off by one', only: true,
    corrupt: (k) => {
      k.zstat.a[1 * NR_ZS + ZS.NR_ZONE_ACTIVE_ANON]!++;
    },
  },
  {
    rule: 'deferred split queue', what: 'split_queue_len one higher than the folios on the queue', only: true,
    corrupt: (k) => {
      k.deferred.len.a[0]!++;
    },
  },
  {
    rule: 'NR_MLOCK', what: 'NR_MLOCK one higher than the PG_mlocked pages', only: true,
    corrupt: (k) => {
      k.zstat.a[1 * NR_ZS + ZS.NR_MLOCK]!++;
    },
  },
  {
    rule: 'lru_add batch', what: 'a folio on the LRU, PG_lru set, also in CPU 1\'s lru_add batch without the batch\'s reference', only: true,
    corrupt: (k) => {
      const f = Array.from(k.mem.flags.a).findIndex((fl) => (fl & ((1 << PG.lru) | (1 << PG.head))) === 1 << PG.lru);
      k.fbatch.folios.a[PAGEVEC_SIZE] = f;
      k.fbatch.nr.a[1] = 1;
    },
  },
  {
    rule: 'mlock_count', what: 'a folio on the unevictable LRU whose page->lru holds a negative mlock_count', only: true,
    corrupt: (k) => {
      const f = Array.from(k.mem.flags.a).findIndex((fl) => (fl & ((1 << PG.lru) | (1 << PG.unevictable))) === ((1 << PG.lru) | (1 << PG.unevictable)));
      if (f < 0) throw new Error('populated kernel has no unevictable folio');
      k.mem.lruPrev.a[f] = -5;
    },
  },
  {
    rule: 'PTE target', what: 'a PTE pointing past the end of memory', only: true,
    corrupt: (k) => {
      const { vma, slot } = emptyAnonPte(k);
      vma.pte.a[slot] = mkPte(k.mem.nr + 10);
    },
  },
  {
    rule: 'mapped page is free', what: 'a PTE mapping a page inside a free block',
    corrupt: (k) => {
      const { vma, slot } = emptyAnonPte(k);
      vma.pte.a[slot] = mkPte(freeOfOrder(k, (x) => x.order >= 1).pfn + 1);
    },
  },
  {
    rule: 'PMD target', what: 'a PMD pointing at a free page instead of a page table',
    corrupt: (k) => {
      const vma = k.vm.vmas.find((v) => v.ptPages.a.some((p) => p >= 0))!;
      vma.ptPages.a[vma.ptPages.a.findIndex((p) => p >= 0)] = freeOfOrder(k, () => true).pfn;
    },
  },
  {
    rule: 'one PMD per table', what: 'two PMDs pointing at one page table',
    corrupt: (k) => {
      const [a, b] = k.vm.vmas.filter((v) => v.ptPages.a.some((p) => p >= 0));
      b!.ptPages.a[b!.ptPages.a.findIndex((p) => p >= 0)] = a!.ptPages.a.find((p) => p >= 0)!;
    },
  },
  {
    rule: 'migration entry', what: 'a migration entry for a folio that is not locked',
    corrupt: (k) => {
      const { vma, slot, page } = mappedPte(k, true);
      vma.pte.a[slot] = mkMigrationEntry(page);
    },
  },
  {
    rule: 'page cache', what: 'i_pages holding an anon folio',
    corrupt: (k) => {
      const { as, index } = cachedUnmapped(k);
      k.vm.spaces[as]!.pages.a[index] = mappedPte(k, true).page;
    },
  },
  {
    rule: 'page cache', what: 'a cached folio whose index no longer covers its slot',
    corrupt: (k) => {
      const { folio } = cachedUnmapped(k);
      k.mem.index.a[folio]! += 1;
    },
  },
  {
    rule: 'swap cache', what: 'a swap slot pointing at a folio without PG_swapcache',
    corrupt: (k) => {
      k.swap.table.a[1] = mappedPte(k, true).page;
    },
  },
  {
    rule: 'swap cache', what: 'PG_swapcache on an anon folio no swap slot points at',
    corrupt: (k) => {
      const { page } = mappedPte(k, true);
      k.mem.flags.a[page]! |= 1 << PG.owner_priv_1;
      k.mem.private_.a[page] = 5;
    },
  },
  {
    rule: 'refcount >= 0', what: 'a negative refcount',
    corrupt: (k) => {
      k.mem.refcount.a[mappedPte(k, true).page] = -1;
    },
  },
  {
    rule: 'mapcount', what: '_mapcount one higher than the PTEs mapping the page', only: true,
    corrupt: (k) => {
      k.mem.mapcount.a[mappedPte(k, true).page]!++;
    },
  },
  {
    rule: 'tail refcount', what: 'a tail page with a reference of its own', only: true,
    corrupt: (k) => {
      k.mem.refcount.a[largeMappedAnon(k) + 1] = 1;
    },
  },
  {
    rule: 'refcount holders', what: 'an anon folio with one reference nobody holds', only: true,
    corrupt: (k) => {
      k.mem.refcount.a[mappedPte(k, true).page]!++;
    },
  },
  {
    rule: 'mapping', what: 'a folio whose mapping names no address_space',
    corrupt: (k) => {
      k.mem.mapping.a[cachedUnmapped(k).folio] = fileMapping(999);
    },
  },
  {
    rule: 'pcp list links', what: 'a pcp block whose lru.prev does not point at its predecessor',
    corrupt: (k) => {
      const [, second] = pcpList(k, 2);
      k.mem.lruPrev.a[second!] = second!;
    },
  },
  {
    rule: 'pcp page', what: 'a page on a pcp list with PG_dirty set', only: true,
    corrupt: (k) => {
      k.mem.flags.a[pcpList(k, 1)[0]!] = 1 << PG.dirty;
    },
  },
  {
    rule: 'pcp list tail', what: 'a pcp list whose tail pointer is stale', only: true,
    corrupt: (k) => {
      const l = pcpList(k, 2);
      const p = pcpPlace(k, l[0]!)!;
      k.pcp.lists.heads.a[2 * pcpSlot(p.zone, p.cpu, p.pindex) + 1] = l[0]!;
    },
  },
  {
    rule: 'pcp count', what: 'pcp->count one higher than the pages on the lists', only: true,
    corrupt: (k) => {
      const p = pcpPlace(k, pcpList(k, 1)[0]!)!;
      k.pcp.v.a[pcpIndex(p.zone, p.cpu) * PCPV_N + PCPV.COUNT]!++;
    },
  },
  {
    rule: 'pcp list', what: 'a slab page marked as sitting on a pcp list', only: true,
    corrupt: (k) => {
      let p = 0;
      while (k.mem.pageType.a[p] !== PGTY.slab) p++;
      k.pcp.where.a[p] = 1;
    },
  },
  {
    rule: 'node counter', what: 'NR_FILE_PAGES off by one', only: true,
    corrupt: (k) => {
      k.nstat.a[NS.NR_FILE_PAGES]!++;
    },
  },
  {
    rule: 'isolated twice', what: 'one page, PG_movable_ops_isolated set, in two migrators\' arrays of isolated pages',
    corrupt: (k) => {
      let p = 0;
      while (k.mem.pageType.a[p] !== PGTY.slab) p++;
      k.mem.flags.a[p] = k.mem.flags.a[p]! | (1 << PG.reclaim);
      isolatorAdd(k, p, 'migrator-1010');
      isolatorAdd(k, p, 'migrator-1011');
    },
  },
  {
    rule: 'isolated page', what: 'a page in a migrator\'s array of isolated pages without PG_movable_ops_isolated', only: true,
    corrupt: (k) => {
      let p = 0;
      while (k.mem.pageType.a[p] !== PGTY.slab) p++;
      isolatorAdd(k, p, 'migrator-1010');
    },
  },
];

describe('checkInvariants', () => {
  let base: Kernel;
  beforeAll(() => {
    base = fresh();
  });

  it('a populated kernel passes, and has what the corruptions need (two zones and device memory, small free blocks, LRU, cache, large folios)', () => {
    expect(checkInvariants(base)).toEqual([]);
    expect(base.zones.map((z) => z.name)).toEqual(['DMA', 'DMA32', 'Device']);
    expect(allFree(base).some((b) => b.order === 1)).toBe(true);
    expect(() => largeMappedAnon(base)).not.toThrow();
    expect(() => cachedUnmapped(base)).not.toThrow();
    expect(() => pcpList(base, 2)).not.toThrow();
  });

  it.each(CASES.map((c) => [c.rule, c.what, c] as const))('reports "%s" for %s', (rule, _what, c) => {
    const k = (c.kernel ?? fresh)();
    expect(checkInvariants(k)).toEqual([]);
    c.corrupt(k);
    const got = rules(k);
    if (c.only) expect(got).toEqual([rule]);
    else expect(got).toContain(rule);
  });

  it('every rule in invariants.ts has a corruption case here', () => {
    const src = readFileSync(new URL('./invariants.ts', import.meta.url), 'utf8');
    const named = new Set([...src.matchAll(/bad\('([^']+)'/g)].map((m) => m[1]!));
    expect([...named].filter((r) => !CASES.some((c) => c.rule === r))).toEqual([]);
  });

  it('stops after max violations', () => {
    const k = fresh();
    for (const b of allFree(k)) k.mem.refcount.a[b.pfn] = 1;
    expect(checkInvariants(k, 3)).toHaveLength(3);
  });
});

// checkInvariants() keeps its per-PFN recount arrays between calls (a scratch per size): what one
// call recounted must not reach the next. Each case's corruption is undone by restoring every
// store, so the second call sees exactly the state the first call's predecessor saw.
describe('checkInvariants carries nothing from one call to the next', () => {
  // Rules whose recounts live in the scratch arrays: free-block owners, list membership, PTE,
  // cache, swap-cache and pin counts, the deferred queue, the hstate lists.
  const SCRATCH_RULES = ['exactly one state', 'one list', 'mapped page is free', 'mapcount', 'refcount holders', 'swap cache', 'deferred split queue', 'hugetlb list', 'hugetlb mapcount', 'pcp list'];
  const picked = SCRATCH_RULES.map((r) => {
    const c = CASES.find((x) => x.rule === r);
    if (!c) throw new Error(`no corruption case for ${r}`);
    return c;
  });
  const save = (k: Kernel): (() => void) => {
    const copies = k.st.list.map((s) => s.a.slice());
    return () => k.st.list.forEach((s, i) => s.a.set(copies[i]!));
  };

  it.each(picked.map((c) => [c.rule, c] as const))('"%s": reported while corrupt, gone once undone, found again when redone', (rule, c) => {
    const k = (c.kernel ?? fresh)();
    const restore = save(k);
    c.corrupt(k);
    expect(rules(k)).toContain(rule); // call 1: found
    restore();
    expect(checkInvariants(k, 1000)).toEqual([]); // call 2: the fixed state is clean
    c.corrupt(k);
    expect(rules(k)).toContain(rule); // call 3: a violation only this call sees is found
  });

  it('a clean kernel checked after a corrupt one of the same size, and kernels of other sizes in between', () => {
    const bad = fresh();
    for (const b of allFree(bad)) bad.mem.refcount.a[b.pfn] = 1;
    expect(checkInvariants(bad).length).toBeGreaterThan(0);
    const clean = fresh();
    expect(checkInvariants(clean, 1000)).toEqual([]);
    const other = populate({ ...SPEC, nrPfns: 4096, devicePages: 0 });
    expect(checkInvariants(other, 1000)).toEqual([]);
    expect(checkInvariants(bad).length).toBeGreaterThan(0);
    expect(checkInvariants(clean, 1000)).toEqual([]);
  });
});
