// Intrusive doubly linked lists through page->lru (struct list_head in the kernel). A list's head
// and tail PFNs live in a journaled store (two slots per list), the links in the memmap's lru
// columns, so the buddy free lists, the LRU lists, isolation lists and the balloon's page list
// are all rewound by the same journal. NO_LINK (-1) ends a list.

import { NO_LINK, lruNext, lruPrev, setLru, type PageAccess } from './memmap';
import { put, type Store } from './store';

export interface ListHeads {
  readonly heads: Store & { a: Int32Array };
  /**
   * Entries per list, kept by these functions when present (the buddy free lists: what the charts
   * and /proc read per migratetype without walking hundreds of thousands of blocks). The kernel
   * keeps free_area[order].nr_free per order only; this count is the model's.
   */
  readonly counts?: Store & { a: Int32Array };
}

export function listFirst(k: PageAccess, l: ListHeads, slot: number): number {
  return l.heads.a[2 * slot]!;
}

export function listEmpty(l: ListHeads, slot: number): boolean {
  return l.heads.a[2 * slot]! === NO_LINK;
}

export function listAdd(k: PageAccess, l: ListHeads, slot: number, pfn: number): void {
  const head = l.heads.a[2 * slot]!;
  setLru(k, pfn, NO_LINK, head);
  if (head === NO_LINK) put(k.st, l.heads, 2 * slot + 1, pfn);
  else setLru(k, head, pfn, lruNext(k, head));
  put(k.st, l.heads, 2 * slot, pfn);
  if (l.counts) put(k.st, l.counts, slot, l.counts.a[slot]! + 1);
}

export function listAddTail(k: PageAccess, l: ListHeads, slot: number, pfn: number): void {
  const tail = l.heads.a[2 * slot + 1]!;
  setLru(k, pfn, tail, NO_LINK);
  if (tail === NO_LINK) put(k.st, l.heads, 2 * slot, pfn);
  else setLru(k, tail, lruPrev(k, tail), pfn);
  put(k.st, l.heads, 2 * slot + 1, pfn);
  if (l.counts) put(k.st, l.counts, slot, l.counts.a[slot]! + 1);
}

export function listDel(k: PageAccess, l: ListHeads, slot: number, pfn: number): void {
  const prev = lruPrev(k, pfn);
  const next = lruNext(k, pfn);
  if (prev === NO_LINK) put(k.st, l.heads, 2 * slot, next);
  else setLru(k, prev, lruPrev(k, prev), next);
  if (next === NO_LINK) put(k.st, l.heads, 2 * slot + 1, prev);
  else setLru(k, next, prev, lruNext(k, next));
  setLru(k, pfn, NO_LINK, NO_LINK);
  if (l.counts) put(k.st, l.counts, slot, l.counts.a[slot]! - 1);
}

/** Walk a list without recording a footprint (for invariants, views and summaries). */
export function* listPfns(k: PageAccess, l: ListHeads, slot: number): Generator<number> {
  for (let p = l.heads.a[2 * slot]!; p !== NO_LINK; p = k.mem.lruNext.a[p]!) yield p;
}
