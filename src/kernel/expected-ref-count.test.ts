// folio_expected_ref_count() (include/linux/mm.h, 6.18) on folios built by the model's own fault,
// read and swap paths. The expected values are worked by hand from the kernel's rule:
//   swap cache: 1 << order, if PG_swapcache;
//   not anon:   1 << order if folio->mapping (the page cache), + 1 if PG_private (once per folio);
//   always:     + folio_mapcount() (one per PTE mapping).
// Each folio here is held by nobody else, so its refcount must equal that count too (what
// __migrate_folio() relies on when it adds the isolation's 1).

import { beforeEach, describe, expect, it } from 'vitest';
import * as memory from './memory';
import { folio_attach_private } from './memory';
import { folio_expected_ref_count } from './migrate';
import { folio_alloc_swap } from './swap_state';
import { checkInvariants } from './invariants';
import { createTestWorld, drainedAfter, type TestWorld } from './testkit';
import { alloc_zspage, zspagePages } from './zsmalloc';
import { PG, PGTY } from './flags';
import { populate, DEFAULT_POPULATE } from './populate';
import { HLIST, hstateList } from './hugetlb-state';
import type { Steps } from './step';

let w: TestWorld;
beforeEach(() => {
  w = createTestWorld(8192);
});
// The lru_add batch holds a reference until drained (swap.test.ts); these tests count the rest.
const do_anonymous_page = drainedAfter(() => w.k, memory.do_anonymous_page);
const do_read_fault = drainedAfter(() => w.k, memory.do_read_fault);
const filemap_read_folio = drainedAfter(() => w.k, memory.filemap_read_folio);

/** The count, and the refcount of a folio nobody else holds, must both be `want`. */
function expectCount(folio: number, want: number): void {
  expect(folio).toBeGreaterThanOrEqual(0);
  expect(folio_expected_ref_count(w.k, folio).count).toBe(want);
  expect(w.k.mem.refcount.a[folio]).toBe(want);
}

describe('folio_expected_ref_count()', () => {
  it('anon, mapped by one PTE: mapcount 1 → 1 (an anon folio has no page cache)', () => {
    const f = do_anonymous_page(w.k, w.procs[0]!.heap, 3);
    expectCount(f, 1);
    expect(folio_expected_ref_count(w.k, f).parts).toEqual(['mapcount 1']);
  });

  it('anon order-4 folio mapped by its 16 PTEs: mapcount 16 → 16', () => {
    expectCount(do_anonymous_page(w.k, w.procs[0]!.heap, 48, 4), 16);
  });

  it('anon in the swap cache, mapped: swap cache 1 + mapcount 1 → 2', () => {
    const f = do_anonymous_page(w.k, w.procs[0]!.heap, 5);
    folio_alloc_swap(w.k, f);
    expectCount(f, 2);
    expect(folio_expected_ref_count(w.k, f).parts).toEqual(['swap cache 1', 'mapcount 1']);
  });

  it('anon order-4 folio in the swap cache, mapped: swap cache 1 << 4 + mapcount 16 → 32', () => {
    const f = do_anonymous_page(w.k, w.procs[1]!.heap, 64, 4);
    folio_alloc_swap(w.k, f);
    expectCount(f, 32);
  });

  it('file, unmapped: page cache 1 → 1', () => {
    expectCount(filemap_read_folio(w.k, w.files[0]!, 7), 1);
  });

  it('file with private data (buffer heads): page cache 1 + PG_private 1 → 2', () => {
    const f = filemap_read_folio(w.k, w.files[0]!, 9);
    folio_attach_private(w.k, f, 0x1234);
    expectCount(f, 2);
    expect(folio_expected_ref_count(w.k, f).parts).toEqual(['page cache 1', 'PG_private 1']);
  });

  it('large file folio (order 2), unmapped: page cache 1 << 2 → 4; with private data 4 + 1 → 5 (PG_private counts once)', () => {
    const f = filemap_read_folio(w.k, w.files[0]!, 16, 2);
    expect(w.k.mem.order.a[f]).toBe(2);
    expectCount(f, 4);
    folio_attach_private(w.k, f, 0x5678);
    expectCount(f, 5);
  });

  it('file mapped by one process, then a second: page cache 1 + mapcount 1 → 2, then + 1 → 3; with private data → 4', () => {
    // procs 0 and 2 both map /usr/lib/libtest.so at pgoff 0.
    const f = do_read_fault(w.k, w.procs[0]!.fmap, 20);
    expectCount(f, 2);
    expect(do_read_fault(w.k, w.procs[2]!.fmap, 20)).toBe(f);
    expectCount(f, 3);
    folio_attach_private(w.k, f, 0x9abc);
    expectCount(f, 4);
    expect(folio_expected_ref_count(w.k, f).parts).toEqual(['page cache 1', 'PG_private 1', 'mapcount 2']);
    expect(checkInvariants(w.k)).toEqual([]);
  });

  // include/linux/mm.h (6.18) returns 0 early, with a WARN_ON_ONCE, for a page that has a page
  // type other than hugetlb: page_type shares its word with _mapcount, so nothing below applies.
  it('a typed page (the first page of a zspage: PageZsmalloc with PG_private) → 0, not PG_private 1', () => {
    const g: Steps<number> = alloc_zspage(w.k, 2);
    let r = g.next();
    while (!r.done) r = g.next();
    const [first, second] = zspagePages(w.k, r.value);
    for (const p of [first!, second!]) expect(w.k.mem.pageType.a[p]).toBe(PGTY.zsmalloc);
    expect(w.k.mem.flags.a[first!]! & (1 << PG.private)).not.toBe(0);
    expect(folio_expected_ref_count(w.k, first!).count).toBe(0);
    expect(folio_expected_ref_count(w.k, first!).parts).toEqual(['page_has_type zsmalloc: WARN_ON_ONCE, 0']);
    expect(folio_expected_ref_count(w.k, second!).count).toBe(0);
  });

  it('hugetlb is the exception to that rule: a mapped hugetlb folio (anon) still counts its mapping → 1', () => {
    const k = populate({ ...DEFAULT_POPULATE, seed: 3, nrPfns: 8192, processes: 4, files: 6, hugepages: 3, hugetlbMapped: 2 });
    const [f] = hstateList(k, HLIST.ACTIVE);
    expect(k.mem.pageType.a[f!]).toBe(PGTY.hugetlb);
    expect(folio_expected_ref_count(k, f!)).toEqual({ count: 1, parts: ['mapcount 1'] });
    expect(k.mem.refcount.a[f!]).toBe(1);
  });
});
