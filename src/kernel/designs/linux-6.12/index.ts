// Design "linux-6.12": before the 6.17 movable_ops rework. Balloon pages say "movable" through
// page->mapping (&balloon_mops | PAGE_MAPPING_MOVABLE) and are isolated with PG_isolated; those
// pages keep these operations wherever the core meets them (pageOps).

import {
  __PageMovable612, balloon_deflate_612, balloon_inflate_612, balloon_page_migrate_612,
  isolate_movable_page_612, isolate_movable_page_612_guards, putback_movable_folio_612,
} from './balloon-612';
import { PG } from '../../flags';
import { testPageFlag } from '../../memmap';
import { hex, mkStep } from '../../step';
import type { Design } from '../types';

export const linux612 = {
  name: 'linux-6.12',
  summary: 'Linux 6.12: the movable ops in page->mapping with PAGE_MAPPING_MOVABLE, PG_isolated, isolate_movable_page()',
  assumes: [],
  inflate: (k, pages, got) => balloon_inflate_612(k, pages, got),
  deflate: (k, pages) => balloon_deflate_612(k, pages),
  pageOps: {
    owns: (k, pfn) => __PageMovable612(k, pfn),
    isolate: (k, page) => isolate_movable_page_612(k, page),
    migrate: (k, dst, src) => balloon_page_migrate_612(k, dst, src),
    isolated: (k, page) => testPageFlag(k, page, PG.reclaim), // PageIsolated(): PG_isolated is the PG_reclaim bit
    isolateStep: (k, who, page, ref, why) => mkStep(k, {
      phase: 'isolate', fn: 'isolate_movable_page', file: 'mm/migrate.c',
      text: why ? `${who} (linux-6.12 variant): ${hex(page)} is not isolated: ${why}` : `${who} (linux-6.12 variant): +1 reference (refcount ${ref} → ${ref + 1}), trylock, PageMovable() (ops in page->mapping), balloon_page_isolate(), SetPageIsolated() (PG_isolated = the PG_reclaim bit)`,
      pfns: [{ pfn: page, role: 'src' }], result: why ? 'false' : 'true',
    }),
    putback: (k, page) => putback_movable_folio_612(k, page),
    putbackStep: (k, page, ref) => mkStep(k, {
      phase: 'putback', fn: 'putback_movable_folio', file: 'mm/migrate.c',
      text: `linux-6.12 variant: ${hex(page)} back on the balloon list, PG_isolated cleared, the reference dropped (refcount ${ref} → ${ref - 1})`,
      pfns: [{ pfn: page, role: 'src' }],
    }),
    encoding: '__PageMovable: PAGE_MAPPING_MOVABLE in page->mapping',
    guards: (_k, page) => ({ stages: isolate_movable_page_612_guards(page), label: 'linux-6.12 variant' }),
  },
  tracking: 'list', // balloon_dev_info->pages and migrate_pages()' lists, through page->lru
} as const satisfies Design;
