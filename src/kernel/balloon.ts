// The virtio balloon and balloon compaction as in Linux 6.18 (mm/balloon_compaction.c,
// include/linux/balloon_compaction.h, drivers/virtio/virtio_balloon.c). Inflated pages are
// PageOffline with PG_movable_ops, page->private = the balloon_dev_info, and page->lru on the
// device's `pages` list; they hold one reference, the balloon's. Compaction and migration move
// them through the movable_ops path (balloon_mops: isolate_page, migrate_page, putback_page).

import { PG, PG_ALIAS, PGTY } from './flags';
import type { Kernel } from './kernel';
import { listAdd, listDel, listPfns } from './list';
import { pagePrivate, pageType, setPageFlag, setPagePrivate, setPageType, testPageFlag } from './memmap';
import { __alloc_pages, GFP_HIGHUSER_MOVABLE } from './buddy';
import { folio_get, folio_put, folio_ref_count } from './folio';
import { put } from './store';
import { count_vm_events, mod_node_page_state, NS, VM_EVENT } from './vmstat';
import { hex, mkStep, quietly, type Steps, type StepInfo } from './step';

/** page->private of a balloon page: the (only) balloon_dev_info. */
export const BALLOON_DEV = 1;

// include/linux/page-flags.h: page_has_movable_ops() — PageMovableOps on a PageOffline or
// PageZsmalloc page (PG_movable_ops is the PG_uptodate bit).
export function page_has_movable_ops(k: Kernel, pfn: number): boolean {
  const t = pageType(k, pfn);
  return (t === PGTY.offline || t === PGTY.zsmalloc) && testPageFlag(k, pfn, PG.uptodate);
}

/** PageMovableOpsIsolated(): the PG_reclaim bit on a movable_ops page. */
export const PageMovableOpsIsolated = (k: Kernel, pfn: number): boolean => testPageFlag(k, pfn, PG.reclaim);

export function balloonPages(k: Kernel): number[] {
  return [...listPfns(k, k.balloon.list, 0)];
}

// include/linux/balloon_compaction.h: balloon_page_insert()
export function balloon_page_insert(k: Kernel, page: number): void {
  setPageType(k, page, PGTY.offline); // __SetPageOffline()
  setPageFlag(k, page, PG.uptodate); // SetPageMovableOps()
  setPagePrivate(k, page, BALLOON_DEV);
  listAdd(k, k.balloon.list, 0, page);
}

// include/linux/balloon_compaction.h: balloon_page_finalize() — PageOffline stays until freed.
function balloon_page_finalize(k: Kernel, page: number): void {
  setPagePrivate(k, page, 0);
}

const isolated = (k: Kernel): number => k.balloon.isolated.a[0]!;

/** What the UI shows of the balloon: balloon_dev_info (its pages list, isolated_pages), vb->balloon_lock,
 * and the no-refcount variant's PFN array. Read without a footprint. */
export interface BalloonState {
  /** Pages on balloon_dev_info->pages (through page->lru), the first `keep` of them. */
  readonly listed: number;
  readonly listHead: readonly number[];
  /** Pages in the no-refcount variant's PFN array, the first `keep` of them. */
  readonly arrayed: number;
  readonly arrayHead: readonly number[];
  readonly isolated: number;
  /** Pages of the PFN array with PG_movable_ops_isolated set: the no-refcount design keeps no isolated_pages. */
  readonly arrayIsolated: number;
  readonly locked: boolean;
}

export function balloonState(k: Kernel, keep = 4): BalloonState {
  const listHead: number[] = [];
  let listed = 0;
  for (const p of listPfns(k, k.balloon.list, 0)) if (listed++ < keep) listHead.push(p);
  const arrayed = k.balloon.nr.a[0]!;
  const arrayHead = Array.from(k.balloon.pfns.a.subarray(0, Math.min(arrayed, keep)));
  let arrayIsolated = 0;
  for (let i = 0; i < arrayed; i++) if (k.mem.flags.a[k.balloon.pfns.a[i]!]! & (1 << PG_ALIAS.movable_ops_isolated)) arrayIsolated++;
  return { listed, listHead, arrayed, arrayHead, isolated: isolated(k), arrayIsolated, locked: k.balloon.lock.a[0] !== 0 };
}

