// Design "offline-alloc" (Zi Yan's proposal): migrate_pages() itself knows PageOffline pages.
// get_new_folio hands a PageOffline source a destination that is already PageOffline and frozen
// (refcount 0), put_page() and the free of a PageOffline page need no reference, so the driver's
// migrate callback no longer offlines the new page, takes a reference on it and puts the old one:
// it tells the host and swaps list membership. Everything else is 6.18's migrate_pages(): the
// list, the batches, the page lock in isolation and in the unmap phase. The balloon's pages are
// frozen at rest (frozen-list.ts), which 6.18's isolation cannot take (folio_get_nontail_page()
// fails on 0), so isolation is made PageOffline-aware too.

import { PG } from '../../flags';
import type { Kernel } from '../../kernel';
import { clearPageFlag, setPageFlag, testPageFlag } from '../../memmap';
import { emitStep, hex, mkStep } from '../../step';
import { guardOn, type GuardKind } from '../../guards';
import type { Design } from '../types';
import {
  alloc_offline_page, balloon_page_isolate_frozen, balloon_page_putback_frozen, frozenBalloon, frozenPageOps, ownsFrozenOffline,
} from './frozen-list';

const LABEL = 'offline-alloc design (proposal)';

/** Why isolation failed, with the guard that said so (the step's `excluded`). */
const WHY: Record<string, GuardKind> = {
  'folio_trylock() fails: someone holds its lock': 'trylock',
  'PG_movable_ops_isolated is already set: another migrator (or deflate) has it': 'isolated-flag',
  "the driver's isolate_page() refused: page->private is NULL (deflated)": 'driver',
};
const [TRYLOCK, ISOLATED, DRIVER] = Object.keys(WHY) as [string, string, string];

// mm/migrate.c: isolate_movable_ops_page(), PageOffline-aware (proposal): a frozen page has no
// reference to take, so folio_get_nontail_page() is skipped; the page lock and the
// PG_movable_ops_isolated test keep a second migrator out, as in 6.18.
function isolate_movable_ops_page_offline(k: Kernel, page: number): string | null {
  if (guardOn(k, 'trylock') && testPageFlag(k, page, PG.locked)) return TRYLOCK;
  setPageFlag(k, page, PG.locked);
  let why: string | null = null;
  const was = testPageFlag(k, page, PG.reclaim);
  if (was && guardOn(k, 'isolated-flag')) why = ISOLATED;
  else if (!balloon_page_isolate_frozen(k, page, was)) why = DRIVER;
  if (!why) setPageFlag(k, page, PG.reclaim); // SetPageMovableOpsIsolated()
  clearPageFlag(k, page, PG.locked);
  return why;
}

export const offlineAlloc = {
  name: 'offline-alloc',
  summary: "Zi Yan: migrate_pages() knows PageOffline — get_new_folio gives a frozen PageOffline page, put_page()/free handle PageOffline, the driver callback only tells the host and swaps the list",
  assumes: [
    'the balloon\'s pages are frozen at rest (refcount 0) but stay on balloon_dev_info->pages through page->lru: the proposal changes allocation and freeing, not the list',
    'isolation is isolate_movable_ops_page() without folio_get_nontail_page() (there is no reference to take): trylock, then the PG_movable_ops_isolated test keeps a second migrator out, and the driver\'s isolate_page() takes the page off the list under pages_lock',
    'deflate claims a page by the same test-and-set of PG_movable_ops_isolated, so deflate and a migrator exclude each other without a reference',
    'compaction reaches these pages as in 6.18: isolate_migratepages_block() sees PageOffline + PG_movable_ops, not PG_lru, and calls the same isolation',
    'the allocator sets PageOffline as it hands the page out (alloc_offline_page); freeing ends it as it ends any page type, so the page_type writes move out of the driver rather than vanish',
  ],
  ...frozenBalloon(LABEL),
  pageOps: {
    ...frozenPageOps(LABEL),
    owns: ownsFrozenOffline('offline-alloc'),
    isolate: isolate_movable_ops_page_offline,
    isolateStep: (k, who, page, ref, why) => mkStep(k, {
      phase: 'isolate', fn: 'isolate_movable_ops_page', file: 'mm/migrate.c',
      text: why
        ? `${who} (${LABEL}): ${hex(page)} is not isolated: ${why}`
        : `${who} (${LABEL}): no reference taken — the page is frozen (refcount ${ref}), and PageOffline-aware isolation skips folio_get_nontail_page(); page locked, balloon_page_isolate() takes it off the balloon list (isolated_pages ${k.balloon.isolated.a[0]}), PG_movable_ops_isolated set, unlocked`,
      pfns: [{ pfn: page, role: 'src' }], result: why ? 'false' : 'true',
      ...(why ? { excluded: { guard: WHY[why] ?? 'driver', why: why === TRYLOCK ? 'trylock failed' : why === ISOLATED ? 'PG_movable_ops_isolated already set' : 'page->private NULL: deflated' } } : {}),
    }),
    putback: (k, page) => {
      setPageFlag(k, page, PG.locked);
      balloon_page_putback_frozen(k, page);
      clearPageFlag(k, page, PG.locked);
    },
    putbackStep: (k, page, ref) => mkStep(k, {
      phase: 'putback', fn: 'putback_movable_ops_page', file: 'mm/migrate.c',
      text: `${LABEL}: ${hex(page)} was not migrated: back on the balloon list, PG_movable_ops_isolated cleared; no isolation reference to drop (refcount stays ${ref})`,
      pfns: [{ pfn: page, role: 'src' }],
    }),
    // Proposal: get_new_folio for a PageOffline source asks its target for a frozen page and the
    // allocator makes it PageOffline.
    newPage: (k, src, target) => {
      const dst = alloc_offline_page(k, () => target.get(k, src, true));
      if (dst >= 0) {
        emitStep(k, {
          phase: 'alloc', fn: 'get_new_folio', file: 'mm/migrate.c',
          text: `${LABEL}: ${hex(src)} is PageOffline, so get_new_folio (${target.name}, through alloc_offline_page()) hands over ${hex(dst)} frozen (refcount 0: no set_page_refcounted()) and already PageOffline — the driver will neither __SetPageOffline() it nor get_page() it`,
          pfns: [{ pfn: src, role: 'src' }, { pfn: dst, role: 'dst' }],
        });
      }
      return dst;
    },
  },
} as const satisfies Design;
