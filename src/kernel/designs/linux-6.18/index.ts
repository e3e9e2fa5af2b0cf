// Design "linux-6.18": the released kernel the model follows everywhere else — balloon pages are
// PageOffline with PG_movable_ops, on balloon_dev_info's list through page->lru, holding one
// reference; migrate_pages() moves them through the movable_ops path like any other page.

import { balloon_deflate, balloon_inflate } from '../../balloon';
import type { Design } from '../types';

export const linux618 = {
  name: 'linux-6.18',
  summary: "Linux 6.18: PageOffline + PG_movable_ops balloon pages on a list through page->lru, one reference, migrate_pages()",
  assumes: [],
  inflate: (k, pages, got) => balloon_inflate(k, pages, got),
  deflate: (k, pages) => balloon_deflate(k, pages),
  tracking: 'list',
} as const satisfies Design;
