// Zone watermarks and the fragmentation measures compaction decides with (mm/page_alloc.c,
// mm/vmstat.c), with each zone's lowmem_reserve against allocations for higher zones. Highatomic
// reserves and CMA are not modelled.

import type { Kernel } from './kernel';
import { pfnValid } from './kernel';
import { PG } from './flags';
import { freeSlot } from './kernel';
import { listEmpty } from './list';
import { MIGRATE_PCPTYPES, NR_PAGE_ORDERS, PAGEBLOCK_ORDER, PB_OFFLINE, type ZoneName } from './zone';
import { zone_page_state, ZS } from './vmstat';

export interface Watermarks {
  readonly managed: number;
  readonly min: number;
  readonly low: number;
  readonly high: number;
  /** zone->lowmem_reserve[], by the kernel's zone index (KERNEL_ZONES), as zoneinfo's `protection:` prints it. */
  readonly lowmem_reserve: readonly number[];
}

/** enum zone_type on x86-64 (MAX_NR_ZONES 5): the model's zones are the populated ones among these. */
export const KERNEL_ZONES: readonly ZoneName[] = ['DMA', 'DMA32', 'Normal', 'Movable', 'Device'];

/** sysctl_lowmem_reserve_ratio: DMA 256, DMA32 256, Normal 32, Movable 0 (a 0 ratio reserves nothing). */
const LOWMEM_RESERVE_RATIO: readonly number[] = [256, 256, 32, 0];

/** vm.watermark_scale_factor (default 10, i.e. 0.1 % of a zone). */
const WATERMARK_SCALE_FACTOR = 10;

const cache = new WeakMap<Kernel, Watermarks[]>();

/** The present pages the buddy allocator manages: valid and not PG_reserved at boot. */
function managedPages(k: Kernel, zone: number): number {
  const z = k.zones[zone]!;
  const flags = k.mem.flags.a;
  let n = 0;
  for (let p = z.start; p < z.end; p++) if (pfnValid(k, p) && !(flags[p]! & (1 << PG.reserved)) && !(k.pageblock.a[p >> PAGEBLOCK_ORDER]! & PB_OFFLINE)) n++;
  return n;
}

// mm/page_alloc.c: calculate_min_free_kbytes() and __setup_per_zone_wmarks(), run once after
// memblock_free_all() (init_per_zone_wmark_min); computed here at first use, after boot.
export function zoneWatermarks(k: Kernel): Watermarks[] {
  const hit = cache.get(k);
  if (hit) return hit;
  const managed = k.zones.map((z) => (z.name === 'Device' ? 0 : managedPages(k, z.idx)));
  const lowmem = managed.reduce((a, b) => a + b, 0);
  const minFreeKbytes = Math.min(262144, Math.max(128, Math.floor(Math.sqrt(lowmem * 4 * 16))));
  const pagesMin = minFreeKbytes >> 2;
  const reserves = setup_per_zone_lowmem_reserve(KERNEL_ZONES.map((name) => managed[k.zones.findIndex((z) => z.name === name)] ?? 0));
  const out = managed.map((m, i): Watermarks => {
    const min = lowmem ? Math.floor((pagesMin * m) / lowmem) : 0;
    const step = Math.max(min >> 2, Math.floor((m * WATERMARK_SCALE_FACTOR) / 10000));
    return { managed: m, min, low: min + step, high: min + 2 * step, lowmem_reserve: reserves[KERNEL_ZONES.indexOf(k.zones[i]!.name)]! };
  });
  cache.set(k, out);
  return out;
}

