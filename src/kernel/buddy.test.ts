// The buddy allocator against cases worked out by hand from mm/page_alloc.c (6.18): expand()
// keeps the lower half and queues each upper half one order down; __free_one_page() merges with
// pfn ^ (1 << order) while the buddy is free; fallbacks claim or steal per __rmqueue_claim /
// __rmqueue_steal. Kernels here are bare: only the blocks a test frees are free.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  __alloc_pages, __find_buddy_pfn, __free_one_page, __free_pages_core, BadPageError, FPI_NONE, FPI_TO_TAIL,
  free_frozen_pages, GFP_HIGHUSER_MOVABLE, GFP_KERNEL, GFP_TRANSHUGE, __GFP_COMP, __GFP_RECLAIMABLE, PageBuddy,
} from './buddy';
import { MT, PB_MIGRATE_ISOLATE, get_pfnblock_migratetype, set_pageblock_migratetype, setPageblockBits } from './zone';
import { VM_EVENT, ZS, zone_page_state } from './vmstat';
import { PG } from './flags';
import { setPageFlag, setPageIndex, setPageMapcountRaw, setPageMapping, setPageRefcount } from './memmap';
import { anonMapping, fileMapping } from './vm';
import { folio_put } from './folio';
import { alignedBlocks, bareKernel, freeBlocks, freeList, freePagesCounter, nrFreeRow, oneBlockKernel } from './testkit';
import { buddyinfo } from './procfs';
import { drain_all_pages, pcpPlace } from './pcp';

const MOVABLE = MT.MOVABLE;
const pow2 = (j: number): number => 1 << j;
/** nr_free with a 1 at each listed order. */
const row = (...orders: number[]): number[] => Array.from({ length: 11 }, (_, o) => orders.filter((x) => x === o).length);
const range = (a: number, b: number): number[] => Array.from({ length: b - a }, (_, i) => a + i);

describe('__find_buddy_pfn', () => {
  it.each([
    [0, 0, 1], [1, 0, 0], [6, 1, 4], [4, 1, 6], [0x1234, 2, 0x1230], [512, 9, 0], [0, 9, 512], [1024, 10, 0],
  ])('buddy of pfn %i at order %i is %i', (pfn, order, buddy) => {
    expect(__find_buddy_pfn(pfn, order)).toBe(buddy);
  });

  it('is an involution that differs in exactly the order bit, and the pair combines to an aligned block', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 10 }), fc.nat(1 << 20), (order, x) => {
      const pfn = x & ~((1 << order) - 1); // a block of this order is naturally aligned
      const buddy = __find_buddy_pfn(pfn, order);
      expect(__find_buddy_pfn(buddy, order)).toBe(pfn);
      expect(pfn ^ buddy).toBe(1 << order);
      expect((pfn & buddy) % (2 << order)).toBe(0);
    }));
  });
});

describe('boot-time freeing', () => {
  it('__free_pages_core of an order-10 block frees it as two pageblocks that merge back into one order-10 block', () => {
    const k = oneBlockKernel();
    expect(freeBlocks(k)).toEqual([{ pfn: 0, order: 10, mt: MOVABLE }]);
    expect(nrFreeRow(k)).toEqual(row(10));
    expect(freePagesCounter(k)).toBe(1024);
    expect(zone_page_state(k, 0, ZS.NR_FREE_PAGES_BLOCKS)).toBe(1024);
    expect(k.mem.refcount.a[0]).toBe(0);
    expect(k.mem.flags.a[5]! & (1 << PG.reserved)).toBe(0);
  });

  it('FPI_TO_TAIL queues boot blocks at the tail, so the list runs in ascending PFN order', () => {
    const k = bareKernel(3072);
    __free_pages_core(k, 0, 10);
    __free_pages_core(k, 1024, 10);
    __free_pages_core(k, 2048, 10);
    expect(freeList(k, 0, 10, MOVABLE)).toEqual([0, 1024, 2048]);
  });
});

