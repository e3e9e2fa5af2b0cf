// Design "offline-migrate" (Zi Yan's alternative): PageOffline pages get a migration function of
// their own, migrate_offlinepages(), as hugetlb folios have migrate_hugetlbs() /
// unmap_and_move_huge_page(). migrate_pages() hands it the PageOffline pages on its list before any
// batch; it skips everything the LRU path needs and these pages never do: no page lock (nothing
// maps them, nothing faults on them), no writeback or mapping checks, no folio_migrate_mapping(),
// no unmap/dst batch lists, no references (the pages are frozen, frozen-list.ts). A proposal: the
// function does not exist upstream and is named as the discussion named it.

import { PG } from '../../flags';
import type { Kernel } from '../../kernel';
import { clearPageFlag, setPageFlag, testPageFlag } from '../../memmap';
import { listDel } from '../../list';
import { folioListPfns, listMoveTail } from '../../isolate';
import { hex, mkStep, type Steps } from '../../step';
import { guardOn } from '../../guards';
import type { MigrateCtx, MigrateMode, MigrateStats } from '../../migrate';
import type { Design } from '../types';
import {
  alloc_offline_page, balloon_page_isolate_frozen, balloon_page_putback_frozen, frozenBalloon, frozenPageOps, ownsFrozenOffline, put_offline_page, virtballoon_migratepage_frozen,
} from '../offline-alloc/frozen-list';

const LABEL = 'offline-migrate design (proposal)';
const owns = ownsFrozenOffline('offline-migrate');
/** NR_MAX_MIGRATE_PAGES_RETRY, the passes migrate_hugetlbs() makes: the model's path keeps them. */
const PASSES = 10;

const ISOLATED = 'test-and-set of PG_movable_ops_isolated finds it set: another migrator (or deflate) has it';
const DRIVER = "the driver's isolate_page() refused: page->private is NULL (deflated)";

// Proposal: isolate_offline_page() — the isolation migrate_offlinepages() assumes. No reference
// (frozen) and no page lock: test_and_set_bit(PG_movable_ops_isolated) is the one guard against
// a second migrator and against deflate, then the driver's isolate_page() takes the page off the
// balloon list under pages_lock; if it refuses, the bit is cleared again.
function isolate_offline_page(k: Kernel, page: number): string | null {
  const was = testPageFlag(k, page, PG.reclaim);
  if (was && guardOn(k, 'isolated-flag')) return ISOLATED;
  setPageFlag(k, page, PG.reclaim);
  if (!balloon_page_isolate_frozen(k, page, was)) {
    clearPageFlag(k, page, PG.reclaim);
    return DRIVER;
  }
  return null;
}

// Proposal: migrate_offlinepages() — migrate_pages() calls it first for the PageOffline pages on
// `from`. Per page: a frozen PageOffline destination from the caller's get_new_folio, the driver's
// callback (tell the host, swap list membership), the old page freed frozen. -EAGAIN (balloon_lock
// held) keeps the page for another pass, up to 10 as for hugetlb; what is left goes to `ret`.
export function* migrate_offlinepages(c: MigrateCtx, from: number, mode: MigrateMode, ret: number, stats: MigrateStats): Steps<number> {
  const { k } = c;
  let retry = 1;
  let nrFailed = 0;
  for (let pass = 0; pass < PASSES && retry; pass++) {
    retry = 0;
    const pages = folioListPfns(k, from).filter((p) => owns(k, p));
    if (!pages.length) break;
    yield mkStep(k, {
      phase: 'unmap', fn: 'migrate_offlinepages', file: 'mm/migrate.c',
      text: `${LABEL}, ${c.who}: pass ${pass + 1} of at most ${PASSES} over ${pages.length} PageOffline page(s), taken off migrate_pages()' list before any batch as migrate_hugetlbs() takes hugetlb folios — no page lock, no writeback or mapping check, no folio_migrate_mapping(), no unmap/dst lists, no references`,
      pfns: pages.map((p) => ({ pfn: p, role: 'src' as const })),
    });
    for (const src of pages) {
      const dst = alloc_offline_page(k, () => c.target.get(k, src, true));
      if (dst < 0) {
        listMoveTail(k, src, from, ret);
        nrFailed++;
        stats.nr_failed_pages++;
        yield mkStep(k, { phase: 'alloc', fn: 'migrate_offlinepages', file: 'mm/migrate.c', text: `${LABEL}: ${c.target.name} finds no free page for ${hex(src)}: -ENOMEM, it goes back to the caller`, pfns: [{ pfn: src, role: 'src' }], result: '-ENOMEM' });
        continue;
      }
      yield mkStep(k, {
        phase: 'alloc', fn: c.target.name, file: c.target.name === 'compaction_alloc' ? 'mm/compaction.c' : 'mm/migrate.c',
        text: `${LABEL}: destination for ${hex(src)}: ${hex(dst)}, frozen (refcount 0) and PageOffline from the allocator (alloc_offline_page(), as offline-alloc's get_new_folio); neither page is locked`,
        pfns: [{ pfn: src, role: 'src' }, { pfn: dst, role: 'dst' }],
      });
      const r = virtballoon_migratepage_frozen(k, dst, src, LABEL);
      for (const s of r.steps) yield s;
      if (r.rc) {
        const what = put_offline_page(k, dst, c.target);
        retry++;
        yield mkStep(k, { phase: 'putback', fn: 'migrate_offlinepages', file: 'mm/migrate.c', text: `${LABEL}: ${hex(src)} stays on the list for the next pass; the unused destination: ${what}`, pfns: [{ pfn: src, role: 'src' }, { pfn: dst, role: 'dst' }], result: '-EAGAIN' });
        continue;
      }
      listDel(k, k.lists, from, src);
      stats.nr_succeeded++;
      const what = put_offline_page(k, src);
      yield mkStep(k, { phase: 'free', fn: 'migrate_offlinepages', file: 'mm/migrate.c', text: `${LABEL}: ${hex(src)} → ${hex(dst)} done; ${what}`, pfns: [{ pfn: src, role: 'src' }, { pfn: dst, role: 'dst' }], result: '0' });
    }
  }
  // What is still on the list after the last pass goes to the caller's putback, not to the batches.
  for (const p of folioListPfns(k, from).filter((x) => owns(k, x))) {
    listMoveTail(k, p, from, ret);
    stats.nr_failed_pages++;
  }
  return nrFailed + retry;
}

