// The balloon both of Zi Yan's designs (offline-alloc, offline-migrate) assume: 6.18's balloon list
// through page->lru and page->private = balloon_dev_info, but its pages frozen at refcount 0 (the
// thread's "frozen"), so nothing in them counts references. Proposals, not a released kernel: the
// allocator hands out a page already PageOffline and frozen (alloc_offline_page), the free of a
// PageOffline page is the plain free of a frozen page, and the driver's migrate callback only
// tells the host and swaps list membership. offline-migrate imports this file: one balloon, two
// migration paths.

import { PG, PGTY } from '../../flags';
import type { Kernel } from '../../kernel';
import { listAdd, listDel } from '../../list';
import { clearPageFlag, setPageFlag, setPagePrivate, setPageType, testPageFlag } from '../../memmap';
import { __alloc_frozen_pages, free_frozen_pages, GFP_HIGHUSER_MOVABLE } from '../../buddy';
import { put } from '../../store';
import { count_vm_events, mod_node_page_state, NS, VM_EVENT } from '../../vmstat';
import { hex, mkStep, type StepInfo, type Steps } from '../../step';
import { guardOn, type Exclusion } from '../../guards';
import {
  balloonPages, balloon_leak, BALLOON_DEV, lruPrivateList, update_balloon_size_func, type BalloonDesign, type BalloonLeak,
} from '../../balloon';
import type { NewFolioSource } from '../../migrate';
import type { DesignName } from '../names';

/** Whether `pfn` is a page of the run's design `name`: PageOffline and frozen (raw reads, no footprint). */
export const ownsFrozenOffline = (name: DesignName) => (k: Kernel, pfn: number): boolean =>
  k.variant === name && k.mem.pageType.a[pfn] === PGTY.offline && k.mem.refcount.a[pfn] === 0;

// Proposal (offline-alloc): get_new_folio / balloon_page_alloc() for a PageOffline user get the page
// from the allocator frozen and already PageOffline: no set_page_refcounted(), no get_page() later.
export function alloc_offline_page(k: Kernel, frozenGet: () => number): number {
  const page = frozenGet();
  if (page >= 0) setPageType(k, page, PGTY.offline); // __SetPageOffline(), by the allocator
  return page;
}

// Proposal: put_page() / free of a PageOffline page. A frozen page has no reference to drop: while
// the balloon keeps it (private = balloon_dev_info) nothing happens; otherwise it is freed frozen,
// and freeing ends PageOffline as it ends any page type (free_pages_prepare()).
export function put_offline_page(k: Kernel, page: number, target?: NewFolioSource): string {
  if (k.mem.private_.a[page] === BALLOON_DEV) return `put_offline_page() (proposal): ${hex(page)} is the balloon's, frozen: put_page() of a PageOffline page drops nothing (no refcount write)`;
  if (target?.put) {
    target.put(k, page, true);
    return `put_offline_page() (proposal), a PageOffline-aware put: ${hex(page)} is frozen, so nothing to drop; given back to ${target.name}'s list (put_new_folio), PageOffline ended there`;
  }
  free_frozen_pages(k, page, 0);
  return `put_offline_page() (proposal), a PageOffline-aware free: ${hex(page)} is frozen (refcount 0), so no folio_put(): free_frozen_pages() frees it and PageOffline ends as the page type is cleared`;
}

/** Why an isolation failed, and by which guard; `null` is success. */
export type IsolateResult = { why: string; excluded: Exclusion } | null;

// mm/balloon_compaction.c: balloon_page_isolate() with a frozen page: the device is found through
// page->private, the page leaves the list under pages_lock (the same lock deflate takes it under).
// `wasIsolated`: PG_movable_ops_isolated was set before this isolator came (only a sweep with the
// isolated-flag guard off gets here so): the page sits on another migrator's list, and list_del()
// would unlink it from there — reported as the BUG it is, not run (the model's list heads cannot).
export function balloon_page_isolate_frozen(k: Kernel, page: number, wasIsolated: boolean): boolean {
  if (wasIsolated) throw new Error(`BUG: list_del corruption: ${hex(page)} is on another migrator's list, not the balloon's (PG_movable_ops_isolated was already set; the isolated-flag guard is off)`);
  if (guardOn(k, 'driver') && k.mem.private_.a[page] !== BALLOON_DEV) return false;
  listDel(k, k.balloon.list, 0, page);
  put(k.st, k.balloon.isolated, 0, k.balloon.isolated.a[0]! + 1);
  return true;
}

// mm/balloon_compaction.c: balloon_page_putback() of a frozen page.
export function balloon_page_putback_frozen(k: Kernel, page: number): void {
  listAdd(k, k.balloon.list, 0, page);
  put(k.st, k.balloon.isolated, 0, k.balloon.isolated.a[0]! - 1);
  clearPageFlag(k, page, PG.reclaim); // ClearPageMovableOpsIsolated()
}