describe('split (expand)', () => {
  it.each(range(0, 11))('an order-%i allocation from an order-10 block leaves one free upper half at each order above it', (order) => {
    const k = oneBlockKernel();
    const pfn = __alloc_pages(k, GFP_HIGHUSER_MOVABLE, order);
    expect(pfn).toBe(0); // expand() keeps the lower half
    // Upper halves: page[512] at order 9, page[256] at order 8, ... page[1 << order] at `order`.
    expect(freeBlocks(k)).toEqual(range(order, 10).map((j) => ({ pfn: pow2(j), order: j, mt: MOVABLE })));
    expect(nrFreeRow(k)).toEqual(row(...range(order, 10)));
    expect(freePagesCounter(k)).toBe(1024 - pow2(order));
    expect(zone_page_state(k, 0, ZS.NR_FREE_PAGES_BLOCKS)).toBe(order <= 9 ? 512 : 0);
    expect(k.mem.refcount.a[0]).toBe(1); // set_page_refcounted()
    expect(PageBuddy(k, 0)).toBe(false);
  });

  it('order-0 allocations from one order-10 block come out in ascending PFN order', () => {
    // After allocating [0, n) the free blocks are the aligned decomposition of [n, 1024); the
    // smallest of them starts at n, and expand() returns its lower end.
    const k = oneBlockKernel();
    const got = range(0, 1024).map(() => __alloc_pages(k, GFP_HIGHUSER_MOVABLE, 0));
    expect(got).toEqual(range(0, 1024));
    expect(__alloc_pages(k, GFP_HIGHUSER_MOVABLE, 0)).toBe(-1);
    expect(nrFreeRow(k)).toEqual(row());
    expect(freePagesCounter(k)).toBe(0);
  });
});

describe('merge (__free_one_page)', () => {
  it.each(range(0, 11))('freeing an order-%i folio back merges at every order up to the original order-10 block', (order) => {
    const k = oneBlockKernel();
    const pfn = __alloc_pages(k, order ? GFP_TRANSHUGE : GFP_HIGHUSER_MOVABLE, order);
    folio_put(k, pfn);
    drain_all_pages(k, null); // orders 0-3 and 9 wait on a per-CPU list until drained
    expect(freeBlocks(k)).toEqual([{ pfn: 0, order: 10, mt: MOVABLE }]);
    expect(nrFreeRow(k)).toEqual(row(10));
    expect(freePagesCounter(k)).toBe(1024);
    expect(zone_page_state(k, 0, ZS.NR_FREE_PAGES_BLOCKS)).toBe(1024);
  });

  // Pages on a per-CPU list are free but not PageBuddy: nothing merges with them until a drain.
  it('after every free of a random order the free lists hold exactly the maximal aligned blocks of the free pages not on a per-CPU list', () => {
    fc.assert(fc.property(fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 10 }), fc.nat()), { minLength: 1, maxLength: 120 }), (ops) => {
      const k = oneBlockKernel();
      const live: { pfn: number; order: number }[] = [];
      const free = new Uint8Array(1024).fill(1);
      for (const [alloc, order, pick] of ops) {
        if (alloc || !live.length) {
          const pfn = __alloc_pages(k, order ? GFP_TRANSHUGE : GFP_HIGHUSER_MOVABLE, order);
          if (pfn < 0) continue;
          expect(pfn % pow2(order)).toBe(0);
          for (let i = pfn; i < pfn + pow2(order); i++) {
            expect(free[i]).toBe(1);
            free[i] = 0;
          }
          live.push({ pfn, order });
        } else {
          const { pfn, order: o } = live.splice(pick % live.length, 1)[0]!;
          folio_put(k, pfn);
          free.fill(1, pfn, pfn + pow2(o));
        }
        const inBuddy = (p: number): boolean => free[p] === 1 && pcpPlace(k, p) === null;
        const want = alignedBlocks(1024, inBuddy);
        const have = freeBlocks(k).map(({ pfn, order: o }) => ({ pfn, order: o })).sort((x, y) => x.pfn - y.pfn);
        expect(have).toEqual(want);
        expect(freePagesCounter(k)).toBe(range(0, 1024).filter(inBuddy).length);
        expect(nrFreeRow(k)).toEqual(row(...want.map((b) => b.order)));
      }
    }), { numRuns: 60 });
  });

  it('freeing 1024 single pages in any order ends with the one order-10 block', () => {
    fc.assert(fc.property(fc.shuffledSubarray(range(0, 1024), { minLength: 1024 }), (order) => {
      const k = oneBlockKernel();
      for (let i = 0; i < 1024; i++) __alloc_pages(k, GFP_HIGHUSER_MOVABLE, 0);
      for (const pfn of order) folio_put(k, pfn);
      drain_all_pages(k, null);
      expect(freeBlocks(k)).toEqual([{ pfn: 0, order: 10, mt: MOVABLE }]);
      expect(freePagesCounter(k)).toBe(1024);
    }), { numRuns: 20 });
  });
});

