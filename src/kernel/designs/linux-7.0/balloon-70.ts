// The balloon of Linux 7.0 (mm/balloon.c at torvalds/linux 25b48b4cdf91, "mm: rename
// balloon_compaction.(c|h) to balloon.(c|h)"), after David Hildenbrand's series merged for 7.0:
// one global spinlock, balloon_pages_lock, instead of each device's pages_lock (8202313e3dfa), and
// no page lock in balloon code (a3fafdd38967). page->private, the owner pointer isolation looks
// the balloon up through, is set and cleared only under that spinlock, so isolate_page() takes the
// lock first and then reads it: NULL means deflate got there first. The core still trylocks the
// page in isolate_movable_ops_page(); deflate no longer looks at that lock.
//
// A spinlock section is irq-off and never sleeps, so here each one runs whole inside one step:
// a second CPU reaching for balloon_pages_lock meanwhile would spin until it is free, which is the
// same as running after it. Nothing holds it at a step boundary, so it is not kept as state.

import { PG } from '../../flags';
import type { Kernel } from '../../kernel';
import { listAdd, listDel, listEmpty, listFirst } from '../../list';
import { pagePrivate, setPagePrivate } from '../../memmap';
import {
  BALLOON_DEV, balloon_leak, balloon_page_insert, update_balloon_size_func, lruPrivateList,
  type BalloonDesign, type BalloonLeak,
} from '../../balloon';
import { __alloc_pages, GFP_HIGHUSER_MOVABLE } from '../../buddy';
import { folio_get, folio_put, folio_ref_count } from '../../folio';
import { guardOn, type Exclusion } from '../../guards';
import { put } from '../../store';
import { count_vm_events, mod_node_page_state, NS, VM_EVENT } from '../../vmstat';
import { hex, mkStep, type Steps } from '../../step';
import type { BalloonMops } from '../types';

/** The file every balloon function below is in, in 7.0. */
export const BALLOON_C = 'mm/balloon.c';
const VIRTIO = 'drivers/virtio/virtio_balloon.c';

const isolated = (k: Kernel): number => k.balloon.isolated.a[0]!;

// mm/balloon.c: balloon_page_finalize() — static since 7.0 and asserts balloon_pages_lock is held
// (lockdep_assert_held, 631eb2282630): the caller is inside a spinlock section.
function balloon_page_finalize(k: Kernel, page: number): void {
  setPagePrivate(k, page, 0); // PageOffline stays until the page is freed
}

// mm/balloon.c: balloon_page_enqueue() → balloon_page_enqueue_one() → balloon_page_insert(), all
// under balloon_pages_lock and no page lock: PG_movable_ops and private become visible together,
// so an isolator that gets the spinlock afterwards finds a valid owner.
const BALLOON_70: BalloonDesign = {
  alloc: (k) => __alloc_pages(k, GFP_HIGHUSER_MOVABLE, 0), // balloon_page_alloc()
  enqueue: (k, page) => {
    balloon_page_insert(k, page);
    return mkStep(k, {
      phase: 'alloc', fn: 'balloon_page_enqueue', file: BALLOON_C,
      text: `linux-7.0: ${hex(page)} becomes a balloon page inside one balloon_pages_lock section, without the page lock (trylock_page() is gone from enqueue): PageOffline, PG_movable_ops, private = balloon_dev_info, at the head of the balloon's pages list; its one reference is the balloon's (refcount ${folio_ref_count(k, page)})`,
      pfns: [{ pfn: page, role: 'allocated' }],
    });
  },
  newPrivateList: lruPrivateList, // fill_balloon()'s LIST_HEAD(pages), list_add() then walked from the head
};

export function* balloon_inflate_70(k: Kernel, pages: number, got: number[]): Steps<number> {
  return yield* update_balloon_size_func(k, pages, got, BALLOON_70);
}

// mm/balloon.c: balloon_page_dequeue() → balloon_page_list_dequeue(b_dev_info, &pages, 1) — one
// balloon_pages_lock section takes the first page on the list, whatever its page lock: list_del()
// and balloon_page_finalize() together, so an isolator that takes the spinlock next finds
// private NULL. An isolated page is off the list and never seen. release_pages_balloon(): put_page().
const LEAK_70: BalloonLeak = {
  dequeue: (k) => {
    if (listEmpty(k.balloon.list, 0)) return null;
    const page = listFirst(k, k.balloon.list, 0);
    const locked = (k.mem.flags.a[page]! & (1 << PG.locked)) !== 0;
    listDel(k, k.balloon.list, 0, page);
    balloon_page_finalize(k, page);
    count_vm_events(k, VM_EVENT.BALLOON_DEFLATE, 1);
    mod_node_page_state(k, NS.NR_BALLOON_PAGES, -1);
    return {
      page,
      step: mkStep(k, {
        phase: 'free', fn: 'balloon_page_list_dequeue', file: BALLOON_C,
        text: `linux-7.0: under balloon_pages_lock, ${hex(page)} (first on the list) leaves the balloon list and its private is cleared (balloon_page_finalize) in the same section` +
          (locked ? `; its page lock is held by a migrator that is inside isolate_movable_ops_page(), but deflate no longer trylocks the page, so it takes it anyway: that isolator will find private NULL` : `; no page lock taken`),
        pfns: [{ pfn: page, role: 'target' }],
      }),
    };
  },
  release: (k, page) => folio_put(k, page),
};

