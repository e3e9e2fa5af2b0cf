// Design variant "no-refcount": the direction of David Hildenbrand's movable_ops rework and balloon
// cleanups, where PageOffline pages stop being folios — no ->mapping, no ->lru, no refcount, no
// page lock. Here the balloon allocates and frees its pages frozen (refcount 0), tracks them in a
// PFN array instead of a list through page->lru, and migrates them through a PFN-array path that
// never reads or writes _refcount or lru. With no reference and no page lock, one bit decides who
// has a page: test-and-set of PG_movable_ops_isolated, by a migrator and by deflate alike; the
// array itself changes only under balloon_lock. This is a model of a proposal, not of a released
// kernel: each step says so.

import { PG, PGTY } from './flags';
import type { Kernel } from './kernel';
import { __alloc_frozen_pages, free_frozen_pages, GFP_HIGHUSER_MOVABLE } from './buddy';
import { clearPageFlag, countLock, setPageFlag, setPageType, testPageFlag } from './memmap';
import { growStore, put } from './store';
import { count_vm_events, mod_node_page_state, NS, VM_EVENT } from './vmstat';
import { hex, mkStep, type Steps } from './step';
import { guardOn } from './guards';
import { raceExclusion } from './guard-steps';
import { isolatorAdd, isolatorDel } from './isolators';
import { balloon_leak, balloon_mutex_unlock, update_balloon_size_func, type BalloonDesign, type BalloonLeak, type BalloonPrivateList } from './balloon';

const VARIANT = 'no-refcount design variant';

export function frozenBalloonPfns(k: Kernel): number[] {
  return Array.from(k.balloon.pfns.a.subarray(0, k.balloon.nr.a[0]!));
}

/** The first free slot: past the balloon's nr pages and the pending tail of pages not enqueued yet. */
function tailEnd(k: Kernel): number {
  const a = k.balloon.pfns.a;
  let i = k.balloon.nr.a[0]!;
  while (i < a.length && a[i] !== -1) i++;
  return i;
}

// The design's array is the driver's, sized as it needs: it doubles (growStore: the new slots
// hold -1, the same state as before, so stepping back needs no shrinking).
function slotFor(k: Kernel): number {
  const i = tailEnd(k);
  if (i >= k.balloon.pfns.a.length) growStore(k.balloon.pfns, 2 * k.balloon.pfns.a.length);
  return i;
}

/** Remove entry i of the array; the last entry fills its slot and the pending tail moves down one. */
function arrayRemove(k: Kernel, i: number): number {
  const a = k.balloon.pfns;
  const n = k.balloon.nr.a[0]! - 1;
  const pfn = a.a[i]!;
  put(k.st, a, i, a.a[n]!);
  const last = tailEnd(k) - 1;
  if (last > n) {
    put(k.st, a, n, a.a[last]!);
    put(k.st, a, last, -1);
  } else put(k.st, a, n, -1);
  put(k.st, k.balloon.nr, 0, n);
  return pfn;
}

// fill_balloon()'s private list in this design: the new PFNs wait in the array's free tail (there
// is no page->lru to thread them on); enqueueing one moves it to slot nr and counts it in.
function arrayPrivateList(): BalloonPrivateList {
  const mine: number[] = [];
  return {
    push: (k, page) => {
      put(k.st, k.balloon.pfns, slotFor(k), page);
      mine.push(page);
    },
    pop: () => mine.pop() ?? -1,
  };
}

const FROZEN: BalloonDesign = {
  alloc: (k) => __alloc_frozen_pages(k, GFP_HIGHUSER_MOVABLE, 0),
  enqueue: (k, page) => {
    const a = k.balloon.pfns;
    const n = k.balloon.nr.a[0]!;
    const j = a.a.indexOf(page, n);
    put(k.st, a, j, a.a[n]!);
    put(k.st, a, n, page);
    put(k.st, k.balloon.nr, 0, n + 1);
    setPageType(k, page, PGTY.offline);
    setPageFlag(k, page, PG.uptodate); // PG_movable_ops
    return mkStep(k, {
      phase: 'alloc', fn: 'balloon_inflate', file: '',
      text: `${VARIANT}: under balloon_lock ${hex(page)} (allocated frozen, refcount 0) becomes PageOffline + PG_movable_ops and is counted into the balloon's PFN array (slot ${n}) — page->lru and _refcount are never used`,
      pfns: [{ pfn: page, role: 'allocated' }],
    });
  },
  newPrivateList: arrayPrivateList,
};

