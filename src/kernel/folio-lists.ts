// Heads of the private folio lists that migration callers build (LIST_HEAD on their stack in the
// kernel), in a journaled store so that rewinding a step rewinds the lists too.

import type { ListHeads } from './list';
import { addStore, type Store, type Stores } from './store';

export const LIST_SLOTS = 1024;

export interface FolioLists extends ListHeads {
  /** Next free slot (bump allocation, journaled). */
  readonly next: Store & { a: Int32Array };
}

export function createFolioLists(st: Stores): FolioLists {
  return {
    heads: addStore(st, 'migrate.lists', new Int32Array(2 * LIST_SLOTS).fill(-1), -1),
    next: addStore(st, 'migrate.lists.next', new Int32Array(1)),
  };
}

