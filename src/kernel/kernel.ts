// The simulated kernel's state: one node, its zones, the page frame array and every structure
// migration touches. All of it lives in journaled stores (store.ts); the plain objects here only
// hold immutable layout and handles to stores.

import { createDeferredSplitState, type DeferredSplitState } from './deferred-split';
import { createStores, addStore, type Store, type Stores } from './store';
import { createMemmap, type Memmap, type PageAccess } from './memmap';
import type { ListHeads } from './list';
import {
  MIGRATE_TYPES, NR_PAGE_ORDERS, PAGEBLOCK_ORDER, MT, type Zone, type ZoneName, type PageblockAccess,
} from './zone';
import { NR_LRU_LISTS } from './lru';
import { createVm, type Vm } from './vm';
import { createPinTable, type PinTable } from './pins';
import { NR_NS, NR_VM_EVENTS, NR_ZS } from './vmstat';
import type { SpanSink, StepRecord } from './step';
import type { GuardKind } from './guards';
import type { DesignName } from './designs/names';
import { createFolioLists, type FolioLists } from './folio-lists';
import { createCompactState, type CompactState } from './compaction-state';
import { createDeviceState, type DeviceState } from './device-state';
import { createHugetlbState, type HugetlbState } from './hugetlb-state';
import { createPcpState, type PcpState } from './pcp-state';
import { createSwapState, type SwapState } from './swap_state';
import { createFbatchState, type FbatchState } from './fbatch-state';
import type { IsolatorTable } from './isolators';

export interface ZoneSpec {
  readonly name: ZoneName;
  readonly start: number;
  readonly end: number;
}

export interface MemoryLayout {
  readonly nrPfns: number;
  readonly zones: readonly ZoneSpec[];
  /** PFN ranges with no struct page (pfn_valid() false), e.g. the PCI hole below 4 GiB. */
  readonly holes: readonly { readonly start: number; readonly end: number }[];
}

export interface Kernel extends PageAccess, PageblockAccess {
  readonly st: Stores;
  readonly mem: Memmap;
  readonly layout: MemoryLayout;
  readonly zones: readonly Zone[];
  /** Zone index per pageblock (static layout, not state). */
  readonly blockZone: Uint8Array;
  readonly pageblock: Store & { a: Uint8Array };
  /** zone->free_area[order].free_list[mt], slot = freeSlot(zone, order, mt). */
  readonly freeLists: ListHeads;
  /** Per zone and CPU: the per-CPU page lists (zone->per_cpu_pageset). */
  readonly pcp: PcpState;
  /** Per CPU: the lru_add folio batch folio_add_lru() fills (cpu_fbatches.lru_add, swap.ts). */
  readonly fbatch: FbatchState;
  /**
   * smp_processor_id() of the code running now: set by the engine per task (not state: which
   * CPU runs a task follows from the scenario).
   */
  cpu: number;
  /** Guards switched off (guards.ts): empty but for the schedule sweep's "design without X". Not state. */
  readonly guardsOff: Set<GuardKind>;
  /** The design the run follows (the scenario's variant), set by the engine; not state. */
  variant: DesignName;
  /**
   * leak_balloon() calls in flight (balloon.ts: balloon_leak). Not state: which task is where
   * follows from the scenario. While one is, isolation of a balloon page is stepped, the gap between
   * folio_trylock() and isolate_page() a step of its own (isolate-stepped.ts).
   */
  balloonDeflating: number;
  /**
   * The running task is one of a `race` action's migrators: isolation and migration show each
   * guard as its own step (guard-steps.ts). Set by the engine per task, like cpu; not state.
   */
  raced: boolean;
  /** zone->free_area[order].nr_free, slot = zone * NR_PAGE_ORDERS + order. */
  readonly nrFree: Store & { a: Int32Array };
  readonly zstat: Store & { a: Int32Array };
  readonly nstat: Store & { a: Int32Array };
  /** vm events (pgmigrate_success, ...): counters that only grow, as in /proc/vmstat. */
  readonly events: Store & { a: Int32Array };
  /** The node's lruvec lists (memcg not modelled: one lruvec). */
  readonly lru: ListHeads;
  readonly vm: Vm;
  readonly pins: PinTable;
  /** Private folio lists of migration callers (page->lru threaded). */
  readonly lists: FolioLists;
  /** The virtio balloon's balloon_dev_info: its pages list, isolated_pages, and vb->balloon_lock. */
  /** zsmalloc: the first page of each zspage (by id), and how many zspages exist. */
  readonly zs: { readonly first: Store & { a: Int32Array }; readonly n: Store & { a: Int32Array } };
  readonly balloon: {
    readonly list: ListHeads;
    /** The no-refcount design variant tracks its pages in a PFN array instead of page->lru. */
    readonly pfns: Store & { a: Int32Array };
    readonly nr: Store & { a: Int32Array };
    readonly isolated: Store & { a: Int32Array };
    readonly lock: Store & { a: Int32Array };
  };
  /** Compaction: per-zone cached scanners and deferral, running compactions, capture_control. */
  readonly compact: CompactState;
  /** Device-private memory: the driver's free pool and the migrate_vma in progress. */
  readonly device: DeviceState;
  /** The 2 MiB hstate: its free and active lists, counters and each huge folio's mapcount. */
  readonly hugetlb: HugetlbState;
  readonly deferred: DeferredSplitState;
  /** The swap cache of swap type 0 (swap_state.ts). */
  readonly swap: SwapState;
  /**
   * Where kernel code reports steps it passes without yielding (emitStep), each with its journal
   * mark; set by the engine while a path runs, null otherwise (populate pays one null check).
   */
  sink: StepRecord[] | null;
  /** Where kernel paths report their spans (step.ts: spanOpen); set by the engine. */
  spans: SpanSink | null;
  /** While set, freeing reports no steps of its own (__folio_put, __free_one_page): bulk work. */
  quietFrees: boolean;
  /** Tracepoint lines waiting for the next step (step.ts: traceEvent). */
  readonly pendingTrace: string[];
  /**
   * Pages isolated without a reference (the no-refcount design), by isolator (isolators.ts).
   * Created after populating, before journaling starts (createTimeline): its stores come last,
   * so the other stores keep their ids and every state hash stays what it was.
   */
  isolators: IsolatorTable | null;
}

