// `--compare`: the golden table for balloon-migrate under the four designs of issue 17, written by
// hand from the paths (the derivation of every row is in the comments), and the CLI's bad input.
import { describe, expect, test } from 'vitest';
import { DESIGN_NAMES } from '../kernel/designs/names';
import { parseArgs } from './args';
import { sim } from './sim.testkit';


// balloon-migrate: inflate 16 balloon pages, then migrate them all (MIGRATE_SYNC, reason compaction).
//
// steps (the one number taken from a run, checked against the narration):
//   inflate, every design: 16 balloon_page_alloc + 1 rmqueue_bulk (the pcp list refills once) +
//   16 enqueues + tell_host + "finished" = 35.
//   linux-6.18: 16 isolate_movable_ops_page + compact_zone + migrate_pages + migrate_pages_batch +
//   isolate_freepages_block + 16 x (compaction_alloc, migrate_folio_unmap locks src, "nothing to
//   unmap") + migrate_folios_move + 16 x (virtballoon_migratepage insert, its finalize+put_page,
//   migrate_folio_move unlock+put dst, migrate_folio_done put src, __folio_put) + free_pcppages_bulk +
//   migrate_pages returns + finished = 35 + 16 + 4 + 48 + 1 + 80 + 3 = 187.
//   linux-6.12: the same, but 6.12's virtballoon_migratepage is one step, not two: 187 - 16 = 171.
//   no-refcount: migrate_offline_pfns' "16 PFNs in an array" + 16 x (test-and-set, swap under
//   balloon_lock) + finished = 35 + 1 + 32 + 1 = 69.
//   pfn-array: 16 src[] entries + the dst[] step + 16 x 2 virtballoon_migratepage + 16 x
//   (__folio_put, migrate_movable_finalize) + finished = 35 + 16 + 1 + 32 + 32 + 1 = 117.
// outcome: every design moves all 16 (PGMIGRATE_SUCCESS), none fails, nobody races: 0 exclusions.
// atomics/page: _refcount (every write of it, per migrated page):
//   linux-6.18 6: set_page_refcounted() of dst at compaction_alloc, isolate's folio_get(src),
//     virtballoon_migratepage's get_page(dst) and put_page(src), folio_put(dst), folio_put(src).
//   linux-6.12 6: the same six references (balloon_page_migrate_612 takes get_page(dst), put_page(src)).
//   no-refcount 0: allocated and freed frozen, isolated by a flag; no get or put anywhere.
//   pfn-array 6: __alloc_pages' set_page_refcounted(dst), the isolation get, get_page(dst),
//     put_page(src), finalize's folio_put(dst) and folio_put(src).
// atomics/page: flag bits (SetPage/ClearPage single-bit writes of page->flags; allocation's
// prep_new_page and freeing's free_pages_prepare write the word whole, not a bit op):
//   linux-6.18 9: isolation lock, SetPageMovableOpsIsolated, unlock (3); unmap locks src and dst
//     (2); balloon_page_insert's SetPageMovableOps(dst); ClearPageMovableOpsIsolated(src); unlock
//     dst; unlock src (4).
//   linux-6.12 8: isolation lock, SetPageIsolated, unlock (3); unmap locks src and dst (2);
//     folio_clear_isolated(src); unlock dst; unlock src (3) — 6.12 says "movable" in ->mapping, no bit.
//   no-refcount 4: test-and-set of PG_movable_ops_isolated(src); PG_movable_ops on dst; clear
//     PG_movable_ops_isolated and PG_movable_ops on src before it is freed.
//   pfn-array 9: isolation lock, isolated bit, unlock (3); dst[] locks dst (1); the pages step
//     locks src (1); SetPageMovableOps(dst); ClearPageMovableOpsIsolated(src); finalize unlocks dst
//     and src (4).
// locks taken (totals over the migration):
//   page lock: 3 per page under the list path and pfn-array (isolation's trylock, then src and dst
//     locked for the move: unmap phase or dst[]/pages step) = 48; no-refcount never locks a page = 0.
//   balloon_lock: virtballoon_migratepage's mutex_trylock once per page = 16, every design (the
//     no-refcount driver takes it for its array swap, once per page).
// tracking: linux-6.18 and 6.12 thread balloon_dev_info->pages and migrate_pages' lists through
//   page->lru: 0 extra bytes. no-refcount and pfn-array: 2 arrays x 8 B x 16 pages = 256 B; a THP
//   would be 2 x 8 B x 512 = 8192 B (no compound entries in these designs).
// fields/page, by what the page was when touched (memmap.ts footprintState); where each comes from:
//   [offline] (the balloon pages: src until __free_pages_prepare ends PageOffline, dst from
//   balloon_page_insert's __SetPageOffline on)
//     linux-6.18 8: flags rw (page_has_movable_ops, the trylock test, PageMovableOpsIsolated; the
//       lock/isolated/movable_ops bits), lru rw (balloon_page_isolate's list_del, then the
//       migration lists: isolate_folio_to_list's list_add, compaction's and migrate_pages'
//       list_move_tail), compound_head r (page_folio in isolate_pfns), mapping r (folio_test_anon
//       in migrate_folio_unmap, __free_pages_prepare), private rw (balloon_page_isolate reads it;
//       balloon_page_insert/balloon_page_finalize write it), page_type rw (page_has_movable_ops,
//       isMovable; __SetPageOffline(dst), the free's __ClearPageOffline(src)), _refcount rw (the
//       get/puts above), order r (folio_nr_pages in compaction_migrate_path and migrate_pages).
//     linux-6.12 8: the same fields; private only written (6.12 isolation checks ->mapping
//       instead, isolate_movable_page_612), mapping rw (__SetPageMovable(dst) in insert).
//     no-refcount 3: flags rw (the uptodate and isolated tests and bits), mapping r and page_type
//       rw (free_frozen_pages' __free_pages_prepare; PageOffline set on dst) — no lru, _refcount,
//       private, order or compound_head: migrate_offline_pfns reads its PFNs raw.
//     pfn-array 7: 6.18's minus compound_head (the array path takes PFNs: no page_folio()).
//   [isolated] only linux-6.12: balloon_page_delete_612 ends src's PageOffline while it is
//     isolated (->mapping keeps PAGE_MAPPING_MOVABLE, a reference, no PG_lru): its ->mapping and
//     ->private writes, put_page (_refcount rw), folio_clear_isolated and the unlock (flags w),
//     migrate_folio_move's list_del (lru rw), migrate_folio_done's isMovable (page_type r),
//     folio_nr_pages (order r) and last folio_put = 7.
//   [buddy] free pages: lru rw everywhere (rmqueue_pcplist / compaction's __isolate_free_page take
//     destinations off their lists, free_to_pcp adds the freed sources). The list designs run
//     compaction's free scanner (__isolate_free_page clears PageBuddy) and overflow the pcp list
//     (free_pcppages_bulk, step 185/169): __free_one_page's page_is_buddy reads the buddy's
//     page_type and order (private), set_buddy_order writes page_type = 3. The array designs
//     allocate from and free to CPU 0's pcp list only = 1.
//   [other] (a destination before it is a balloon page, a source once freed, compaction's unused
//   free page released):
//     flags rw (the free's bad-page check and flag reset; dst locked before it is PageOffline),
//     lru: rw for the list designs (cc->freepages, migrate_pages' dst list, release_free_list),
//       w only for the array designs (free_to_pcp's list_add of the page itself),
//     mapping r (the bad-page check), private w (__free_pages_prepare; 6.18/6.12 also
//     __migrate_folio_record on dst and isolate_freepages_block), _mapcount r (the bad-page check),
//     page_type r for the list designs (PageBuddy checks on the pages freed in bulk, release_free_list),
//     _refcount rw (set_page_refcounted of dst, get_page(dst) before insert; no-refcount only
//     reads it: the frozen free's check wants 0). 6.12 also writes ->mapping (__free_pages_prepare
//     clears the PAGE_MAPPING_MOVABLE balloon_page_delete left) and reads order (__folio_put of a
//     src that is no longer PageOffline: 6.18's lands in [offline]).
const GOLDEN = `balloon-migrate            linux-6.18  linux-6.12  no-refcount  pfn-array
steps                             187         171           69        117
outcome: migrated                  16          16           16         16
outcome: failed                     0           0            0          0
outcome: excluded                   0           0            0          0
atomics/page: _refcount             6           6            0          6
atomics/page: flag bits             9           8            4          9
locks taken: page lock             48          48            0         48
locks taken: balloon_lock          16          16           16         16
tracking                         list        list    pfn-array  pfn-array
tracking bytes: this run      0 (lru)     0 (lru)          256        256
tracking bytes: one THP       0 (lru)     0 (lru)         8192       8192
fields/page [offline]               8           8            3          7
  flags                            rw          rw           rw         rw
  lru                              rw          rw            -         rw
  compound_head                     r           r            -          -
  mapping                           r          rw            r          r
  private                          rw           w            -         rw
  page_type                        rw          rw           rw         rw
  _refcount                        rw          rw            -         rw
  order                             r           r            -          r
fields/page [isolated]              0           7            0          0
  flags                             -           w            -          -
  lru                               -          rw            -          -
  mapping                           -           w            -          -
  private                           -           w            -          -
  page_type                         -           r            -          -
  _refcount                         -          rw            -          -
  order                             -           r            -          -
fields/page [buddy]                 3           3            1          1
  lru                              rw          rw           rw         rw
  private                           r           r            -          -
  page_type                        rw          rw            -          -
fields/page [other]                 7           8            6          6
  flags                            rw          rw           rw         rw
  lru                              rw          rw            w          w
  mapping                           r          rw            r          r
  private                           w           w            w          w
  _mapcount                         r           r            r          r
  page_type                         r           r            -          -
  _refcount                        rw          rw            r         rw
  order                             -           r            -          -

outcome: PGMIGRATE_SUCCESS, PGMIGRATE_FAIL, and steps where a guard kept a task from a page (exclusions).
atomics/page: writes of _refcount, and single-bit writes of page->flags (SetPage/ClearPage, test-and-set/clear),
  by the migrate and race actions, per migrated page.
locks taken: acquisitions by the migrate and race actions: page lock, balloon_lock (page lock: PG_locked set);
  the model has no lru_lock, zone lock or pages_lock, so none is counted.
tracking bytes: a list threads page->lru (0 extra bytes); an array keeps 2 arrays (src[], dst[]) of 8 B
  per page migrated or failed (compound: per folio); one THP is 512 pages or 1 folio.
fields/page: struct page fields the migrations touched, r read, w written, split by what the page was:
  offline PageOffline, isolated taken for migration, buddy free, other anything else.
`;

