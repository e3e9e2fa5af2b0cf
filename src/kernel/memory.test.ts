// Reference and map counts after faults, page-cache reads, buffer heads, zapping and exit,
// against kernel-reference.md §2: each PTE holds one reference and one _mapcount; the page cache
// holds nr; PG_private holds one; an anon fault's allocation reference becomes the first PTE's.

import { beforeEach, describe, expect, it } from 'vitest';
import { PG, PGTY } from './flags';
import { folio_mlock_count, LRU } from './lru';
import { listPfns } from './list';
import { NS, ZS, node_page_state, zone_page_state } from './vmstat';
import { anonMapping, fileMapping, ptePfn, ptePresent, pteBits, PTE_EXCLUSIVE, PTE_WRITE } from './vm';
import * as memory from './memory';
import { exit_mmap, folio_attach_private, reclaim_clean_folio, zap_pte } from './memory';
import { lru_add_drain } from './swap';
import { folio_mark_dirty } from './filemap';
import { folio_mapcount } from './folio';
import { checkInvariants } from './invariants';
import { buddyinfo, freePageMap } from './procfs';
import { createTestWorld, type TestWorld, drainedAfter } from './testkit';
import { drain_all_pages, pcpPlace, zonePcpPages } from './pcp';

const has = (w: TestWorld, pfn: number, flag: number): boolean => (w.k.mem.flags.a[pfn]! & (1 << flag)) !== 0;
const ref = (w: TestWorld, pfn: number): number => w.k.mem.refcount.a[pfn]!;
const mapcountRaw = (w: TestWorld, pfn: number): number => w.k.mem.mapcount.a[pfn]!;
const lruList = (w: TestWorld, lru: number): number[] => [...listPfns(w.k, w.k.lru, lru)];
/** Free memory the allocator holds: the buddy lists (NR_FREE_PAGES) and the per-CPU lists. */
const totalFree = (w: TestWorld): number => w.k.zones.reduce((s, z) => s + zone_page_state(w.k, z.idx, ZS.NR_FREE_PAGES) + zonePcpPages(w.k, z.idx), 0);
const lruSize = (w: TestWorld, lru: number): number => w.k.zones.reduce((s, z) => s + zone_page_state(w.k, z.idx, ZS.NR_ZONE_INACTIVE_ANON + lru), 0);
const isFree = (w: TestWorld, pfn: number): boolean => freePageMap(w.k)[pfn] === 1 || pcpPlace(w.k, pfn) !== null;

// These tests count the references of mappings and the page cache: each fault or read below is
// followed by lru_add_drain(), so the folio is on the LRU and CPU 0's lru_add batch holds no
// reference of its own (swap.test.ts is about that reference).
const drained = <A extends unknown[]>(fn: (...a: A) => number) => drainedAfter(() => w.k, fn);
const do_anonymous_page = drained(memory.do_anonymous_page);
const do_read_fault = drained(memory.do_read_fault);
const filemap_read_folio = drained(memory.filemap_read_folio);

let w: TestWorld;
beforeEach(() => {
  w = createTestWorld(8192);
});

