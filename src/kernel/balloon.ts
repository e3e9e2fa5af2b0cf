// The virtio balloon and balloon compaction as in Linux 6.18 (mm/balloon_compaction.c,
// include/linux/balloon_compaction.h, drivers/virtio/virtio_balloon.c). Inflated pages are
// PageOffline with PG_movable_ops, page->private = the balloon_dev_info, and page->lru on the
// device's `pages` list; they hold one reference, the balloon's. Compaction and migration move
// them through the movable_ops path (balloon_mops: isolate_page, migrate_page, putback_page).

import { PG, PG_ALIAS, PGTY } from './flags';
import type { Kernel } from './kernel';
import { listAdd, listDel, listEmpty, listFirst, listPfns } from './list';
import { newFolioList } from './isolate';
import { FOLIO_LIST } from './folio-lists';
import { countLock, pagePrivate, pageType, setPageFlag, setPagePrivate, setPageType, testPageFlag } from './memmap';
import { __alloc_pages, GFP_HIGHUSER_MOVABLE } from './buddy';
import { folio_get, folio_put, folio_ref_count } from './folio';
import { put } from './store';
import { count_vm_events, mod_node_page_state, NS, VM_EVENT } from './vmstat';
import { hex, mkStep, quietly, type Steps, type StepInfo } from './step';
import { guardOn } from './guards';
import { raceExclusion } from './guard-steps';

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

/** VIRTIO_BALLOON_ARRAY_PFNS_MAX: the PFNs one tell_host() carries, so the most one fill_balloon() or leak_balloon() handles. */
const VIRTIO_BALLOON_ARRAY_PFNS_MAX = 256;

/** How a design variant allocates a balloon page and makes it one. */
export interface BalloonDesign {
  /** balloon_page_alloc(): a page, or -1. */
  alloc(k: Kernel): number;
  /** balloon_page_enqueue() of one page, under balloon_lock: a step saying what the variant made of it. */
  enqueue(k: Kernel, page: number): StepInfo;
  /** fill_balloon()'s private list (LIST_HEAD(pages) on its stack): page->lru, or the variant's own. */
  newPrivateList(k: Kernel): BalloonPrivateList;
}

/** A LIFO of pages the driver holds before they are balloon pages (LIST_HEAD(pages) in fill_balloon()). */
export interface BalloonPrivateList {
  push(k: Kernel, page: number): void;
  /** -1 when empty. */
  pop(k: Kernel): number;
}

/** balloon_page_push() / balloon_page_pop(): list_add() and list_first_entry() + list_del() through page->lru. */
export function lruPrivateList(k: Kernel): BalloonPrivateList {
  const slot = newFolioList(k, FOLIO_LIST.balloon_pages);
  return {
    push: (kk, page) => listAdd(kk, kk.lists, slot, page),
    pop: (kk) => {
      if (listEmpty(kk.lists, slot)) return -1;
      const page = listFirst(kk, kk.lists, slot);
      listDel(kk, kk.lists, slot, page);
      return page;
    },
  };
}

// kernel/locking/mutex.c: mutex_lock(&vb->balloon_lock) — sleeps while another task holds it.
export function* balloon_mutex_lock(k: Kernel, who: string): Steps<void> {
  while (k.balloon.lock.a[0]) {
    yield mkStep(k, { phase: 'alloc', fn: 'mutex_lock', file: 'kernel/locking/mutex.c', text: `${who}: balloon_lock is held by another task: it sleeps until the lock is released`, pfns: [] });
  }
  put(k.st, k.balloon.lock, 0, 1);
  countLock(k, 'balloon_lock');
}

export function balloon_mutex_unlock(k: Kernel): void {
  put(k.st, k.balloon.lock, 0, 0);
}

// drivers/virtio/virtio_balloon.c: update_balloon_size_func() — the worker calls fill_balloon()
// until the host's target is met, one array of PFNs (up to 256 pages) a call. When a call comes
// back short ("Out of puff!"), the real worker sleeps 200 ms and requeues itself; the model stops.
export function* update_balloon_size_func(k: Kernel, pages: number, got: number[], design: BalloonDesign): Steps<number> {
  // A large inflate is stepped a call at a time, without a stop per page or the allocator's splits.
  const quiet = pages > VIRTIO_BALLOON_ARRAY_PFNS_MAX;
  let done = 0;
  while (done < pages) {
    const num = Math.min(pages - done, VIRTIO_BALLOON_ARRAY_PFNS_MAX);
    const n = yield* fill_balloon(k, num, got, design, quiet);
    done += n;
    if (n < num) break;
  }
  return done;
}

