// Test-only helpers for the kernel's unit and property tests (imported by *.test.ts only).
// Two kinds of kernel: a bare one whose free memory a test places block by block, so expected
// free lists can be worked out by hand from the rules of mm/page_alloc.c; and a small booted one
// with processes, VMAs and files created up front (objects cannot be created while journaling,
// vm.ts), driven by a table of operations that a property test picks from at random.

import { __free_pages_core } from './buddy';
import { createKernel, defaultLayout, freeSlot, pageZone, type Kernel, type MemoryLayout } from './kernel';
import { listPfns } from './list';
import { setPageFlag, setPageRefcount } from './memmap';
import { PG } from './flags';
import { MIGRATE_TYPES, NR_PAGE_ORDERS, MAX_PAGE_ORDER } from './zone';
import { ZS, zone_page_state } from './vmstat';
import { boot } from './populate';
import { createAddressSpace, createAnonVma, createMm, createVma, ptePresent, type AddressSpace, type MmStruct, type Vma } from './vm';
import { alloc_kernel_pages, alloc_slab_page, free_slab_page } from './kalloc';
import {
  do_anonymous_page, do_read_fault, exit_mmap, filemap_read_folio, folio_attach_private, reclaim_clean_folio, zap_pte,
} from './memory';
import { folio_put } from './folio';
import { folio_mark_dirty } from './filemap';
import { folio_activate } from './lru';
import { pin_user_page, unpin_user_page } from './gup';
import { HOLD } from './pins';
import { lru_add_drain } from './swap';

/** One zone of `nrPfns` pages; every page starts as boot leaves it (reserved, refcount 1). */
export function bareKernel(nrPfns: number): Kernel {
  const layout: MemoryLayout = { nrPfns, zones: [{ name: 'Normal', start: 0, end: nrPfns }], holes: [] };
  const k = createKernel(layout);
  for (let p = 0; p < nrPfns; p++) {
    setPageRefcount(k, p, 1);
    setPageFlag(k, p, PG.reserved);
  }
  return k;
}

/** A bare kernel with one order-10 block free at PFN 0 (1024 pages). */
export function oneBlockKernel(): Kernel {
  const k = bareKernel(1024);
  __free_pages_core(k, 0, MAX_PAGE_ORDER);
  return k;
}

export interface FreeBlock {
  readonly pfn: number;
  readonly order: number;
  readonly mt: number;
}

/** Every free block of a zone, walking the free lists order by order, type by type, in list order. */
export function freeBlocks(k: Kernel, zone = 0): FreeBlock[] {
  const out: FreeBlock[] = [];
  for (let o = 0; o < NR_PAGE_ORDERS; o++) {
    for (let mt = 0; mt < MIGRATE_TYPES; mt++) {
      for (const pfn of listPfns(k, k.freeLists, freeSlot(zone, o, mt))) out.push({ pfn, order: o, mt });
    }
  }
  return out;
}

export function freeList(k: Kernel, zone: number, order: number, mt: number): number[] {
  return [...listPfns(k, k.freeLists, freeSlot(zone, order, mt))];
}

/** zone->free_area[0..10].nr_free */
export function nrFreeRow(k: Kernel, zone = 0): number[] {
  return Array.from(k.nrFree.a.slice(zone * NR_PAGE_ORDERS, (zone + 1) * NR_PAGE_ORDERS));
}

export function freePagesCounter(k: Kernel, zone = 0): number {
  return zone_page_state(k, zone, ZS.NR_FREE_PAGES);
}

/**
 * Split sorted free PFN runs into maximal naturally aligned power-of-two blocks (at most
 * MAX_PAGE_ORDER). This is what a fully merged buddy allocator must hold for a given set of free
 * pages, and what the real captures' buddyinfo is rebuilt from.
 */
export function alignedBlocksOfRun(start: number, end: number, out: (pfn: number, order: number) => void): void {
  let p = start;
  while (p < end) {
    let o = 0;
    while (o < MAX_PAGE_ORDER && (p & ((2 << o) - 1)) === 0 && p + (2 << o) <= end) o++;
    out(p, o);
    p += 1 << o;
  }
}