describe('anonymous faults', () => {
  it('an order-0 anon fault maps one page with refcount 1, _mapcount 0, PG_anon_exclusive, on the inactive anon LRU', () => {
    const vma = w.procs[0]!.heap;
    const free0 = totalFree(w);
    const folio = do_anonymous_page(w.k, vma, 5);
    expect(folio).toBeGreaterThanOrEqual(0);
    expect(ref(w, folio)).toBe(1);
    expect(mapcountRaw(w, folio)).toBe(0);
    expect(has(w, folio, PG.owner_2)).toBe(true); // PG_anon_exclusive
    expect(has(w, folio, PG.lru) && has(w, folio, PG.swapbacked) && has(w, folio, PG.uptodate)).toBe(true);
    expect(has(w, folio, PG.head)).toBe(false);
    expect(w.k.mem.mapping.a[folio]).toBe(anonMapping(vma.anonVma));
    expect(w.k.mem.index.a[folio]).toBe(vma.pgoff + 5);
    expect(ptePresent(vma.pte.a[5]!)).toBe(true);
    expect(ptePfn(vma.pte.a[5]!)).toBe(folio);
    expect(pteBits(vma.pte.a[5]!) & (PTE_WRITE | PTE_EXCLUSIVE)).toBe(PTE_WRITE | PTE_EXCLUSIVE);
    expect(lruList(w, LRU.INACTIVE_ANON)).toEqual([folio]);
    expect(lruSize(w, LRU.INACTIVE_ANON)).toBe(1);
    expect(node_page_state(w.k, NS.NR_ANON_MAPPED)).toBe(1);
    // The first fault in a 2 MiB range also allocates its page-table page (one reference, PGTY_table).
    const pt = vma.ptPages.a[0]!;
    expect(w.k.mem.pageType.a[pt]).toBe(PGTY.table);
    expect(ref(w, pt)).toBe(1);
    expect(node_page_state(w.k, NS.NR_PAGETABLE)).toBe(1);
    expect(totalFree(w)).toBe(free0 - 2);
    expect(checkInvariants(w.k)).toEqual([]);
  });

  it('faults in the same 2 MiB range share one page table; the next range gets its own', () => {
    const vma = w.procs[0]!.heap;
    do_anonymous_page(w.k, vma, 0);
    do_anonymous_page(w.k, vma, 511);
    expect(node_page_state(w.k, NS.NR_PAGETABLE)).toBe(1);
    do_anonymous_page(w.k, vma, 512);
    expect(node_page_state(w.k, NS.NR_PAGETABLE)).toBe(2);
    expect(vma.ptPages.a[1]).not.toBe(vma.ptPages.a[0]);
  });

  it('an mTHP order-4 fault gives the head refcount 16 (one per PTE), tails 0, and each page its own _mapcount and PG_anon_exclusive', () => {
    const vma = w.procs[0]!.heap;
    const folio = do_anonymous_page(w.k, vma, 16, 4);
    expect(folio % 16).toBe(0);
    expect(ref(w, folio)).toBe(16);
    expect(has(w, folio, PG.head)).toBe(true);
    expect(w.k.mem.order.a[folio]).toBe(4);
    for (let i = 0; i < 16; i++) {
      if (i) {
        expect(ref(w, folio + i)).toBe(0);
        expect(w.k.mem.lruNext.a[folio + i]).toBe(-(folio + 2)); // compound_head
      }
      expect(mapcountRaw(w, folio + i)).toBe(0);
      expect(has(w, folio + i, PG.owner_2)).toBe(true);
      expect(ptePfn(vma.pte.a[16 + i]!)).toBe(folio + i);
    }
    expect(folio_mapcount(w.k, folio)).toBe(16);
    expect(node_page_state(w.k, NS.NR_ANON_MAPPED)).toBe(16);
    expect(lruSize(w, LRU.INACTIVE_ANON)).toBe(16);
    expect(checkInvariants(w.k)).toEqual([]);
  });

  it('an mTHP fault at a slot not aligned to the folio size is refused and changes nothing', () => {
    const free0 = totalFree(w);
    expect(do_anonymous_page(w.k, w.procs[0]!.heap, 8, 4)).toBe(-1);
    expect(totalFree(w)).toBe(free0);
  });

  it('zapping one PTE of an mTHP drops one reference and that page\'s mapcount only', () => {
    const vma = w.procs[0]!.heap;
    const folio = do_anonymous_page(w.k, vma, 32, 4);
    zap_pte(w.k, vma, 35);
    expect(vma.pte.a[35]).toBe(0);
    expect(ref(w, folio)).toBe(15);
    expect(mapcountRaw(w, folio + 3)).toBe(-1);
    expect(mapcountRaw(w, folio + 4)).toBe(0);
    expect(node_page_state(w.k, NS.NR_ANON_MAPPED)).toBe(15);
    expect(isFree(w, folio + 3)).toBe(false);
    expect(checkInvariants(w.k)).toEqual([]);
  });

  it('zapping the last PTE frees the folio to this CPU\'s per-CPU list, not (yet) to the buddy lists', () => {
    const vma = w.procs[0]!.heap;
    const folio = do_anonymous_page(w.k, vma, 7);
    const free1 = totalFree(w);
    zap_pte(w.k, vma, 7);
    expect(ref(w, folio)).toBe(0);
    expect(pcpPlace(w.k, folio)).toMatchObject({ head: folio, cpu: 0, order: 0 });
    expect(freePageMap(w.k)[folio]).toBe(0); // not PageBuddy
    expect(totalFree(w)).toBe(free1 + 1);
    expect(lruList(w, LRU.INACTIVE_ANON)).toEqual([]);
    expect(w.k.mem.flags.a[folio]).toBe(0);
    expect(w.k.mem.mapping.a[folio]).toBe(0);
    expect(checkInvariants(w.k)).toEqual([]);
  });
});