// drivers/virtio/virtio_balloon.c: fill_balloon() — allocate up to one array of pages onto a
// private list without any lock, then take balloon_lock, enqueue them (popped from the list head,
// so the last allocated goes in first and the first allocated ends at the head of the balloon's
// list), tell the host once and wait for its answer, still holding the lock; then unlock.
export function* fill_balloon(k: Kernel, num: number, got: number[], design: BalloonDesign, quiet: boolean): Steps<number> {
  const FILE = 'drivers/virtio/virtio_balloon.c';
  const list = design.newPrivateList(k);
  let allocated = 0;
  let outOfPuff = false;
  const firstPfns: number[] = [];
  for (let i = 0; i < num; i++) {
    const page = quiet ? quietly(k, () => design.alloc(k)) : design.alloc(k);
    if (page < 0) {
      outOfPuff = true;
      break;
    }
    list.push(k, page); // balloon_page_push()
    allocated++;
    if (quiet) {
      if (firstPfns.length < VIRTIO_BALLOON_ARRAY_PFNS_MAX) firstPfns.push(page);
      continue;
    }
    yield mkStep(k, {
      phase: 'alloc', fn: 'balloon_page_alloc', file: 'mm/balloon_compaction.c',
      text: `fill_balloon(): ${hex(page)} allocated (${allocated} of ${num}) and pushed on the driver's private list (balloon_page_push), with no lock held: still an ordinary allocated page (refcount ${folio_ref_count(k, page)})`,
      pfns: [{ pfn: page, role: 'allocated' }], result: hex(page),
    });
  }
  if (quiet && allocated) {
    yield mkStep(k, {
      phase: 'alloc', fn: 'balloon_page_alloc', file: 'mm/balloon_compaction.c',
      text: `fill_balloon(): ${allocated} page(s) allocated one by one (balloon_page_alloc) onto the driver's private list, with no lock held`,
      pfns: firstPfns.map((p) => ({ pfn: p, role: 'allocated' as const })),
    });
  }
  if (outOfPuff) {
    yield mkStep(k, { phase: 'alloc', fn: 'fill_balloon', file: FILE, text: `balloon_page_alloc() finds no free page (__GFP_NORETRY): "Out of puff!", the driver sleeps 200 ms and goes on with the ${allocated} page(s) it has`, pfns: [], result: 'NULL' });
  }
  yield* balloon_mutex_lock(k, 'the balloon driver');
  const enqueued: number[] = [];
  for (let page = list.pop(k); page >= 0; page = list.pop(k)) {
    const step = design.enqueue(k, page);
    count_vm_events(k, VM_EVENT.BALLOON_INFLATE, 1);
    mod_node_page_state(k, NS.NR_BALLOON_PAGES, 1);
    got.push(page);
    enqueued.push(page);
    if (!quiet) yield step;
  }
  if (enqueued.length) {
    // tell_host(): the PFNs go on the inflate virtqueue and the driver waits for the host's
    // answer, with balloon_lock still held; a migration of a balloon page meanwhile finds the lock taken.
    yield mkStep(k, {
      phase: 'alloc', fn: 'tell_host', file: FILE,
      text: quiet
        ? `balloon_lock taken; ${enqueued.length} page(s) popped off the private list and enqueued (balloon_page_enqueue: PageOffline, PG_movable_ops, private = balloon_dev_info, on the balloon's pages list, one reference each); tell_host() passes their PFNs to the host and waits for its answer, balloon_lock held`
        : `tell_host(): the ${enqueued.length} PFN(s) go to the host on the inflate virtqueue in one request; the driver waits for the host's answer, still holding balloon_lock`,
      pfns: (quiet ? enqueued.slice(0, VIRTIO_BALLOON_ARRAY_PFNS_MAX) : enqueued).map((p) => ({ pfn: p, role: 'allocated' as const })),
    });
  }
  balloon_mutex_unlock(k);
  return enqueued.length;
}

