// The per-CPU batching of mm/swap.c (6.18) that sits between a folio and the LRU lists, and the
// drains that empty it together with the per-CPU page lists.

import type { Kernel } from './kernel';
import { drain_local_pages } from './pcp';

// mm/swap.c: lru_add_drain_cpu_zone() — this CPU's LRU batches and its page lists of one zone
// (compaction calls it when the migrate scanner leaves a block). Returns the pages freed.
export function lru_add_drain_cpu_zone(k: Kernel, zone: number): number {
  return drain_local_pages(k, zone);
}
