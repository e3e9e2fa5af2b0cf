// Isolating folios for migration (mm/vmscan.c, mm/migrate.c) and putting them back. Private
// folio lists (the caller's `from` list, unmap_folios, dst_folios, ret_folios...) are threaded
// through page->lru like the kernel's, with their heads in a journaled store.

import { PG } from './flags';
import { pageZone, type Kernel } from './kernel';
import { listAdd, listAddTail, listDel, listPfns } from './list';
import { clearPageFlag, folio_nr_pages, setPageFlag, testClearPageFlag, testPageFlag } from './memmap';
import { PGTY } from './flags';
import { balloon_page_isolate, balloon_page_putback, page_has_movable_ops } from './balloon';
import { zs_page_isolate } from './zsmalloc';
import { pageOpsOf, runDesign } from './designs';
import { isolate_movable_ops_page_stepped, isolationStepped } from './isolate-stepped';
import { folio_get, folio_mapcount, folio_put } from './folio';
import { mappingIsAnon } from './vm';
import { folio_test_swapcache } from './swap_state';
import { lruvec_del_folio } from './lru';
import { folio_add_lru } from './swap';
import { lruBatchCpu } from './fbatch-state';
import { addHolder, HOLD, removeHolder } from './pins';
import { put } from './store';
import { LIST_SLOTS, type FolioListKind } from './folio-lists';
import { mod_node_page_state, NS } from './vmstat';
import { folio_isolate_hugetlb, folio_putback_hugetlb } from './hugetlb';
import { hex, mkStep, type Steps } from './step';
import { guardOn } from './guards';
import { driverIsolate, isolatedCommit, isolatedFlagTest, pageTrylock, plainCheck, runGuards, runGuardsNow, speculativeRef, type GuardStage } from './guard-steps';

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

// mm/migrate.c: isolate_movable_ops_page() as guard stages (guard-steps.ts). The reference is
// taken first (a page being freed has refcount 0 and is left alone), then the page lock; under it
// PG_movable_ops_isolated is tested and, once the driver's isolate_page() agreed, set: that flag
// is what keeps a second migrator out once the lock is dropped.
export function movableOpsGuards(k: Kernel, page: number): GuardStage[] {
  const zs = k.mem.pageType.a[page] === PGTY.zsmalloc;
  return [
    speculativeRef(page, 'folio_get_nontail_page', 'its refcount is 0, so folio_get_nontail_page() fails (6.18 takes this for a page being freed; a frozen page of the no-refcount design always reads 0)'),
    plainCheck('page_has_movable_ops', 'include/linux/page-flags.h', (kk) => (page_has_movable_ops(kk, page) ? null : 'page_has_movable_ops() is false'), 'it is not a movable_ops page'),
    pageTrylock(page, 'folio_trylock() fails: someone holds its lock'),
    isolatedFlagTest(page, 'PG_movable_ops_isolated', 'PG_movable_ops_isolated is already set: another migrator has it'),
    zs
      ? driverIsolate(page, 'zs_page_isolate', 'mm/zsmalloc.c', (kk) => (zs_page_isolate(kk, page) ? null : 'zs_page_isolate() refused: the page left its zspage'), undefined, () => `zs_page_isolate() agrees: ${hex(page)} belongs to a zspage`, "the driver's isolate_page() refused")
      : driverIsolate(page, 'balloon_page_isolate', 'mm/balloon_compaction.c', (kk) => movableOpsIsolatePage(kk, page), undefined, (kk) => `balloon_page_isolate() takes ${hex(page)} off the balloon list under pages_lock (isolated_pages ${kk.balloon.isolated.a[0]})`, "the driver's isolate_page() refused"),
    isolatedCommit(page, 'SetPageMovableOpsIsolated', 'mm/migrate.c', `SetPageMovableOpsIsolated() (the PG_reclaim bit), folio_unlock(): ${hex(page)} is isolated, its reference kept until putback or migration`),
  ];
}