// fill_balloon() → balloon_page_alloc() + balloon_page_enqueue() in 6.18.
const BALLOON_618: BalloonDesign = {
  alloc: (k) => __alloc_pages(k, GFP_HIGHUSER_MOVABLE, 0),
  enqueue: (k, page) => {
    balloon_page_insert(k, page);
    return mkStep(k, {
      phase: 'alloc', fn: 'balloon_page_enqueue', file: 'mm/balloon_compaction.c',
      text: `${hex(page)}, popped off the private list (balloon_page_pop), becomes a balloon page under balloon_lock: PageOffline, PG_movable_ops, private = balloon_dev_info, lru at the head of the balloon's pages list; its one reference is the balloon's (refcount ${folio_ref_count(k, page)})`,
      pfns: [{ pfn: page, role: 'allocated' }],
    });
  },
  newPrivateList: lruPrivateList,
};

export function* balloon_inflate(k: Kernel, pages: number, got: number[] = []): Steps<number> {
  return yield* update_balloon_size_func(k, pages, got, BALLOON_618);
}

/** How a design variant takes a page out of the balloon and frees it (leak_balloon()). */
export interface BalloonLeak {
  /** balloon_page_dequeue(): a page off the balloon and a step saying so, or null when none is left. */
  dequeue(k: Kernel): { page: number; step: StepInfo } | null;
  /** release_pages_balloon(): free it. */
  release(k: Kernel, page: number): void;
}

// drivers/virtio/virtio_balloon.c: leak_balloon(), called by the worker until the target is met.
export function* balloon_leak(k: Kernel, pages: number, design: BalloonLeak): Steps<number> {
  let done = 0;
  while (done < pages) {
    const num = Math.min(pages - done, VIRTIO_BALLOON_ARRAY_PFNS_MAX);
    const n = yield* leak_balloon(k, num, design);
    done += n;
    if (n < num) break;
  }
  return done;
}

// drivers/virtio/virtio_balloon.c: leak_balloon() — balloon_lock held throughout: up to one array
// of pages off the balloon (balloon_page_dequeue), tell_host() (waiting with the lock held), then
// release_pages_balloon() frees them.
function* leak_balloon(k: Kernel, num: number, design: BalloonLeak): Steps<number> {
  k.balloonDeflating++; // isolation of a balloon page now is stepped, one guard a step (isolate-stepped.ts)
  try {
    return yield* leak_balloon_locked(k, num, design);
  } finally {
    k.balloonDeflating--;
  }
}

function* leak_balloon_locked(k: Kernel, num: number, design: BalloonLeak): Steps<number> {
  yield* balloon_mutex_lock(k, 'the balloon driver');
  const taken: number[] = [];
  for (let i = 0; i < num; i++) {
    const d = design.dequeue(k);
    if (!d) {
      // Pages still listed but locked: an isolator holds them between folio_trylock() and isolate_page().
      const locked = balloonPages(k).filter((p) => testPageFlag(k, p, PG.locked));
      yield mkStep(k, {
        phase: 'free', fn: 'balloon_page_dequeue', file: 'mm/balloon_compaction.c',
        text: locked.length
          ? `no balloon page deflate can take: ${locked.map(hex).join(', ')} ${locked.length === 1 ? 'is' : 'are'} still on the list but locked (trylock_page() fails: a migrator is isolating ${locked.length === 1 ? 'it' : 'them'}), ${isolated(k)} isolated; balloon_page_dequeue() returns NULL and leak_balloon() frees fewer pages than asked`
          : `no balloon page left that deflate can take (${isolated(k)} isolated for migration cannot be deflated)`,
        pfns: locked.map((p) => ({ pfn: p, role: 'target' as const })), result: 'NULL',
        ...(locked.length ? { excluded: { guard: 'trylock' as const, why: 'trylock failed' } } : {}),
      });
      break;
    }
    taken.push(d.page);
    yield d.step;
  }
  if (taken.length) {
    yield mkStep(k, { phase: 'free', fn: 'tell_host', file: 'drivers/virtio/virtio_balloon.c', text: `tell_host(): the ${taken.length} PFN(s) go to the host on the deflate virtqueue; the driver waits for its answer, still holding balloon_lock, then frees them (release_pages_balloon)`, pfns: taken.map((p) => ({ pfn: p, role: 'target' as const })) });
  }
  for (const page of taken) design.release(k, page);
  balloon_mutex_unlock(k);
  return taken.length;
}

