// Design "converged": Alistair Popple's proposal — one PFN-array migration path (migrate_pages()'
// logic without list_heads) for LRU folios and movable_ops pages, a large folio one compound entry.
// The balloon itself is 6.18's; only the migration path changes (migrate-folios.ts).

import { balloon_deflate, balloon_inflate } from '../../balloon';
import type { Design } from '../types';
import { migrate_folios } from './migrate-folios';

export const converged = {
  name: 'converged',
  summary: "one array path for every migrate action: migrate_pages()' guards, refcount check and -EAGAIN passes over src[]/dst[] entries, a large folio one MIGRATE_PFN_COMPOUND entry (16 B for a THP, not 8 KiB)",
  assumes: [
    'a large folio is one entry flagged MIGRATE_PFN_COMPOUND; its order is read from the isolated head page, not stored in the entry (the six flag bits have no room)',
    'destinations are allocated after the whole array is unmapped, as migrate_vma_*()\'s driver does, not one by one inside the unmap as migrate_folio_unmap() does',
    'the -EAGAIN retry is 10 passes over the array, the first 3 in MIGRATE_ASYNC, standing for migrate_pages_sync()\'s async batch then the caller\'s mode',
    'a compound entry with no destination of its order fails with -ENOMEM; it is not split (no migrate_vma_split_pages())',
    'hugetlb folios and ZONE_DEVICE pages are not collected by this model: they keep migrate_hugetlbs() and migrate_vma_*()',
  ],
  inflate: (k, pages, got) => balloon_inflate(k, pages, got),
  deflate: (k, pages) => balloon_deflate(k, pages),
  path: (k, spec, who) => migrate_folios(k, spec, who),
  tracking: 'compound-array',
} as const satisfies Design;
