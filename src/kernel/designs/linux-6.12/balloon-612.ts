// Design variant "linux-6.12": the balloon and non-LRU movable pages before the 6.17 movable_ops
// rework (mm/migrate.c, mm/balloon_compaction.c, include/linux/balloon_compaction.h of 6.12).
// The ops live in page->mapping with PAGE_MAPPING_MOVABLE (bit 1) set (__SetPageMovable), the
// isolation flag is PG_isolated (the PG_reclaim bit), isolation is isolate_movable_page(), and
// balloon_page_delete() clears PageOffline itself (6.18 keeps it until the page is freed).

import { PG, PGTY } from '../../flags';
import type { Kernel } from '../../kernel';
import { listAdd, listDel } from '../../list';
import { clearPageFlag, countLock, pageMapping, setPageFlag, setPageMapping, setPagePrivate, setPageType, testPageFlag } from '../../memmap';
import { __alloc_pages, GFP_HIGHUSER_MOVABLE } from '../../buddy';
import { folio_get, folio_put, folio_ref_count } from '../../folio';
import { put } from '../../store';
import { count_vm_events, mod_node_page_state, NS, VM_EVENT } from '../../vmstat';
import { hex, mkStep, type Steps, type StepInfo } from '../../step';
import { mappingId, mappingIsMovable, movableMapping, PAGE_MAPPING_MOVABLE } from '../../vm';
import { guardOn } from '../../guards';
import { raceExclusion, isolatedCommit, isolatedFlagTest, driverIsolate, pageTrylock, plainCheck, runGuardsNow, speculativeRef, type GuardStage } from '../../guard-steps';
import { BALLOON_DEV, balloon_leak, balloonPages, lruPrivateList, update_balloon_size_func, type BalloonDesign, type BalloonLeak } from '../../balloon';

const VARIANT = 'linux-6.12 variant';
/** balloon_mops, the one movable_operations the model registers (index 0). */
const BALLOON_MOPS = 0;

/** 6.12 __PageMovable(): the mapping's flag bits say "movable". */
export const __PageMovable612 = (k: Kernel, pfn: number): boolean => mappingIsMovable(k.mem.mapping.a[pfn]!);
/** 6.12 PageMovable(): movable and the ops are still there (not yet __ClearPageMovable'd). */
export const PageMovable612 = (k: Kernel, pfn: number): boolean => __PageMovable612(k, pfn) && mappingId(k.mem.mapping.a[pfn]!) >= 0;

// include/linux/balloon_compaction.h (6.12): balloon_page_insert()
function balloon_page_insert_612(k: Kernel, page: number): void {
  setPageType(k, page, PGTY.offline); // __SetPageOffline()
  setPageMapping(k, page, movableMapping(BALLOON_MOPS)); // __SetPageMovable(page, &balloon_mops)
  setPagePrivate(k, page, BALLOON_DEV);
  listAdd(k, k.balloon.list, 0, page);
}

// include/linux/balloon_compaction.h (6.12): balloon_page_delete()
function balloon_page_delete_612(k: Kernel, page: number, isolated: boolean): void {
  setPageType(k, page, PGTY.none); // __ClearPageOffline(): 6.12 ends PageOffline here
  setPageMapping(k, page, PAGE_MAPPING_MOVABLE); // __ClearPageMovable(): only the flag bits stay
  setPagePrivate(k, page, 0);
  if (!isolated) listDel(k, k.balloon.list, 0, page);
}

// fill_balloon() of 6.12: as 6.18's, with 6.12's balloon_page_insert().
const BALLOON_612: BalloonDesign = {
  alloc: (k) => __alloc_pages(k, GFP_HIGHUSER_MOVABLE, 0),
  enqueue: (k, page) => {
    balloon_page_insert_612(k, page);
    return mkStep(k, {
      phase: 'alloc', fn: 'balloon_page_enqueue', file: 'mm/balloon_compaction.c',
      text: `${VARIANT}: ${hex(page)} becomes a balloon page under balloon_lock: PageOffline, page->mapping = &balloon_mops | PAGE_MAPPING_MOVABLE, private = balloon_dev_info, lru on the balloon list (refcount ${folio_ref_count(k, page)})`,
      pfns: [{ pfn: page, role: 'allocated' }],
    });
  },
  newPrivateList: lruPrivateList,
};

export function* balloon_inflate_612(k: Kernel, pages: number, got: number[] = []): Steps<number> {
  return yield* update_balloon_size_func(k, pages, got, BALLOON_612);
}

// leak_balloon() of 6.12: balloon_lock held as in 6.18; balloon_page_delete() ends PageOffline at dequeue.
const LEAK_612: BalloonLeak = {
  dequeue: (k) => {
    const page = balloonPages(k).find((p) => !testPageFlag(k, p, PG.locked));
    if (page === undefined) return null;
    balloon_page_delete_612(k, page, false);
    count_vm_events(k, VM_EVENT.BALLOON_DEFLATE, 1);
    mod_node_page_state(k, NS.NR_BALLOON_PAGES, -1);
    return { page, step: mkStep(k, { phase: 'free', fn: 'balloon_page_delete', file: 'include/linux/balloon_compaction.h', text: `${VARIANT}: ${hex(page)} off the balloon list; balloon_page_delete() clears PageOffline and __ClearPageMovable() leaves mapping = PAGE_MAPPING_MOVABLE`, pfns: [{ pfn: page, role: 'target' }] }) };
  },
  release: (k, page) => {
    setPageMapping(k, page, 0); // free_pages_prepare(): PageMappingFlags() → mapping = NULL
    folio_put(k, page);
  },
};