export const freeSlot = (zone: number, order: number, mt: number): number =>
  (zone * NR_PAGE_ORDERS + order) * MIGRATE_TYPES + mt;

/**
 * The usual x86-64 layout: ZONE_DMA below 16 MiB, ZONE_DMA32 below 4 GiB, ZONE_NORMAL above.
 * ZONE_DMA starts at PFN 1: the e820 setup reserves page 0 for the BIOS (e820__memblock_setup
 * never hands it to memblock), so zone_start_pfn is 1, as real zoneinfo and the compaction
 * tracepoints print (zone_start=0x1). PFN 0 keeps its struct page, PG_reserved.
 * Machines with more than 3 GiB get the PCI hole between 3 and 4 GiB, as real ones do.
 */
export function defaultLayout(nrPfns: number, devicePages = 0): MemoryLayout {
  const zones: ZoneSpec[] = [{ name: 'DMA', start: 1, end: Math.min(nrPfns, 0x1000) }];
  if (nrPfns > 0x1000) zones.push({ name: 'DMA32', start: 0x1000, end: Math.min(nrPfns, 0x100000) });
  if (nrPfns > 0x100000) zones.push({ name: 'Normal', start: 0x100000, end: nrPfns });
  const holes = nrPfns > 0x100000 ? [{ start: 0xc0000, end: 0x100000 }] : [];
  // A device's memory (memremap_pages(), MEMORY_DEVICE_PRIVATE) gets struct pages right above
  // RAM, in ZONE_DEVICE; it is never handed to the buddy allocator.
  if (devicePages > 0) zones.push({ name: 'Device', start: nrPfns, end: nrPfns + devicePages });
  return { nrPfns: nrPfns + devicePages, zones, holes };
}

/** The end of RAM: where ZONE_DEVICE starts, or the end of the PFN space. */
export function ramEnd(layout: MemoryLayout): number {
  return layout.zones.find((z) => z.name === 'Device')?.start ?? layout.nrPfns;
}

