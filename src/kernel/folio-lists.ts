// Heads of the private folio lists that migration callers build (LIST_HEAD on their stack in the
// kernel), in a journaled store so that rewinding a step rewinds the lists too. Each slot also
// keeps which caller's list it is, so the inspector can name the list a folio is threaded on.

import type { ListHeads } from './list';
import { addStore, type Store, type Stores } from './store';

export const LIST_SLOTS = 1024;

/** The kernel's names for the private lists, by the function that declares them. */
export const FOLIO_LIST = {
  /** do_pages_move(): the folios isolated for one target node. */
  pagelist: 1,
  /** compact_control->migratepages: compaction's and alloc_contig_range()'s isolated folios. */
  migratepages: 2,
  /** do_migrate_range(): the folios memory offlining isolated. */
  source: 3,
  /** migrate_pages(): the batch cut from the caller's list; migrate_pages_sync(): what is left to retry alone. */
  folios: 4,
  ret_folios: 5,
  split_folios: 6,
  /** migrate_pages_batch(): unmapped sources, and their new folios in the same order. */
  unmap_folios: 7,
  dst_folios: 8,
  /** migrate_vma_collect_pmd(): the folios a THP split into (the kernel splits it on its LRU). */
  split_pieces: 9,
  /** fill_balloon() / leak_balloon(): the driver's private `pages` list (balloon_page_push/pop). */
  balloon_pages: 10,
} as const;
export type FolioListKind = (typeof FOLIO_LIST)[keyof typeof FOLIO_LIST];

export const FOLIO_LIST_NAMES: Record<FolioListKind, string> = {
  [FOLIO_LIST.pagelist]: 'pagelist: the folios do_pages_move() hands to migrate_pages()',
  [FOLIO_LIST.migratepages]: 'cc->migratepages: the folios isolated for compaction (or alloc_contig_range()) to migrate',
  [FOLIO_LIST.source]: 'source: the folios do_migrate_range() isolated to migrate off the range',
  [FOLIO_LIST.folios]: 'folios: the batch migrate_pages() is migrating',
  [FOLIO_LIST.ret_folios]: 'ret_folios: the folios migrate_pages() gives back to its caller',
  [FOLIO_LIST.split_folios]: 'split_folios: the pieces of split large folios, migrated after the batch',
  [FOLIO_LIST.unmap_folios]: 'unmap_folios: unmapped by migrate_pages_batch(), waiting for migrate_folio_move()',
  [FOLIO_LIST.dst_folios]: 'dst_folios: the new folios of migrate_pages_batch(), in step with unmap_folios',
  [FOLIO_LIST.split_pieces]: 'the pieces of a THP that migrate_vma_collect_pmd() splits',
  [FOLIO_LIST.balloon_pages]: 'pages: the virtio balloon driver\'s private list (balloon_page_push/pop) between allocation and enqueue, or dequeue and release',
};

export interface FolioLists extends ListHeads {
  /** Next free slot (bump allocation, journaled). */
  readonly next: Store & { a: Int32Array };
  /** The FOLIO_LIST kind of each slot, set when the slot is taken. */
  readonly kind: Store & { a: Uint8Array };
}

export function createFolioLists(st: Stores): FolioLists {
  return {
    heads: addStore(st, 'migrate.lists', new Int32Array(2 * LIST_SLOTS).fill(-1), -1),
    next: addStore(st, 'migrate.lists.next', new Int32Array(1)),
    kind: addStore(st, 'migrate.lists.kind', new Uint8Array(LIST_SLOTS)),
  };
}
