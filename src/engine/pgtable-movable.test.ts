// The pgtable-movable design (kernel/designs/pgtable-movable) and its presets: compact-pgtables,
// where compaction for a THP fails under 6.18 because page tables pin the pageblocks and succeeds
// once tables move; pgtable-race, two migrators for one page table.

import { describe, expect, test } from 'vitest';
import { checkInvariants } from '../kernel/invariants';
import { inspectPage } from '../kernel/inspect';
import { decodeFlags, PGTY } from '../kernel/flags';
import { NR_PAGE_ORDERS } from '../kernel/zone';
import { rmap_walk } from '../kernel/rmap';
import { page_folio } from '../kernel/folio';
import { ptChunk, ptePresent, ptePfn } from '../kernel/vm';
import { DESIGN_NAMES, type DesignName } from '../kernel/designs';
import { findPreset } from './presets';
import { openSession } from './session';
import { allSteps, runToEnd, seek } from './timeline';
import { checkSteps } from './steps.testkit';
import { exclusionsOf } from './exclusions';

const open = (preset: string, variant: DesignName) => openSession({ ...findPreset(preset)!.scenario, variant });

/** Free blocks of order >= 9 in every zone (/proc/buddyinfo's last two columns). */
function freeOrder9(s: ReturnType<typeof open>): number {
  let n = 0;
  for (const z of s.k.zones) for (let o = 9; o < NR_PAGE_ORDERS; o++) n += s.k.nrFree.a[z.idx * NR_PAGE_ORDERS + o]!;
  return n;
}

describe('compact-pgtables', () => {
  test('at step 0 the pageblock at 0x2200 holds a page table (0x2200), one anon page (0x2201) and 510 free pages', () => {
    // By hand: on this machine (seed 3, 16384 PFNs) the block 0x2200-0x23ff was one free order-9
    // block; populate's pgtableProcesses put a table at its first free page, the break-down left
    // the rest free in blocks of order 0..8, and one of the small processes faulted a page into
    // 0x2201 afterwards. No free order-9 block is left anywhere.
    const s = open('compact-pgtables', 'linux-6.18');
    expect(s.k.mem.pageType.a[0x2200]).toBe(PGTY.table);
    expect(inspectPage(s.k, 0x2201).ptes).toHaveLength(1);
    let free = 0;
    for (let p = 0x2202; p < 0x2400; p++) if (s.k.mem.pageType.a[p] === PGTY.buddy || s.k.mem.refcount.a[p] === 0) free++;
    expect(free).toBe(510);
    expect(freeOrder9(s)).toBe(0);
  });

  test('linux-6.18: compaction cannot move a page table, so the order-9 allocation fails and no free order-9 block exists', () => {
    const s = open('compact-pgtables', 'linux-6.18');
    runToEnd(s.t);
    const last = allSteps(s.t).at(-1)!;
    expect(last.fn).toBe('__alloc_pages');
    expect(last.result).toBe('NULL');
    expect(freeOrder9(s)).toBe(0);
    expect(allSteps(s.t).some((x) => x.fn === 'pmd_populate')).toBe(false);
    expect(s.k.mem.pageType.a[0x2200]).toBe(PGTY.table); // the table never moved
  }, 120_000);

  test('pgtable-movable: async compaction moves the table out of 0x2200 and the allocation gets that block', () => {
    // By hand: fast_find_migrateblock() picks the block with free pages of orders 8..3 on the
    // Movable lists, 0x2200; its used pages are the table and one anon page, which both migrate; the freed block
    // merges to order 9 and is captured for the request.
    const s = open('compact-pgtables', 'pgtable-movable');
    runToEnd(s.t);
    const last = allSteps(s.t).at(-1)!;
    expect(last.fn).toBe('__alloc_pages');
    expect(last.result).toBe('0x2200');
    const moved = allSteps(s.t).filter((x) => x.fn === 'pmd_populate');
    expect(moved.length).toBeGreaterThan(0);
    expect(moved[0]!.pfns[0]!.pfn).toBe(0x2200);
    expect(checkInvariants(s.k)).toEqual([]);
  }, 120_000);

  test('pgtable-movable: every invariant at every step', () => {
    const s = open('compact-pgtables', 'pgtable-movable');
    runToEnd(s.t);
    expect(checkSteps(s)).toBeGreaterThan(100);
  }, 300_000);
});

