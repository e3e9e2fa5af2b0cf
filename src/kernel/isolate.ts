// Isolating folios for migration (mm/vmscan.c, mm/migrate.c) and putting them back. Private
// folio lists (the caller's `from` list, unmap_folios, dst_folios, ret_folios...) are threaded
// through page->lru like the kernel's, with their heads in a journaled store.

import { PG } from './flags';
import { pageZone, type Kernel } from './kernel';
import { listAdd, listAddTail, listDel, listPfns } from './list';
import { clearPageFlag, folio_nr_pages, setPageFlag, testClearPageFlag, testPageFlag } from './memmap';
import { PGTY } from './flags';
import { balloon_page_isolate, balloon_page_putback, page_has_movable_ops, PageMovableOpsIsolated } from './balloon';
import { zs_page_isolate } from './zsmalloc';
import { pageOpsOf } from './designs';
import { folio_get, folio_put } from './folio';
import { lruvec_del_folio } from './lru';
import { folio_add_lru } from './swap';
import { lruBatchCpu } from './fbatch-state';
import { addHolder, HOLD, removeHolder } from './pins';
import { put } from './store';
import { LIST_SLOTS, type FolioListKind } from './folio-lists';
import { mod_node_page_state, NS } from './vmstat';
import { folio_isolate_hugetlb, folio_putback_hugetlb } from './hugetlb';
import { hex, mkStep, type Steps } from './step';

/** LIST_HEAD(): a new empty private list, of the caller named by `kind`. */
export function newFolioList(k: Kernel, kind: FolioListKind): number {
  const n = k.lists.next.a[0]!;
  for (let i = 0; i < LIST_SLOTS; i++) {
    const slot = (n + i) % LIST_SLOTS;
    if (k.lists.heads.a[2 * slot] === -1) {
      put(k.st, k.lists.next, 0, slot + 1);
      put(k.st, k.lists.kind, slot, kind);
      return slot;
    }
  }
  throw new Error(`more than ${LIST_SLOTS} private folio lists in use`);
}

export function folioListPfns(k: Kernel, slot: number): number[] {
  return [...listPfns(k, k.lists, slot)];
}

export function listMoveTail(k: Kernel, pfn: number, from: number, to: number): void {
  listDel(k, k.lists, from, pfn);
  listAddTail(k, k.lists, to, pfn);
}

/** NR_ISOLATED_ANON or NR_ISOLATED_FILE, as folio_is_file_lru() chooses. */
const isolatedStat = (k: Kernel, folio: number): number => (testPageFlag(k, folio, PG.swapbacked) ? NS.NR_ISOLATED_ANON : NS.NR_ISOLATED_FILE);

// mm/vmscan.c: folio_isolate_lru()
// Clearing PG_lru is what makes isolation exclusive: a second isolator finds it clear and backs
// off, which is how two migrators of one folio are kept apart.
export function folio_isolate_lru(k: Kernel, folio: number): boolean {
  if (!testClearPageFlag(k, folio, PG.lru)) return false;
  folio_get(k, folio); // the isolation reference, dropped at putback or when the folio is freed
  addHolder(k.st, k.pins, folio, HOLD.ISOLATED);
  lruvec_del_folio(k, pageZone(k, folio), folio);
  return true;
}

// mm/migrate.c: isolate_movable_ops_page() — null on success, else why it failed. The reference
// is taken first (a page being freed has refcount 0 and is left alone), then the page lock;
// PG_movable_ops_isolated is what keeps a second migrator out.
export function isolate_movable_ops_page(k: Kernel, page: number): string | null {
  if (k.mem.refcount.a[page] === 0) return 'its refcount is 0, so folio_get_nontail_page() fails (6.18 takes this for a page being freed; a frozen page of the no-refcount design always reads 0)';
  folio_get(k, page);
  if (!page_has_movable_ops(k, page)) {
    folio_put(k, page);
    return 'it is not a movable_ops page';
  }
  if (testPageFlag(k, page, PG.locked)) {
    folio_put(k, page);
    return 'folio_trylock() fails: someone holds its lock';
  }
  setPageFlag(k, page, PG.locked);
  let why: string | null = null;
  if (PageMovableOpsIsolated(k, page)) why = 'PG_movable_ops_isolated is already set: another migrator has it';
  else if (!(k.mem.pageType.a[page] === PGTY.zsmalloc ? zs_page_isolate(k, page) : balloon_page_isolate(k, page))) why = 'the driver\'s isolate_page() refused';
  if (why) {
    clearPageFlag(k, page, PG.locked);
    folio_put(k, page);
    return why;
  }
  setPageFlag(k, page, PG.reclaim); // SetPageMovableOpsIsolated()
  clearPageFlag(k, page, PG.locked);
  addHolder(k.st, k.pins, page, HOLD.ISOLATED); // the reference is kept until putback or migration
  return null;
}

