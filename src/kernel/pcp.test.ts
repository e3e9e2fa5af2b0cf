// The per-CPU page lists against mm/page_alloc.c (6.18) and the real 6.12 guest's zoneinfo: batch
// and high from the zone's size, frees to the head of the CPU's list, a bulk free to the buddy
// lists when the list reaches high, refills of `batch` blocks in physical order, drains.

import { describe, expect, it } from 'vitest';
import { __alloc_pages, GFP_HIGHUSER_MOVABLE, GFP_KERNEL, PageBuddy } from './buddy';
import { folio_put } from './folio';
import { checkInvariants } from './invariants';
import { drain_all_pages, pcpCount, pcpPlace, pcpSettings, zone_batchsize, zone_highsize, zonePcpPages } from './pcp';
import { freePagesCounter, oneBlockKernel } from './testkit';
import { MT, PB_MIGRATE_ISOLATE, setPageblockBits } from './zone';
import { createTestWorld } from './testkit';

describe('pageset sizes (zone_batchsize, zone_highsize)', () => {
  it('give the 6.12 guest\'s DMA32 numbers: managed 114450, low 7090, 2 CPUs → batch 31, high_min 3545', () => {
    // real-kernel-6.12/*/before.zoneinfo: "high: 3545", "batch: 31" for DMA32.
    const batch = zone_batchsize(114450);
    expect(batch).toBe(31);
    expect(zone_highsize(7090, batch)).toBe(3545);
    // high_max: managed / MIN_PERCPU_PAGELIST_HIGH_FRACTION (8) over 2 CPUs; 3776 in the capture is in between.
    expect(zone_highsize(Math.floor(114450 / 8), batch)).toBe(7153);
  });

  it('give batch 1 to a 16 MiB DMA zone (managed 3840 → 3 / 4 rounds to 0 → at least 1)', () => {
    expect(Math.max(1, zone_batchsize(3840))).toBe(1);
  });
});

describe('free_frozen_page_commit / rmqueue_pcplist', () => {
  it('an order-0 free goes to the head of this CPU\'s list: not PageBuddy, not in NR_FREE_PAGES', () => {
    const k = oneBlockKernel();
    const a = __alloc_pages(k, GFP_HIGHUSER_MOVABLE, 0);
    const b = __alloc_pages(k, GFP_HIGHUSER_MOVABLE, 0);
    const free0 = freePagesCounter(k);
    const count0 = pcpCount(k, 0, 0);
    folio_put(k, a);
    folio_put(k, b);
    expect(pcpCount(k, 0, 0)).toBe(count0 + 2);
    expect(freePagesCounter(k)).toBe(free0);
    expect(PageBuddy(k, a)).toBe(false);
    expect(pcpPlace(k, b)).toEqual({ head: b, cpu: 0, zone: 0, pindex: MT.MOVABLE, order: 0 });
    // The hottest (last freed) comes back first.
    expect(__alloc_pages(k, GFP_HIGHUSER_MOVABLE, 0)).toBe(b);
    expect(checkInvariants(k)).toEqual([]);
  });

  it('a refill takes a batch of blocks in physical order; the request gets the first', () => {
    const w = createTestWorld(8192);
    drain_all_pages(w.k, null);
    // alloc_factor doubles the refill each time the list runs empty without a free in between:
    // 1 block, then 2, then 4 ... (nr_pcp_alloc), each refill split off in ascending PFNs.
    const got = Array.from({ length: 8 }, () => __alloc_pages(w.k, GFP_KERNEL, 0));
    expect(got.slice(1)).toEqual(got.slice(1).map((_, i) => got[1]! + i));
    expect(pcpCount(w.k, 1, 0)).toBe(1 + 2 + 4 + 8 - 8); // the fourth refill (8 blocks) left 7
    expect(checkInvariants(w.k)).toEqual([]);
  });

  it('reaching high frees a batch of the coldest pages to the buddy lists (free_pcppages_bulk)', () => {
    const w = createTestWorld(8192);
    const { highMax } = pcpSettings(w.k, 0);
    const pages: number[] = [];
    for (let i = 0; i < highMax + 64; i++) pages.push(__alloc_pages(w.k, GFP_HIGHUSER_MOVABLE, 0));
    drain_all_pages(w.k, null);
    for (const p of pages) folio_put(w.k, p);
    expect(pcpCount(w.k, 0, 0)).toBeLessThanOrEqual(highMax);
    expect(pages.some((p) => pcpPlace(w.k, p) === null)).toBe(true); // some went on to the buddy lists
    expect(checkInvariants(w.k)).toEqual([]);
  });

  it('a page of an isolated pageblock bypasses the list (free_one_page)', () => {
    const k = oneBlockKernel();
    const a = __alloc_pages(k, GFP_HIGHUSER_MOVABLE, 0);
    setPageblockBits(k, a, MT.MOVABLE | PB_MIGRATE_ISOLATE);
    const before = zonePcpPages(k, 0);
    folio_put(k, a);
    expect(pcpPlace(k, a)).toBeNull();
    expect(zonePcpPages(k, 0)).toBe(before);
  });

  it('drain_all_pages empties every CPU\'s lists into the buddy lists, where the pages merge', () => {
    const k = oneBlockKernel();
    const a = __alloc_pages(k, GFP_HIGHUSER_MOVABLE, 0);
    folio_put(k, a);
    expect(zonePcpPages(k, 0)).toBeGreaterThan(0);
    drain_all_pages(k, null);
    expect(zonePcpPages(k, 0)).toBe(0);
    expect(freePagesCounter(k)).toBe(1024);
    expect(checkInvariants(k)).toEqual([]);
  });
});