describe('page cache', () => {
  it('a page-cache read leaves refcount 1 (the cache\'s) after the allocation reference is dropped, unmapped', () => {
    const f = w.files[0]!;
    const folio = filemap_read_folio(w.k, f, 7);
    expect(ref(w, folio)).toBe(1);
    expect(mapcountRaw(w, folio)).toBe(-1);
    expect(f.pages.a[7]).toBe(folio);
    expect(w.k.mem.mapping.a[folio]).toBe(fileMapping(f.id));
    expect(w.k.mem.index.a[folio]).toBe(7);
    expect(has(w, folio, PG.uptodate) && has(w, folio, PG.lru)).toBe(true);
    expect(has(w, folio, PG.swapbacked)).toBe(false);
    expect(lruList(w, LRU.INACTIVE_FILE)).toEqual([folio]);
    expect(node_page_state(w.k, NS.NR_FILE_PAGES)).toBe(1);
    expect(filemap_read_folio(w.k, f, 7)).toBe(folio); // cached: no new folio, no new reference
    expect(ref(w, folio)).toBe(1);
    expect(checkInvariants(w.k)).toEqual([]);
  });

  it('an order-2 page-cache folio holds 4 references, one per page, all on the head', () => {
    const f = w.files[0]!;
    const folio = filemap_read_folio(w.k, f, 8, 2);
    expect(ref(w, folio)).toBe(4);
    expect([1, 2, 3].map((i) => ref(w, folio + i))).toEqual([0, 0, 0]);
    expect([8, 9, 10, 11].map((i) => f.pages.a[i])).toEqual([folio, folio, folio, folio]);
    expect(node_page_state(w.k, NS.NR_FILE_PAGES)).toBe(4);
    expect(lruSize(w, LRU.INACTIVE_FILE)).toBe(4);
  });

  it('a large read at an unaligned index falls back to order 0', () => {
    const folio = filemap_read_folio(w.k, w.files[0]!, 9, 2);
    expect(has(w, folio, PG.head)).toBe(false);
    expect(ref(w, folio)).toBe(1);
  });

  it('shmem folios are swapbacked and go on the anon LRU; ramfs folios are unevictable', () => {
    const shm = filemap_read_folio(w.k, w.files[1]!, 0);
    const ram = filemap_read_folio(w.k, w.files[2]!, 0);
    expect(has(w, shm, PG.swapbacked)).toBe(true);
    expect(lruList(w, LRU.INACTIVE_ANON)).toEqual([shm]);
    expect(node_page_state(w.k, NS.NR_SHMEM)).toBe(1);
    expect(has(w, ram, PG.unevictable)).toBe(true);
    // The unevictable LRU is a count (lruvec_add_folio): the folio is linked nowhere, page->lru
    // holds mlock_count 0 (ramfs, not mlock), and NR_ZONE_UNEVICTABLE counts it.
    expect(lruList(w, LRU.UNEVICTABLE)).toEqual([]);
    expect(has(w, ram, PG.lru)).toBe(true);
    expect(folio_mlock_count(w.k, ram)).toBe(0);
    expect(w.k.zones.reduce((n, z) => n + zone_page_state(w.k, z.idx, ZS.NR_ZONE_UNEVICTABLE), 0)).toBe(1);
    expect(checkInvariants(w.k)).toEqual([]);
  });

  it('buffer heads add one reference and set PG_private', () => {
    const folio = filemap_read_folio(w.k, w.files[0]!, 3);
    folio_attach_private(w.k, folio, 0xb0f);
    expect(ref(w, folio)).toBe(2);
    expect(has(w, folio, PG.private)).toBe(true);
    expect(w.k.mem.private_.a[folio]).toBe(0xb0f);
    expect(checkInvariants(w.k)).toEqual([]);
  });

  it('only a real file\'s dirty pages count in NR_FILE_DIRTY', () => {
    folio_mark_dirty(w.k, filemap_read_folio(w.k, w.files[0]!, 0, 2));
    folio_mark_dirty(w.k, filemap_read_folio(w.k, w.files[1]!, 0));
    folio_mark_dirty(w.k, filemap_read_folio(w.k, w.files[2]!, 0));
    expect(node_page_state(w.k, NS.NR_FILE_DIRTY)).toBe(4);
  });
});

