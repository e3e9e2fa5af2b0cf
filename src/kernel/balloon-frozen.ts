// Design variant "no-refcount": the direction of David Hildenbrand's movable_ops rework and balloon
// cleanups, where PageOffline pages stop being folios — no ->mapping, no ->lru, no refcount, no
// page lock. Here the balloon allocates and frees its pages frozen (refcount 0), tracks them in a
// PFN array instead of a list through page->lru, isolates a page only by test-and-set of
// PG_movable_ops_isolated, and migrates through a PFN-array path that never reads or writes
// _refcount or lru. This is a model of a proposal, not of a released kernel: each step says so.

import { PG, PGTY } from './flags';
import type { Kernel } from './kernel';
import { __alloc_frozen_pages, free_frozen_pages, GFP_HIGHUSER_MOVABLE } from './buddy';
import { clearPageFlag, setPageFlag, setPageType, testClearPageFlag, testPageFlag } from './memmap';
import { growStore, put } from './store';
import { count_vm_events, mod_node_page_state, NS, VM_EVENT } from './vmstat';
import { hex, mkStep, type Steps } from './step';
import { fill_balloon } from './balloon';

const VARIANT = 'no-refcount design variant';

export function frozenBalloonPfns(k: Kernel): number[] {
  return Array.from(k.balloon.pfns.a.subarray(0, k.balloon.nr.a[0]!));
}

function arrayAdd(k: Kernel, pfn: number): void {
  const n = k.balloon.nr.a[0]!;
  // The design's array is the driver's, sized as it needs: it doubles (growStore: the new slots
  // hold -1, the same state as before, so stepping back needs no shrinking).
  if (n >= k.balloon.pfns.a.length) growStore(k.balloon.pfns, 2 * k.balloon.pfns.a.length);
  put(k.st, k.balloon.pfns, n, pfn);
  put(k.st, k.balloon.nr, 0, n + 1);
}

function arrayRemove(k: Kernel, i: number): number {
  const n = k.balloon.nr.a[0]! - 1;
  const pfn = k.balloon.pfns.a[i]!;
  put(k.st, k.balloon.pfns, i, k.balloon.pfns.a[n]!);
  put(k.st, k.balloon.pfns, n, -1);
  put(k.st, k.balloon.nr, 0, n);
  return pfn;
}

// Inflate: alloc_frozen_pages(), __SetPageOffline + PG_movable_ops, the PFN into the array.
export function* balloon_inflate_frozen(k: Kernel, pages: number, got: number[] = []): Steps<number> {
  return yield* fill_balloon(k, pages, got, () => __alloc_frozen_pages(k, GFP_HIGHUSER_MOVABLE, 0), (page) => {
    setPageType(k, page, PGTY.offline);
    setPageFlag(k, page, PG.uptodate); // PG_movable_ops
    arrayAdd(k, page);
    return mkStep(k, {
      phase: 'alloc', fn: 'balloon_inflate', file: '',
      text: `${VARIANT}: ${hex(page)} allocated frozen (refcount 0), PageOffline + PG_movable_ops, its PFN kept in the balloon's array — page->lru and _refcount are never used`,
      pfns: [{ pfn: page, role: 'allocated' }],
    });
  });
}

// Deflate: the PFN leaves the array; the page is freed frozen (freeing clears PageOffline).
export function* balloon_deflate_frozen(k: Kernel, pages: number): Steps<number> {
  let done = 0;
  put(k.st, k.balloon.lock, 0, 1);
  for (let i = 0; i < pages; i++) {
    const idx = frozenBalloonPfns(k).findIndex((p) => !testPageFlag(k, p, PG.reclaim));
    if (idx < 0) break;
    const page = arrayRemove(k, idx);
    mod_node_page_state(k, NS.NR_BALLOON_PAGES, -1);
    count_vm_events(k, VM_EVENT.BALLOON_DEFLATE, 1);
    free_frozen_pages(k, page, 0);
    done++;
    yield mkStep(k, { phase: 'free', fn: 'balloon_deflate', file: '', text: `${VARIANT}: ${hex(page)} leaves the PFN array and is freed frozen (free_frozen_pages): no reference to drop`, pfns: [{ pfn: page, role: 'freed' }] });
  }
  put(k.st, k.balloon.lock, 0, 0);
  return done;
}

/**
 * Migrate balloon pages by PFN, as the variant proposes: test-and-set PG_movable_ops_isolated
 * decides who migrates a page (no reference is taken); the destination is allocated frozen; the
 * driver swaps the PFN in its array; the old page is freed frozen.
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
    // test_and_set_bit(PG_movable_ops_isolated): the only arbitration between migrators.
    if (testPageFlag(k, src, PG.reclaim)) {
      yield mkStep(k, { phase: 'isolate', fn: 'migrate_offline_pfns', file: '', text: `${who}: test-and-set of PG_movable_ops_isolated on ${hex(src)} finds it set: another migrator has it, skipped`, pfns: [{ pfn: src, role: 'src' }], result: 'false' });
      failed++;
      continue;
    }
    setPageFlag(k, src, PG.reclaim);
    yield mkStep(k, { phase: 'isolate', fn: 'migrate_offline_pfns', file: '', text: `${who}: test-and-set of PG_movable_ops_isolated on ${hex(src)} succeeds: it is ours (refcount stays ${k.mem.refcount.a[src]})`, pfns: [{ pfn: src, role: 'src' }], result: 'true' });
    if (k.balloon.lock.a[0]) {
      clearPageFlag(k, src, PG.reclaim);
      failed++;
      yield mkStep(k, { phase: 'move-mapping', fn: 'migrate_offline_pfns', file: '', text: `${who}: the balloon's lock is held: -EAGAIN, PG_movable_ops_isolated cleared again`, pfns: [{ pfn: src, role: 'src' }], result: '-EAGAIN' });
      continue;
    }
    const dst = __alloc_frozen_pages(k, GFP_HIGHUSER_MOVABLE, 0);
    if (dst < 0) {
      clearPageFlag(k, src, PG.reclaim);
      failed++;
      yield mkStep(k, { phase: 'alloc', fn: 'migrate_offline_pfns', file: '', text: `${who}: no free page for ${hex(src)}: -ENOMEM`, pfns: [{ pfn: src, role: 'src' }], result: '-ENOMEM' });
      continue;
    }
    setPageType(k, dst, PGTY.offline);
    setPageFlag(k, dst, PG.uptodate);
    const i = frozenBalloonPfns(k).indexOf(src);
    put(k.st, k.balloon.pfns, i, dst);
    count_vm_events(k, VM_EVENT.BALLOON_MIGRATE, 1);
    testClearPageFlag(k, src, PG.reclaim);
    clearPageFlag(k, src, PG.uptodate);
    free_frozen_pages(k, src, 0);
    count_vm_events(k, VM_EVENT.PGMIGRATE_SUCCESS, 1);
    migrated++;
    yield mkStep(k, {
      phase: 'move-mapping', fn: 'migrate_offline_pfns', file: '',
      text: `${who}: ${hex(dst)} allocated frozen and made PageOffline + PG_movable_ops; the balloon's array slot ${i} now holds ${hex(dst)} (host told: inflate new, deflate old); ${hex(src)} freed frozen — the path wrote no _refcount and no lru (freeing reads _refcount once: the allocator's bad-page check wants it 0)`,
      pfns: [{ pfn: src, role: 'src' }, { pfn: dst, role: 'dst' }], result: '0',
    });
  }
  count_vm_events(k, VM_EVENT.PGMIGRATE_FAIL, failed);
  return { migrated, failed };
}