describe('free list placement', () => {
  // bareKernel: nothing free until a test calls __free_one_page().
  it('a freed block whose buddy is in use goes to the head of its list', () => {
    const k = bareKernel(1024);
    __free_one_page(k, 8, 0, 0, MOVABLE, FPI_NONE); // buddy 9 in use; 10..11 not free either
    __free_one_page(k, 12, 0, 0, MOVABLE, FPI_NONE); // buddy 13 in use; 14..15 not free
    expect(freeList(k, 0, 0, MOVABLE)).toEqual([12, 8]);
  });

  it('FPI_TO_TAIL puts it at the tail instead', () => {
    const k = bareKernel(1024);
    __free_one_page(k, 8, 0, 0, MOVABLE, FPI_NONE);
    __free_one_page(k, 12, 0, 0, MOVABLE, FPI_TO_TAIL);
    expect(freeList(k, 0, 0, MOVABLE)).toEqual([8, 12]);
  });

  it('buddy_merge_likely: when the next-higher buddy is free the block goes to the tail', () => {
    const k = bareKernel(1024);
    __free_one_page(k, 2, 0, 1, MOVABLE, FPI_NONE); // [2,3] free at order 1
    __free_one_page(k, 8, 0, 0, MOVABLE, FPI_NONE);
    // pfn 0: buddy 1 in use, but [0,1]'s order-1 buddy [2,3] is free -> likely to merge soon.
    __free_one_page(k, 0, 0, 0, MOVABLE, FPI_NONE);
    expect(freeList(k, 0, 0, MOVABLE)).toEqual([8, 0]);
    expect(freeList(k, 0, 1, MOVABLE)).toEqual([2]);
  });

  it('without the higher buddy free the same block goes to the head', () => {
    const k = bareKernel(1024);
    __free_one_page(k, 8, 0, 0, MOVABLE, FPI_NONE);
    __free_one_page(k, 0, 0, 0, MOVABLE, FPI_NONE);
    expect(freeList(k, 0, 0, MOVABLE)).toEqual([0, 8]);
  });

  it('a merged block is placed by the merge-likely rule of its final order', () => {
    const k = bareKernel(1024);
    __free_one_page(k, 4, 0, 2, MOVABLE, FPI_NONE); // [4,8) at order 2
    __free_one_page(k, 16, 0, 1, MOVABLE, FPI_NONE); // another order-1 block, at the head
    __free_one_page(k, 2, 0, 0, MOVABLE, FPI_NONE);
    __free_one_page(k, 3, 0, 0, MOVABLE, FPI_NONE); // merges with 2 into [2,4) at order 1
    // Merging stopped at order 1 (its buddy [0,2) is in use). The order-2 block [0,4) would have
    // [4,8) as buddy, which is free at order 2: merge likely, so [2,4) goes to the tail.
    expect(freeList(k, 0, 1, MOVABLE)).toEqual([16, 2]);
    expect(nrFreeRow(k)).toEqual(row(1, 1, 2));
  });
});