describe('file faults', () => {
  it('a file fault adds one reference and one mapping to the cached page; a second process adds another', () => {
    const [p0, , p2] = w.procs;
    const folio = do_read_fault(w.k, p0!.fmap, 7);
    expect(ref(w, folio)).toBe(2); // cache 1 + PTE 1
    expect(mapcountRaw(w, folio)).toBe(0);
    expect(node_page_state(w.k, NS.NR_FILE_MAPPED)).toBe(1);
    expect(pteBits(p0!.fmap.pte.a[7]!) & PTE_WRITE).toBe(0); // proc0 maps it read-only
    expect(do_read_fault(w.k, p2!.fmap, 7)).toBe(folio);
    expect(ref(w, folio)).toBe(3);
    expect(mapcountRaw(w, folio)).toBe(1);
    expect(folio_mapcount(w.k, folio)).toBe(2);
    expect(node_page_state(w.k, NS.NR_FILE_MAPPED)).toBe(1); // pages mapped, not mappings
    expect(do_read_fault(w.k, p0!.fmap, 7)).toBe(-1); // already mapped: nothing changes
    expect(ref(w, folio)).toBe(3);
    expect(checkInvariants(w.k)).toEqual([]);
  });

  it('a file fault inside a large cached folio maps the right page and references the head', () => {
    const fmap = w.procs[0]!.fmap;
    const folio = filemap_read_folio(w.k, w.files[0]!, 8, 2);
    expect(do_read_fault(w.k, fmap, 10)).toBe(folio);
    expect(ptePfn(fmap.pte.a[10]!)).toBe(folio + 2);
    expect(ref(w, folio)).toBe(5); // cache 4 + PTE 1
    expect([0, 1, 2, 3].map((i) => mapcountRaw(w, folio + i))).toEqual([-1, -1, 0, -1]);
    expect(checkInvariants(w.k)).toEqual([]);
  });

  it('zapping a file PTE leaves the page cached with the cache\'s references', () => {
    const fmap = w.procs[0]!.fmap;
    const folio = do_read_fault(w.k, fmap, 4);
    zap_pte(w.k, fmap, 4);
    expect(ref(w, folio)).toBe(1);
    expect(mapcountRaw(w, folio)).toBe(-1);
    expect(w.files[0]!.pages.a[4]).toBe(folio);
    expect(node_page_state(w.k, NS.NR_FILE_MAPPED)).toBe(0);
  });
});

