// The hugetlb pool of mm/hugetlb.c (Linux 6.18) for the 2 MiB hstate: pool folios come from the
// buddy allocator as order-9 folios, wait frozen (refcount 0, HPG_freed) on hugepage_freelists,
// are dequeued onto hugepage_activelist when a fault or a migration takes one, and go back to
// the pool on their last put, unless they are surplus or temporary (then to the buddy). Also the
// migration half: folio_isolate_hugetlb(), folio_putback_hugetlb(), move_hugetlb_state() and the
// destination allocator alloc_hugetlb_folio_nodemask().
// Not modelled: reservations (every mapping here is MAP_NORESERVE, so resv_huge_pages stays 0),
// subpools, hugetlb cgroups, HVO (vmemmap optimisation), gigantic pages, more than one node.

import { PG, PGTY } from './flags';
import { pageZone, type Kernel } from './kernel';
import { __alloc_frozen_pages, __GFP_COMP, GFP_HIGHUSER_MOVABLE, gfp_zone } from './buddy';
import {
  clearPageFlag, pagePrivate, pageType, setPageMapping, setPagePrivate, setPageRefcount, setPageType,
} from './memmap';
import { folio_put, folio_ref_count, folio_test_anon } from './folio';
import { listAdd, listAddTail, listDel, listPfns } from './list';
import { get_pfnblock_migratetype, is_migrate_isolate } from './zone';
import { HLIST, HPG, HPG_NAMES, HS, HUGETLB_ORDER, hugetlbCounter } from './hugetlb-state';
import { put } from './store';

export { HPG, HS, HLIST, HUGETLB_ORDER, HPAGE_NR, hugetlbCounter } from './hugetlb-state';

/** include/linux/page-flags.h: folio_test_hugetlb() — PGTY_hugetlb in the head's page_type. */
export const folio_test_hugetlb = (k: Kernel, folio: number): boolean => pageType(k, folio) === PGTY.hugetlb;

// include/linux/hugetlb.h: HPAGEFLAG() — folio_test/set/clear_hugetlb_<flag>() on folio->private.
export const hpgTest = (k: Kernel, folio: number, flag: number): boolean => (pagePrivate(k, folio) & (1 << flag)) !== 0;
export function hpgSet(k: Kernel, folio: number, flag: number): void {
  setPagePrivate(k, folio, pagePrivate(k, folio) | (1 << flag));
}
export function hpgClear(k: Kernel, folio: number, flag: number): void {
  setPagePrivate(k, folio, pagePrivate(k, folio) & ~(1 << flag));
}

/** The HPG_* names set in a folio->private word. */
export const hpgNames = (priv: number): string[] => HPG_NAMES.filter((_, i) => priv & (1 << i)).map((n) => `HPG_${n}`);

const hsAdd = (k: Kernel, item: number, delta: number): void => put(k.st, k.hugetlb.counters, item, k.hugetlb.counters.a[item]! + delta);

/** Counters in words, for narration: "nr_huge_pages 3, free_huge_pages 1, surplus_huge_pages 0". */
export function poolText(k: Kernel): string {
  return `nr_huge_pages ${hugetlbCounter(k, HS.NR_HUGE_PAGES)}, free_huge_pages ${hugetlbCounter(k, HS.FREE_HUGE_PAGES)}, surplus_huge_pages ${hugetlbCounter(k, HS.SURPLUS_HUGE_PAGES)}`;
}

/** Is the folio on hugepage_activelist? (list_del()/list_move() need no answer in C; a model of lists does.) */
function onActiveList(k: Kernel, folio: number): boolean {
  for (const p of listPfns(k, k.hugetlb.lists, HLIST.ACTIVE)) if (p === folio) return true;
  return false;
}

/** list_del(&folio->lru) from whichever hstate list holds it (a folio on none stays as it is). */
function hstateListDel(k: Kernel, folio: number): void {
  if (hpgTest(k, folio, HPG.freed)) listDel(k, k.hugetlb.lists, HLIST.FREE, folio);
  else if (onActiveList(k, folio)) listDel(k, k.hugetlb.lists, HLIST.ACTIVE, folio);
}

// mm/hugetlb.c: enqueue_hugetlb_folio() — onto the node's free list, at its head (the next
// dequeue takes it first), frozen at refcount 0.
function enqueue_hugetlb_folio(k: Kernel, folio: number): void {
  if (folio_ref_count(k, folio) !== 0) throw new Error(`enqueue_hugetlb_folio: ${folio.toString(16)} has refcount ${folio_ref_count(k, folio)}`);
  hstateListDel(k, folio);
  listAdd(k, k.hugetlb.lists, HLIST.FREE, folio);
  hsAdd(k, HS.FREE_HUGE_PAGES, 1);
  hpgSet(k, folio, HPG.freed);
}