// drivers/virtio/virtio_balloon.c: virtballoon_migratepage(), as both designs reduce it: dst comes
// frozen and PageOffline, so the driver only puts it on the list (PG_movable_ops, private) in src's
// place and tells the host; src is finalized and left to the core's PageOffline-aware free.
export function virtballoon_migratepage_frozen(k: Kernel, dst: number, src: number, label: string): { rc: number; steps: StepInfo[] } {
  const pfns = [{ pfn: src, role: 'src' as const }, { pfn: dst, role: 'dst' as const }];
  if (k.balloon.lock.a[0]) {
    return { rc: -11, steps: [mkStep(k, { phase: 'move-mapping', fn: 'virtballoon_migratepage', file: 'drivers/virtio/virtio_balloon.c', text: `${label}: balloon_lock is held (the driver is inflating or deflating): mutex_trylock fails → -EAGAIN, retried later`, pfns, result: '-EAGAIN' })] };
  }
  setPageFlag(k, dst, PG.uptodate); // SetPageMovableOps()
  setPagePrivate(k, dst, BALLOON_DEV);
  listAdd(k, k.balloon.list, 0, dst);
  put(k.st, k.balloon.isolated, 0, k.balloon.isolated.a[0]! - 1);
  count_vm_events(k, VM_EVENT.BALLOON_MIGRATE, 1);
  setPagePrivate(k, src, 0); // balloon_page_finalize()
  clearPageFlag(k, src, PG.reclaim); // ClearPageMovableOpsIsolated()
  return {
    rc: 0,
    steps: [mkStep(k, {
      phase: 'copy', fn: 'virtballoon_migratepage', file: 'drivers/virtio/virtio_balloon.c',
      text: `${label}: ${hex(dst)} came PageOffline and frozen from the allocator, so no get_page() and no __SetPageOffline() here: PG_movable_ops, private and onto the balloon list in ${hex(src)}'s place (isolated_pages ${k.balloon.isolated.a[0]! + 1} → ${k.balloon.isolated.a[0]}); the host is told (inflate ${hex(dst)}, deflate ${hex(src)}); ${hex(src)} finalized (private cleared, PG_movable_ops_isolated cleared) — no put_page(): it holds no reference`,
      pfns, result: '0',
    })],
  };
}

/** fill_balloon() of the frozen-list balloon: pages come PageOffline and frozen, wait on page->lru, then join the list. */
function frozenListBalloon(label: string): BalloonDesign {
  return {
    alloc: (k) => alloc_offline_page(k, () => __alloc_frozen_pages(k, GFP_HIGHUSER_MOVABLE, 0)),
    enqueue: (k, page) => {
      setPageFlag(k, page, PG.uptodate); // SetPageMovableOps()
      setPagePrivate(k, page, BALLOON_DEV);
      listAdd(k, k.balloon.list, 0, page);
      return mkStep(k, {
        phase: 'alloc', fn: 'balloon_page_enqueue', file: 'mm/balloon_compaction.c',
        text: `${label}: ${hex(page)} came from the allocator PageOffline and frozen (refcount 0); under balloon_lock it gets PG_movable_ops, private = balloon_dev_info and goes on the balloon's pages list through page->lru — no reference is ever taken on it`,
        pfns: [{ pfn: page, role: 'allocated' }],
      });
    },
    newPrivateList: lruPrivateList,
  };
}

// leak_balloon() of the frozen-list balloon: deflate claims a page by the same test-and-set of
// PG_movable_ops_isolated a migrator uses (there is no reference to tell them apart), takes it off
// the list and frees it frozen.
function frozenListLeak(label: string): BalloonLeak {
  return {
    dequeue: (k) => {
      const page = balloonPages(k).find((p) => !guardOn(k, 'isolated-flag') || !testPageFlag(k, p, PG.reclaim));
      if (page === undefined) return null;
      setPageFlag(k, page, PG.reclaim); // test_and_set_bit(PG_movable_ops_isolated)
      listDel(k, k.balloon.list, 0, page);
      setPagePrivate(k, page, 0); // balloon_page_finalize()
      count_vm_events(k, VM_EVENT.BALLOON_DEFLATE, 1);
      mod_node_page_state(k, NS.NR_BALLOON_PAGES, -1);
      return { page, step: mkStep(k, { phase: 'free', fn: 'balloon_page_dequeue', file: 'mm/balloon_compaction.c', text: `${label}: test-and-set of PG_movable_ops_isolated on ${hex(page)} succeeds (a migrator's now fails); off the balloon list, private cleared`, pfns: [{ pfn: page, role: 'target' }] }) };
    },
    release: (k, page) => {
      clearPageFlag(k, page, PG.reclaim);
      put_offline_page(k, page);
    },
  };
}

export function* balloon_inflate_frozen_list(k: Kernel, pages: number, got: number[], label: string): Steps<number> {
  return yield* update_balloon_size_func(k, pages, got, frozenListBalloon(label));
}

export function* balloon_deflate_frozen_list(k: Kernel, pages: number, label: string): Steps<number> {
  return yield* balloon_leak(k, pages, frozenListLeak(label));
}

/** What both frozen-PageOffline designs share: their balloon and the page operations no proposal changes. */
export function frozenBalloon(label: string) {
  return {
    inflate: (k: Kernel, pages: number, got: number[]) => balloon_inflate_frozen_list(k, pages, got, label),
    deflate: (k: Kernel, pages: number) => balloon_deflate_frozen_list(k, pages, label),
  };
}

/** The page operations the two designs share: the driver's migrate_page, the isolated bit, the frozen put. */
export function frozenPageOps(label: string) {
  return {
    migrate: (k: Kernel, dst: number, src: number) => virtballoon_migratepage_frozen(k, dst, src, label),
    isolated: (k: Kernel, page: number) => testPageFlag(k, page, PG.reclaim),
    encoding: 'PG_movable_ops, frozen (refcount 0)',
    frozen: true,
    put: put_offline_page,
  } as const;
}
