// hugetlb migration (mm/migrate.c migrate_hugetlbs(), unmap_and_move_huge_page(); mm/hugetlb.c)
// through the hugetlb preset and a few scenarios. Expected values are worked out from the 6.18
// source by hand: a MAP_HUGETLB folio has refcount 1 = its one huge mapping; isolation adds 1;
// try_to_migrate() drops the mapping's; __migrate_folio() wants folio_expected_ref_count() (0 for
// unmapped anon) + 1; remove_migration_pte() adds one to dst; folio_put(dst) drops the
// allocation's; folio_putback_hugetlb(src) drops the isolation's, the last.

import { describe, expect, test } from 'vitest';
import { checkInvariants } from '../kernel/invariants';
import { HLIST, HPG, HS, hstateList, hugetlbCounter } from '../kernel/hugetlb-state';
import { PGTY, PG } from '../kernel/flags';
import { pteIsMigration, ptePfn, ptePresent, type Vma } from '../kernel/vm';
import { freePageMap } from '../kernel/procfs';
import { VM_EVENT } from '../kernel/vmstat';
import type { Kernel } from '../kernel/kernel';
import { findPreset } from './presets';
import { parseScenario } from './scenario';
import { openSession } from './session';
import { runToEnd, seek, type Step, allSteps } from './timeline';
import { checkSteps } from './steps.testkit';

// and do_pages_move()'s closing lru_cache_enable(), which is about LRU folios, not hugetlb
const ALLOCATOR = new Set(['__rmqueue_smallest', 'expand', '__free_one_page', '__folio_put', 'try_to_claim_block', '__rmqueue_claim', '__rmqueue_steal', 'lru_cache_enable']);
const hugeVma = (k: Kernel): Vma => k.vm.vmas[k.vm.mms[0]!.vmas[0]!]!;
/** The folio mapped by process 0's n-th huge entry (slot n * 512), or -1. */
const mappedAt = (k: Kernel, n: number): number => {
  const v = hugeVma(k).pte.a[n * 512]!;
  return ptePresent(v) ? ptePfn(v) : -1;
};
const counters = (k: Kernel): [number, number, number] => [hugetlbCounter(k, HS.NR_HUGE_PAGES), hugetlbCounter(k, HS.FREE_HUGE_PAGES), hugetlbCounter(k, HS.SURPLUS_HUGE_PAGES)];
const hpg = (k: Kernel, folio: number, flag: number): boolean => (k.mem.private_.a[folio]! & (1 << flag)) !== 0;
const ofAction = (steps: readonly Step[], a: number): Step[] => steps.filter((x) => x.action === a && !ALLOCATOR.has(x.fn));
const endOf = (s: ReturnType<typeof openSession>, a: number): number => allSteps(s.t).filter((x) => x.action === a).at(-1)!.id;