// mm/migrate.c: putback_movable_ops_page()
export function putback_movable_ops_page(k: Kernel, page: number): void {
  setPageFlag(k, page, PG.locked);
  if (k.mem.pageType.a[page] !== PGTY.zsmalloc) balloon_page_putback(k, page); // zs_page_putback() does nothing
  clearPageFlag(k, page, PG.reclaim); // ClearPageMovableOpsIsolated()
  clearPageFlag(k, page, PG.locked);
  removeHolder(k.st, k.pins, page, HOLD.ISOLATED);
  folio_put(k, page);
}

// mm/migrate.c: isolate_folio_to_list() for a hugetlb folio (folio_isolate_hugetlb(): list_move_tail),
// an LRU folio (+ NR_ISOLATED accounting) or a movable_ops page (isolate_movable_ops_page(), no
// NR_ISOLATED), both list_add()ed at the head: migrate_pages() takes the last isolated first.
export function* isolate_folio_to_list(k: Kernel, folio: number, list: number, who: string): Steps<boolean> {
  return yield* isolateOnto(k, folio, list, who, false);
}

/**
 * isolate_folio_to_list()'s body, with the place on the list as a parameter: move_pages(2)
 * (__add_folio_for_migration()) and mbind (migrate_folio_add()) isolate the same way but
 * list_add_tail() the folio.
 */
export function* isolateOnto(k: Kernel, folio: number, list: number, who: string, tail: boolean): Steps<boolean> {
  const add = tail ? listAddTail : listAdd;
  const ref = k.mem.refcount.a[folio]!;
  if (k.mem.pageType.a[folio] === PGTY.hugetlb) {
    const why = folio_isolate_hugetlb(k, folio, list);
    if (!why) addHolder(k.st, k.pins, folio, HOLD.ISOLATED); // the folio_try_get() reference
    yield mkStep(k, {
      phase: 'isolate', fn: 'folio_isolate_hugetlb', file: 'mm/hugetlb.c',
      text: why
        ? `${who}: hugetlb folio ${hex(folio)} is not isolated: ${why}`
        : `${who}: under hugetlb_lock, HPG_migratable test-and-cleared on hugetlb folio ${hex(folio)}, folio_try_get() (refcount ${ref} → ${ref + 1}), off hugepage_activelist onto the migration list (no NR_ISOLATED for hugetlb)`,
      pfns: [{ pfn: folio, role: 'src', nr: folio_nr_pages(k, folio) }], result: why ? 'false' : 'true',
    });
    return !why;
  }
  if (k.mem.pageType.a[folio] === PGTY.offline || k.mem.pageType.a[folio] === PGTY.zsmalloc) {
    const old = pageOpsOf(k, folio); // a page made a design's own way (6.12's)
    const why = old ? old.isolate(k, folio) : isolate_movable_ops_page(k, folio);
    if (old) {
      if (!why) add(k, k.lists, list, folio);
      yield old.isolateStep(k, who, folio, ref, why);
      return !why;
    }
    if (why) {
      yield mkStep(k, { phase: 'isolate', fn: 'isolate_movable_ops_page', file: 'mm/migrate.c', text: `${who}: ${hex(folio)} is not isolated: ${why}`, pfns: [{ pfn: folio, role: 'src' }], result: 'false' });
      return false;
    }
    add(k, k.lists, list, folio);
    yield mkStep(k, {
      phase: 'isolate', fn: 'isolate_movable_ops_page', file: 'mm/migrate.c',
      text: k.mem.pageType.a[folio] === PGTY.zsmalloc
        ? `${who}: +1 reference (refcount ${ref} → ${ref + 1}), page locked, zs_page_isolate() agrees (it belongs to a zspage), PG_movable_ops_isolated set (the PG_reclaim bit), unlocked`
        : `${who}: +1 reference (refcount ${ref} → ${ref + 1}), page locked, balloon_page_isolate() takes it off the balloon list (isolated_pages ${k.balloon.isolated.a[0]}), PG_movable_ops_isolated set (the PG_reclaim bit: kpageflags now read OFFLINE|UPTODATE|RECLAIM), unlocked`,
      pfns: [{ pfn: folio, role: 'src' }], result: 'true',
    });
    return true;
  }
  if (!folio_isolate_lru(k, folio)) {
    const batchCpu = lruBatchCpu(k.fbatch, folio);
    yield mkStep(k, {
      phase: 'isolate', fn: 'folio_isolate_lru', file: 'mm/vmscan.c',
      text: batchCpu >= 0
        ? `${who}: PG_lru is clear on ${hex(folio)}: it is not on the LRU yet but waits in CPU ${batchCpu}'s lru_add batch (refcount ${ref}, one of them the batch's), until that batch fills or someone drains it: it is skipped`
        : `${who}: PG_lru is already clear on ${hex(folio)}, so someone else has it isolated (or it is not on an LRU list): it is skipped`,
      pfns: [{ pfn: folio, role: 'src', nr: folio_nr_pages(k, folio) }], result: 'false',
      excluded: { guard: 'lru-flag', why: batchCpu >= 0 ? `PG_lru clear: the folio waits in CPU ${batchCpu}'s lru_add batch` : 'PG_lru already clear' },
    });
    return false;
  }
  mod_node_page_state(k, isolatedStat(k, folio), folio_nr_pages(k, folio));
  add(k, k.lists, list, folio);
  yield mkStep(k, {
    phase: 'isolate', fn: 'folio_isolate_lru', file: 'mm/vmscan.c',
    text: `${who}: PG_lru test-and-cleared on ${hex(folio)}, off the ${testPageFlag(k, folio, PG.swapbacked) ? 'anon' : 'file'} LRU onto the migration list; the isolation takes a reference: refcount ${ref} → ${ref + 1}`,
    pfns: [{ pfn: folio, role: 'src', nr: folio_nr_pages(k, folio) }], result: 'true',
  });
  return true;
}

