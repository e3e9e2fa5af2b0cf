// compact_zone() on a zone small enough to work out by hand from mm/compaction.c (6.18): where
// each scanner starts, what each isolate call scans and takes, which destination each page gets,
// and why the run ends where it does.

import { lru_add_drain } from './swap';
import { drain_all_pages, pcpPlace } from './pcp';
import { describe, expect, test } from 'vitest';
import { __free_pages_core } from './buddy';
import { compact_nodes, COMPACT_PRIO, try_to_compact_pages } from './compaction';
import { fragmentation_index } from './watermark';
import { MT } from './zone';
import { checkInvariants } from './invariants';
import { createAddressSpace } from './vm';
import { filemap_read_folio, reclaim_clean_folio } from './memory';
import { bareKernel, freeBlocks } from './testkit';
import { rehash } from './store';
import type { Kernel } from './kernel';
import type { StepInfo } from './step';

/**
 * 2048 PFNs in one zone (four pageblocks). Page-cache pages fill PFNs 0..1535 in order (the
 * allocator splits each order-10 block from the bottom), then 32..511 and 1280..1535 are
 * dropped: pageblock 0 holds 32 pages, pageblock 1 is full, pageblock 2 has a free order-8 block
 * at 0x500, and pageblock 3 is a free order-9 block.
 */
function handWorkedZone(): Kernel {
  const k = bareKernel(2048);
  const as = createAddressSpace(k, '/data', 'file', 1536);
  __free_pages_core(k, 0, 10);
  __free_pages_core(k, 1024, 10);
  for (let i = 0; i < 1536; i++) expect(filemap_read_folio(k, as, i)).toBe(i);
  lru_add_drain(k, 'test'); // the last 17 reads still wait in CPU 0's lru_add batch
  for (let i = 0; i < 1536; i++) if ((i >= 32 && i < 512) || i >= 1280) expect(reclaim_clean_folio(k, i)).toBe(true);
  drain_all_pages(k, null); // the hand-worked layout has nothing waiting on a per-CPU list
  rehash(k.st);
  return k;
}

/** Drive a kernel path, collecting yielded steps and the ones code emitted on the way, in order. */
function drive<T>(k: Kernel, gen: Generator<StepInfo, T, void>): { steps: StepInfo[]; value: T } {
  const steps: StepInfo[] = [];
  k.sink = [];
  for (;;) {
    const r = gen.next();
    steps.push(...k.sink.map((x) => x.info));
    k.sink.length = 0;
    if (r.done) {
      k.sink = null;
      return { steps, value: r.value };
    }
    steps.push(r.value);
  }
}

/** The compaction and migrate_pages events, without the mm_compaction_finished ret=continue ones. */
const compactionTrace = (steps: StepInfo[]): string[] =>
  steps.flatMap((s) => s.trace).filter((l) => /^mm_(compaction|migrate_pages)/.test(l) && !/^mm_compaction_finished: .* ret=continue$/.test(l));

describe('compact_zone on a hand-worked 2048-PFN zone (compact_memory: order -1, MIGRATE_SYNC)', () => {
  const k = handWorkedZone();
  const before = freeBlocks(k).filter((b) => b.order >= 9).length;
  const { steps, value } = drive(k, compact_nodes(k, 'test'));

  test('the scanners, their ranges and counts, and the end are the ones mm/compaction.c gives', () => {
    expect(compactionTrace(steps)).toEqual([
      // whole_zone: the migrate scanner at the zone start, the free one in the last pageblock.
      'mm_compaction_begin: zone_start=0x0 migrate_pfn=0x0 free_pfn=0x600 zone_end=0x800, mode=sync',
      // last_migrated_pfn starts at 0, in the same pageblock as the zone start, so the first
      // iteration has finish_pageblock set: no stop at 32 isolated, the whole block is scanned
      // (the free blocks at 0x20..0x1ff jumped over, each counted in nr_scanned).
      'mm_compaction_isolate_migratepages: range=(0x0 ~ 0x200) nr_scanned=512 nr_taken=32',
      'mm_migrate_pages_start: mode=MIGRATE_SYNC reason=compaction',
      // compaction_alloc() finds cc->freepages empty: isolate_freepages(). Pageblock 3 starts
      // with a PageBuddy of order 9 >= pageblock_order: no target (and no event). Pageblock 2:
      // 256 used PFNs scanned one by one, then the order-8 block at 0x500 taken whole; 256 pages
      // >= the 32 to migrate, so the scan stops there.
      'mm_compaction_isolate_freepages: range=(0x400 ~ 0x600) nr_scanned=512 nr_taken=256',
      'mm_migrate_pages: nr_succeeded=32 nr_failed=0 nr_thp_succeeded=0 nr_thp_failed=0 nr_thp_split=0 nr_split=0 mode=MIGRATE_SYNC reason=compaction',
      'mm_compaction_migratepages: nr_migrated=32 nr_failed=0',
      // The free scanner used up its block, so it restarts one pageblock lower, at 0x200: the
      // migrate scanner's pageblock. compact_scanners_met(): the run is complete.
      'mm_compaction_finished: node=0 zone=Normal   order=-1 ret=complete',
      'mm_compaction_end: zone_start=0x0 migrate_pfn=0x200 free_pfn=0x200 zone_end=0x800, mode=sync status=complete',
    ]);
    expect(value).toEqual([5]); // COMPACT_COMPLETE
  });

  test('cc->migratepages is built with list_add, so the last page isolated migrates first, into the lowest destination', () => {
    const moves = steps.filter((s) => s.fn === 'compaction_alloc').map((s) => [s.pfns[0]!.pfn, s.pfns[1]!.pfn]);
    expect(moves).toHaveLength(32);
    // compaction_alloc() splits the order-8 block from the bottom like expand(): 0x500, 0x501, ...
    expect(moves).toEqual(Array.from({ length: 32 }, (_, i) => [31 - i, 0x500 + i]));
  });

  test('pageblock 0 is free afterwards once the per-CPU lists are drained: one more free block of order >= 9; the unused free pages went back', () => {
    // compact_memory (order -1) never drains the page lists: the 32 migrated-away pages wait on
    // CPU 0's movable order-0 list (as after.zoneinfo's pagesets show on a real machine).
    for (let p = 0; p < 32; p++) expect(pcpPlace(k, p)).toMatchObject({ cpu: 0, order: 0, pindex: MT.MOVABLE });
    expect(freeBlocks(k).some((b) => b.pfn === 0 && b.order === 9)).toBe(false);
    drain_all_pages(k, null);
    const after = freeBlocks(k);
    expect(after.filter((b) => b.order >= 9).length).toBe(before + 1);
    expect(after.some((b) => b.pfn === 0 && b.order === 9)).toBe(true);
    // release_free_list() gave the 224 unused pages back; they merged into 0x520..0x5ff again.
    const freePages = after.reduce((n, b) => n + (1 << b.order), 0);
    expect(freePages).toBe(2048 - 32 - 512 - 256);
    expect(after.filter((b) => b.pfn >= 0x520 && b.pfn < 0x600).reduce((n, b) => n + (1 << b.order), 0)).toBe(224);
    expect(checkInvariants(k)).toEqual([]);
  });
});

