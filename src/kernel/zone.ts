// Zones, pageblocks and their migratetypes (include/linux/mmzone.h, include/linux/pageblock-flags.h).

import { put, type Store } from './store';

export const MAX_PAGE_ORDER = 10;
export const NR_PAGE_ORDERS = MAX_PAGE_ORDER + 1;
export const PAGEBLOCK_ORDER = 9;
export const PAGEBLOCK_NR_PAGES = 1 << PAGEBLOCK_ORDER;
export const PAGE_ALLOC_COSTLY_ORDER = 3;

/** enum migratetype without CONFIG_CMA; MIGRATE_ISOLATE is the free-list index of isolated blocks. */
export const MT = { UNMOVABLE: 0, MOVABLE: 1, RECLAIMABLE: 2, HIGHATOMIC: 3, ISOLATE: 4 } as const;
export const MIGRATE_PCPTYPES = 3;
export const MIGRATE_TYPES = 5;
export const MT_NAMES = ['Unmovable', 'Movable', 'Reclaimable', 'HighAtomic', 'Isolate'] as const;

/** Pageblock bits: 3 migratetype bits, PB_compact_skip, and (since 6.17) a standalone PB_migrate_isolate. */
export const PB_MT_MASK = 0x7;
export const PB_COMPACT_SKIP = 0x8;
export const PB_MIGRATE_ISOLATE = 0x10;
/** The pageblock's memory was offlined (offline_pages): it is no longer part of the allocator. */
export const PB_OFFLINE = 0x20;

export type ZoneName = 'DMA' | 'DMA32' | 'Normal' | 'Movable' | 'Device';

export interface Zone {
  readonly idx: number;
  readonly name: ZoneName;
  /** zone_start_pfn */
  readonly start: number;
  /** zone_end_pfn (exclusive) */
  readonly end: number;
}

export interface PageblockAccess {
  readonly st: import('./store').Stores;
  readonly pageblock: Store & { a: Uint8Array };
}

// mm/page_alloc.c: get_pfnblock_migratetype() — MIGRATE_ISOLATE when the isolate bit is set.
export function get_pfnblock_migratetype(k: PageblockAccess, pfn: number): number {
  const b = k.pageblock.a[pfn >> PAGEBLOCK_ORDER]!;
  return b & PB_MIGRATE_ISOLATE ? MT.ISOLATE : b & PB_MT_MASK;
}

// mm/page_alloc.c: set_pageblock_migratetype()
export function set_pageblock_migratetype(k: PageblockAccess, pfn: number, mt: number): void {
  const i = pfn >> PAGEBLOCK_ORDER;
  put(k.st, k.pageblock, i, (k.pageblock.a[i]! & ~PB_MT_MASK) | (mt & PB_MT_MASK));
}

export function pageblockBits(k: PageblockAccess, pfn: number): number {
  return k.pageblock.a[pfn >> PAGEBLOCK_ORDER]!;
}

export function setPageblockBits(k: PageblockAccess, pfn: number, bits: number): void {
  put(k.st, k.pageblock, pfn >> PAGEBLOCK_ORDER, bits);
}

export function is_migrate_isolate(mt: number): boolean {
  return mt === MT.ISOLATE;
}

/** migratetype_is_mergeable(): blocks of these types may merge across pageblock boundaries. */
export function migratetype_is_mergeable(mt: number): boolean {
  return mt < MIGRATE_PCPTYPES;
}

export function zoneOf(zones: readonly Zone[], pfn: number): Zone | undefined {
  for (const z of zones) if (pfn >= z.start && pfn < z.end) return z;
  return undefined;
}