describe('the hugetlb preset', () => {
  const s = openSession(findPreset('hugetlb')!.scenario);
  const k = s.k;
  const at0 = [mappedAt(k, 0), mappedAt(k, 1)];
  const pool0 = hstateList(k, HLIST.FREE);
  runToEnd(s.t);
  const steps = allSteps(s.t);

  test('populate: hugepages=3, two mapped by map_hugetlb (refcount 1 = mapcount 1, HPG_migratable), one free (frozen, HPG_freed)', () => {
    seek(s.t, 0);
    expect(k.vm.mms[0]!.comm).toBe('map_hugetlb');
    expect(counters(k)).toEqual([3, 1, 0]);
    for (const f of at0) {
      expect(k.mem.pageType.a[f]).toBe(PGTY.hugetlb);
      expect(k.mem.order.a[f]).toBe(9);
      expect(k.mem.refcount.a[f]).toBe(1);
      expect(k.hugetlb.entireMapcount.a[f >> 9]).toBe(0); // _entire_mapcount raw 0: one mapping
      expect(k.mem.private_.a[f]).toBe(1 << HPG.migratable);
    }
    expect(pool0).toHaveLength(1);
    expect(k.mem.refcount.a[pool0[0]!]).toBe(0);
    expect(k.mem.private_.a[pool0[0]!]).toBe(1 << HPG.freed);
    expect(hstateList(k, HLIST.ACTIVE).sort()).toEqual([...at0].sort());
    expect(checkInvariants(k)).toEqual([]);
  });

  test('the first migration takes its destination from the free pool; the 512-page folio moves as a unit; the old one goes back to the pool', () => {
    const a = ofAction(steps, 0);
    expect(a.map((x) => x.fn)).toEqual([
      'folio_isolate_hugetlb', 'migrate_pages', 'migrate_hugetlbs', 'alloc_hugetlb_folio_nodemask', 'unmap_and_move_huge_page',
      'try_to_migrate_one', 'migrate_folio', 'folio_mc_copy', '__folio_migrate_mapping', 'folio_migrate_flags',
      'remove_migration_pte', 'move_hugetlb_state', 'folio_putback_hugetlb', 'unmap_and_move_huge_page', 'migrate_pages',
    ]);
    const by = (fn: string, n = 0): Step => a.filter((x) => x.fn === fn)[n]!;
    const src = at0[0]!;
    const dst = pool0[0]!;
    // [refcount, mapcount] of src (after[0]) and dst (after[1]) at each point.
    const rm = (x: Step, i: number): [number, number] => [x.after[i]!.refcount, x.after[i]!.mapcount];
    expect(rm(by('folio_isolate_hugetlb'), 0)).toEqual([2, 1]); // mapping + isolation
    expect(by('alloc_hugetlb_folio_nodemask').pfns[1]!.pfn).toBe(dst);
    expect(rm(by('alloc_hugetlb_folio_nodemask'), 1)).toEqual([1, 0]); // dequeued: unfrozen to 1
    expect(by('alloc_hugetlb_folio_nodemask').text).toMatch(/free_huge_pages 1 → 0/);
    expect(rm(by('try_to_migrate_one'), 0)).toEqual([1, 0]); // the mapping's reference is gone
    expect(by('try_to_migrate_one').trace[0]).toMatch(/^set_migration_pte: addr=40000000, pte=[0-9a-f]{16} order=9$/);
    expect(by('migrate_folio').text).toMatch(/refcount 1 == expected 1/);
    expect(by('folio_mc_copy').text).toMatch(/copy 512 pages/);
    expect(rm(by('remove_migration_pte'), 1)).toEqual([2, 1]); // allocation + the huge mapping
    expect(by('remove_migration_pte').trace[0]).toBe(`remove_migration_pte: addr=40000000, pte=80000000${dst.toString(16).padStart(5, '0')}8e7 order=9`); // + _PAGE_SOFT_DIRTY (0x800): the huge PTE was dirty
    expect(by('folio_putback_hugetlb').after[0]!.refcount).toBe(0);
    expect(by('folio_putback_hugetlb').text).toMatch(/back on the pool's free list/);
    expect(rm(by('unmap_and_move_huge_page', 1), 1)).toEqual([1, 1]); // folio_put(dst)
    // nr_succeeded counts base pages; hugetlb folios are not THPs.
    expect(by('migrate_pages', 1).trace[0]).toBe('mm_migrate_pages: nr_succeeded=512 nr_failed=0 nr_thp_succeeded=0 nr_thp_failed=0 nr_thp_split=0 nr_split=0 mode=MIGRATE_SYNC reason=syscall_or_cpuset');

    seek(s.t, endOf(s, 0));
    expect(mappedAt(k, 0)).toBe(dst);
    expect(k.mem.index.a[dst]).toBe(hugeVma(k).pgoff);
    expect(k.mem.mapping.a[dst]).toBe(k.mem.mapping.a[at0[1]!]); // the same anon_vma
    expect(k.mem.flags.a[dst]! & (1 << PG.dirty)).not.toBe(0); // the dirty huge entry dirtied src; copied
    expect(hpg(k, dst, HPG.migratable)).toBe(true);
    expect(hstateList(k, HLIST.ACTIVE)).toContain(dst);
    expect(hstateList(k, HLIST.FREE)).toEqual([src]);
    expect(k.mem.refcount.a[src]).toBe(0);
    expect(k.mem.mapping.a[src]).toBe(0);
    expect(counters(k)).toEqual([3, 1, 0]);
    // No entry anywhere still points into the old folio.
    for (const vma of k.vm.vmas) for (const v of vma.pte.a) if (v) expect(ptePfn(v) >> 9).not.toBe(src >> 9);
  });

  test('a fault takes the pool\'s last free folio: the pool is empty', () => {
    const f = ofAction(steps, 1);
    expect(f.map((x) => x.fn)).toEqual(['hugetlb_no_page']);
    expect(f[0]!.result).toBe('0x' + at0[0]!.toString(16)); // the folio that just went back to the pool
    expect(f[0]!.after[0]).toMatchObject({ refcount: 1, mapcount: 1 });
    seek(s.t, endOf(s, 1));
    expect(counters(k)).toEqual([3, 0, 0]);
  });

  test('with the pool empty, the destination is a temporary folio from the buddy; the old folio takes HPG_temporary and its 512 pages go back to the buddy', () => {
    const a = ofAction(steps, 2);
    const alloc = a.find((x) => x.fn === 'alloc_migrate_hugetlb_folio')!;
    expect(a.some((x) => x.fn === 'alloc_hugetlb_folio_nodemask')).toBe(false);
    expect(alloc.text).toMatch(/nr_huge_pages 3 → 4, not counted as surplus/);
    const src = at0[1]!;
    const dst = alloc.pfns[1]!.pfn;
    seek(s.t, alloc.id);
    expect(hpg(k, dst, HPG.temporary)).toBe(true);
    expect(counters(k)).toEqual([4, 0, 0]);
    const move = a.find((x) => x.fn === 'move_hugetlb_state')!;
    seek(s.t, move.id);
    expect(hpg(k, src, HPG.temporary)).toBe(true);
    expect(hpg(k, dst, HPG.temporary)).toBe(false);
    expect(a.find((x) => x.fn === 'folio_putback_hugetlb')!.text).toMatch(/HPG_temporary, so remove_hugetlb_folio\(\) and update_and_free_hugetlb_folio\(\) give its 512 pages back to the buddy/);
    seek(s.t, endOf(s, 2));
    expect(counters(k)).toEqual([3, 0, 0]);
    expect(k.mem.pageType.a[src]).not.toBe(PGTY.hugetlb);
    const free = freePageMap(k);
    for (let i = 0; i < 512; i++) expect(free[src + i]).toBe(1);
    expect(mappedAt(k, 1)).toBe(dst);
    expect(a.at(-1)!.trace[0]).toMatch(/^mm_migrate_pages: nr_succeeded=512 nr_failed=0 /);
  });

  test('6.18: move_hugetlb_state() returns early for a same-node temporary destination, so it is never made migratable and cannot be isolated again', () => {
    const dst = ofAction(steps, 2).find((x) => x.fn === 'alloc_migrate_hugetlb_folio')!.pfns[1]!.pfn;
    seek(s.t, endOf(s, 2));
    expect(hpg(k, dst, HPG.migratable)).toBe(false);
    expect(hstateList(k, HLIST.ACTIVE)).not.toContain(dst);
    expect(k.mem.refcount.a[dst]).toBe(1);
    const again = ofAction(steps, 3);
    expect(again[0]!.fn).toBe('folio_isolate_hugetlb');
    expect(again[0]!.result).toBe('false');
    expect(again[0]!.text).toMatch(/HPG_migratable is clear/);
    expect(again.some((x) => x.trace.some((t) => t.startsWith('mm_migrate_pages')))).toBe(false);
  });

  test('with the pool empty and no free order-9 block in DMA, the destination allocation fails: -ENOMEM, and the folio is put back where it was', () => {
    const allocs = ofAction(steps, 4).filter((x) => x.fn === '__alloc_pages');
    expect(allocs.at(-1)!.result).toBe('NULL');
    const a = ofAction(steps, 5);
    const src = a[0]!.pfns[0]!.pfn;
    expect(a.map((x) => x.fn)).toEqual(['folio_isolate_hugetlb', 'migrate_pages', 'migrate_hugetlbs', 'alloc_hugetlb_folio_nodemask', 'migrate_pages', 'folio_putback_hugetlb']);
    const fail = a[3]!;
    expect(fail.result).toBe('-ENOMEM');
    expect(fail.text).toMatch(/the pool has no free folio \(free_huge_pages 0\) and alloc_migrate_hugetlb_folio\(\) finds no free order-9 block in DMA for a temporary one/);
    expect(a[4]!.result).toBe('-ENOMEM');
    expect(a[4]!.trace[0]).toBe('mm_migrate_pages: nr_succeeded=0 nr_failed=512 nr_thp_succeeded=0 nr_thp_failed=0 nr_thp_split=0 nr_split=0 mode=MIGRATE_SYNC reason=syscall_or_cpuset');
    expect(a[5]!.after[0]).toMatchObject({ refcount: 1, mapcount: 1 });
    seek(s.t, allSteps(s.t).length);
    expect(mappedAt(k, 2)).toBe(src);
    expect(hpg(k, src, HPG.migratable)).toBe(true);
    expect(hstateList(k, HLIST.ACTIVE)).toContain(src);
    expect(counters(k)).toEqual([3, 0, 0]);
    // pgmigrate_success / _fail in base pages: two folios migrated, one failed.
    expect(k.events.a[VM_EVENT.PGMIGRATE_SUCCESS]).toBe(1024);
    expect(k.events.a[VM_EVENT.PGMIGRATE_FAIL]).toBe(512);
  });

  test('in the middle of a migration the huge entry is one migration entry and both folios are locked', () => {
    const mid = ofAction(steps, 0).find((x) => x.fn === 'folio_mc_copy')!;
    seek(s.t, mid.id);
    const v = hugeVma(k).pte.a[0]!;
    expect(pteIsMigration(v)).toBe(true);
    expect(ptePfn(v)).toBe(at0[0]);
    for (let i = 1; i < 512; i++) expect(hugeVma(k).pte.a[i]).toBe(0);
    expect(k.mem.flags.a[at0[0]!]! & (1 << PG.locked)).not.toBe(0);
    expect(k.mem.flags.a[pool0[0]!]! & (1 << PG.locked)).not.toBe(0);
  });

  test('invariants hold at every step but the mid-operation ones, and stepping back rewinds the pool', () => {
    expect(checkSteps(s)).toBeGreaterThan(30);
    seek(s.t, 0);
    expect(counters(k)).toEqual([3, 1, 0]);
    expect(hstateList(k, HLIST.FREE)).toEqual(pool0);
    seek(s.t, allSteps(s.t).length);
    expect(counters(k)).toEqual([3, 0, 0]);
  });
});

const scenario = (actions: object[], populate: object = { hugepages: 3, hugetlbMapped: 2 }) =>
  parseScenario({ v: 1, memory: { pfns: 16384 }, seed: 3, populate, actions });

describe('hugetlb folios elsewhere', () => {
  test('compaction skips hugetlb folios: they stay where they are, mapped, and the scanner says why', () => {
    const s = openSession(scenario([{ type: 'compact' }]));
    const before = [mappedAt(s.k, 0), mappedAt(s.k, 1)];
    const pool = hstateList(s.k, HLIST.FREE);
    runToEnd(s.t);
    expect(allSteps(s.t).some((x) => x.fn === 'isolate_migratepages_block' && /hugetlb pages/.test(x.text))).toBe(true);
    expect(allSteps(s.t).some((x) => x.fn === 'folio_isolate_hugetlb' || x.fn === 'migrate_hugetlbs')).toBe(false);
    expect([mappedAt(s.k, 0), mappedAt(s.k, 1)]).toEqual(before);
    expect(hstateList(s.k, HLIST.FREE)).toEqual(pool);
    const moved = new Set(allSteps(s.t).filter((x) => x.fn === 'compaction_alloc').map((x) => x.pfns[0]!.pfn >> 9));
    for (const f of [...before, ...pool]) expect(moved.has(f >> 9)).toBe(false);
    expect(checkInvariants(s.k)).toEqual([]);
  });

  test('a range migration reaches hugetlb folios: a free pool folio is not isolated (HPG_migratable clear), a mapped one migrates', () => {
    const probe = openSession(scenario([]));
    const free = hstateList(probe.k, HLIST.FREE)[0]!;
    const used = mappedAt(probe.k, 0);
    const s = openSession(scenario([
      { type: 'migrate', range: { start: free, end: free + 512 }, mode: 'sync' },
      { type: 'migrate', range: { start: used, end: used + 512 }, mode: 'sync' },
    ]));
    runToEnd(s.t);
    const first = ofAction(allSteps(s.t), 0);
    expect(first.map((x) => [x.fn, x.result])).toEqual([['folio_isolate_hugetlb', 'false'], ['migrate_pages', '0']]);
    expect(first[0]!.text).toMatch(/HPG_migratable is clear: it is a free pool folio/);
    const second = ofAction(allSteps(s.t), 1);
    expect(second.filter((x) => x.fn === 'folio_isolate_hugetlb').map((x) => x.result)).toEqual(['true']); // 512 PFNs, one folio
    expect(second.at(-1)!.trace[0]).toMatch(/^mm_migrate_pages: nr_succeeded=512 nr_failed=0 /);
    expect(mappedAt(s.k, 0)).toBe(free); // the free pool folio became the destination
    expect(checkSteps(s)).toBeGreaterThan(10);
  });

  test('`to` stands in for the node: a free pool folio outside the allowed zones is not taken; a temporary folio comes from DMA instead', () => {
    const s = openSession(scenario([{ type: 'migrate', pages: [{ process: 0, page: 0 }], mode: 'sync', to: 'DMA' }]));
    const pool = hstateList(s.k, HLIST.FREE);
    expect(pool.every((f) => f >= 0x1000)).toBe(true); // the pool was taken from DMA32 at boot
    runToEnd(s.t);
    const alloc = allSteps(s.t).find((x) => x.fn === 'alloc_migrate_hugetlb_folio')!;
    expect(alloc.text).toMatch(/none of the pool's 1 free folio\(s\) is in DMA, so a fresh order-9 folio/);
    expect(alloc.pfns[1]!.pfn).toBeLessThan(0x1000);
    expect(mappedAt(s.k, 0)).toBe(alloc.pfns[1]!.pfn);
    expect(hstateList(s.k, HLIST.FREE)).toEqual(pool);
    expect(checkSteps(s)).toBeGreaterThan(10);
  });

  test('a FOLL_PIN on an anon-exclusive hugetlb folio: try_to_migrate fails (-EBUSY) on all 10 passes, each pool destination goes back, the folio is put back', () => {
    const s = openSession(scenario([
      { type: 'pin', process: 0, page: 0 },
      { type: 'migrate', pages: [{ process: 0, page: 0 }], mode: 'sync' },
    ]));
    const folio = mappedAt(s.k, 0);
    runToEnd(s.t);
    const steps = allSteps(s.t);
    expect(steps.filter((x) => x.fn === 'migrate_hugetlbs')).toHaveLength(10);
    expect(steps.filter((x) => x.fn === 'try_to_migrate_one' && x.result === 'false' && /returns -EBUSY/.test(x.text))).toHaveLength(10);
    expect(steps.filter((x) => x.fn === 'unmap_and_move_huge_page' && x.result === '-EAGAIN')).toHaveLength(10);
    const end = steps.find((x) => x.trace.some((t) => t.startsWith('mm_migrate_pages:')))!;
    expect(end.result).toBe('1');
    expect(end.trace.at(-1)).toMatch(/nr_succeeded=0 nr_failed=512 /);
    expect(steps.filter((x) => !ALLOCATOR.has(x.fn)).at(-1)!.fn).toBe('folio_putback_hugetlb');
    expect(mappedAt(s.k, 0)).toBe(folio);
    expect(s.k.mem.refcount.a[folio]).toBe(2); // the mapping + the pin
    expect(counters(s.k)).toEqual([3, 1, 0]);
    expect(checkSteps(s, 3)).toBeGreaterThan(10);
  });

  test('migrate_pages(2) of the whole process migrates every hugetlb folio through migrate_hugetlbs(), before any batch', () => {
    const s = openSession(scenario([{ type: 'migrate', process: 0, mode: 'sync' }], { hugepages: 4, hugetlbMapped: 2 }));
    runToEnd(s.t);
    const passes = allSteps(s.t).filter((x) => x.fn === 'migrate_hugetlbs');
    expect(passes).toHaveLength(1);
    expect(passes[0]!.pfns).toHaveLength(2);
    expect(allSteps(s.t).some((x) => x.fn === 'migrate_pages_batch')).toBe(false);
    const end = allSteps(s.t).find((x) => x.trace.some((t) => t.startsWith('mm_migrate_pages:')))!;
    expect(end.trace.at(-1)).toMatch(/^mm_migrate_pages: nr_succeeded=1024 nr_failed=0 nr_thp_succeeded=0 /);
    expect(checkInvariants(s.k)).toEqual([]);
  });

  test('a list with a hugetlb folio and an LRU folio: migrate_hugetlbs() moves the hugetlb one first, the batch never sees it', () => {
    const s = openSession(scenario([{ type: 'migrate', pages: [{ process: 1, page: 0 }, { process: 0, page: 0 }], mode: 'sync' }]));
    runToEnd(s.t);
    const steps = allSteps(s.t).filter((x) => !ALLOCATOR.has(x.fn));
    const lru = steps.find((x) => x.fn === 'folio_isolate_lru')!;
    const nr = lru.pfns[0]!.nr ?? 1;
    const firstHuge = steps.findIndex((x) => x.fn === 'migrate_hugetlbs');
    const firstBatch = steps.findIndex((x) => x.fn === 'migrate_pages_batch');
    expect(firstHuge).toBeGreaterThan(0);
    expect(firstBatch).toBeGreaterThan(firstHuge);
    for (const b of steps.filter((x) => x.fn === 'migrate_pages_batch')) expect(b.pfns.map((p) => p.pfn)).toEqual([lru.pfns[0]!.pfn]);
    expect(steps.find((x) => x.trace.some((t) => t.startsWith('mm_migrate_pages:')))!.trace.at(-1)).toMatch(new RegExp(`^mm_migrate_pages: nr_succeeded=${512 + nr} nr_failed=0 `));
    expect(checkSteps(s, 2)).toBeGreaterThan(10);
  });

  test('the process exits: its huge entries are zapped and both folios go back to the pool', () => {
    const s = openSession(scenario([{ type: 'exit', process: 0 }]));
    runToEnd(s.t);
    const zaps = allSteps(s.t).filter((x) => x.fn === '__unmap_hugepage_range');
    expect(zaps).toHaveLength(2);
    expect(zaps.every((x) => /back in the hugetlb pool/.test(x.text))).toBe(true);
    expect(counters(s.k)).toEqual([3, 3, 0]);
    expect(checkInvariants(s.k)).toEqual([]);
  });

  test('freed under us: the process exits while its folio sits isolated; at refcount 1 only the isolation reference is left, so the folio is put back (into the pool) and counted as migrated', () => {
    const s = openSession(scenario([{
      type: 'parallel', schedule: [0, 1, 1, 1, 1, 1, 1, 1], actions: [
        { type: 'migrate', pages: [{ process: 0, page: 0 }], mode: 'sync' },
        { type: 'exit', process: 0 },
      ],
    }]));
    runToEnd(s.t);
    const freed = allSteps(s.t).find((x) => x.fn === 'unmap_and_move_huge_page')!;
    expect(freed.result).toBe('0');
    expect(freed.text).toMatch(/has refcount 1: only the isolation reference is left/);
    expect(allSteps(s.t).some((x) => x.fn === 'alloc_hugetlb_folio_nodemask' || x.fn === 'try_to_migrate_one')).toBe(false);
    expect(allSteps(s.t).find((x) => x.trace.some((t) => t.startsWith('mm_migrate_pages:')))!.trace.at(-1)).toMatch(/nr_succeeded=512 nr_failed=0 /);
    expect(counters(s.k)).toEqual([3, 3, 0]);
    expect(checkSteps(s)).toBeGreaterThan(5);
  });

  test('with vm.nr_overcommit_hugepages 1, a fault past the pool takes a surplus folio from the buddy; on exit the first folio freed while surplus is counted leaves the pool', () => {
    const s = openSession(scenario([{ type: 'fault', process: 0, pages: 1024 }, { type: 'exit', process: 0 }], { hugepages: 3, hugetlbMapped: 2, hugetlbOvercommit: 1 }));
    runToEnd(s.t);
    const faults = allSteps(s.t).filter((x) => x.fn === 'hugetlb_no_page');
    expect(faults.map((x) => x.result!.startsWith('0x'))).toEqual([true, true]);
    expect(faults[1]!.text).toMatch(/alloc_surplus_hugetlb_folio\(\) .* \(surplus_huge_pages 0 → 1, nr_overcommit_hugepages 1\)/);
    seek(s.t, faults[1]!.id);
    expect(counters(s.k)).toEqual([4, 0, 1]);
    expect(checkInvariants(s.k)).toEqual([]);
    // free_huge_folio() dissolves a freed folio while h->surplus_huge_pages_node[nid] is non-zero,
    // whichever folio it is: the first of the four freed leaves, the other three refill the pool.
    seek(s.t, allSteps(s.t).length);
    expect(counters(s.k)).toEqual([3, 3, 0]);
    expect(checkSteps(s)).toBeGreaterThan(4);
  });

  test('a fault on an empty pool (no overcommit) is VM_FAULT_SIGBUS', () => {
    const s = openSession(scenario([{ type: 'fault', process: 0, pages: 1024 }]));
    runToEnd(s.t);
    expect(allSteps(s.t).map((x) => x.result)).toEqual([expect.stringMatching(/^0x/), 'VM_FAULT_SIGBUS']);
    expect(allSteps(s.t)[1]!.text).toMatch(/available_huge_pages\(\) = 0 .*nr_overcommit_hugepages 0\): -ENOSPC/);
    expect(checkInvariants(s.k)).toEqual([]);
  });
});
