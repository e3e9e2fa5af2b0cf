// The counters we keep (enum zone_stat_item / node_stat_item) and their updaters
// (__mod_zone_page_state, __mod_node_page_state in mm/vmstat.c).

import { put, type Store, type Stores } from './store';

export const ZS = {
  NR_FREE_PAGES: 0,
  NR_FREE_PAGES_BLOCKS: 1,
  NR_ZONE_INACTIVE_ANON: 2,
  NR_ZONE_ACTIVE_ANON: 3,
  NR_ZONE_INACTIVE_FILE: 4,
  NR_ZONE_ACTIVE_FILE: 5,
  NR_ZONE_UNEVICTABLE: 6,
  NR_MLOCK: 7,
} as const;
export const NR_ZS = 8;

export const NS = {
  NR_ISOLATED_ANON: 0,
  NR_ISOLATED_FILE: 1,
  NR_FILE_PAGES: 2,
  NR_SHMEM: 3,
  NR_FILE_DIRTY: 4,
  NR_ANON_MAPPED: 5,
  NR_FILE_MAPPED: 6,
  NR_SLAB: 7,
  NR_PAGETABLE: 8,
  NR_BALLOON_PAGES: 9,
  NR_SWAPCACHE: 10,
} as const;
export const NR_NS = 11;
export const NS_NAMES = [
  'nr_isolated_anon', 'nr_isolated_file', 'nr_file_pages', 'nr_shmem', 'nr_file_dirty',
  'nr_anon_pages', 'nr_mapped', 'nr_slab', 'nr_page_table_pages', 'nr_balloon_pages', 'nr_swapcached',
] as const;

interface StatOwner {
  readonly st: Stores;
  readonly zstat: Store & { a: Int32Array };
  readonly nstat: Store & { a: Int32Array };
}

export function mod_zone_page_state(k: StatOwner, zone: number, item: number, delta: number): void {
  const i = zone * NR_ZS + item;
  put(k.st, k.zstat, i, k.zstat.a[i]! + delta);
}

export function zone_page_state(k: StatOwner, zone: number, item: number): number {
  return k.zstat.a[zone * NR_ZS + item]!;
}

export function mod_node_page_state(k: StatOwner, item: number, delta: number): void {
  put(k.st, k.nstat, item, k.nstat.a[item]! + delta);
}

export function node_page_state(k: StatOwner, item: number): number {
  return k.nstat.a[item]!;
}

/** enum vm_event_item, the ones we count (in base pages, as /proc/vmstat shows them). */
export const VM_EVENT = {
  PGMIGRATE_SUCCESS: 0,
  PGMIGRATE_FAIL: 1,
  THP_MIGRATION_SUCCESS: 2,
  THP_MIGRATION_FAIL: 3,
  THP_MIGRATION_SPLIT: 4,
  BALLOON_INFLATE: 5,
  BALLOON_DEFLATE: 6,
  BALLOON_MIGRATE: 7,
  COMPACTMIGRATE_SCANNED: 8,
  COMPACTFREE_SCANNED: 9,
  COMPACTISOLATED: 10,
  COMPACTSTALL: 11,
  COMPACTFAIL: 12,
  COMPACTSUCCESS: 13,
  UNEVICTABLE_PGCULLED: 14,
  UNEVICTABLE_PGRESCUED: 15,
  UNEVICTABLE_PGMLOCKED: 16,
  UNEVICTABLE_PGMUNLOCKED: 17,
  UNEVICTABLE_PGCLEARED: 18,
  UNEVICTABLE_PGSTRANDED: 19,
} as const;
export const NR_VM_EVENTS = 20;
export const VM_EVENT_NAMES = [
  'pgmigrate_success', 'pgmigrate_fail', 'thp_migration_success', 'thp_migration_fail', 'thp_migration_split',
  'balloon_inflate', 'balloon_deflate', 'balloon_migrate',
  'compact_migrate_scanned', 'compact_free_scanned', 'compact_isolated', 'compact_stall', 'compact_fail', 'compact_success',
  'unevictable_pgs_culled', 'unevictable_pgs_rescued', 'unevictable_pgs_mlocked', 'unevictable_pgs_munlocked', 'unevictable_pgs_cleared', 'unevictable_pgs_stranded',
] as const;

export function count_vm_events(k: { readonly st: Stores; readonly events: Store & { a: Int32Array } }, item: number, delta: number): void {
  put(k.st, k.events, item, k.events.a[item]! + delta);
}
