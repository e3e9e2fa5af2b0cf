// Populating memory from a seed so that it looks like a real machine's after some uptime:
// memblock reservations (first MiB, kernel image, the memmap itself) are made at boot, the rest
// is handed to the buddy allocator, and then a workload runs through the real allocator —
// processes fault anonymous memory, files are read and mapped, slab and page tables grow —
// followed by churn (processes exit, clean cache is reclaimed, slab shrinks) and a partial
// refill. Unmovable allocations made along the way stay where they landed, which is what
// fragments memory, as on a real machine (compare reference/real-kernel/*/before.buddyinfo).

import { lru_add_drain_all } from './swap';
import { decay_pcp_idle } from './pcp';
import { createPrng, type Prng } from './prng';
import { createKernel, defaultLayout, pageZone, pfnValid, ramEnd, type Kernel, type MemoryLayout } from './kernel';
import { MAX_PAGE_ORDER } from './zone';
import { __free_pages_core } from './buddy';
import { setPageRefcount } from './memmap';
import { alloc_kernel_pages, alloc_slab_page, free_slab_page, reservePage } from './kalloc';
import {
  anonRangeFree, copy_anon_vma_ptes, do_anonymous_page, do_read_fault, exit_mmap, filemap_read_folio, folio_attach_private,
  reclaim_clean_folio,
} from './memory';
import { folio_mark_dirty } from './filemap';
import { folio_put } from './folio';
import { folio_activate } from './lru';
import { node_page_state, NS } from './vmstat';
import { rehash } from './store';
import { PG } from './flags';
import { memremap_pages } from './device';
import { hugetlb_populate } from './hugetlb-fault';
import { spreadPgtables } from './populate-pgtables';
import { testPageFlag } from './memmap';
import { createAddressSpace, createAnonVma, createMm, createVma, type AddressSpace, type MmStruct, type Vma } from './vm';

export interface PopulateSpec {
  readonly seed: number;
  readonly nrPfns: number;
  /** Target shares of all PFNs at the end (approximate). */
  readonly anon: number;
  readonly file: number;
  readonly shmem: number;
  readonly ramfs: number;
  readonly slab: number;
  readonly kernel: number;
  /** Share of anonymous memory faulted as large folios (mTHP order 4, THP order 9). */
  readonly largeAnon: number;
  /** 0 = no churn; 1 = about half of user memory freed and refilled once. */
  readonly churn: number;
  readonly processes: number;
  readonly files: number;
  /** Live processes that fork at the end, so some anonymous folios are mapped by two processes. */
  readonly forks: number;
  /** Device-private memory (ZONE_DEVICE) above RAM, in pages; 0 = none. */
  readonly devicePages?: number;
  /** hugepages=N: the 2 MiB hugetlb pool allocated at boot; 0 = none. */
  readonly hugepages?: number;
  /** How many pool folios the map_hugetlb process (process 0) faults into its MAP_HUGETLB area. */
  readonly hugetlbMapped?: number;
  /** vm.nr_overcommit_hugepages: how many surplus folios faults may take from the buddy past the pool. */
  readonly hugetlbOvercommit?: number;
  /** How many processes (the first ones) run under mlockall(MCL_CURRENT | MCL_FUTURE): VM_LOCKED heaps. */
  readonly mlocked?: number;
  /** Small processes started last, each with its page table alone in a pageblock (populate-pgtables.ts). */
  readonly pgtableProcesses?: number;
}

export const DEFAULT_POPULATE: PopulateSpec = {
  seed: 1,
  nrPfns: 131072,
  anon: 0.26,
  file: 0.16,
  shmem: 0.04,
  ramfs: 0.011,
  slab: 0.035,
  kernel: 0.03,
  largeAnon: 0.15,
  churn: 1,
  processes: 24,
  files: 48,
  forks: 2,
};

/** memblock's reservations: the first MiB, the kernel image, the memmap, a firmware tail. */
export function bootReservations(nr: number): { start: number; end: number }[] {
  const r = [{ start: 0, end: Math.min(0x100, nr) }];
  if (nr >= 0x4000) {
    const image = Math.min(0x3400, nr >> 4);
    r.push({ start: 0x1000, end: 0x1000 + image });
  }
  const memmap = Math.max(1, Math.ceil((nr * 64) / 4096)); // struct page is 64 bytes
  r.push({ start: nr - memmap - 35, end: nr });
  return r;
}

