// The deferred split queue of large anonymous folios (mm/huge_memory.c: deferred_split_folio(),
// __folio_unqueue_deferred_split()). A folio some of whose pages lost their last mapping (a
// partial munmap or MADV_DONTNEED) is queued, PG_partially_mapped set in page[1], for the
// deferred_split_scan() shrinker to split under memory pressure; migrate_pages() splits such a
// folio before migrating it. The queue runs through folio->_deferred_list, which lives in the
// third page's struct (page[2], beside its compound_head): here a next/prev pair per head PFN of
// its own, so it never disturbs page->lru (the folio stays on the LRU). One node, no memcg: one
// queue, pgdat->deferred_split_queue. The shrinker itself is not modelled.

import { PG } from './flags';
import type { Kernel } from './kernel';
import { folioOrder, testPageFlag, setPageFlag, clearPageFlag } from './memmap';
import { addStore, put, type Store, type Stores } from './store';

export interface DeferredSplitState {
  /** split_queue: head and tail PFN. */
  readonly heads: Store & { a: Int32Array };
  /** _deferred_list links by head PFN; -2 marks a folio not on the queue (list_empty()). */
  readonly next: Store & { a: Int32Array };
  readonly prev: Store & { a: Int32Array };
  /** split_queue_len */
  readonly len: Store & { a: Int32Array };
}

const OFF = -2;
const END = -1;

export function createDeferredSplitState(st: Stores, nr: number): DeferredSplitState {
  return {
    heads: addStore(st, 'pgdat.deferred_split_queue.split_queue', new Int32Array(2).fill(END), END),
    next: addStore(st, 'folio._deferred_list.next', new Int32Array(nr).fill(OFF), OFF),
    prev: addStore(st, 'folio._deferred_list.prev', new Int32Array(nr).fill(OFF), OFF),
    len: addStore(st, 'pgdat.deferred_split_queue.split_queue_len', new Int32Array(1)),
  };
}

/** !list_empty(&folio->_deferred_list) */
export function folioOnDeferredList(k: Kernel, folio: number): boolean {
  return k.deferred.next.a[folio] !== OFF;
}

/** folio_test_partially_mapped(): PG_partially_mapped (the PG_reclaim bit) in page[1]'s flags. */
export function folio_test_partially_mapped(k: Kernel, folio: number): boolean {
  return testPageFlag(k, folio, PG.head) && testPageFlag(k, folio + 1, PG.reclaim);
}

/** The queue in order, head first (deferred_split_scan()'s walk). */
export function deferredSplitQueue(k: Kernel): number[] {
  const out: number[] = [];
  for (let p = k.deferred.heads.a[0]!; p !== END && out.length <= k.mem.nr; p = k.deferred.next.a[p]!) out.push(p);
  return out;
}

// mm/huge_memory.c: deferred_split_folio() — order-1 folios have no page[2] for the list; a folio
// in the swap cache is left to reclaim. partially_mapped=false (an underused THP) needs
// thp_underused accounting the model has not: only partially mapped folios are queued here.
export function deferred_split_folio(k: Kernel, folio: number, partiallyMapped: boolean): void {
  if (folioOrder(k, folio) <= 1 || !partiallyMapped) return;
  if (testPageFlag(k, folio, PG.swapbacked) && testPageFlag(k, folio, PG.owner_priv_1)) return; // folio_test_swapcache()
  if (!folio_test_partially_mapped(k, folio)) setPageFlag(k, folio + 1, PG.reclaim);
  if (folioOnDeferredList(k, folio)) return;
  const d = k.deferred;
  const tail = d.heads.a[1]!;
  put(k.st, d.prev, folio, tail);
  put(k.st, d.next, folio, END);
  if (tail === END) put(k.st, d.heads, 0, folio);
  else put(k.st, d.next, tail, folio);
  put(k.st, d.heads, 1, folio);
  put(k.st, d.len, 0, d.len.a[0]! + 1);
}

// mm/huge_memory.c: __folio_unqueue_deferred_split() behind mm/internal.h's
// folio_unqueue_deferred_split() — called with the refcount zero or frozen: on free, and by
// __folio_migrate_mapping() and a split. Clears PG_partially_mapped with the unqueue.
export function folio_unqueue_deferred_split(k: Kernel, folio: number): boolean {
  if (folioOrder(k, folio) <= 1 || !testPageFlag(k, folio + 1, PG.workingset)) return false; // !folio_test_large_rmappable()
  if (!folioOnDeferredList(k, folio)) return false;
  const d = k.deferred;
  const prev = d.prev.a[folio]!;
  const next = d.next.a[folio]!;
  if (prev === END) put(k.st, d.heads, 0, next);
  else put(k.st, d.next, prev, next);
  if (next === END) put(k.st, d.heads, 1, prev);
  else put(k.st, d.prev, next, prev);
  put(k.st, d.next, folio, OFF);
  put(k.st, d.prev, folio, OFF);
  put(k.st, d.len, 0, d.len.a[0]! - 1);
  if (folio_test_partially_mapped(k, folio)) clearPageFlag(k, folio + 1, PG.reclaim);
  return true;
}