// mm/hugetlb.c: dequeue_hugetlb_folio_node_exact() — the first free folio not in an isolated
// pageblock moves to the active list with refcount 1. `maxZone` stands in for the nodemask.
function dequeue_hugetlb_folio_nodemask(k: Kernel, maxZone: number): number {
  for (const folio of listPfns(k, k.hugetlb.lists, HLIST.FREE)) {
    if (pageZone(k, folio) > maxZone) continue;
    if (is_migrate_isolate(get_pfnblock_migratetype(k, folio))) continue;
    listDel(k, k.hugetlb.lists, HLIST.FREE, folio);
    listAdd(k, k.hugetlb.lists, HLIST.ACTIVE, folio); // list_move(&folio->lru, &h->hugepage_activelist)
    setPageRefcount(k, folio, 1); // folio_ref_unfreeze(folio, 1)
    hpgClear(k, folio, HPG.freed);
    hsAdd(k, HS.FREE_HUGE_PAGES, -1);
    return folio;
  }
  return -1;
}

/** mm/hugetlb.c: available_huge_pages() = free_huge_pages - resv_huge_pages. */
export const available_huge_pages = (k: Kernel): number => hugetlbCounter(k, HS.FREE_HUGE_PAGES) - hugetlbCounter(k, HS.RESV_HUGE_PAGES);

// mm/hugetlb.c: only_alloc_fresh_hugetlb_folio() → alloc_buddy_hugetlb_folio() → init_new_hugetlb_folio():
// an order-9 compound folio straight from the buddy allocator, frozen (refcount 0), typed
// PGTY_hugetlb, on no list. htlb_alloc_mask(): GFP_HIGHUSER_MOVABLE | __GFP_COMP (2 MiB pages are
// movable on x86-64); the zone bits stand in for the nodemask. __GFP_RETRY_MAYFAIL would try
// reclaim and compaction first; the model's allocator does neither.
function only_alloc_fresh_hugetlb_folio(k: Kernel, zoneGfp: number): number {
  const folio = __alloc_frozen_pages(k, GFP_HIGHUSER_MOVABLE | __GFP_COMP | zoneGfp, HUGETLB_ORDER);
  if (folio < 0) return -1;
  setPageType(k, folio, PGTY.hugetlb); // __folio_set_hugetlb()
  setPagePrivate(k, folio, 0);
  return folio;
}

// mm/hugetlb.c: hugetlb_hstate_alloc_pages() for hugepages=N on the command line (and what
// `echo N > /proc/sys/vm/nr_hugepages` does at run time): alloc_pool_huge_folio() N times, then
// prep_and_add_allocated_folios() counts each (account_new_hugetlb_folio) and enqueues it.
export function hugetlb_hstate_alloc_pages(k: Kernel, n: number): number {
  let got = 0;
  for (; got < n; got++) {
    const folio = only_alloc_fresh_hugetlb_folio(k, 0);
    if (folio < 0) break;
    hsAdd(k, HS.NR_HUGE_PAGES, 1);
    enqueue_hugetlb_folio(k, folio);
  }
  put(k.st, k.hugetlb.counters, HS.MAX_HUGE_PAGES, got);
  return got;
}

// mm/hugetlb.c: alloc_hugetlb_folio() for a fault in a MAP_NORESERVE mapping without a subpool:
// no reservation is consumed (gbl_chg = 1), so dequeue_hugetlb_folio_vma() wants
// available_huge_pages() > 0; else a surplus folio from the buddy, allowed only below
// nr_overcommit_hugepages (0 by default). Returns the folio (refcount 1, on the active list) or -1
// (-ENOSPC: the fault gets VM_FAULT_SIGBUS).
export function alloc_hugetlb_folio(k: Kernel): number {
  if (available_huge_pages(k) > 0) {
    const folio = dequeue_hugetlb_folio_nodemask(k, k.zones.length - 1);
    if (folio >= 0) return folio;
  }
  // alloc_buddy_hugetlb_folio_with_mpol() → alloc_surplus_hugetlb_folio()
  if (hugetlbCounter(k, HS.SURPLUS_HUGE_PAGES) >= hugetlbCounter(k, HS.NR_OVERCOMMIT_HUGE_PAGES)) return -1;
  const folio = only_alloc_fresh_hugetlb_folio(k, 0);
  if (folio < 0) return -1;
  hsAdd(k, HS.NR_HUGE_PAGES, 1);
  hsAdd(k, HS.SURPLUS_HUGE_PAGES, 1);
  listAdd(k, k.hugetlb.lists, HLIST.ACTIVE, folio);
  setPageRefcount(k, folio, 1);
  return folio;
}