/** Same, over a per-PFN "is free" predicate, giving blocks sorted by PFN. */
export function alignedBlocks(nr: number, isFree: (pfn: number) => boolean): { pfn: number; order: number }[] {
  const out: { pfn: number; order: number }[] = [];
  for (let p = 0; p < nr;) {
    if (!isFree(p)) {
      p++;
      continue;
    }
    let e = p;
    while (e < nr && isFree(e)) e++;
    alignedBlocksOfRun(p, e, (pfn, order) => out.push({ pfn, order }));
    p = e;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// A small booted world for random operations.

export interface TestProc {
  readonly mm: MmStruct;
  readonly heap: Vma;
  readonly fmap: Vma;
}

export interface TestWorld {
  readonly k: Kernel;
  readonly procs: readonly TestProc[];
  readonly files: readonly AddressSpace[];
  readonly kpages: number[];
  readonly slabs: number[];
  readonly pins: { page: number; kind: typeof HOLD.FOLL_PIN | typeof HOLD.FOLL_GET }[];
}

/**
 * boot(defaultLayout(nrPfns)) plus 4 processes (a 1024-page anon heap each, 2 MiB aligned so
 * order-9 folios fit, and a file mapping) and 3 files (page cache, shmem, ramfs), all created
 * before any journaled step.
 */
export function createTestWorld(nrPfns = 8192): TestWorld {
  const k = boot(defaultLayout(nrPfns));
  const files = [
    createAddressSpace(k, '/usr/lib/libtest.so', 'file', 512),
    createAddressSpace(k, '/dev/shm/seg', 'shmem', 256),
    createAddressSpace(k, '/ramfs/blob', 'ramfs', 128),
  ];
  const procs: TestProc[] = [];
  for (let i = 0; i < 4; i++) {
    const mm = createMm(k, 100 + i, `proc${i}`);
    const start = 0x10000 + i * 0x100000;
    const heap = createVma(k, { mm, start, nrPages: 1024, pgoff: start, anonVma: createAnonVma(k), writable: true });
    const file = files[i === 1 ? 1 : i === 3 ? 2 : 0]!;
    const fmap = createVma(k, { mm, start: start + 0x80000, nrPages: file.pages.a.length, pgoff: 0, file, writable: i !== 0 });
    procs.push({ mm, heap, fmap });
  }
  return { k, procs, files, kpages: [], slabs: [], pins: [] };
}

/** An operation: a kind and two free parameters the executor reduces modulo what exists. */
export type Op = readonly [kind: number, a: number, b: number];

/** Weights of each kind of operation (out of OP_WEIGHT_TOTAL). */
const OPS: readonly (readonly [string, number])[] = [
  ['alloc kernel pages', 8],
  ['free kernel pages', 7],
  ['slab alloc', 6],
  ['slab free', 5],
  ['anon fault', 16],
  ['zap pte', 12],
  ['exit process', 1],
  ['file read', 10],
  ['file fault', 10],
  ['reclaim clean folio', 8],
  ['pin/get', 6],
  ['unpin/put', 5],
  ['mark dirty', 2],
  ['attach buffers', 2],
  ['activate', 2],
];
export const OP_WEIGHT_TOTAL = OPS.reduce((s, [, w]) => s + w, 0);

function opKind(x: number): number {
  let v = x % OP_WEIGHT_TOTAL;
  for (let i = 0; i < OPS.length; i++) {
    v -= OPS[i]![1];
    if (v < 0) return i;
  }
  return 0;
}

/** The next present PTE at or after `slot` (wrapping), or -1. */
function presentSlot(vma: Vma, slot: number): number {
  const n = vma.nrPages;
  for (let i = 0; i < n; i++) {
    const s = (slot + i) % n;
    if (ptePresent(vma.pte.a[s]!)) return s;
  }
  return -1;
}

function cachedFolio(w: TestWorld, a: number, b: number): number {
  const f = w.files[a % w.files.length]!;
  return f.pages.a[b % f.pages.a.length]!;
}

/** Run one operation; returns a short description (for failure messages). */
export function applyOp(w: TestWorld, [x, a, b]: Op): string {
  const { k } = w;
  const kind = opKind(x);
  const proc = w.procs[a % w.procs.length]!;
  switch (kind) {
    case 0: {
      const order = [0, 0, 0, 1, 2, 3, 5, 10][b % 8]!;
      const pfn = alloc_kernel_pages(k, order);
      if (pfn >= 0) w.kpages.push(pfn);
      return `alloc_kernel_pages(order ${order}) = ${pfn}`;
    }
    case 1: {
      if (!w.kpages.length) return 'free kernel pages: none';
      const pfn = w.kpages.splice(a % w.kpages.length, 1)[0]!;
      folio_put(k, pfn);
      return `folio_put(${pfn})`;
    }
    case 2: {
      const order = [0, 0, 1, 2, 3][b % 5]!;
      const pfn = alloc_slab_page(k, order, (a & 1) === 1);
      if (pfn >= 0) w.slabs.push(pfn);
      return `alloc_slab_page(order ${order}) = ${pfn}`;
    }
    case 3: {
      if (!w.slabs.length) return 'slab free: none';
      const pfn = w.slabs.splice(a % w.slabs.length, 1)[0]!;
      free_slab_page(k, pfn);
      return `free_slab_page(${pfn})`;
    }
    case 4: {
      const order = [0, 0, 0, 0, 2, 4, 4, 9][b % 8]!;
      const slot = ((b >>> 3) % proc.heap.nrPages) & ~((1 << order) - 1);
      const folio = do_anonymous_page(k, proc.heap, slot, order);
      return `do_anonymous_page(${proc.mm.comm}, ${slot}, order ${order}) = ${folio}`;
    }
    case 5: {
      const vma = b & 1 ? proc.fmap : proc.heap;
      const slot = presentSlot(vma, (b >>> 1) % vma.nrPages);
      if (slot >= 0) zap_pte(k, vma, slot);
      return `zap_pte(${proc.mm.comm} vma ${vma.id}, ${slot})`;
    }
    case 6:
      exit_mmap(k, proc.mm);
      return `exit_mmap(${proc.mm.comm})`;
    case 7: {
      const f = w.files[a % w.files.length]!;
      const order = f.kind === 'file' && b & 0x10000 ? 2 : 0;
      const index = (b % f.pages.a.length) & ~((1 << order) - 1);
      const folio = filemap_read_folio(k, f, index, order);
      return `filemap_read_folio(${f.name}, ${index}, order ${order}) = ${folio}`;
    }
    case 8: {
      const slot = b % proc.fmap.nrPages;
      const folio = do_read_fault(k, proc.fmap, slot);
      return `do_read_fault(${proc.mm.comm}, ${slot}) = ${folio}`;
    }
    case 9: {
      const folio = cachedFolio(w, a, b);
      const ok = folio >= 0 && reclaim_clean_folio(k, folio);
      return `reclaim_clean_folio(${folio}) = ${ok}`;
    }
    case 10: {
      const vma = b & 1 ? proc.fmap : proc.heap;
      const slot = presentSlot(vma, (b >>> 2) % vma.nrPages);
      if (slot < 0) return 'pin: nothing mapped';
      const pinKind = b & 2 ? HOLD.FOLL_PIN : HOLD.FOLL_GET;
      const page = pin_user_page(k, vma, slot, pinKind);
      w.pins.push({ page, kind: pinKind });
      return `pin_user_page(${proc.mm.comm} vma ${vma.id}, ${slot}, ${pinKind === HOLD.FOLL_PIN ? 'FOLL_PIN' : 'FOLL_GET'}) = ${page}`;
    }
    case 11: {
      if (!w.pins.length) return 'unpin: none';
      const p = w.pins.splice(a % w.pins.length, 1)[0]!;
      unpin_user_page(k, p.page, p.kind);
      return `unpin_user_page(${p.page}, ${p.kind})`;
    }
    case 12: {
      const folio = cachedFolio(w, a, b);
      if (folio >= 0) folio_mark_dirty(k, folio);
      return `folio_mark_dirty(${folio})`;
    }
    case 13: {
      const folio = cachedFolio(w, a, b);
      if (folio >= 0 && !(k.mem.flags.a[folio]! & (1 << PG.private))) folio_attach_private(k, folio, 1);
      return `folio_attach_private(${folio})`;
    }
    default: {
      const vma = b & 1 ? proc.fmap : proc.heap;
      const slot = presentSlot(vma, (b >>> 1) % vma.nrPages);
      if (slot < 0) return 'activate: nothing mapped';
      const page = vma.pte.a[slot]! - 1;
      const folio = k.mem.lruNext.a[page]! <= -2 ? -k.mem.lruNext.a[page]! - 2 : page;
      folio_activate(k, pageZone(k, folio), folio);
      return `folio_activate(${folio})`;
    }
  }
}

/**
 * `fn` followed by lru_add_drain(), so the folio it returns is on the LRU and CPU 0's lru_add
 * batch holds no reference of its own (for tests that count other references; swap.test.ts is
 * about the batch's).
 */
export function drainedAfter<A extends unknown[]>(kernel: () => Kernel, fn: (...a: A) => number): (...a: A) => number {
  return (...a: A): number => {
    const folio = fn(...a);
    lru_add_drain(kernel(), 'test');
    return folio;
  };
}