describe('migratetype fallback', () => {
  it('an UNMOVABLE request with only an order-10 MOVABLE block claims it whole: both pageblocks become Unmovable', () => {
    const k = oneBlockKernel();
    const pfn = __alloc_pages(k, GFP_KERNEL, 0);
    expect(pfn).toBe(0);
    expect(get_pfnblock_migratetype(k, 0)).toBe(MT.UNMOVABLE);
    expect(get_pfnblock_migratetype(k, 512)).toBe(MT.UNMOVABLE);
    expect(freeBlocks(k)).toEqual(range(0, 10).map((j) => ({ pfn: pow2(j), order: j, mt: MT.UNMOVABLE })));
    expect(freePagesCounter(k)).toBe(1023);
  });

  it('an UNMOVABLE request with only an order-9 MOVABLE block retypes just that pageblock', () => {
    const k = bareKernel(1024);
    __free_pages_core(k, 512, 9);
    expect(__alloc_pages(k, GFP_KERNEL, 0)).toBe(512);
    expect(get_pfnblock_migratetype(k, 0)).toBe(MT.MOVABLE);
    expect(get_pfnblock_migratetype(k, 512)).toBe(MT.UNMOVABLE);
    expect(freeBlocks(k)).toEqual(range(0, 9).map((j) => ({ pfn: 512 + pow2(j), order: j, mt: MT.UNMOVABLE })));
    expect(buddyinfo(k)).toBe('Node 0, zone   Normal      1      1      1      1      1      1      1      1      1      0      0 \n');
  });

  it('below pageblock order a RECLAIMABLE request claims the pageblock when free + non-movable pages reach half of it', () => {
    // Pageblock 1: [512,768) allocated (not on the LRU, so "alike"), [768,1024) free at order 8.
    // free 256 + alike (512 - 256 free - 0 movable) >= 256: the whole block moves to Reclaimable.
    const k = bareKernel(1024);
    __free_pages_core(k, 512, 9);
    expect(__alloc_pages(k, GFP_HIGHUSER_MOVABLE, 8)).toBe(512);
    expect(__alloc_pages(k, __GFP_RECLAIMABLE, 0)).toBe(768);
    expect(get_pfnblock_migratetype(k, 512)).toBe(MT.RECLAIMABLE);
    expect(freeBlocks(k)).toEqual(range(0, 8).map((j) => ({ pfn: 768 + pow2(j), order: j, mt: MT.RECLAIMABLE })));
  });

  const lruBlock = (lruPages: number): ReturnType<typeof bareKernel> => {
    // Pageblock 1: [512,896) allocated, of which the first `lruPages` have PG_lru; [896,1024) free at order 7.
    const k = bareKernel(1024);
    __free_pages_core(k, 512, 9);
    expect(__alloc_pages(k, GFP_HIGHUSER_MOVABLE, 8)).toBe(512);
    expect(__alloc_pages(k, GFP_HIGHUSER_MOVABLE, 7)).toBe(768);
    for (let p = 512; p < 512 + lruPages; p++) setPageFlag(k, p, PG.lru);
    return k;
  };

  it('an UNMOVABLE request claims at exactly half: 128 free + 128 non-LRU pages = 256', () => {
    const k = lruBlock(256);
    expect(__alloc_pages(k, GFP_KERNEL, 0)).toBe(896);
    expect(get_pfnblock_migratetype(k, 512)).toBe(MT.UNMOVABLE);
  });

  it('an UNMOVABLE request in a mostly-LRU pageblock steals the smallest block and leaves the type alone', () => {
    const k = lruBlock(384); // free 128 + alike 0 < 256: try_to_claim_block() gives up
    expect(__alloc_pages(k, GFP_KERNEL, 0)).toBe(896);
    expect(get_pfnblock_migratetype(k, 512)).toBe(MT.MOVABLE);
    expect(freeBlocks(k)).toEqual(range(0, 7).map((j) => ({ pfn: 896 + pow2(j), order: j, mt: MT.MOVABLE })));
    expect(freePagesCounter(k)).toBe(127);
  });

  it('a MOVABLE order-0 request with only low-order UNMOVABLE blocks steals the smallest without retyping', () => {
    const k = bareKernel(1024);
    set_pageblock_migratetype(k, 512, MT.UNMOVABLE);
    __free_pages_core(k, 516, 2); // [516,520) order 2
    __free_pages_core(k, 521, 0); // 521 order 0
    expect(freeBlocks(k)).toEqual([{ pfn: 521, order: 0, mt: MT.UNMOVABLE }, { pfn: 516, order: 2, mt: MT.UNMOVABLE }]);
    // should_try_claim_block() is false for a MOVABLE request below order 4, so __rmqueue_claim
    // stops at order 3; __rmqueue_steal takes the smallest fallback block: order 0 at 521.
    expect(__alloc_pages(k, GFP_HIGHUSER_MOVABLE, 0)).toBe(521);
    expect(get_pfnblock_migratetype(k, 512)).toBe(MT.UNMOVABLE);
    // Next: the order-2 block, split on the UNMOVABLE lists (expand uses the block's type). The
    // per-CPU refill (nr_pcp_alloc: alloc_factor grew to 1, so 2 pages) takes 516 and 517; 517
    // waits on the CPU's MOVABLE order-0 list.
    expect(__alloc_pages(k, GFP_HIGHUSER_MOVABLE, 0)).toBe(516);
    expect(freeBlocks(k)).toEqual([{ pfn: 518, order: 1, mt: MT.UNMOVABLE }]);
    expect(pcpPlace(k, 517)).toMatchObject({ cpu: 0, order: 0, pindex: MT.MOVABLE });
    expect(get_pfnblock_migratetype(k, 512)).toBe(MT.UNMOVABLE);
    expect(freePagesCounter(k)).toBe(2);
  });

  it('an UNMOVABLE request prefers RECLAIMABLE over MOVABLE (fallbacks[] order)', () => {
    // Order-8 blocks of both types; either pageblock would pass the half-block test (256 free +
    // 256 non-LRU), so only the order of fallbacks[UNMOVABLE] decides.
    const k = bareKernel(1024);
    set_pageblock_migratetype(k, 0, MT.RECLAIMABLE);
    __free_pages_core(k, 0, 8);
    __free_pages_core(k, 768, 8);
    expect(__alloc_pages(k, GFP_KERNEL, 0)).toBe(0);
    expect(get_pfnblock_migratetype(k, 0)).toBe(MT.UNMOVABLE);
    expect(get_pfnblock_migratetype(k, 512)).toBe(MT.MOVABLE);
  });

  it('a MOVABLE request tries to claim from order pageblock_order / 2 = 4 (integer division) upwards', () => {
    // Pageblock 1 is Unmovable with [512,528) free at order 4 and 240 LRU pages: 16 free + 240
    // movable = 256 = half a pageblock, so try_to_claim_block() converts it to Movable.
    const k = bareKernel(1024);
    set_pageblock_migratetype(k, 512, MT.UNMOVABLE);
    __free_pages_core(k, 512, 4);
    for (let p = 528; p < 768; p++) setPageFlag(k, p, PG.lru);
    expect(__alloc_pages(k, GFP_HIGHUSER_MOVABLE, 0)).toBe(512);
    expect(get_pfnblock_migratetype(k, 512)).toBe(MT.MOVABLE);
    expect(freeBlocks(k)).toEqual(range(0, 4).map((j) => ({ pfn: 512 + pow2(j), order: j, mt: MT.MOVABLE })));
  });

  it('a MOVABLE request below order 4 never claims: an order-3 block in the same pageblock is only stolen', () => {
    const k = bareKernel(1024);
    set_pageblock_migratetype(k, 512, MT.UNMOVABLE);
    __free_pages_core(k, 512, 3);
    for (let p = 520; p < 1024; p++) setPageFlag(k, p, PG.lru);
    expect(__alloc_pages(k, GFP_HIGHUSER_MOVABLE, 0)).toBe(512);
    expect(get_pfnblock_migratetype(k, 512)).toBe(MT.UNMOVABLE);
    expect(freeBlocks(k)).toEqual(range(0, 3).map((j) => ({ pfn: 512 + pow2(j), order: j, mt: MT.UNMOVABLE })));
  });
});