// mm/hugetlb.c: alloc_migrate_hugetlb_folio() — a fresh folio for a migration destination when
// the pool has none: counted in nr_huge_pages but not as surplus, because HPG_temporary makes its
// last put free it to the buddy allocator. It is on no list.
function alloc_migrate_hugetlb_folio(k: Kernel, zoneGfp: number): number {
  const folio = only_alloc_fresh_hugetlb_folio(k, zoneGfp);
  if (folio < 0) return -1;
  hsAdd(k, HS.NR_HUGE_PAGES, 1); // account_new_hugetlb_folio()
  setPageRefcount(k, folio, 1); // folio_ref_unfreeze(folio, 1)
  hpgSet(k, folio, HPG.temporary);
  return folio;
}

// mm/hugetlb.c: alloc_hugetlb_folio_nodemask() — the migration destination: a free pool folio if
// available_huge_pages() says so, else alloc_migrate_hugetlb_folio(); -1 if neither. In the
// kernel the target is a node (the pool is per node, htlb_modify_alloc_mask() drops zone bits);
// with one node here, the zone bits of the migrate action's `to` play the nodemask's part.
export function alloc_hugetlb_folio_nodemask(k: Kernel, zoneGfp: number): number {
  if (available_huge_pages(k) > 0) {
    const folio = dequeue_hugetlb_folio_nodemask(k, gfp_zone(k, zoneGfp));
    if (folio >= 0) return folio;
  }
  return alloc_migrate_hugetlb_folio(k, zoneGfp);
}

// mm/hugetlb.c: remove_hugetlb_folio() — off the hstate's lists and counts; without HVO the
// hugetlb type is cleared at once and the folio is an ordinary compound page.
function remove_hugetlb_folio(k: Kernel, folio: number, adjustSurplus: boolean): void {
  hstateListDel(k, folio);
  if (hpgTest(k, folio, HPG.freed)) {
    hpgClear(k, folio, HPG.freed);
    hsAdd(k, HS.FREE_HUGE_PAGES, -1);
  }
  if (adjustSurplus) hsAdd(k, HS.SURPLUS_HUGE_PAGES, -1);
  setPageType(k, folio, PGTY.none); // __folio_clear_hugetlb()
  hsAdd(k, HS.NR_HUGE_PAGES, -1);
}

// mm/hugetlb.c: __update_and_free_hugetlb_folio() — unfreeze to 1 and hugetlb_free_folio() →
// folio_put(): the last reference frees the 512 pages to the buddy allocator.
function update_and_free_hugetlb_folio(k: Kernel, folio: number): void {
  setPageRefcount(k, folio, 1);
  folio_put(k, folio);
}

export type HugetlbFreed = 'pool' | 'temporary' | 'surplus';

// mm/hugetlb.c: free_huge_folio() — __folio_put() calls it for a hugetlb folio. A temporary
// folio leaves for the buddy allocator, so does a surplus one while the node has surplus; any
// other goes back to the pool's free list.
export function free_huge_folio(k: Kernel, folio: number): HugetlbFreed {
  if (folio_test_anon(k, folio)) clearPageFlag(k, folio, PG.owner_2); // __ClearPageAnonExclusive()
  setPageMapping(k, folio, 0);
  hpgClear(k, folio, HPG.restore_reserve);
  hpgClear(k, folio, HPG.migratable);
  if (hpgTest(k, folio, HPG.temporary)) {
    remove_hugetlb_folio(k, folio, false);
    update_and_free_hugetlb_folio(k, folio);
    return 'temporary';
  }
  if (hugetlbCounter(k, HS.SURPLUS_HUGE_PAGES) > 0) { // h->surplus_huge_pages_node[nid]
    remove_hugetlb_folio(k, folio, true);
    update_and_free_hugetlb_folio(k, folio);
    return 'surplus';
  }
  enqueue_hugetlb_folio(k, folio);
  return 'pool';
}

/** What free_huge_folio() did, in words. */
export function freedText(how: HugetlbFreed): string {
  return how === 'pool' ? 'free_huge_folio() puts it back on the pool\'s free list (HPG_freed, frozen at refcount 0)'
    : how === 'temporary' ? 'free_huge_folio(): it is HPG_temporary, so remove_hugetlb_folio() and update_and_free_hugetlb_folio() give its 512 pages back to the buddy allocator'
      : 'free_huge_folio(): the node has surplus pages, so this one leaves the pool for the buddy allocator';
}

