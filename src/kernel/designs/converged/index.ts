// Design "converged": Alistair Popple's proposal — one PFN-array migration path (migrate_pages()'
// logic without list_heads) for LRU folios, device-private pages and movable_ops pages, a large folio
// one compound entry.
// The balloon itself is 6.18's; only the migration path changes (migrate-folios.ts).

import { balloon_deflate, balloon_inflate } from '../../balloon';
import type { Design } from '../types';
import { migrate_folios, migrate_folios_isolated } from './migrate-folios';

export const converged = {
  name: 'converged',
  summary: "one array path for every migrate action: migrate_pages()' guards, refcount check and -EAGAIN passes over src[]/dst[] entries, a large folio one MIGRATE_PFN_COMPOUND entry (16 B for a THP, not 8 KiB)",
  assumes: [
    'a large folio is one entry flagged MIGRATE_PFN_COMPOUND; its order is read from the isolated head page, not stored in the entry (the six flag bits have no room)',
    'destinations are allocated after the entry is unmapped, as migrate_vma_*()\'s driver does after setup, not before the unmap as migrate_folio_unmap() does',
    'the -EAGAIN retry is 10 passes over each batch of entries (512 pages, as migrate_pages() cuts its list), the first 3 in MIGRATE_ASYNC with a failure there retried in the caller\'s mode, standing for migrate_pages_sync()',
    'a compound entry with no destination of its order is split as try_split_folio() splits it, and the array grows by one entry per new folio',
    'a device-private page named by a migrate action is collected by folio_try_get() (no LRU to leave) and comes back to system memory through the same passes; the migrate-vma action keeps migrate_vma_*() for the way to the device',
    'compaction\'s migrate scanner still gathers cc->migratepages through page->lru (6.18\'s isolate_migratepages_block()); the folios leave the list for src[] before the passes — a converged scanner would fill the array itself',
    'hugetlb folios are not on this path in this model: a migrate action skips them (migrate_hugetlbs() is 6.18\'s)',
  ],
  inflate: (k, pages, got) => balloon_inflate(k, pages, got),
  deflate: (k, pages) => balloon_deflate(k, pages),
  path: (k, spec, who) => migrate_folios(k, spec, who),
  tracking: 'compound-array',
  migrateIsolated: (k, list, target, mode, reason, who, pfMemalloc) => migrate_folios_isolated(k, list, target, mode, reason, who, pfMemalloc),
} as const satisfies Design;
