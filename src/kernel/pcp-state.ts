// The per-CPU page lists of each zone (struct per_cpu_pages, zone->per_cpu_pageset), in journaled
// stores so that stepping back rewinds them. The lists thread through page->lru (the kernel's
// page->pcp_list shares that word). batch, high_min and high_max are not state: they follow from
// the zone's size and watermarks (pcp.ts: pcpSettings), as zone_set_pageset_high_and_batch()
// computes them at boot.

import type { ListHeads } from './list';
import { addStore, type Store, type Stores } from './store';
import { MIGRATE_PCPTYPES, PAGE_ALLOC_COSTLY_ORDER } from './zone';

/**
 * CPUs of the simulated machine. The real guests the captures come from (real-kernel*,
 * guest-info.txt and the zoneinfo pagesets) have two; sequential work runs on CPU 0 and the
 * members of a parallel action on CPU 0, 1, 0, … in turn.
 */
export const NR_CPUS = 2;

/** NR_PCP_LISTS with CONFIG_TRANSPARENT_HUGEPAGE: orders 0..3 per pcp type, and two THP lists. */
export const NR_LOWORDER_PCP_LISTS = MIGRATE_PCPTYPES * (PAGE_ALLOC_COSTLY_ORDER + 1);
export const NR_PCP_LISTS = NR_LOWORDER_PCP_LISTS + 2;

/** Per (zone, cpu) fields of struct per_cpu_pages that change at run time. */
export const PCPV = { COUNT: 0, HIGH: 1, FREE_COUNT: 2, ALLOC_FACTOR: 3, FLAGS: 4 } as const;
export const PCPV_N = 5;
/** pcp->flags */
export const PCPF_PREV_FREE_HIGH_ORDER = 1;
export const PCPF_FREE_HIGH_BATCH = 2;

/** zone->flags bits the pcp code reads. */
export const ZONE_BELOW_HIGH = 1;

export interface PcpState {
  /** pcp->lists[pindex] of (zone, cpu): slot pcpSlot(zone, cpu, pindex). */
  readonly lists: ListHeads;
  readonly v: Store & { a: Int32Array };
  /**
   * Which list each page of a pcp block sits on, 1 + slot (0: none). The kernel does not record
   * it (a pcp page is a page with no type and refcount 0 that some CPU's list links); the model
   * keeps it so a PFN's state can be told without walking every list.
   */
  readonly where: Store & { a: Uint8Array };
  /** zone->flags (ZONE_BELOW_HIGH). */
  readonly zoneFlags: Store & { a: Int32Array };
  /** zone_pcp_disable() nesting per zone: while > 0 every pcp frees straight through. */
  readonly disabled: Store & { a: Int32Array };
}

export const pcpIndex = (zone: number, cpu: number): number => zone * NR_CPUS + cpu;
export const pcpSlot = (zone: number, cpu: number, pindex: number): number => pcpIndex(zone, cpu) * NR_PCP_LISTS + pindex;

export function createPcpState(st: Stores, nrZones: number, nrPfns: number): PcpState {
  const slots = nrZones * NR_CPUS * NR_PCP_LISTS;
  if (slots >= 255) throw new Error(`${nrZones} zones need ${slots} per-CPU lists; the model keeps at most 254`);
  return {
    lists: {
      heads: addStore(st, 'zone.per_cpu_pageset.lists', new Int32Array(2 * slots).fill(-1), -1),
      counts: addStore(st, 'zone.per_cpu_pageset.lists.count (model)', new Int32Array(slots)),
    },
    v: addStore(st, 'zone.per_cpu_pageset', new Int32Array(nrZones * NR_CPUS * PCPV_N)),
    where: addStore(st, 'page.pcp_list (model)', new Uint8Array(nrPfns)),
    zoneFlags: addStore(st, 'zone.flags', new Int32Array(nrZones)),
    disabled: addStore(st, 'zone.pcp_disabled (model)', new Int32Array(nrZones)),
  };
}