// mm/mm_init.c: memmap_init() + memblock_free_all(): every valid PFN starts reserved with a
// reference; free ranges are released in naturally aligned blocks of up to MAX_PAGE_ORDER.
export function boot(layout: MemoryLayout): Kernel {
  const k = createKernel(layout);
  const nr = ramEnd(layout);
  const reserved = new Uint8Array(nr);
  for (const r of bootReservations(nr)) reserved.fill(1, r.start, r.end);
  for (let pfn = 0; pfn < nr; pfn++) {
    if (!pfnValid(k, pfn)) continue;
    setPageRefcount(k, pfn, 1); // init_page_count()
    reservePage(k, pfn);
  }
  let pfn = 0;
  while (pfn < nr) {
    if (reserved[pfn] || !pfnValid(k, pfn)) {
      pfn++;
      continue;
    }
    let order = MAX_PAGE_ORDER;
    while (order > 0 && (pfn & ((1 << order) - 1) || !rangeFree(k, reserved, pfn, 1 << order))) order--;
    __free_pages_core(k, pfn, order);
    pfn += 1 << order;
  }
  return k;
}

function rangeFree(k: Kernel, reserved: Uint8Array, pfn: number, n: number): boolean {
  if (pfn + n > reserved.length) return false;
  for (let i = pfn; i < pfn + n; i++) if (reserved[i] || !pfnValid(k, i)) return false;
  // A block may not straddle a zone boundary.
  const z = k.blockZone[pfn >> 9];
  return k.blockZone[(pfn + n - 1) >> 9] === z;
}

interface Proc {
  readonly mm: MmStruct;
  readonly heap: Vma;
  readonly maps: Vma[];
  next: number;
  alive: boolean;
}

// The loops below pick among processes and files on every allocation; the lists they pick from
// are kept up to date as pages are faulted, not recomputed each time, so populating is linear in
// processes and files (65,536 PFNs, 4,096 processes, anon 0.6: 27 s when each pick filtered
// every process and file, 6 s now).
interface World {
  readonly k: Kernel;
  readonly rng: Prng;
  readonly spec: PopulateSpec;
  readonly procs: Proc[];
  readonly files: AddressSpace[];
  readonly fileNext: number[];
  /** Σ fileNext per kind: the pages read so far into files of that kind. */
  readonly fileRead: Record<AddressSpace['kind'], number>;
  /** Per kind, the indices (ascending) of files not yet read to their end. */
  readonly fileOpen: Record<AddressSpace['kind'], number[]>;
  readonly slabs: number[];
  readonly kpages: number[];
  /** During fill(): alive processes whose heap has room, in spawn order. */
  live: Proc[];
  /** Alive processes. */
  alive: number;
  pid: number;
  slabPages: number;
}

const COMMS = ['systemd', 'sshd', 'postgres', 'java', 'nginx', 'python3', 'chromium', 'redis-server', 'qemu', 'bash', 'gcc', 'node'];

function spawn(w: World): Proc {
  const { k, rng, spec } = w;
  const id = w.procs.length;
  const mm = createMm(k, 1000 + w.pid++, COMMS[id % COMMS.length]!);
  const heapPages = Math.max(1024, Math.ceil((spec.anon * spec.nrPfns * 1.8) / spec.processes));
  const start = 0x10000 + id * 0x100000; // 4 GiB apart, 2 MiB aligned
  const heap = createVma(k, { mm, start, nrPages: heapPages, pgoff: start, anonVma: createAnonVma(k), writable: true, locked: id < (spec.mlocked ?? 0) });
  const maps: Vma[] = [];
  // Shared libraries: each process maps parts of a few files read-only.
  for (let i = 0; i < 2 && w.files.length; i++) {
    const f = w.files[rng.below(w.files.length)]!;
    if (f.kind !== 'file') continue;
    const len = Math.min(f.pages.a.length, 64 + rng.below(256));
    maps.push(createVma(k, { mm, start: start + 0x80000 + i * 0x10000, nrPages: len, pgoff: 0, file: f, writable: false }));
  }
  const p = { mm, heap, maps, next: 0, alive: true };
  w.procs.push(p);
  w.live.push(p);
  w.alive++;
  return p;
}

function faultAnon(w: World, p: Proc, n: number): void {
  const { k, rng, spec } = w;
  for (let done = 0; done < n && p.next < p.heap.nrPages;) {
    let order = 0;
    if (rng.chance(spec.largeAnon / 8)) order = rng.chance(0.3) ? 9 : 4;
    if (order && !anonRangeFree(p.heap, p.next, order)) {
      const align = 1 << order;
      const aligned = (((p.heap.start + p.next + align - 1) & ~(align - 1)) - p.heap.start);
      if (aligned + align <= p.heap.nrPages) p.next = aligned;
      else order = 0;
    }
    let folio = do_anonymous_page(k, p.heap, p.next, order);
    if (folio < 0 && order) folio = do_anonymous_page(k, p.heap, p.next, (order = 0));
    if (folio < 0) return;
    p.next += 1 << order;
    done += 1 << order;
    if (rng.chance(0.3)) folio_activate(k, pageZone(k, folio), folio);
  }
}

