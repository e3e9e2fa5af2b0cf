// The deferred split queue (mm/huge_memory.c: deferred_split_folio(), folio_unqueue_deferred_split()):
// a large anon folio that becomes partially mapped is queued with PG_partially_mapped in page[1];
// freeing it takes it off.

import { describe, expect, it } from 'vitest';
import { PG } from './flags';
import { deferredSplitQueue, folioOnDeferredList, folio_test_partially_mapped } from './deferred-split';
import { do_anonymous_page, zap_pte } from './memory';
import { testPageFlag } from './memmap';
import { createTestWorld } from './testkit';

describe('deferred split queue', () => {
  it('zapping part of an mTHP queues it partially mapped; zapping the rest frees it and unqueues it', () => {
    const w = createTestWorld();
    const vma = w.procs[0]!.heap;
    const folio = do_anonymous_page(w.k, vma, 0, 4); // order 4, 16 PTEs
    expect(folioOnDeferredList(w.k, folio)).toBe(false);
    zap_pte(w.k, vma, 3); // MADV_DONTNEED on one page
    expect(folioOnDeferredList(w.k, folio)).toBe(true);
    expect(folio_test_partially_mapped(w.k, folio)).toBe(true);
    expect(testPageFlag(w.k, folio + 1, PG.reclaim)).toBe(true); // PG_partially_mapped lives in page[1]
    expect(deferredSplitQueue(w.k)).toEqual([folio]);
    expect(w.k.deferred.len.a[0]).toBe(1);
    for (let s = 0; s < 16; s++) if (s !== 3) zap_pte(w.k, vma, s);
    expect(folioOnDeferredList(w.k, folio)).toBe(false);
    expect(deferredSplitQueue(w.k)).toEqual([]);
    expect(w.k.deferred.len.a[0]).toBe(0);
    expect(testPageFlag(w.k, folio + 1, PG.reclaim)).toBe(false);
  });

  it('an order-1 folio has no page[2] for _deferred_list and is never queued', () => {
    const w = createTestWorld();
    const vma = w.procs[0]!.heap;
    const folio = do_anonymous_page(w.k, vma, 0, 1);
    zap_pte(w.k, vma, 1);
    expect(folioOnDeferredList(w.k, folio)).toBe(false);
  });
});