/**
 * drivers/virtio/virtio_balloon.c: fill_balloon() — balloon_lock held across the fill, one page
 * at a time from `alloc`, handed to `enqueue` (which says, in a step, what the variant made of it).
 * Every design variant inflates through here; they differ in how a page is allocated and kept.
 */
/** VIRTIO_BALLOON_ARRAY_PFNS_MAX: the pfns one tell_host() carries. */
const VIRTIO_BALLOON_ARRAY_PFNS_MAX = 256;

export function* fill_balloon(k: Kernel, pages: number, got: number[], alloc: () => number, enqueue: (page: number) => StepInfo): Steps<number> {
  let done = 0;
  put(k.st, k.balloon.lock, 0, 1);
  yield mkStep(k, { phase: 'alloc', fn: 'fill_balloon', file: 'drivers/virtio/virtio_balloon.c', text: `the host asks for ${pages} more page(s): the driver takes balloon_lock and inflates`, pfns: [] });
  // A large inflate is told a batch at a time, as the driver does (one array of pfns per
  // tell_host()); each batch is one step, without the allocator's splits.
  const batched = pages > VIRTIO_BALLOON_ARRAY_PFNS_MAX;
  let batch: number[] = [];
  for (let i = 0; i < pages; i++) {
    const page = batched ? quietly(k, alloc) : alloc();
    if (page >= 0) {
      const step = enqueue(page);
      got.push(page);
      count_vm_events(k, VM_EVENT.BALLOON_INFLATE, 1);
      mod_node_page_state(k, NS.NR_BALLOON_PAGES, 1);
      done++;
      if (!batched) yield step;
      else batch.push(page);
    }
    if (batched && batch.length && (batch.length === VIRTIO_BALLOON_ARRAY_PFNS_MAX || page < 0 || i === pages - 1)) {
      yield mkStep(k, {
        phase: 'alloc', fn: 'fill_balloon', file: 'drivers/virtio/virtio_balloon.c',
        text: `${batch.length} pages allocated (balloon_page_alloc) and enqueued (balloon_page_enqueue: PageOffline, PG_movable_ops, private = balloon_dev_info, on the balloon's pages list, one reference each), then tell_host() passes their PFNs to the host; ${done} of ${pages} so far`,
        pfns: batch.map((p) => ({ pfn: p, role: 'allocated' as const })),
      });
      batch = [];
    }
    if (page < 0) {
      yield mkStep(k, { phase: 'alloc', fn: 'balloon_page_alloc', file: 'mm/balloon_compaction.c', text: 'no free page: the balloon stops inflating (__GFP_NORETRY)', pfns: [], result: 'NULL' });
      break;
    }
  }
  put(k.st, k.balloon.lock, 0, 0);
  return done;
}

// fill_balloon() → balloon_page_alloc() + balloon_page_enqueue() in 6.18.
export function* balloon_inflate(k: Kernel, pages: number, got: number[] = []): Steps<number> {
  return yield* fill_balloon(k, pages, got, () => __alloc_pages(k, GFP_HIGHUSER_MOVABLE, 0), (page) => {
    balloon_page_insert(k, page);
    return mkStep(k, {
      phase: 'alloc', fn: 'balloon_page_enqueue', file: 'mm/balloon_compaction.c',
      text: `${hex(page)} becomes a balloon page: PageOffline, PG_movable_ops, private = balloon_dev_info, lru on the balloon's pages list; its one reference is the balloon's (refcount ${folio_ref_count(k, page)}); the host is told`,
      pfns: [{ pfn: page, role: 'allocated' }],
    });
  });
}