function readFile(w: World, fi: number, n: number): void {
  const { k, rng } = w;
  const f = w.files[fi]!;
  for (let i = 0; i < n; i++) {
    const idx = w.fileNext[fi]!;
    if (idx >= f.pages.a.length) return;
    const order = f.kind === 'file' && rng.chance(0.1) ? 2 : 0;
    const folio = filemap_read_folio(k, f, idx, order);
    if (folio < 0) return;
    const next = idx + (1 << k.mem.order.a[folio]!);
    w.fileNext[fi] = next;
    w.fileRead[f.kind] += next - idx;
    if (next >= f.pages.a.length) removeSorted(w.fileOpen[f.kind], fi);
    if (f.kind !== 'ramfs' && rng.chance(0.25)) folio_activate(k, pageZone(k, folio), folio);
    if (f.kind !== 'file') folio_mark_dirty(k, folio); // tmpfs/ramfs data exists only in memory
    else if (rng.chance(0.1)) folio_mark_dirty(k, folio);
    if (f.kind === 'file' && rng.chance(0.12) && !testPageFlag(k, folio, PG.private)) folio_attach_private(k, folio, 1);
  }
}

function kernelWork(w: World): void {
  const { k, rng, spec } = w;
  const nr = spec.nrPfns;
  if (w.slabPages < spec.slab * nr && rng.chance(0.6)) {
    const order = rng.chance(0.7) ? 0 : 1 + rng.below(3);
    const pfn = alloc_slab_page(k, order, rng.chance(0.45));
    if (pfn >= 0) {
      w.slabs.push(pfn);
      w.slabPages += 1 << order;
    }
  }
  if (w.kpages.length < spec.kernel * nr && rng.chance(0.5)) {
    const pfn = alloc_kernel_pages(k, 0);
    if (pfn >= 0) w.kpages.push(pfn);
  }
}

/** Remove `v` from an ascending array (binary search). */
function removeSorted(a: number[], v: number): void {
  let lo = 0, hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid]! < v) lo = mid + 1;
    else hi = mid;
  }
  if (a[lo] === v) a.splice(lo, 1);
}

function fill(w: World, anonTarget: number): void {
  const { k, rng, spec } = w;
  const nr = spec.nrPfns;
  w.live = w.procs.filter((p) => p.alive && p.next < p.heap.nrPages);
  w.alive = w.procs.filter((q) => q.alive).length;
  for (let guard = 0; guard < nr; guard++) {
    kernelWork(w);
    const live = w.live;
    const wantAnon = node_page_state(k, NS.NR_ANON_MAPPED) < anonTarget;
    const wantFile = (['file', 'shmem', 'ramfs'] as const).filter((kd) => w.fileRead[kd] < spec[kd] * nr);
    if (!wantAnon && wantFile.length === 0) return;
    if (wantAnon && (wantFile.length === 0 || rng.chance(0.55))) {
      const canSpawn = w.alive < spec.processes && w.procs.length < 2 * spec.processes;
      if (!live.length && !canSpawn) return; // every heap is full: stop rather than grow without bound
      const p = live.length && (!canSpawn || rng.chance(0.9)) ? live[rng.below(live.length)]! : spawn(w);
      faultAnon(w, p, 1 + rng.below(48));
      if (p.next >= p.heap.nrPages) w.live.splice(w.live.indexOf(p), 1);
      if (p.maps.length && rng.chance(0.3)) {
        const m = p.maps[rng.below(p.maps.length)]!;
        for (let s = 0; s < Math.min(m.nrPages, 32); s++) do_read_fault(k, m, rng.below(m.nrPages));
      }
    } else if (wantFile.length) {
      const kind = wantFile[rng.below(wantFile.length)]!;
      const cands = w.fileOpen[kind];
      if (!cands.length) continue;
      readFile(w, cands[rng.below(cands.length)]!, 1 + rng.below(64));
    }
  }
}

// kernel/fork.c: the first `forks` live processes with anonymous memory fork once; the child
// shares every anonymous page copy-on-write (mapcount 2, not anon-exclusive).
function forkSome(w: World): void {
  const { k } = w;
  let left = w.spec.forks;
  for (const p of [...w.procs]) {
    if (left <= 0) break;
    if (!p.alive || p.next === 0) continue;
    const mm = createMm(k, 1000 + w.pid++, p.mm.comm);
    const heap = createVma(k, { mm, start: p.heap.start, nrPages: p.heap.nrPages, pgoff: p.heap.pgoff, anonVma: k.vm.anonVmas[p.heap.anonVma], writable: true });
    copy_anon_vma_ptes(k, p.heap, heap);
    w.procs.push({ mm, heap, maps: [], next: p.next, alive: true });
    left--;
  }
}