// Inflate: alloc_frozen_pages() without a lock, then under balloon_lock PageOffline + PG_movable_ops and into the array.
export function* balloon_inflate_frozen(k: Kernel, pages: number, got: number[] = []): Steps<number> {
  return yield* update_balloon_size_func(k, pages, got, FROZEN);
}

// Deflate: under balloon_lock, claim a page by test-and-set of PG_movable_ops_isolated (a page a
// migrator holds is skipped), tell the host, then take each out of the array and free it frozen.
const LEAK_FROZEN: BalloonLeak = {
  dequeue: (k) => {
    const page = frozenBalloonPfns(k).find((p) => !guardOn(k, 'isolated-flag') || !testPageFlag(k, p, PG.reclaim));
    if (page === undefined) return null;
    setPageFlag(k, page, PG.reclaim); // test_and_set_bit(PG_movable_ops_isolated) succeeded
    isolatorAdd(k, page, 'deflate'); // on the driver's list of pages to release: deflate holds it
    return { page, step: mkStep(k, { phase: 'free', fn: 'balloon_deflate', file: '', text: `${VARIANT}: test-and-set of PG_movable_ops_isolated on ${hex(page)} succeeds: deflate has it, and a migrator's test-and-set now fails`, pfns: [{ pfn: page, role: 'target' }], result: 'true' }) };
  },
  release: (k, page) => {
    arrayRemove(k, frozenBalloonPfns(k).indexOf(page));
    mod_node_page_state(k, NS.NR_BALLOON_PAGES, -1);
    count_vm_events(k, VM_EVENT.BALLOON_DEFLATE, 1);
    isolatorDel(k, page, 'deflate');
    clearPageFlag(k, page, PG.reclaim);
    free_frozen_pages(k, page, 0); // no reference to drop; freeing clears PageOffline
  },
};

export function* balloon_deflate_frozen(k: Kernel, pages: number): Steps<number> {
  return yield* balloon_leak(k, pages, LEAK_FROZEN);
}

/**
 * Migrate balloon pages by PFN, as the variant proposes: test-and-set PG_movable_ops_isolated
 * decides who migrates a page (no reference is taken); the driver, holding balloon_lock, swaps the
 * PFN in its array for a frozen destination and tells the host; the old page is freed frozen.
 * A page whose test-and-set fails was never isolated: like 6.18, that is not a migration failure.
 */