describe('pgtable-race', () => {
  test('pgtable-movable: every invariant at every step', () => {
    const s = open('pgtable-race', 'pgtable-movable');
    runToEnd(s.t);
    expect(checkSteps(s)).toBeGreaterThan(10);
  }, 120_000);

  test('after the move the PMD points at the new table and every PTE still maps the same page, found by rmap', () => {
    const s = open('pgtable-race', 'pgtable-movable');
    const vma = s.k.vm.vmas[s.k.vm.mms[1]!.vmas[0]!]!;
    const slot = vma.pte.a.findIndex((v) => ptePresent(v));
    const chunk = ptChunk(vma, slot);
    const oldTable = vma.ptPages.a[chunk]!;
    const before = Array.from(vma.pte.a);
    runToEnd(s.t);
    const newTable = vma.ptPages.a[chunk]!;
    expect(newTable).not.toBe(oldTable);
    expect(s.k.mem.pageType.a[newTable]).toBe(PGTY.table);
    expect(s.k.mem.refcount.a[newTable]).toBe(1);
    expect(s.k.mem.pageType.a[oldTable]).not.toBe(PGTY.table); // retired and freed
    expect(Array.from(vma.pte.a)).toEqual(before);
    let checked = 0;
    for (let sl = 0; sl < vma.nrPages; sl++) {
      const v = vma.pte.a[sl]!;
      if (!ptePresent(v) || ptChunk(vma, sl) !== chunk) continue;
      const hits = rmap_walk(s.k, page_folio(s.k, ptePfn(v)));
      expect(hits.some((h) => h.vma === vma && h.slot === sl)).toBe(true);
      checked++;
    }
    expect(checked).toBeGreaterThan(100);
  });

  // Hand-worked: under pgtable-movable migrator-1000 isolates at step 1 and migrator-1001 meets the
  // flag at step 2; under any other design a page table is not movable, so both are turned away.
  test.each(DESIGN_NAMES.map((v) => [v]))('exclusions under %s', (variant) => {
    const s = open('pgtable-race', variant);
    runToEnd(s.t);
    const want = variant === 'pgtable-movable'
      ? [{ step: 2, task: 'migrator-1001', guard: 'PG_movable_ops_isolated already set', kind: 'isolated-flag' }]
      : [
        { step: 1, task: 'migrator-1000', guard: 'PageTable: no PG_lru and no movable_ops, not movable in this design', kind: 'lru-flag' },
        { step: 2, task: 'migrator-1001', guard: 'PageTable: no PG_lru and no movable_ops, not movable in this design', kind: 'lru-flag' },
      ];
    expect(exclusionsOf(s.t)).toEqual(want);
  });

  // In a race the core's folio_trylock() in migrate_folio_unmap() is a guard too (guard steps):
  // while the first migrator holds the table's page lock the second is kept out by it, and once the
  // PMD has moved, by the pmd_same() recheck.
  test('without the isolation flag the second migrator is stopped by the core\'s trylock and the pmd_same() recheck under pmd_lock, and nothing breaks', () => {
    const s = open('pgtable-race', 'pgtable-movable');
    s.k.guardsOff.add('isolated-flag');
    runToEnd(s.t);
    const ex = exclusionsOf(s.t);
    expect(ex.length).toBeGreaterThan(0);
    expect(ex.every((e) => (e.kind === 'lock' || e.kind === 'trylock') && e.task === 'migrator-1001')).toBe(true);
    expect(ex.find((e) => e.kind === 'lock')!.guard).toBe('pmd_same() failed under pmd_lock: no PMD points at it any more');
    expect(allSteps(s.t).filter((x) => x.fn === 'pmd_populate')).toHaveLength(1);
    expect(checkSteps(s)).toBeGreaterThan(10);
    seek(s.t, allSteps(s.t).length);
    expect(checkInvariants(s.k)).toEqual([]);
  }, 120_000);
});

describe('flags', () => {
  test('an isolated page table decodes bit 16 as movable_ops_isolated', () => {
    expect(decodeFlags(1 << 16, { pageType: PGTY.table })).toEqual(['movable_ops_isolated']);
  });
});