/** Drop the entries at `freed` indices, keeping the others in order. */
function keepUnfreed(a: number[], freed: ReadonlySet<number>): void {
  let j = 0;
  for (let i = 0; i < a.length; i++) if (!freed.has(i)) a[j++] = a[i]!;
  a.length = j;
}

function churn(w: World): void {
  const { k, rng, spec } = w;
  // Processes exit.
  for (const p of w.procs) {
    if (p.alive && rng.chance(0.45 * spec.churn)) {
      exit_mmap(k, p.mm);
      p.alive = false;
    }
  }
  // Reclaim clean page cache, file by file, scattered.
  for (let fi = 0; fi < w.files.length; fi++) {
    const f = w.files[fi]!;
    if (f.kind !== 'file') continue;
    for (let idx = 0; idx < w.fileNext[fi]!; idx++) {
      const folio = f.pages.a[idx]!;
      if (folio >= 0 && k.mem.index.a[folio] === idx && rng.chance(0.5 * spec.churn)) reclaim_clean_folio(k, folio);
    }
  }
  // Slab shrinkers free part of the reclaimable caches; some kernel pages go back too.
  const freed = new Set<number>();
  for (let i = w.slabs.length - 1; i >= 0; i--) {
    if (rng.chance(0.3 * spec.churn)) {
      w.slabPages -= 1 << k.mem.order.a[w.slabs[i]!]!;
      free_slab_page(k, w.slabs[i]!);
      freed.add(i);
    }
  }
  keepUnfreed(w.slabs, freed);
  freed.clear();
  for (let i = w.kpages.length - 1; i >= 0; i--) {
    if (rng.chance(0.2 * spec.churn)) {
      folio_put(k, w.kpages[i]!);
      freed.add(i);
    }
  }
  keepUnfreed(w.kpages, freed);
}

export function populate(spec: PopulateSpec, layout: MemoryLayout = defaultLayout(spec.nrPfns, spec.devicePages ?? 0)): Kernel {
  const k = boot(layout);
  if (spec.devicePages) memremap_pages(k);
  const rng = createPrng(spec.seed);
  const w: World = {
    k, rng, spec, procs: [], files: [], fileNext: [], fileRead: { file: 0, shmem: 0, ramfs: 0 }, fileOpen: { file: [], shmem: [], ramfs: [] },
    slabs: [], kpages: [], live: [], alive: 0, pid: 0, slabPages: 0,
  };
  // hugepages= on the command line: the pool is taken while memory is unfragmented, and its
  // user is the first process (hugetlb-fault.ts).
  if (spec.hugepages || spec.hugetlbOvercommit) hugetlb_populate(k, 1000 + w.pid++, spec.hugepages ?? 0, spec.hugetlbMapped ?? 0, spec.hugetlbOvercommit ?? 0);
  const nr = spec.nrPfns;
  const kinds: AddressSpace['kind'][] = [];
  for (let i = 0; i < spec.files; i++) kinds.push(i % 12 === 0 ? 'ramfs' : i % 5 === 0 ? 'shmem' : 'file');
  const count = { file: 0, shmem: 0, ramfs: 0 };
  for (const kind of kinds) count[kind]++;
  kinds.forEach((kind, i) => {
    const share = kind === 'file' ? spec.file : kind === 'shmem' ? spec.shmem : spec.ramfs;
    const size = Math.max(16, Math.ceil(((share * nr) / count[kind]) * (0.5 + rng.below(100) / 50)));
    const name = kind === 'file' ? `/usr/lib/file${i}.so` : kind === 'shmem' ? `/dev/shm/seg${i}` : `/ramfs/blob${i}`;
    w.files.push(createAddressSpace(k, name, kind, size));
    w.fileNext.push(0);
    w.fileOpen[kind].push(i);
  });
  // Boot: the kernel's own early allocations.
  for (let i = 0; i < nr * (spec.slab + spec.kernel) * 0.4; i++) kernelWork(w);
  for (let i = 0; i < Math.ceil(spec.processes / 2); i++) spawn(w);
  fill(w, spec.anon * nr * (1 + 0.6 * spec.churn));
  if (spec.churn > 0) {
    churn(w);
    fill(w, spec.anon * nr);
  }
  forkSome(w);
  if (spec.pgtableProcesses) w.pid += spreadPgtables(k, spec.pgtableProcesses, 1000 + w.pid);
  // The last folios the work added wait in CPU 0's lru_add batch. Nothing drains a real idle
  // machine's batches on a timer (the vmstat worker drains only pcp pages); the model drains them
  // here, as the next lru_add_drain_all() caller would (compact_memory, a long-term pin, mbind), so
  // that every scenario starts with empty batches and a batch on screen is one its actions filled.
  lru_add_drain_all(k, 'populate');
  // Uptime after the work: the vmstat worker has decayed every pcp->high to high_min (decay_pcp_high).
  decay_pcp_idle(k);
  rehash(k.st);
  return k;
}