// mm/hugetlb.c: folio_isolate_hugetlb() — under hugetlb_lock: a hugetlb folio with
// HPG_migratable set and a reference to be had (folio_try_get); test-and-clear of migratable is
// what keeps a second isolator out. Moves it from the active list to `list`. Null on success,
// else why not.
export function folio_isolate_hugetlb(k: Kernel, folio: number, list: number): string | null {
  if (!folio_test_hugetlb(k, folio)) return 'it is not a hugetlb folio';
  if (!hpgTest(k, folio, HPG.migratable)) {
    return hpgTest(k, folio, HPG.freed) ? 'HPG_migratable is clear: it is a free pool folio, not in use'
      : 'HPG_migratable is clear: someone else has it isolated, or it never became migratable';
  }
  if (folio_ref_count(k, folio) === 0) return 'folio_try_get() fails: refcount 0';
  setPageRefcount(k, folio, folio_ref_count(k, folio) + 1); // folio_try_get()
  hpgClear(k, folio, HPG.migratable);
  hstateListDel(k, folio);
  listAddTail(k, k.lists, list, folio); // list_move_tail(&folio->lru, list)
  return null;
}

// mm/hugetlb.c: folio_putback_hugetlb() — migratable again, back on the active list, and the
// isolation reference dropped; if it was the last one, __folio_put() calls free_huge_folio().
// The caller has taken the folio off its private list.
export function folio_putback_hugetlb(k: Kernel, folio: number): void {
  hpgSet(k, folio, HPG.migratable);
  listAddTail(k, k.hugetlb.lists, HLIST.ACTIVE, folio);
  folio_put(k, folio);
}

/** Where a put left a hugetlb folio: still in use (null), back in the pool, or given to the buddy. */
export function hugetlbFate(k: Kernel, folio: number, wasTemporary: boolean): HugetlbFreed | null {
  if (k.mem.pageType.a[folio] === PGTY.hugetlb) return k.mem.private_.a[folio]! & (1 << HPG.freed) ? 'pool' : null;
  return wasTemporary ? 'temporary' : 'surplus';
}

// mm/hugetlb.c: move_hugetlb_state() — after a successful migration. A temporary destination
// hands HPG_temporary to the old folio (which is about to be freed, so it leaves for the buddy
// allocator, not the pool). Then dst becomes migratable and goes on the active list — except
// that 6.18 returns early when a temporary dst is on the same node as the old folio (always, on
// one node): dst stays off the active list without HPG_migratable, so it can never be isolated
// again. Upstream fixed that later ("mm/hugetlb: fix missing migratable flag on same-node
// hugetlb migration", Fixes: ba23f58de896); the model follows 6.18.
export function move_hugetlb_state(k: Kernel, oldFolio: number, newFolio: number): { temporary: boolean; earlyReturn: boolean } {
  if (hpgTest(k, newFolio, HPG.temporary)) {
    hpgSet(k, oldFolio, HPG.temporary);
    hpgClear(k, newFolio, HPG.temporary);
    // folio_nid(old) == folio_nid(new): one node, so no per-node surplus to move, and return.
    return { temporary: true, earlyReturn: true };
  }
  hpgSet(k, newFolio, HPG.migratable);
  hstateListDel(k, newFolio);
  listAddTail(k, k.hugetlb.lists, HLIST.ACTIVE, newFolio);
  return { temporary: false, earlyReturn: false };
}

// mm/hugetlb.c: hugetlb_report_meminfo() — the hugetlb lines of /proc/meminfo, same format.
export function hugetlb_report_meminfo(k: Kernel): string {
  const c = (i: number): string => String(hugetlbCounter(k, i)).padStart(5);
  return `HugePages_Total:   ${c(HS.NR_HUGE_PAGES)}\n` +
    `HugePages_Free:    ${c(HS.FREE_HUGE_PAGES)}\n` +
    `HugePages_Rsvd:    ${c(HS.RESV_HUGE_PAGES)}\n` +
    `HugePages_Surp:    ${c(HS.SURPLUS_HUGE_PAGES)}\n` +
    `Hugepagesize:   ${String(2048).padStart(8)} kB\n` +
    `Hugetlb:        ${String(hugetlbCounter(k, HS.NR_HUGE_PAGES) * 2048).padStart(8)} kB\n`;
}
