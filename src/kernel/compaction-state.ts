// The compaction state the kernel keeps between and during runs, in journaled stores so that
// stepping back rewinds it: per zone the cached scanner positions and the deferral counters
// (struct zone's compact_* fields), per running compaction its two scanner positions and its
// cc->freepages[] lists, and the capture_control of the task in direct compaction.

import { listPfns, type ListHeads } from './list';
import type { PageAccess } from './memmap';
import { addStore, type Store, type Stores } from './store';
import { NR_PAGE_ORDERS } from './zone';

/** Per-zone fields (struct zone, CONFIG_COMPACTION), ZC_N int32 per zone. */
export const ZC = {
  CACHED_MIGRATE_ASYNC: 0,
  CACHED_MIGRATE_SYNC: 1,
  CACHED_FREE: 2,
  INIT_MIGRATE: 3,
  INIT_FREE: 4,
  CONSIDERED: 5,
  DEFER_SHIFT: 6,
  ORDER_FAILED: 7,
  BLOCKSKIP_FLUSH: 8,
} as const;
export const ZC_N = 9;

/** How many compactions may run at once: one per task of a parallel action, two per race in it (8 × 2). */
export const MAX_CC = 16;
/** Per running compaction: zone, migrate_pfn, free_pfn, active, order (+1, so 0 is compact_memory). */
export const SCAN = { ZONE: 0, MIGRATE: 1, FREE: 2, ACTIVE: 3, ORDER: 4 } as const;
export const SCAN_N = 5;

/**
 * capture_control of the task in direct compaction, while that task runs: its zone (-1: no task
 * is capturing), the request's migratetype, the captured block (-1: none yet) and the order.
 */
export const CAPC = { ZONE: 0, MT: 1, PFN: 2, ORDER: 3 } as const;

export interface CompactState {
  readonly zone: Store & { a: Int32Array };
  readonly scan: Store & { a: Int32Array };
  /** cc->freepages[order] of cc slot s is list slot s * NR_PAGE_ORDERS + order. */
  readonly free: ListHeads;
  readonly capc: Store & { a: Int32Array };
}

export function createCompactState(st: Stores, zones: readonly { start: number; end: number }[]): CompactState {
  const z = new Int32Array(zones.length * ZC_N);
  zones.forEach((zone, i) => {
    const lastBlock = (zone.end - 1) & ~511;
    z[i * ZC_N + ZC.CACHED_MIGRATE_ASYNC] = zone.start;
    z[i * ZC_N + ZC.CACHED_MIGRATE_SYNC] = zone.start;
    z[i * ZC_N + ZC.CACHED_FREE] = lastBlock;
    z[i * ZC_N + ZC.INIT_MIGRATE] = zone.start;
    z[i * ZC_N + ZC.INIT_FREE] = lastBlock;
  });
  return {
    zone: addStore(st, 'zone.compact', z),
    scan: addStore(st, 'compact_control.scanners', new Int32Array(MAX_CC * SCAN_N)),
    free: { heads: addStore(st, 'compact_control.freepages', new Int32Array(2 * MAX_CC * NR_PAGE_ORDERS).fill(-1), -1) },
    capc: addStore(st, 'capture_control', new Int32Array(4).fill(-1), -1),
  };
}

/** The blocks compaction's free scanners hold, and a block captured for direct compaction. */
export function* isolatedFreeBlocks(k: PageAccess & { readonly compact: CompactState }): Generator<{ pfn: number; order: number }> {
  for (let slot = 0; slot < MAX_CC; slot++) {
    for (let o = 0; o < NR_PAGE_ORDERS; o++) for (const pfn of listPfns(k, k.compact.free, slot * NR_PAGE_ORDERS + o)) yield { pfn, order: o };
  }
  const cap = k.compact.capc.a[CAPC.PFN]!;
  if (cap >= 0) yield { pfn: cap, order: k.compact.capc.a[CAPC.ORDER]! };
}

/** One running compaction, as the UI draws it: its zone and both scanner positions. */
export interface ScannerState {
  readonly zone: number;
  /** cc->order; -1 for compact_memory and alloc_contig_range. */
  readonly order: number;
  readonly migratePfn: number;
  readonly freePfn: number;
}

export function activeScanners(k: { readonly compact: CompactState }): ScannerState[] {
  const a = k.compact.scan.a;
  const out: ScannerState[] = [];
  for (let s = 0; s < MAX_CC; s++) {
    const b = s * SCAN_N;
    if (a[b + SCAN.ACTIVE]) out.push({ zone: a[b + SCAN.ZONE]!, order: a[b + SCAN.ORDER]! - 1, migratePfn: a[b + SCAN.MIGRATE]!, freePfn: a[b + SCAN.FREE]! });
  }
  return out;
}