// mm/balloon_compaction.c: balloon_page_list_dequeue() for one page — the first on the list whose
// lock it gets (trylock_page()); release_pages_balloon(): put_page() frees it, and freeing ends PageOffline.
const LEAK_618: BalloonLeak = {
  dequeue: (k) => {
    const listed = balloonPages(k);
    const page = listed.find((p) => !testPageFlag(k, p, PG.locked) || !guardOn(k, 'trylock'));
    if (page === undefined) return null;
    // Pages before it whose trylock_page() failed: an isolator holds their lock.
    const skipped = listed.slice(0, listed.indexOf(page));
    listDel(k, k.balloon.list, 0, page);
    balloon_page_finalize(k, page);
    count_vm_events(k, VM_EVENT.BALLOON_DEFLATE, 1);
    mod_node_page_state(k, NS.NR_BALLOON_PAGES, -1);
    const text = `${hex(page)} leaves the balloon list; private cleared (balloon_page_finalize), PageOffline stays until it is freed`;
    if (!skipped.length) return { page, step: mkStep(k, { phase: 'free', fn: 'balloon_page_dequeue', file: 'mm/balloon_compaction.c', text, pfns: [{ pfn: page, role: 'target' }] }) };
    return {
      page,
      step: mkStep(k, {
        phase: 'free', fn: 'balloon_page_dequeue', file: 'mm/balloon_compaction.c',
        text: `trylock_page() fails on ${skipped.map(hex).join(', ')} (a migrator holds the page lock inside isolate_movable_ops_page()): skipped; ${text}`,
        pfns: [{ pfn: page, role: 'target' }, ...skipped.map((p) => ({ pfn: p, role: 'src' as const }))],
        excluded: { guard: 'trylock', why: 'trylock failed' },
      }),
    };
  },
  release: (k, page) => folio_put(k, page),
};

export function* balloon_deflate(k: Kernel, pages: number): Steps<number> {
  return yield* balloon_leak(k, pages, LEAK_618);
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
// Each step is yielded where it happens, so the state at a step is the state its sentence tells.
export function* balloon_page_migrate(k: Kernel, dst: number, src: number): Steps<number> {
  if (k.balloon.lock.a[0] && guardOn(k, 'lock')) {
    yield mkStep(k, {
      phase: 'move-mapping', fn: 'virtballoon_migratepage', file: 'drivers/virtio/virtio_balloon.c',
      text: `balloon_lock is held (the driver is inflating or deflating): mutex_trylock fails and the migration is retried later → -EAGAIN`,
      pfns: [{ pfn: src, role: 'src' }, { pfn: dst, role: 'dst' }], result: '-EAGAIN', ...raceExclusion(k, 'lock', 'mutex_trylock(&vb->balloon_lock) failed'),
    });
    return -11;
  }
  // The kernel's mutex_trylock() takes balloon_lock here for the rest of virtballoon_migratepage();
  // the model only checks it is free, so it is counted as taken without being written.
  countLock(k, 'balloon_lock');
  folio_get(k, dst); // the balloon reference on the new page
  balloon_page_insert(k, dst);
  put(k.st, k.balloon.isolated, 0, isolated(k) - 1);
  count_vm_events(k, VM_EVENT.BALLOON_MIGRATE, 1);
  // The driver's migrate_page stands where move_to_new_folio()'s copy stands on the folio path
  // (migrate_folio_move() calls migrate_movable_ops_page() instead): its 'copy' phase, though what
  // passes to dst is the balloon's ownership, not data.
  yield mkStep(k, {
    phase: 'copy', fn: 'virtballoon_migratepage', file: 'drivers/virtio/virtio_balloon.c',
    text: `nothing to copy (a ballooned page's contents are the host's): get_page(${hex(dst)}) (the balloon reference, refcount ${folio_ref_count(k, dst)}); balloon_page_insert(dst): PageOffline, PG_movable_ops, private, onto the balloon list; isolated_pages ${isolated(k) + 1} → ${isolated(k)}; the host is told: inflate ${hex(dst)}, deflate ${hex(src)}`,
    pfns: [{ pfn: src, role: 'src' }, { pfn: dst, role: 'dst' }],
  });
  balloon_page_finalize(k, src);
  const ref = folio_ref_count(k, src);
  folio_put(k, src); // put_page(): the balloon's reference on the old page
  yield mkStep(k, {
    phase: 'move-mapping', fn: 'virtballoon_migratepage', file: 'drivers/virtio/virtio_balloon.c',
    text: `balloon_page_finalize(${hex(src)}) clears private; put_page() drops the balloon's reference (refcount ${ref} → ${ref - 1}); the migration core still holds its isolation reference`,
    pfns: [{ pfn: src, role: 'src' }, { pfn: dst, role: 'dst' }], result: '0',
  });
  return 0;
}
