// Design "pfn-array": 6.18's balloon pages, migrated through src[]/dst[] arrays of MIGRATE_PFN_*
// entries in the style of migrate_vma_*() instead of migrate_pages()' lists.

import { balloon_deflate, balloon_inflate } from '../../balloon';
import { migrate_movable_pfns } from '../../movable-pfn-array';
import type { Design } from '../types';

export const pfnArray = {
  name: 'pfn-array',
  summary: "6.18's balloon, its pages migrated through PFN arrays as migrate_vma_*() does, no page->lru threading",
  assumes: ['only movable_ops (PageOffline) pages take the array path; LRU folios still take migrate_pages()'],
  inflate: (k, pages, got) => balloon_inflate(k, pages, got),
  deflate: (k, pages) => balloon_deflate(k, pages),
  offlinePath: (k, pfns, who) => migrate_movable_pfns(k, pfns, who),
  tracking: 'pfn-array',
} as const satisfies Design;