export function* balloon_deflate_612(k: Kernel, pages: number): Steps<number> {
  return yield* balloon_leak(k, pages, LEAK_612);
}

// mm/migrate.c (6.12): isolate_movable_page() as guard stages: the speculative reference,
// __PageMovable(), the page lock, then under it PageMovable() (the owner still has it) and
// PG_isolated, the ops' isolate_page() (balloon_page_isolate()), and SetPageIsolated().
export function isolate_movable_page_612_guards(page: number): GuardStage[] {
  return [
    speculativeRef(page, 'folio_get_nontail_page', 'folio_try_get() fails on refcount 0'),
    plainCheck('__folio_test_movable', 'include/linux/page-flags.h', (k) => (__PageMovable612(k, page) ? null : '__PageMovable() is false'), '__PageMovable() is false (no PAGE_MAPPING_MOVABLE in page->mapping)'),
    pageTrylock(page, 'folio_trylock() fails'),
    { ...plainCheck('folio_test_movable', 'include/linux/page-flags.h', (k) => (PageMovable612(k, page) ? null : 'PageMovable() is false: the owner released it'), 'PageMovable() is false: the owner released it'), guard: 'driver' },
    isolatedFlagTest(page, 'PG_isolated', 'PG_isolated is already set'),
    driverIsolate(page, 'balloon_page_isolate', 'mm/balloon_compaction.c', (k) => {
      if (mappingId(pageMapping(k, page)) !== BALLOON_MOPS) return 'unknown movable_operations';
      listDel(k, k.balloon.list, 0, page);
      put(k.st, k.balloon.isolated, 0, k.balloon.isolated.a[0]! + 1);
      return null;
    }, undefined, (k) => `balloon_page_isolate() (ops found through page->mapping) takes ${hex(page)} off the balloon list (isolated_pages ${k.balloon.isolated.a[0]})`),
    isolatedCommit(page, 'folio_set_isolated', 'mm/migrate.c', `SetPageIsolated() (PG_isolated, the PG_reclaim bit), folio_unlock(): ${hex(page)} is isolated`, 'PG_isolated'),
  ];
}

// mm/migrate.c (6.12): isolate_movable_page() — null on success, else why.
export function isolate_movable_page_612(k: Kernel, page: number): string | null {
  return runGuardsNow(k, isolate_movable_page_612_guards(page), page);
}

// mm/migrate.c (6.12): putback_movable_folio() → balloon_page_putback(), folio_clear_isolated().
export function putback_movable_folio_612(k: Kernel, page: number): void {
  if (PageMovable612(k, page)) {
    listAdd(k, k.balloon.list, 0, page);
    put(k.st, k.balloon.isolated, 0, k.balloon.isolated.a[0]! - 1);
  }
  clearPageFlag(k, page, PG.reclaim);
}

// mm/migrate.c (6.12): move_to_new_folio()'s movable branch → balloon_page_migrate() →
// virtballoon_migratepage(): insert the new page, delete the old one (clearing its PageOffline).
export function balloon_page_migrate_612(k: Kernel, dst: number, src: number): { rc: number; steps: StepInfo[] } {
  const steps: StepInfo[] = [];
  if (!PageMovable612(k, src)) {
    clearPageFlag(k, src, PG.reclaim); // folio_clear_isolated()
    steps.push(mkStep(k, { phase: 'move-mapping', fn: 'move_to_new_folio', file: 'mm/migrate.c', text: `${VARIANT}: ${hex(src)} is no longer PageMovable (its owner released it): "migration" succeeds at once`, pfns: [{ pfn: src, role: 'src' }], result: '0' }));
    return { rc: 0, steps };
  }
  if (k.balloon.lock.a[0] && guardOn(k, 'lock')) {
    steps.push(mkStep(k, { phase: 'move-mapping', fn: 'virtballoon_migratepage', file: 'drivers/virtio/virtio_balloon.c', text: `${VARIANT}: balloon_lock is held → -EAGAIN`, pfns: [{ pfn: src, role: 'src' }, { pfn: dst, role: 'dst' }], result: '-EAGAIN', ...raceExclusion(k, 'lock', 'mutex_trylock(&vb->balloon_lock) failed') }));
    return { rc: -11, steps };
  }
  countLock(k, 'balloon_lock'); // mutex_trylock() succeeds: held for the rest of virtballoon_migratepage() (checked, not written)
  folio_get(k, dst);
  balloon_page_insert_612(k, dst);
  put(k.st, k.balloon.isolated, 0, k.balloon.isolated.a[0]! - 1);
  count_vm_events(k, VM_EVENT.BALLOON_MIGRATE, 1);
  balloon_page_delete_612(k, src, true);
  const ref = folio_ref_count(k, src);
  folio_put(k, src);
  clearPageFlag(k, src, PG.reclaim); // folio_clear_isolated() in move_to_new_folio()
  // The 'copy' phase of the movable path, as in balloon.ts: ownership passes to dst, not data.
  steps.push(mkStep(k, {
    phase: 'copy', fn: 'virtballoon_migratepage', file: 'drivers/virtio/virtio_balloon.c',
    text: `${VARIANT}: nothing to copy; get_page(${hex(dst)}), balloon_page_insert(dst) (mapping = &balloon_mops | PAGE_MAPPING_MOVABLE); balloon_page_delete(${hex(src)}) clears its PageOffline and its ops now, before it is freed; put_page(src) (refcount ${ref} → ${ref - 1})`,
    pfns: [{ pfn: src, role: 'src' }, { pfn: dst, role: 'dst' }], result: '0',
  }));
  return { rc: 0, steps };
}