export function* migrate_offline_pfns(k: Kernel, pfns: readonly number[], who: string): Steps<{ migrated: number; failed: number }> {
  let migrated = 0;
  let failed = 0;
  yield mkStep(k, {
    phase: 'isolate', fn: 'migrate_offline_pfns', file: '',
    text: `${VARIANT}, ${who}: ${pfns.length} PFN(s) in an array, no list. The 6.18 path could not take these pages: isolate_movable_ops_page() starts with folio_get_nontail_page(), which fails on refcount 0, and migrate_pages() threads page->lru onto its lists`,
    pfns: pfns.map((p) => ({ pfn: p, role: 'src' as const })),
  });
  for (const src of pfns) {
    if (k.mem.pageType.a[src] !== PGTY.offline || !testPageFlag(k, src, PG.uptodate)) {
      yield mkStep(k, { phase: 'isolate', fn: 'migrate_offline_pfns', file: '', text: `${who}: ${hex(src)} is not a PageOffline movable_ops page: skipped`, pfns: [{ pfn: src, role: 'target' }], result: 'false' });
      continue;
    }
    // test_and_set_bit(PG_movable_ops_isolated): the only arbitration, with migrators and deflate
    // (no reference, no page lock). The schedule sweep can switch this guard off (guardOn) to show
    // the design without it: the bit is then set without being tested.
    if (guardOn(k, 'isolated-flag') && testPageFlag(k, src, PG.reclaim)) {
      yield mkStep(k, {
        phase: 'isolate', fn: 'migrate_offline_pfns', file: '', text: `${who}: test-and-set of PG_movable_ops_isolated on ${hex(src)} finds it set: another migrator or deflate has it; not isolated, so not a migration failure (no reference was taken, so there is nothing to back off: refcount stays ${k.mem.refcount.a[src]})`, pfns: [{ pfn: src, role: 'src' }], result: 'false',
        excluded: { guard: 'isolated-flag', why: 'PG_movable_ops_isolated already set' },
      });
      continue;
    }
    const wasSet = !guardOn(k, 'isolated-flag') && testPageFlag(k, src, PG.reclaim); // asked only with the guard off
    setPageFlag(k, src, PG.reclaim);
    // The PFN goes into this migrator's array of isolated pages: with no reference and no list
    // link, that entry is all that says the page is ours (isolators.ts).
    isolatorAdd(k, src, who);
    yield mkStep(k, { phase: 'isolate', fn: 'migrate_offline_pfns', file: '', text: wasSet
      ? `${who}: PG_movable_ops_isolated on ${hex(src)} is already set, but the isolated-flag guard is switched off (the schedule sweep's design without it): ${who} takes the page anyway, as a plain test then set would let it`
      : `${who}: test-and-set of PG_movable_ops_isolated on ${hex(src)} succeeds: it is ours (refcount stays ${k.mem.refcount.a[src]})`, pfns: [{ pfn: src, role: 'src' }], result: 'true' });
    // mutex_trylock(&vb->balloon_lock), as virtballoon_migratepage() does.
    if (k.balloon.lock.a[0] && guardOn(k, 'lock')) {
      clearPageFlag(k, src, PG.reclaim);
      isolatorDel(k, src, who);
      failed++;
      yield mkStep(k, { phase: 'move-mapping', fn: 'migrate_offline_pfns', file: '', text: `${who}: balloon_lock is held (the driver is inflating or deflating): mutex_trylock fails → -EAGAIN, PG_movable_ops_isolated cleared again`, pfns: [{ pfn: src, role: 'src' }], result: '-EAGAIN', ...raceExclusion(k, 'lock', 'mutex_trylock(&vb->balloon_lock) failed') });
      continue;
    }
    const dst = __alloc_frozen_pages(k, GFP_HIGHUSER_MOVABLE, 0);
    if (dst < 0) {
      clearPageFlag(k, src, PG.reclaim);
      isolatorDel(k, src, who);
      failed++;
      yield mkStep(k, { phase: 'alloc', fn: 'migrate_offline_pfns', file: '', text: `${who}: no free page for ${hex(src)}: -ENOMEM`, pfns: [{ pfn: src, role: 'src' }], result: '-ENOMEM' });
      continue;
    }
    const i = frozenBalloonPfns(k).indexOf(src);
    if (i < 0) {
      // The driver, under balloon_lock, finds no slot for src: it is no longer the balloon's.
      // Only a second migrator that got past a switched-off test-and-set gets here, after the
      // first one moved the page; the driver's lookup is then the guard that stops it.
      free_frozen_pages(k, dst, 0);
      failed++;
      yield mkStep(k, { phase: 'move-mapping', fn: 'migrate_offline_pfns', file: '', text: `${who}: under balloon_lock the driver finds no slot for ${hex(src)} in its PFN array — another migrator has moved it: -EBUSY, the new page freed again`, pfns: [{ pfn: src, role: 'src' }], result: '-EBUSY', ...raceExclusion(k, 'driver', `${hex(src)} is not in the balloon's PFN array`) });
      continue;
    }
    put(k.st, k.balloon.lock, 0, 1);
    countLock(k, 'balloon_lock');
    setPageType(k, dst, PGTY.offline);
    setPageFlag(k, dst, PG.uptodate);
    put(k.st, k.balloon.pfns, i, dst);
    count_vm_events(k, VM_EVENT.BALLOON_MIGRATE, 1);
    clearPageFlag(k, src, PG.reclaim);
    isolatorDel(k, src, who);
    clearPageFlag(k, src, PG.uptodate);
    free_frozen_pages(k, src, 0);
    count_vm_events(k, VM_EVENT.PGMIGRATE_SUCCESS, 1);
    migrated++;
    yield mkStep(k, {
      phase: 'move-mapping', fn: 'migrate_offline_pfns', file: '',
      text: `${who}: holding balloon_lock, the driver swaps slot ${i} of its array from ${hex(src)} to ${hex(dst)} (allocated frozen, made PageOffline + PG_movable_ops) and tells the host (inflate new, deflate old), waiting for its answer with the lock held; ${hex(src)} is freed frozen — the path wrote no _refcount and no lru (freeing reads _refcount once: the allocator's bad-page check wants it 0)`,
      pfns: [{ pfn: src, role: 'src' }, { pfn: dst, role: 'dst' }], result: '0',
    });
    balloon_mutex_unlock(k);
  }
  count_vm_events(k, VM_EVENT.PGMIGRATE_FAIL, failed);
  return { migrated, failed };
}
