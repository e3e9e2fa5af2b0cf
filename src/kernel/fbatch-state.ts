// The per-CPU folio batch of mm/swap.c that folio_add_lru() fills (cpu_fbatches.lru_add), in
// journaled stores so that stepping back rewinds it. Only lru_add is modelled: the other batches
// (lru_move_tail, lru_deactivate*, lru_lazyfree, lru_activate) belong to reclaim and madvise
// paths the model runs without them, and mlock's mlock_fbatch is applied at once (mlock.ts).

import { addStore, type Store, type Stores } from './store';
import { NR_CPUS } from './pcp-state';

/** include/linux/pagevec.h: PAGEVEC_SIZE — 31 pointers and the header fill a power of two. */
export const PAGEVEC_SIZE = 31;

export interface FbatchState {
  /** CPU c's batch is folios[c * PAGEVEC_SIZE .. + nr[c]), in the order they were added. */
  readonly folios: Store & { a: Int32Array };
  readonly nr: Store & { a: Int32Array };
  /** mm/swap.c: lru_disable_count — while > 0, folio_add_lru() moves every folio at once. */
  readonly disableCount: Store & { a: Int32Array };
}

export function createFbatchState(st: Stores): FbatchState {
  return {
    folios: addStore(st, 'cpu_fbatches.lru_add.folios', new Int32Array(NR_CPUS * PAGEVEC_SIZE).fill(-1), -1),
    nr: addStore(st, 'cpu_fbatches.lru_add.nr', new Int32Array(NR_CPUS)),
    disableCount: addStore(st, 'lru_disable_count', new Int32Array(1)),
  };
}

/** The CPU whose lru_add batch holds `folio`, or -1. */
export function lruBatchCpu(b: FbatchState, folio: number): number {
  for (let cpu = 0; cpu < NR_CPUS; cpu++) {
    for (let i = 0; i < b.nr.a[cpu]!; i++) if (b.folios.a[cpu * PAGEVEC_SIZE + i] === folio) return cpu;
  }
  return -1;
}