export const offlineMigrate = {
  name: 'offline-migrate',
  summary: "Zi Yan's alternative: migrate_offlinepages(), a path of its own for PageOffline pages as hugetlb has, without the page lock, mapping checks or folio_migrate_mapping()",
  assumes: [
    'the balloon is offline-alloc\'s: pages frozen at rest (refcount 0) on balloon_dev_info->pages through page->lru, destinations frozen and PageOffline from the allocator, the old page freed frozen',
    'isolation (isolate_offline_page) takes no reference and no page lock: test-and-set of PG_movable_ops_isolated alone keeps a second migrator and deflate out; the driver\'s isolate_page() then takes the page off the list under pages_lock',
    'the caller still collects the isolated pages on migrate_pages()\' list through page->lru (free while off the balloon list); migrate_pages() hands them to migrate_offlinepages() before the batches, as it hands hugetlb folios to migrate_hugetlbs()',
    'compaction reaches these pages as in 6.18 (isolate_migratepages_block() sees PageOffline + PG_movable_ops), isolates them the same way, and its migrate_pages() call takes them down this path',
    '-EAGAIN from the driver (balloon_lock held) is retried for up to 10 passes, as migrate_hugetlbs() does; then the page is put back',
  ],
  ...frozenBalloon(LABEL),
  pageOps: {
    ...frozenPageOps(LABEL),
    owns,
    isolate: isolate_offline_page,
    isolateStep: (k, who, page, ref, why) => mkStep(k, {
      phase: 'isolate', fn: 'isolate_offline_page', file: 'mm/migrate.c',
      text: why
        ? `${who} (${LABEL}): ${hex(page)} is not isolated: ${why}`
        : `${who} (${LABEL}): test-and-set of PG_movable_ops_isolated succeeds on ${hex(page)} (frozen, refcount ${ref}: no reference taken, no page lock); balloon_page_isolate() takes it off the balloon list under pages_lock (isolated_pages ${k.balloon.isolated.a[0]})`,
      pfns: [{ pfn: page, role: 'src' }], result: why ? 'false' : 'true',
      ...(why ? { excluded: why === ISOLATED ? { guard: 'isolated-flag' as const, why: 'PG_movable_ops_isolated already set' } : { guard: 'driver' as const, why: 'page->private NULL: deflated' } } : {}),
    }),
    putback: (k, page) => balloon_page_putback_frozen(k, page),
    putbackStep: (k, page, ref) => mkStep(k, {
      phase: 'putback', fn: 'putback_movable_ops_page', file: 'mm/migrate.c',
      text: `${LABEL}: ${hex(page)} was not migrated: back on the balloon list, PG_movable_ops_isolated cleared, no page lock; no isolation reference to drop (refcount stays ${ref})`,
      pfns: [{ pfn: page, role: 'src' }],
    }),
    migratePages: migrate_offlinepages,
  },
} as const satisfies Design;