describe('--compare', () => {
  test('balloon-migrate under linux-6.18, linux-6.12, no-refcount and pfn-array prints the hand-worked table', { timeout: 120_000 }, () => {
    const r = sim('balloon-migrate', '--compare', 'linux-6.18,linux-6.12,no-refcount,pfn-array');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toBe(GOLDEN);
  });

  test('--json gives the same numbers as JSON, one object per design', { timeout: 120_000 }, () => {
    const r = sim('balloon-migrate', '--compare', 'no-refcount,linux-6.18', '--json');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.out) as { variant: string; steps: number; refcountAtomics: number; locks: { lock: string; taken: number }[] }[];
    expect(out.map((d) => [d.variant, d.steps, d.refcountAtomics])).toEqual([['no-refcount', 69, 0], ['linux-6.18', 187, 6]]);
    expect(out[1]!.locks).toEqual([{ lock: 'page lock', taken: 48 }, { lock: 'balloon_lock', taken: 16 }]);
  });

  test('an unknown design is one line naming it and the designs there are', { timeout: 120_000 }, () => {
    const r = sim('balloon-migrate', '--compare', 'linux-6.18,no-such');
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toBe(`pfnscope: unknown variant "no-such": one of ${DESIGN_NAMES.join(', ')}\n`);
  });

  test('parsing: two or more names; --compare with --variant is refused', { timeout: 120_000 }, () => {
    expect(parseArgs(['x', '--compare', 'a,b'])).toMatchObject({ compare: ['a', 'b'], json: false });
    expect(parseArgs(['--compare=a,b,c', '--json'])).toMatchObject({ compare: ['a', 'b', 'c'], json: true });
    expect(() => parseArgs(['--compare', 'linux-6.18'])).toThrow(/two or more design names/);
    expect(() => parseArgs(['--compare', 'a,,b'])).toThrow(/two or more design names/);
    expect(() => parseArgs(['--compare'])).toThrow(/--compare needs design names/);
    const r = sim('balloon-migrate', '--compare', 'linux-6.18,no-refcount', '--variant', 'pfn-array');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^pfnscope: --compare runs SOURCE under each design it names: it cannot be combined with --variant/);
    expect(sim('balloon-migrate', '--compare', 'linux-6.18,no-refcount', '--until', '5').err).toBe('pfnscope: --compare prints its own table of whole runs: --until cannot go with it\n');
    expect(sim('balloon-migrate', '--compare', 'linux-6.18,no-refcount', '--summary').err).toBe('pfnscope: --compare prints its own table of whole runs: --summary cannot go with it\n');
  });
});