export function createKernel(layout: MemoryLayout): Kernel {
  const st = createStores();
  const nr = layout.nrPfns;
  if (!Number.isInteger(nr) || nr < 1 << PAGEBLOCK_ORDER || nr % (1 << PAGEBLOCK_ORDER) !== 0) {
    throw new Error(`memory size must be a positive multiple of 512 PFNs (one pageblock), got ${nr}`);
  }
  const mem = createMemmap(st, nr);
  const zones = layout.zones.map((z, idx) => ({ idx, name: z.name, start: z.start, end: z.end }));
  const nrBlocks = nr >> PAGEBLOCK_ORDER;
  const blockZone = new Uint8Array(nrBlocks).fill(0xff);
  for (const z of zones) {
    for (let b = z.start >> PAGEBLOCK_ORDER; b < (z.end + (1 << PAGEBLOCK_ORDER) - 1) >> PAGEBLOCK_ORDER; b++) {
      if (blockZone[b] === 0xff) blockZone[b] = z.idx;
    }
  }
  const nz = zones.length;
  const k: Kernel = {
    st,
    mem,
    layout,
    zones,
    blockZone,
    // memmap_init_range() marks every pageblock MIGRATE_MOVABLE at boot.
    pageblock: addStore(st, 'pageblock.flags', new Uint8Array(nrBlocks).fill(MT.MOVABLE), MT.MOVABLE),
    freeLists: {
      heads: addStore(st, 'zone.free_area.free_list', new Int32Array(2 * nz * NR_PAGE_ORDERS * MIGRATE_TYPES).fill(-1), -1),
      counts: addStore(st, 'zone.free_area.free_list.count (model)', new Int32Array(nz * NR_PAGE_ORDERS * MIGRATE_TYPES)),
    },
    pcp: createPcpState(st, nz, nr),
    fbatch: createFbatchState(st),
    cpu: 0,
    guardsOff: new Set(),
    variant: 'linux-6.18',
    balloonDeflating: 0,
    raced: false,
    nrFree: addStore(st, 'zone.free_area.nr_free', new Int32Array(nz * NR_PAGE_ORDERS)),
    zstat: addStore(st, 'zone.vm_stat', new Int32Array(nz * NR_ZS)),
    nstat: addStore(st, 'node.vm_stat', new Int32Array(NR_NS)),
    events: addStore(st, 'vm_event_states', new Int32Array(NR_VM_EVENTS)),
    lru: { heads: addStore(st, 'lruvec.lists', new Int32Array(2 * NR_LRU_LISTS).fill(-1), -1) },
    vm: createVm(),
    pins: createPinTable(st),
    lists: createFolioLists(st),
    zs: {
      first: addStore(st, 'zsmalloc.zspage.first', new Int32Array(256).fill(-1), -1),
      n: addStore(st, 'zsmalloc.nr_zspages', new Int32Array(1)),
    },
    balloon: {
      list: { heads: addStore(st, 'balloon.pages', new Int32Array(2).fill(-1), -1) },
      pfns: addStore(st, 'balloon.pfns', new Int32Array(1024).fill(-1), -1),
      nr: addStore(st, 'balloon.nr_pfns', new Int32Array(1)),
      isolated: addStore(st, 'balloon.isolated_pages', new Int32Array(1)),
      lock: addStore(st, 'balloon.balloon_lock', new Int32Array(1)),
    },
    compact: createCompactState(st, zones),
    device: createDeviceState(st),
    hugetlb: createHugetlbState(st, nr),
    deferred: createDeferredSplitState(st, nr),
    swap: createSwapState(st),
    sink: null,
    spans: null,
    quietFrees: false,
    pendingTrace: [],
    isolators: null,
  };
  bindKernel(k);
  return k;
}

/** The kernel's one closure, made again for a copy (clone.ts: cloneKernel). */
export function bindKernel(k: Kernel): void {
  // The footprint counts a page on a per-CPU list as free, like a PageBuddy block (memmap.ts).
  k.mem.onPcpList = (pfn) => k.pcp.where.a[pfn] !== 0;
}

export function pfnValid(k: Kernel, pfn: number): boolean {
  if (pfn < 0 || pfn >= k.layout.nrPfns) return false;
  for (const h of k.layout.holes) if (pfn >= h.start && pfn < h.end) return false;
  return true;
}

/** page_zone(): the zone index of a PFN (by pageblock; zones here are pageblock aligned). */
export function pageZone(k: Kernel, pfn: number): number {
  return k.blockZone[pfn >> PAGEBLOCK_ORDER]!;
}