// mm/migrate.c: putback_movable_pages() → folio_putback_lru() for LRU folios: back on the LRU,
// NR_ISOLATED down, the isolation reference dropped.
export function* putback_movable_pages(k: Kernel, list: number): Steps<void> {
  for (const folio of folioListPfns(k, list)) {
    listDel(k, k.lists, list, folio);
    if (k.mem.pageType.a[folio] === PGTY.hugetlb) {
      const ref = k.mem.refcount.a[folio]!;
      removeHolder(k.st, k.pins, folio, HOLD.ISOLATED);
      folio_putback_hugetlb(k, folio);
      yield mkStep(k, {
        phase: 'putback', fn: 'folio_putback_hugetlb', file: 'mm/hugetlb.c',
        text: `hugetlb folio ${hex(folio)} was not migrated: HPG_migratable set again, back on hugepage_activelist, the isolation reference dropped (refcount ${ref} → ${ref - 1})`,
        pfns: [{ pfn: folio, role: 'src', nr: folio_nr_pages(k, folio) }],
      });
      continue;
    }
    const ops = pageOpsOf(k, folio);
    if (ops) {
      const ref = k.mem.refcount.a[folio]!;
      ops.putback(k, folio);
      removeHolder(k.st, k.pins, folio, HOLD.ISOLATED);
      if (ops.put) ops.put(k, folio); // a frozen page: no isolation reference was taken
      else folio_put(k, folio);
      yield ops.putbackStep(k, folio, ref);
      continue;
    }
    if (page_has_movable_ops(k, folio)) {
      const ref = k.mem.refcount.a[folio]!;
      putback_movable_ops_page(k, folio);
      yield mkStep(k, {
        phase: 'putback', fn: 'putback_movable_ops_page', file: 'mm/migrate.c',
        text: `${hex(folio)} was not migrated: balloon_page_putback() puts it back on the balloon list, PG_movable_ops_isolated cleared, the isolation reference dropped (refcount ${ref} → ${ref - 1})`,
        pfns: [{ pfn: folio, role: 'src' }],
      });
      continue;
    }
    mod_node_page_state(k, isolatedStat(k, folio), -folio_nr_pages(k, folio));
    folio_add_lru(k, folio); // lru_add() decides evictability again
    removeHolder(k.st, k.pins, folio, HOLD.ISOLATED);
    const ref = k.mem.refcount.a[folio]!;
    folio_put(k, folio);
    yield mkStep(k, {
      phase: 'putback', fn: 'folio_putback_lru', file: 'mm/vmscan.c',
      text: `${hex(folio)} was not migrated: back on its LRU list with PG_lru set, the isolation reference dropped (refcount ${ref} → ${ref - 1})`,
      pfns: [{ pfn: folio, role: 'src', nr: folio_nr_pages(k, folio) }],
    });
  }
}