export function* balloon_deflate_70(k: Kernel, pages: number): Steps<number> {
  return yield* balloon_leak(k, pages, LEAK_70);
}

// mm/balloon.c: balloon_page_isolate() — balloon_pages_lock first, then page->private: deflate
// clears it in the same section that takes the page off the list, so NULL means "deflated".
function balloon_page_isolate_70(k: Kernel, page: number): Exclusion | null {
  if (pagePrivate(k, page) !== BALLOON_DEV) {
    const refused: Exclusion = { guard: 'driver', why: 'page->private is NULL: deflated' };
    if (guardOn(k, 'driver')) return refused;
    // The sweep's "without this guard": the page is taken as isolated though deflate owns it,
    // and the invariant checker sees a deflated page counted in isolated_pages.
    put(k.st, k.balloon.isolated, 0, isolated(k) + 1);
    return null;
  }
  listDel(k, k.balloon.list, 0, page);
  put(k.st, k.balloon.isolated, 0, isolated(k) + 1);
  return null;
}

// mm/balloon.c: balloon_page_putback() — an isolated page cannot have been deflated, so private
// still names the balloon (WARN_ON_ONCE otherwise); back on the list under balloon_pages_lock.
function balloon_page_putback_70(k: Kernel, page: number): void {
  if (pagePrivate(k, page) !== BALLOON_DEV) return;
  listAdd(k, k.balloon.list, 0, page);
  put(k.st, k.balloon.isolated, 0, isolated(k) - 1);
}

// mm/balloon.c: balloon_page_migrate() — the driver's callback first (virtballoon_migratepage():
// mutex_trylock(&vb->balloon_lock), tell the host, unlock; no list or private work any more), then
// one balloon_pages_lock section: get_page(newpage) and insert it, isolated_pages--, and
// balloon_page_finalize() of the old page; put_page() of the old page after the unlock.
function* balloon_page_migrate_70(k: Kernel, dst: number, src: number): Steps<number> {
  const pfns = [{ pfn: src, role: 'src' as const }, { pfn: dst, role: 'dst' as const }];
  if (pagePrivate(k, src) !== BALLOON_DEV) {
    yield mkStep(k, { phase: 'move-mapping', fn: 'balloon_page_migrate', file: BALLOON_C, text: `linux-7.0: ${hex(src)} has no balloon in page->private: WARN_ON_ONCE, -EAGAIN (an isolated page cannot be deflated)`, pfns, result: '-EAGAIN' });
    return -11;
  }
  if (k.balloon.lock.a[0]) {
    yield mkStep(k, {
      phase: 'move-mapping', fn: 'virtballoon_migratepage', file: VIRTIO,
      text: `linux-7.0: balloon_lock is held (the driver is inflating or deflating): mutex_trylock fails → -EAGAIN before balloon_pages_lock is taken; the page stays isolated and goes back`,
      pfns, result: '-EAGAIN',
    });
    return -11;
  }
  yield mkStep(k, {
    phase: 'copy', fn: 'virtballoon_migratepage', file: VIRTIO,
    text: `linux-7.0: nothing to copy; the driver only takes balloon_lock (mutex_trylock), tells the host "inflate ${hex(dst)}, deflate ${hex(src)}" and unlocks; the list and page->private are the core's work now (1258460bd31e)`,
    pfns,
  });
  folio_get(k, dst); // the balloon reference on the new page
  balloon_page_insert(k, dst);
  count_vm_events(k, VM_EVENT.BALLOON_MIGRATE, 1);
  const before = isolated(k);
  put(k.st, k.balloon.isolated, 0, before - 1);
  balloon_page_finalize(k, src);
  const ref = folio_ref_count(k, src);
  folio_put(k, src); // put_page(): the balloon's reference on the old page
  yield mkStep(k, {
    phase: 'move-mapping', fn: 'balloon_page_migrate', file: BALLOON_C,
    text: `linux-7.0: one balloon_pages_lock section: get_page(${hex(dst)}) (refcount ${folio_ref_count(k, dst)}), balloon_page_insert(dst) (PageOffline, PG_movable_ops, private, onto the list), isolated_pages ${before} → ${before - 1}, balloon_page_finalize(${hex(src)}) clears its private; after the unlock put_page(src) drops the balloon's reference (refcount ${ref} → ${ref - 1}); the core still holds its isolation reference`,
    pfns, result: '0',
  });
  return 0;
}

export const BALLOON_MOPS_70: BalloonMops = {
  isolate_page: balloon_page_isolate_70,
  putback_page: balloon_page_putback_70,
  migrate_page: balloon_page_migrate_70,
};