// mm/page_alloc.c: setup_per_zone_lowmem_reserve() — zone i keeps back, from an allocation that
// could have used zone j > i, the managed pages of zones i+1..j over zone i's ratio: a request
// that may use DMA32 falls back to DMA only while DMA stays that far above its watermark. 6.18
// redoes it whenever managed pages change (adjust_managed_page_count()); 6.1/6.12 did it at boot
// only, before free_initmem(), so their zoneinfo shows a smaller reserve for the same machine.
function setup_per_zone_lowmem_reserve(managedByKernelZone: readonly number[]): number[][] {
  return managedByKernelZone.map((own, i) => {
    const ratio = LOWMEM_RESERVE_RATIO[i] ?? 0;
    const clear = !ratio || !own;
    let upper = 0;
    return managedByKernelZone.map((m, j) => {
      if (j <= i) return 0;
      upper += m;
      return clear ? 0 : Math.floor(upper / ratio);
    });
  });
}

/** z->lowmem_reserve[highest_zoneidx] for model zone indexes: what `zone` keeps back from a request whose highest zone is `highest`. */
export function lowmem_reserve(k: Kernel, zone: number, highest: number): number {
  return zoneWatermarks(k)[zone]!.lowmem_reserve[KERNEL_ZONES.indexOf(k.zones[highest]!.name)]!;
}

/** init_per_zone_wmark_min() again after memory went offline (managed pages changed). */
export function invalidateWatermarks(k: Kernel): void {
  cache.delete(k);
}

// mm/page_alloc.c: __zone_watermark_ok() — enough free pages above `mark` plus the zone's
// lowmem_reserve for a request whose highest zone is `highest` (a model zone index; the zone
// itself when omitted, whose reserve is 0), and for order > 0 a free block of at least that order
// on one of the unmovable/movable/reclaimable lists.
export function zone_watermark_ok(k: Kernel, zone: number, order: number, mark: number, highest = zone, freePages = zone_page_state(k, zone, ZS.NR_FREE_PAGES)): boolean {
  const free = freePages - ((1 << order) - 1);
  if (free <= mark + (highest > zone ? lowmem_reserve(k, zone, highest) : 0)) return false;
  if (order === 0) return true;
  for (let o = order; o < NR_PAGE_ORDERS; o++) {
    if (k.nrFree.a[zone * NR_PAGE_ORDERS + o] === 0) continue;
    for (let mt = 0; mt < MIGRATE_PCPTYPES; mt++) if (!listEmpty(k.freeLists, freeSlot(zone, o, mt))) return true;
  }
  return false;
}

interface ContigInfo {
  freeBlocksTotal: number;
  freeBlocksSuitable: number;
  freePages: number;
}

// mm/vmstat.c: fill_contig_page_info()
function fill_contig_page_info(k: Kernel, zone: number, suitableOrder: number): ContigInfo {
  const info: ContigInfo = { freeBlocksTotal: 0, freeBlocksSuitable: 0, freePages: 0 };
  for (let o = 0; o < NR_PAGE_ORDERS; o++) {
    const blocks = k.nrFree.a[zone * NR_PAGE_ORDERS + o]!;
    info.freeBlocksTotal += blocks;
    info.freePages += blocks << o;
    if (o >= suitableOrder) info.freeBlocksSuitable += blocks << (o - suitableOrder);
  }
  return info;
}

// mm/vmstat.c: fragmentation_index() — -1000 when a block of `order` is free, else 0 (failure
// for lack of memory) … 1000 (failure for fragmentation); 0 with no free blocks at all.
export function fragmentation_index(k: Kernel, zone: number, order: number): number {
  const info = fill_contig_page_info(k, zone, order);
  if (!info.freeBlocksTotal) return 0;
  if (info.freeBlocksSuitable) return -1000;
  return 1000 - Math.floor((1000 + Math.floor((info.freePages * 1000) / (1 << order))) / info.freeBlocksTotal);
}

// mm/vmstat.c: extfrag_for_order() — % of free pages in blocks smaller than 2^order.
export function extfrag_for_order(k: Kernel, zone: number, order: number): number {
  const info = fill_contig_page_info(k, zone, order);
  if (info.freePages === 0) return 0;
  return Math.floor(((info.freePages - info.freeBlocksSuitable * (1 << order)) * 100) / info.freePages);
}
