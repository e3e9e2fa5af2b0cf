// GUP references (mm/gup.c): FOLL_PIN adds GUP_PIN_COUNTING_BIAS (1024) to a small folio and
// +1 (plus _pincount) to a large one; FOLL_GET adds 1; unpinning takes exactly that back.

import { beforeEach, describe, expect, it } from 'vitest';
import { folio_maybe_dma_pinned, pin_user_page, unpin_user_page } from './gup';
import { GUP_PIN_COUNTING_BIAS, HOLD, holdersOf } from './pins';
import * as memory from './memory';
import { reclaim_clean_folio, zap_pte } from './memory';
import { lru_add_drain } from './swap';
import { checkInvariants } from './invariants';
import { freePageMap } from './procfs';
import { pcpPlace } from './pcp';
import { createTestWorld, type TestWorld, drainedAfter } from './testkit';

// Each fault below is followed by lru_add_drain(): these tests count GUP's references, not the
// lru_add batch's (swap.test.ts).
const drained = <A extends unknown[]>(fn: (...a: A) => number) => drainedAfter(() => w.k, fn);
const do_anonymous_page = drained(memory.do_anonymous_page);
const do_read_fault = drained(memory.do_read_fault);

let w: TestWorld;
beforeEach(() => {
  w = createTestWorld(8192);
});
const ref = (pfn: number): number => w.k.mem.refcount.a[pfn]!;

describe('pin_user_page / unpin_user_page', () => {
  it('GUP_PIN_COUNTING_BIAS is 1 << 10', () => {
    expect(GUP_PIN_COUNTING_BIAS).toBe(1024);
  });

  it('FOLL_PIN on a small folio adds 1024 and makes it look DMA-pinned; unpin restores refcount 1', () => {
    const heap = w.procs[0]!.heap;
    const folio = do_anonymous_page(w.k, heap, 3);
    expect(folio_maybe_dma_pinned(w.k, folio)).toBe(false);
    expect(pin_user_page(w.k, heap, 3, HOLD.FOLL_PIN)).toBe(folio);
    expect(ref(folio)).toBe(1 + 1024);
    expect(folio_maybe_dma_pinned(w.k, folio)).toBe(true);
    expect(holdersOf(w.k.pins, folio)).toEqual([HOLD.FOLL_PIN]);
    expect(checkInvariants(w.k)).toEqual([]);
    unpin_user_page(w.k, folio, HOLD.FOLL_PIN);
    expect(ref(folio)).toBe(1);
    expect(folio_maybe_dma_pinned(w.k, folio)).toBe(false);
    expect(holdersOf(w.k.pins, folio)).toEqual([]);
  });

  it('FOLL_PIN on a large folio adds 1 to the head; folio_maybe_dma_pinned() still sees it', () => {
    const heap = w.procs[0]!.heap;
    const folio = do_anonymous_page(w.k, heap, 48, 4);
    expect(pin_user_page(w.k, heap, 53, HOLD.FOLL_PIN)).toBe(folio + 5); // returns the page...
    expect(ref(folio)).toBe(17); // ...but the reference is the folio's
    expect(ref(folio + 5)).toBe(0);
    expect(folio_maybe_dma_pinned(w.k, folio)).toBe(true);
    expect(checkInvariants(w.k)).toEqual([]);
    unpin_user_page(w.k, folio + 5, HOLD.FOLL_PIN);
    expect(ref(folio)).toBe(16);
    expect(folio_maybe_dma_pinned(w.k, folio)).toBe(false);
  });

  it('FOLL_GET adds 1 and does not count as a DMA pin', () => {
    const heap = w.procs[0]!.heap;
    const folio = do_anonymous_page(w.k, heap, 0);
    pin_user_page(w.k, heap, 0, HOLD.FOLL_GET);
    pin_user_page(w.k, heap, 0, HOLD.FOLL_GET);
    expect(ref(folio)).toBe(3);
    expect(folio_maybe_dma_pinned(w.k, folio)).toBe(false);
    expect(checkInvariants(w.k)).toEqual([]);
    unpin_user_page(w.k, folio, HOLD.FOLL_GET);
    expect(ref(folio)).toBe(2);
  });

  it('nothing mapped: pin returns -1 and takes no reference', () => {
    expect(pin_user_page(w.k, w.procs[0]!.heap, 9, HOLD.FOLL_PIN)).toBe(-1);
    expect(w.k.pins.n.a[0]).toBe(0);
  });

  it('unpinning a page that is not pinned throws', () => {
    const folio = do_anonymous_page(w.k, w.procs[0]!.heap, 0);
    expect(() => unpin_user_page(w.k, folio, HOLD.FOLL_PIN)).toThrow(/not pinned/);
    expect(ref(folio)).toBe(1);
  });

  it('a pinned anon folio outlives its last PTE and is freed by the unpin', () => {
    const heap = w.procs[0]!.heap;
    const folio = do_anonymous_page(w.k, heap, 1);
    pin_user_page(w.k, heap, 1, HOLD.FOLL_PIN);
    zap_pte(w.k, heap, 1);
    expect(ref(folio)).toBe(1024);
    expect(freePageMap(w.k)[folio]).toBe(0);
    expect(checkInvariants(w.k)).toEqual([]);
    unpin_user_page(w.k, folio, HOLD.FOLL_PIN);
    expect(ref(folio)).toBe(0);
    expect(pcpPlace(w.k, folio)).not.toBeNull(); // freed to this CPU's per-CPU list
    expect(checkInvariants(w.k)).toEqual([]);
  });

  it('a FOLL_GET on an unmapped cache folio makes reclaim refuse it', () => {
    const fmap = w.procs[0]!.fmap;
    const folio = do_read_fault(w.k, fmap, 0);
    pin_user_page(w.k, fmap, 0, HOLD.FOLL_GET);
    zap_pte(w.k, fmap, 0);
    expect(ref(folio)).toBe(2); // cache + get
    expect(reclaim_clean_folio(w.k, folio)).toBe(false);
    unpin_user_page(w.k, folio, HOLD.FOLL_GET);
    expect(reclaim_clean_folio(w.k, folio)).toBe(true);
  });
});
