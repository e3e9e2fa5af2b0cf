// Design "no-refcount": PageOffline pages stop being folios (David Hildenbrand's direction) — the
// balloon allocates them frozen at refcount 0, keeps them in a PFN array instead of page->lru, and
// a migrate action takes them through a PFN-array path that never touches _refcount or lru.

import { balloon_deflate_frozen, balloon_inflate_frozen, migrate_offline_pfns } from '../../balloon-frozen';
import type { Design } from '../types';

export const noRefcount = {
  name: 'no-refcount',
  summary: 'PageOffline pages frozen at refcount 0, in a PFN array, isolated by test-and-set of PG_movable_ops_isolated',
  assumes: [
    'the balloon keeps its pages in a PFN array under balloon_lock (the thread only said "no page->lru")',
    'deflate and a migrator both claim a page by the same test-and-set of PG_movable_ops_isolated',
  ],
  inflate: (k, pages, got) => balloon_inflate_frozen(k, pages, got),
  deflate: (k, pages) => balloon_deflate_frozen(k, pages),
  offlinePath: (k, pfns, who) => migrate_offline_pfns(k, pfns, who),
  tracking: 'pfn-array',
} as const satisfies Design;