// mm/migrate.c: isolate_movable_ops_page() — null on success, else why it failed.
export function isolate_movable_ops_page(k: Kernel, page: number): string | null {
  return runGuardsNow(k, movableOpsGuards(k, page), page);
}

/** isolate_movable_ops_page() one guard a step, for a race's tasks (guard-steps.ts). */
export function* isolate_movable_ops_page_steps(k: Kernel, page: number, who: string, label?: string): Steps<string | null> {
  return yield* runGuards(k, movableOpsGuards(k, page), { who, page, label, fn: 'isolate_movable_ops_page', file: 'mm/migrate.c' });
}

/**
 * mops->isolate_page() of a locked movable_ops page: null when it took the page, else why not.
 * The balloon's are those of the run's kernel (runDesign: 7.0's look page->private up under
 * balloon_pages_lock), 6.18's when the design keeps them.
 */
export function movableOpsIsolatePage(k: Kernel, page: number): string | null {
  if (k.mem.pageType.a[page] === PGTY.zsmalloc) return zs_page_isolate(k, page) ? null : 'the driver\'s isolate_page() refused';
  const mops = runDesign(k).balloonMops;
  // 6.18's balloon_page_isolate() refuses only a page whose private no longer names the balloon.
  if (!mops) return balloon_page_isolate(k, page) ? null : 'the driver\'s isolate_page() refused: page->private is NULL: deflated';
  const refused = mops.isolate_page(k, page);
  return refused ? `the driver's isolate_page() refused: ${refused.why}` : null;
}