describe('merging across pageblocks', () => {
  it('an isolated pageblock does not merge with its Movable buddy, and its pages are not counted free', () => {
    const k = bareKernel(1024);
    setPageblockBits(k, 512, MT.MOVABLE | PB_MIGRATE_ISOLATE);
    __free_pages_core(k, 0, 10); // split_large_buddy: each pageblock with its own type
    expect(freeBlocks(k)).toEqual([{ pfn: 0, order: 9, mt: MT.MOVABLE }, { pfn: 512, order: 9, mt: MT.ISOLATE }]);
    expect(nrFreeRow(k)).toEqual(row(9, 9));
    expect(freePagesCounter(k)).toBe(512);
    expect(zone_page_state(k, 0, ZS.NR_FREE_PAGES_BLOCKS)).toBe(512);
  });

  it('a HighAtomic pageblock does not merge with a Movable one', () => {
    const k = bareKernel(1024);
    set_pageblock_migratetype(k, 0, MT.HIGHATOMIC);
    __free_pages_core(k, 0, 9);
    __free_pages_core(k, 512, 9);
    expect(freeBlocks(k)).toEqual([{ pfn: 512, order: 9, mt: MT.MOVABLE }, { pfn: 0, order: 9, mt: MT.HIGHATOMIC }]);
    expect(freePagesCounter(k)).toBe(1024);
  });

  it('Unmovable and Movable pageblocks merge, and the merged block takes the freeing block\'s type', () => {
    const k = bareKernel(1024);
    set_pageblock_migratetype(k, 512, MT.UNMOVABLE);
    __free_pages_core(k, 512, 9);
    __free_pages_core(k, 0, 9);
    expect(freeBlocks(k)).toEqual([{ pfn: 0, order: 10, mt: MT.MOVABLE }]);
    expect(get_pfnblock_migratetype(k, 512)).toBe(MT.MOVABLE);
  });
});