// drivers/virtio/virtio_balloon.c: leak_balloon() → balloon_page_dequeue() + release_pages_balloon().
export function* balloon_deflate(k: Kernel, pages: number): Steps<number> {
  let done = 0;
  put(k.st, k.balloon.lock, 0, 1);
  for (let i = 0; i < pages; i++) {
    const page = balloonPages(k).find((p) => !testPageFlag(k, p, PG.locked)); // trylock_page()
    if (page === undefined) {
      yield mkStep(k, { phase: 'free', fn: 'balloon_page_dequeue', file: 'mm/balloon_compaction.c', text: `no balloon page left on the list (${isolated(k)} isolated for migration cannot be deflated)`, pfns: [], result: 'NULL' });
      break;
    }
    listDel(k, k.balloon.list, 0, page);
    balloon_page_finalize(k, page);
    count_vm_events(k, VM_EVENT.BALLOON_DEFLATE, 1);
    mod_node_page_state(k, NS.NR_BALLOON_PAGES, -1);
    yield mkStep(k, { phase: 'free', fn: 'balloon_page_dequeue', file: 'mm/balloon_compaction.c', text: `${hex(page)} leaves the balloon list; private cleared (balloon_page_finalize), PageOffline stays until it is freed`, pfns: [{ pfn: page, role: 'target' }] });
    folio_put(k, page); // release_pages_balloon(): put_page() frees it; freeing clears PageOffline
    done++;
  }
  put(k.st, k.balloon.lock, 0, 0);
  return done;
}

// mm/balloon_compaction.c: balloon_page_isolate() (balloon_mops.isolate_page)
export function balloon_page_isolate(k: Kernel, page: number): boolean {
  if (pagePrivate(k, page) !== BALLOON_DEV) return false;
  listDel(k, k.balloon.list, 0, page);
  put(k.st, k.balloon.isolated, 0, isolated(k) + 1);
  return true;
}

// mm/balloon_compaction.c: balloon_page_putback() (balloon_mops.putback_page)
export function balloon_page_putback(k: Kernel, page: number): void {
  listAdd(k, k.balloon.list, 0, page);
  put(k.st, k.balloon.isolated, 0, isolated(k) - 1);
}

// mm/balloon_compaction.c: balloon_page_migrate() → virtballoon_migratepage().
export function balloon_page_migrate(k: Kernel, dst: number, src: number): { rc: number; steps: StepInfo[] } {
  const steps: StepInfo[] = [];
  if (k.balloon.lock.a[0]) {
    steps.push(mkStep(k, {
      phase: 'move-mapping', fn: 'virtballoon_migratepage', file: 'drivers/virtio/virtio_balloon.c',
      text: `balloon_lock is held (the driver is inflating or deflating): mutex_trylock fails and the migration is retried later → -EAGAIN`,
      pfns: [{ pfn: src, role: 'src' }, { pfn: dst, role: 'dst' }], result: '-EAGAIN',
    }));
    return { rc: -11, steps };
  }
  folio_get(k, dst); // the balloon reference on the new page
  balloon_page_insert(k, dst);
  put(k.st, k.balloon.isolated, 0, isolated(k) - 1);
  count_vm_events(k, VM_EVENT.BALLOON_MIGRATE, 1);
  steps.push(mkStep(k, {
    phase: 'move-mapping', fn: 'virtballoon_migratepage', file: 'drivers/virtio/virtio_balloon.c',
    text: `get_page(${hex(dst)}) (the balloon reference, refcount ${folio_ref_count(k, dst)}); balloon_page_insert(dst): PageOffline, PG_movable_ops, private, onto the balloon list; isolated_pages ${isolated(k) + 1} → ${isolated(k)}; the host is told: inflate ${hex(dst)}, deflate ${hex(src)}`,
    pfns: [{ pfn: src, role: 'src' }, { pfn: dst, role: 'dst' }],
  }));
  balloon_page_finalize(k, src);
  const ref = folio_ref_count(k, src);
  folio_put(k, src); // put_page(): the balloon's reference on the old page
  steps.push(mkStep(k, {
    phase: 'move-mapping', fn: 'virtballoon_migratepage', file: 'drivers/virtio/virtio_balloon.c',
    text: `balloon_page_finalize(${hex(src)}) clears private; put_page() drops the balloon's reference (refcount ${ref} → ${ref - 1}); the migration core still holds its isolation reference`,
    pfns: [{ pfn: src, role: 'src' }, { pfn: dst, role: 'dst' }], result: '0',
  }));
  return { rc: 0, steps };
}
