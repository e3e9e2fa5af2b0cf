// folio_add_lru() through the per-CPU lru_add batch (mm/swap.c, 6.18): the batch's reference, the
// folio off the LRU until the batch moves, and the drains that move it.

import { beforeEach, describe, expect, it } from 'vitest';
import { PG } from './flags';
import { LRU } from './lru';
import { listPfns } from './list';
import { do_anonymous_page, zap_pte } from './memory';
import { folio_isolate_lru } from './isolate';
import { inspectPage } from './inspect';
import { checkInvariants } from './invariants';
import { PAGEVEC_SIZE, lruBatchCpu } from './fbatch-state';
import { lru_add_drain, lru_add_drain_all, lru_cache_disable, lru_cache_enable } from './swap';
import { pcpPlace } from './pcp';
import { createTestWorld, type TestWorld } from './testkit';

const ref = (w: TestWorld, pfn: number): number => w.k.mem.refcount.a[pfn]!;
const hasLru = (w: TestWorld, pfn: number): boolean => (w.k.mem.flags.a[pfn]! & (1 << PG.lru)) !== 0;
const inactiveAnon = (w: TestWorld): number[] => [...listPfns(w.k, w.k.lru, LRU.INACTIVE_ANON)];

let w: TestWorld;
beforeEach(() => {
  w = createTestWorld(8192);
});

describe('the lru_add batch', () => {
  it('a fresh anon folio waits in this CPU\'s batch: refcount one more than its PTE, no PG_lru, and the inspector names the batch', () => {
    const folio = do_anonymous_page(w.k, w.procs[0]!.heap, 5);
    expect(ref(w, folio)).toBe(2);
    expect(hasLru(w, folio)).toBe(false);
    expect(inactiveAnon(w)).toEqual([]);
    expect(lruBatchCpu(w.k.fbatch, folio)).toBe(0);
    const d = inspectPage(w.k, folio);
    expect(d.expectedRefcount).toBe(2);
    expect(d.holders.map((h) => h.what)).toEqual(['1 PTE mapping', expect.stringContaining("CPU 0's lru_add batch")]);
    expect(checkInvariants(w.k)).toEqual([]);
  });

  it('folio_isolate_lru fails on a batched folio until lru_add_drain() puts it on the LRU and drops the batch\'s reference', () => {
    const folio = do_anonymous_page(w.k, w.procs[0]!.heap, 5);
    expect(folio_isolate_lru(w.k, folio)).toBe(false);
    expect(lru_add_drain(w.k, 'test')).toBe(1);
    expect(ref(w, folio)).toBe(1);
    expect(hasLru(w, folio)).toBe(true);
    expect(inactiveAnon(w)).toEqual([folio]);
    expect(w.k.fbatch.nr.a[0]).toBe(0);
    expect(checkInvariants(w.k)).toEqual([]);
    expect(folio_isolate_lru(w.k, folio)).toBe(true);
  });

  it(`the ${PAGEVEC_SIZE}th folio fills the batch, which moves at once`, () => {
    const heap = w.procs[0]!.heap;
    const folios: number[] = [];
    for (let s = 0; s < PAGEVEC_SIZE - 1; s++) folios.push(do_anonymous_page(w.k, heap, s));
    expect(w.k.fbatch.nr.a[0]).toBe(PAGEVEC_SIZE - 1);
    expect(inactiveAnon(w)).toEqual([]);
    folios.push(do_anonymous_page(w.k, heap, PAGEVEC_SIZE - 1));
    expect(w.k.fbatch.nr.a[0]).toBe(0);
    expect(inactiveAnon(w).sort((a, b) => a - b)).toEqual([...folios].sort((a, b) => a - b));
    expect(folios.every((f) => ref(w, f) === 1 && hasLru(w, f))).toBe(true);
    expect(checkInvariants(w.k)).toEqual([]);
  });

  it('a large folio never waits in the batch (folio_may_be_lru_cached), and takes the batch with it', () => {
    const heap = w.procs[0]!.heap;
    const small = do_anonymous_page(w.k, heap, 0);
    const large = do_anonymous_page(w.k, heap, 16, 4);
    expect(ref(w, large)).toBe(16);
    expect(hasLru(w, large) && hasLru(w, small)).toBe(true);
    expect(w.k.fbatch.nr.a[0]).toBe(0);
    expect(checkInvariants(w.k)).toEqual([]);
  });

  it('lru_add_drain() drains only its own CPU; lru_add_drain_all() drains every CPU', () => {
    const heap = w.procs[0]!.heap;
    w.k.cpu = 1;
    const onCpu1 = do_anonymous_page(w.k, heap, 1);
    w.k.cpu = 0;
    const onCpu0 = do_anonymous_page(w.k, heap, 0);
    expect(lru_add_drain(w.k, 'test')).toBe(1);
    expect(hasLru(w, onCpu0)).toBe(true);
    expect(hasLru(w, onCpu1)).toBe(false);
    expect(lruBatchCpu(w.k.fbatch, onCpu1)).toBe(1);
    expect(checkInvariants(w.k)).toEqual([]);
    expect(lru_add_drain_all(w.k, 'test')).toBe(1);
    expect(hasLru(w, onCpu1)).toBe(true);
    expect(ref(w, onCpu1)).toBe(1);
    expect(checkInvariants(w.k)).toEqual([]);
  });

  it('while lru_cache_disable() is in force, folio_add_lru() moves each folio at once', () => {
    lru_cache_disable(w.k, 'test');
    const folio = do_anonymous_page(w.k, w.procs[0]!.heap, 3);
    expect(hasLru(w, folio)).toBe(true);
    expect(ref(w, folio)).toBe(1);
    lru_cache_enable(w.k);
    expect(hasLru(w, do_anonymous_page(w.k, w.procs[0]!.heap, 4))).toBe(false);
  });

  it('a folio unmapped while it waits is freed by the drain: folios_put() drops the last reference', () => {
    const heap = w.procs[0]!.heap;
    const folio = do_anonymous_page(w.k, heap, 9);
    zap_pte(w.k, heap, 9);
    expect(ref(w, folio)).toBe(1); // only the batch's
    expect(checkInvariants(w.k)).toEqual([]);
    lru_add_drain(w.k, 'test');
    expect(ref(w, folio)).toBe(0);
    expect(pcpPlace(w.k, folio)).toMatchObject({ head: folio });
    expect(inactiveAnon(w)).toEqual([]);
    expect(checkInvariants(w.k)).toEqual([]);
  });
});