describe('bad pages', () => {
  const allocated = (): { k: ReturnType<typeof oneBlockKernel>; pfn: number } => {
    const k = oneBlockKernel();
    return { k, pfn: __alloc_pages(k, GFP_HIGHUSER_MOVABLE, 0) };
  };

  it('a page freed while still mapped is a bad page', () => {
    const { k, pfn } = allocated();
    setPageMapcountRaw(k, pfn, 0);
    setPageRefcount(k, pfn, 0);
    expect(() => free_frozen_pages(k, pfn, 0)).toThrow(BadPageError);
    expect(() => free_frozen_pages(k, pfn, 0)).toThrow(/nonzero mapcount/);
  });

  it('a page freed with a reference left is a bad page', () => {
    const { k, pfn } = allocated();
    expect(() => free_frozen_pages(k, pfn, 0)).toThrow(/nonzero _refcount/);
  });

  it('a page freed with PG_mlocked is not a bad page: __free_pages_prepare clears it and counts unevictable_pgs_cleared', () => {
    const { k, pfn } = allocated();
    setPageFlag(k, pfn, PG.mlocked);
    k.zstat.a[ZS.NR_MLOCK] = 1;
    setPageRefcount(k, pfn, 0);
    free_frozen_pages(k, pfn, 0);
    expect(k.mem.flags.a[pfn]).toBe(0);
    expect(k.zstat.a[ZS.NR_MLOCK]).toBe(0);
    expect(k.events.a[VM_EVENT.UNEVICTABLE_PGCLEARED]).toBe(1);
  });

  it.each(['lru', 'locked', 'private', 'writeback', 'reserved', 'active', 'unevictable'] as const)(
    'a page freed with PG_%s set is a bad page', (flag) => {
      const { k, pfn } = allocated();
      setPageFlag(k, pfn, PG[flag]);
      setPageRefcount(k, pfn, 0);
      expect(() => free_frozen_pages(k, pfn, 0)).toThrow(/PAGE_FLAGS_CHECK_AT_FREE/);
    });

  it('PG_dirty and PG_uptodate are not checked at free', () => {
    const { k, pfn } = allocated();
    setPageFlag(k, pfn, PG.dirty);
    setPageFlag(k, pfn, PG.uptodate);
    setPageRefcount(k, pfn, 0);
    free_frozen_pages(k, pfn, 0);
    drain_all_pages(k, null);
    expect(freeBlocks(k)).toEqual([{ pfn: 0, order: 10, mt: MOVABLE }]);
    expect(k.mem.flags.a[pfn]).toBe(0);
  });

  it('freeing clears ->mapping of an anon page only and never touches ->index (__free_pages_prepare)', () => {
    const { k, pfn } = allocated();
    setPageMapping(k, pfn, anonMapping(3));
    setPageIndex(k, pfn, 0x42);
    setPageRefcount(k, pfn, 0);
    free_frozen_pages(k, pfn, 0);
    expect(k.mem.mapping.a[pfn]).toBe(0);
    expect(k.mem.index.a[pfn]).toBe(0x42);
  });

  it('a page freed with a file ->mapping still set is a bad page', () => {
    const { k, pfn } = allocated();
    setPageMapping(k, pfn, fileMapping(0));
    setPageRefcount(k, pfn, 0);
    expect(() => free_frozen_pages(k, pfn, 0)).toThrow(/non-NULL mapping/);
  });

  it('a mapped tail page makes its compound folio a bad page', () => {
    const k = oneBlockKernel();
    const pfn = __alloc_pages(k, GFP_HIGHUSER_MOVABLE | __GFP_COMP, 2);
    setPageMapcountRaw(k, pfn + 3, 0);
    expect(() => folio_put(k, pfn)).toThrow(BadPageError);
  });
});