describe('exit_mmap and reclaim', () => {
  it('exit_mmap frees every anon folio and page table; after reclaiming the cache, buddyinfo is back to boot', () => {
    const before = buddyinfo(w.k);
    const free0 = totalFree(w);
    const { heap, fmap } = w.procs[0]!;
    for (let s = 0; s < 40; s++) do_anonymous_page(w.k, heap, s);
    expect(do_anonymous_page(w.k, heap, 64, 4)).toBeGreaterThanOrEqual(0);
    expect(do_anonymous_page(w.k, heap, 512, 9)).toBeGreaterThanOrEqual(0);
    for (let s = 0; s < 20; s++) do_read_fault(w.k, fmap, s * 3);
    expect(node_page_state(w.k, NS.NR_PAGETABLE)).toBe(3); // heap chunks 0 and 1, file chunk 0
    exit_mmap(w.k, w.procs[0]!.mm);
    expect(node_page_state(w.k, NS.NR_ANON_MAPPED)).toBe(0);
    expect(node_page_state(w.k, NS.NR_FILE_MAPPED)).toBe(0);
    expect(node_page_state(w.k, NS.NR_PAGETABLE)).toBe(0);
    expect(lruSize(w, LRU.INACTIVE_ANON)).toBe(0);
    expect(totalFree(w)).toBe(free0 - 20); // only the 20 cached file pages remain allocated
    expect(checkInvariants(w.k)).toEqual([]);
    const f = w.files[0]!;
    for (let i = 0; i < f.pages.a.length; i++) if (f.pages.a[i]! >= 0) expect(reclaim_clean_folio(w.k, f.pages.a[i]!)).toBe(true);
    expect(totalFree(w)).toBe(free0);
    drain_all_pages(w.k, null); // pcp pages merge only once drained
    expect(buddyinfo(w.k)).toBe(before); // every buddy merged back: the same maximal blocks
    expect(checkInvariants(w.k)).toEqual([]);
  });

  it('reclaim_clean_folio drops a clean unmapped cache folio (and its buffer heads) and frees it', () => {
    const f = w.files[0]!;
    const folio = filemap_read_folio(w.k, f, 12, 2);
    folio_attach_private(w.k, folio, 1);
    expect(reclaim_clean_folio(w.k, folio)).toBe(true);
    expect(f.pages.a.slice(12, 16)).toEqual(Int32Array.from([-1, -1, -1, -1]));
    expect([0, 1, 2, 3].every((i) => isFree(w, folio + i))).toBe(true);
    expect(node_page_state(w.k, NS.NR_FILE_PAGES)).toBe(0);
    expect(lruSize(w, LRU.INACTIVE_FILE)).toBe(0);
    expect(checkInvariants(w.k)).toEqual([]);
  });

  it('reclaim_clean_folio refuses a dirty folio', () => {
    const folio = filemap_read_folio(w.k, w.files[0]!, 2);
    folio_mark_dirty(w.k, folio);
    expect(reclaim_clean_folio(w.k, folio)).toBe(false);
    expect(ref(w, folio)).toBe(1);
    expect(w.files[0]!.pages.a[2]).toBe(folio);
  });

  it('reclaim_clean_folio refuses a clean shmem folio: without swap there is nowhere to drop it to', () => {
    const shm = w.files.find((f) => f.kind === 'shmem')!;
    const folio = filemap_read_folio(w.k, shm, 3);
    expect(reclaim_clean_folio(w.k, folio)).toBe(false);
    expect(shm.pages.a[3]).toBe(folio);
    expect(ref(w, folio)).toBe(1);
  });

  it('reclaim_clean_folio refuses a mapped folio', () => {
    const folio = do_read_fault(w.k, w.procs[0]!.fmap, 2);
    expect(reclaim_clean_folio(w.k, folio)).toBe(false);
    expect(ref(w, folio)).toBe(2);
    expect(w.files[0]!.pages.a[2]).toBe(folio);
  });

  it('reclaim_clean_folio refuses a large folio mapped through a tail page', () => {
    const folio = filemap_read_folio(w.k, w.files[0]!, 4, 2);
    do_read_fault(w.k, w.procs[0]!.fmap, 6);
    expect(reclaim_clean_folio(w.k, folio)).toBe(false);
    expect(w.files[0]!.pages.a[6]).toBe(folio);
  });

  it('reclaim_clean_folio refuses an unevictable (ramfs) folio', () => {
    const folio = filemap_read_folio(w.k, w.files[2]!, 0);
    expect(reclaim_clean_folio(w.k, folio)).toBe(false);
  });
});