describe('direct compaction that cannot succeed is deferred (defer_compaction, compaction_deferred)', () => {
  // Eight pageblocks, each with PFN 0 of the block left PG_reserved (unmovable) and the rest
  // free: plenty of free memory, all of it in blocks below order 9, and nothing to migrate.
  const k = bareKernel(4096);
  for (let b = 0; b < 4096; b += 512) {
    for (let o = 0, p = b + 1; o < 9; p += 1 << o, o++) __free_pages_core(k, p, o);
  }
  rehash(k.st);
  const run = (prio: number): StepInfo[] => drive(k, try_to_compact_pages(k, 'GFP_HIGHUSER_MOVABLE', 9, MT.MOVABLE, 0, prio, 'test')).steps;
  const events = (steps: StepInfo[]): string[] => steps.flatMap((s) => s.trace).map((l) => l.slice(0, l.indexOf(':'))).filter((e) => /defer|suitable|_end/.test(e));

  test('fragmentation index 0.876 > 0.5: the zone is worth compacting, but the scanners meet without an order-9 block; at SYNC_LIGHT the zone is deferred', () => {
    // mm/vmstat.c __fragmentation_index(), by hand: 8 pageblocks × one free block of each order
    // 0..8 → free_blocks_total 72, free_pages 8 × 511 = 4088, none suitable for order 9
    // (requested 512): 1000 - (1000 + 4088 * 1000 / 512) / 72 = 1000 - (1000 + 7984) / 72
    // = 1000 - 124 = 876 (integer divisions).
    const freePages = 8 * (2 ** 9 - 1), freeBlocksTotal = 8 * 9;
    expect(freeBlocks(k).length).toBe(freeBlocksTotal);
    expect(freeBlocks(k).reduce((n, b) => n + (1 << b.order), 0)).toBe(freePages);
    expect(1000 - Math.floor((1000 + Math.floor((freePages * 1000) / 512)) / freeBlocksTotal)).toBe(876);
    expect(fragmentation_index(k, 0, 9)).toBe(876);
    const first = run(COMPACT_PRIO.SYNC_LIGHT);
    expect(first.flatMap((s) => s.trace).find((l) => l.startsWith('mm_compaction_end'))).toMatch(/status=complete$/);
    expect(events(first)).toEqual(['mm_compaction_suitable', 'mm_compaction_end', 'mm_compaction_defer_compaction']);
    // zone->compact_order_failed starts at 0 (a zeroed struct zone) and only lowers here; a
    // success would raise it to order + 1 (compaction_defer_reset).
    expect(first.at(-1)!.trace[0]).toBe('mm_compaction_defer_compaction: node=0 zone=Normal   order=9 order_failed=0 consider=0 limit=2');
  });

  test('the next attempt is skipped (1 of 2), the one after runs again', () => {
    const second = run(COMPACT_PRIO.ASYNC);
    expect(events(second)).toEqual(['mm_compaction_deferred']);
    expect(second[0]!.result).toBe('deferred');
    const third = run(COMPACT_PRIO.ASYNC);
    expect(events(third)).toContain('mm_compaction_end');
    expect(checkInvariants(k)).toEqual([]);
  });
});