// mm/migrate.c: putback_movable_ops_page()
export function putback_movable_ops_page(k: Kernel, page: number): void {
  setPageFlag(k, page, PG.locked);
  // zs_page_putback() does nothing; the balloon's putback_page is the run's kernel's.
  if (k.mem.pageType.a[page] !== PGTY.zsmalloc) (runDesign(k).balloonMops?.putback_page ?? balloon_page_putback)(k, page);
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
  const old = pageOpsOf(k, folio); // a page made a design's own way (6.12's, a movable page table)
  if (old || k.mem.pageType.a[folio] === PGTY.offline || k.mem.pageType.a[folio] === PGTY.zsmalloc) {
    if (k.raced && (!old || old.guards)) {
      // A race's migrator: each guard its own step; the list_add() rides on the commit.
      const own = old?.guards?.(k, folio);
      const stages = own ? own.stages : movableOpsGuards(k, folio);
      const commit = stages[stages.length - 1]!;
      const onList: GuardStage = { ...commit, attempt: (kk) => commit.attempt(kk) ?? (add(kk, kk.lists, list, folio), null), passed: (kk, r) => `${commit.passed?.(kk, r) ?? ''}; list_add() onto the migration list` };
      const why = yield* runGuards(k, [...stages.slice(0, -1), onList], { who, page: folio, label: own?.label, ...(own ? {} : { fn: 'isolate_movable_ops_page', file: 'mm/migrate.c' }) });
      return why === null;
    }
    // While a deflate is in flight, the gap inside the isolation (page locked, driver not yet asked) is a step of its own.
    const stepped = !old && isolationStepped(k, folio);
    if (stepped && !(yield* isolate_movable_ops_page_stepped(k, folio, who))) return false;
    const why = old ? old.isolate(k, folio) : stepped ? null : isolate_movable_ops_page(k, folio);
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
  if (k.raced && !guardOn(k, 'lru-flag') && !testPageFlag(k, folio, PG.lru)) return yield* isolateLruUnguarded(k, folio, who);
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

// mm/vmscan.c: folio_isolate_lru() with its one guard, PG_lru's test-and-clear, switched off (the
// sweep's "design without it") on a folio another migrator has isolated. move_pages() holds the
// PTE lock, not a reference, while it isolates: PG_lru is all that keeps the second one out.
// Without it the second isolator takes a reference on a folio whose lru links belong to the
// other migrator's list: list_del()/list_add() would corrupt that list, so the model stops short
// of them; the extra reference stays, for the first migrator's refcount check to meet.
function* isolateLruUnguarded(k: Kernel, folio: number, who: string): Steps<boolean> {
  const ref = k.mem.refcount.a[folio]!;
  folio_get(k, folio);
  addHolder(k.st, k.pins, folio, HOLD.ISOLATED);
  yield mkStep(k, {
    phase: 'isolate', fn: 'folio_isolate_lru', file: 'mm/vmscan.c',
    text: `${who}: the lru-flag guard is switched off: PG_lru is not tested, and ${hex(folio)}, isolated by another task already, gets a second isolation reference, refcount ${ref} → ${ref + 1}; its lru links belong to the other migrator's list, where a real kernel's list_del() would corrupt it (the model leaves it off ${who}'s list)`,
    pfns: [{ pfn: folio, role: 'src', nr: folio_nr_pages(k, folio) }], result: 'false',
  });
  return false;
}

// mm/compaction.c: isolate_migratepages_block()'s isolation of an LRU folio, as guard stages for
// a race's compactors: the speculative reference comes first (folio_get_nontail_page(): "be careful
// not to clear PageLRU until we're sure the page is not being freed"), then the racy pinned check
// (an anon folio with more references than mappings + ours is skipped), then PG_lru's
// test-and-clear, taken with lruvec_del_folio() under the lru_lock as one step. The speculative
// reference becomes the isolation reference. A loser backs off with folio_put() (isolate_fail_put).
export function compactionLruGuards(k: Kernel, folio: number, list: number): GuardStage[] {
  const nr = folio_nr_pages(k, folio);
  let taken = false; // with the lru-flag guard off: PG_lru was clear, another isolator has the folio
  return [
    speculativeRef(folio, 'folio_get_nontail_page'),
    {
      guard: 'refcount', fn: 'isolate_migratepages_block', file: 'mm/compaction.c',
      attempt: (kk) => {
        if (!mappingIsAnon(kk.mem.mapping.a[folio]!) || folio_test_swapcache(kk, folio)) return null;
        const ref = kk.mem.refcount.a[folio]!;
        const mc = folio_mapcount(kk, folio);
        return ref - 1 > mc ? `refcount ${ref}, expected at most ${mc + 1} (mapcount ${mc} + ours)` : null;
      },
      passed: (kk) => `refcount ${kk.mem.refcount.a[folio]} − 1 ≤ mapcount ${folio_mapcount(kk, folio)}: not pinned (a racy check, made again by the migration)`,
    },
    {
      guard: 'lru-flag', fn: 'folio_test_clear_lru', file: 'include/linux/page-flags.h',
      attempt: (kk) => {
        if (!testClearPageFlag(kk, folio, PG.lru)) return 'PG_lru already clear';
        lruvec_del_folio(kk, pageZone(kk, folio), folio);
        return null;
      },
      passed: () => `PG_lru test-and-cleared on ${hex(folio)}; under the lru_lock lruvec_del_folio() takes it off the LRU`,
      absent: (kk) => {
        if (testClearPageFlag(kk, folio, PG.lru)) lruvec_del_folio(kk, pageZone(kk, folio), folio);
        else taken = true;
      },
      offText: 'PG_lru is not tested',
    },
    {
      guard: null, fn: 'isolate_migratepages_block', file: 'mm/compaction.c',
      attempt: (kk) => {
        // Without PG_lru's guard a second compactor gets here for a folio whose lru links thread
        // another migrator's list: list_add() would corrupt that list, so the model stops here.
        if (taken) return `${hex(folio)} is already on another migrator's list: list_add() would corrupt it`;
        addHolder(kk.st, kk.pins, folio, HOLD.ISOLATED); // the speculative reference, kept
        mod_node_page_state(kk, isolatedStat(kk, folio), nr);
        listAdd(kk, kk.lists, list, folio);
        return null;
      },
      passed: (kk) => `isolated: NR_ISOLATED +${nr}, list_add() onto the migration list; the speculative reference is now the isolation reference (refcount ${kk.mem.refcount.a[folio]})`,
    },
  ];
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

