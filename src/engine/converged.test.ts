// The converged design (kernel/designs/converged): migrate_pages()' logic over one array of
// entries, a large folio one MIGRATE_PFN_COMPOUND entry; and the tracking memory each design pays.

import { describe, expect, test } from 'vitest';
import { balloonPages } from '../kernel/balloon';
import { userPagePfn } from '../kernel/paths';
import { VM_EVENT } from '../kernel/vmstat';
import { hex } from '../kernel/step';
import { findPreset } from './presets';
import { openSession, type Session } from './session';
import { allSteps, runToEnd } from './timeline';
import { checkSteps } from './steps.testkit';
import { exclusionsOf } from './exclusions';
import { footprintTable } from './footprint';
import { collectedFolios, trackingAll, trackingOf } from './tracking';
import type { Scenario } from './scenario';
import { summaryOf } from './snapshot';

// One run per (preset, variant) for the whole file: the tests only read a finished run
// (checkSteps() seeks back to its end); many compare the same linux-6.18 runs.
const runs = new Map<string, Session>();
function run(name: string, variant: Scenario['variant']): Session {
  const key = `${name} ${variant}`;
  let s = runs.get(key);
  if (!s) {
    s = openSession({ ...findPreset(name)!.scenario, variant });
    runToEnd(s.t);
    runs.set(key, s);
  }
  return s;
}

/** The free block counts per zone and order (/proc/buddyinfo's numbers). */
const snapshotFree = (s: Session): unknown => (summaryOf(s.k) as { freeArea: unknown }).freeArea;

const moved = (s: Session): number[] => [VM_EVENT.PGMIGRATE_SUCCESS, VM_EVENT.PGMIGRATE_FAIL, VM_EVENT.THP_MIGRATION_SUCCESS, VM_EVENT.THP_MIGRATION_SPLIT].map((e) => s.k.events.a[e]!);

describe('converged: one array path for LRU folios and movable_ops pages', () => {
  // balloon-migrate, balloon-race and zsmalloc are checked at every step under converged by
  // balloon.test.ts ('every invariant at every step of the movable_ops presets, under every design variant').
  test.each(['lru-anon', 'converged-thp', 'writeback-async', 'pinned-eagain', 'race', 'converged-device', 'migrate-vma-to-device'])('%s: invariants hold at every step', (name) => {
    const s = run(name, 'converged');
    expect(checkSteps(s)).toBeGreaterThan(10);
  }, 120_000);

  test.each([['lru-thp', 7], ['thp-split', 29]] as const)('%s: invariants hold (every %ith step)', (name, every) => {
    expect(checkSteps(run(name, 'converged'), every)).toBeGreaterThan(100);
  }, 180_000);

  test('the migrate action takes the array path, never migrate_pages() and its lists', () => {
    const fns = new Set(allSteps(run('lru-anon', 'converged').t).map((x) => x.fn));
    expect(fns.has('migrate_folios_collect')).toBe(true);
    expect(fns.has('migrate_folios_finalize')).toBe(true);
    expect(fns.has('migrate_pages')).toBe(false);
    expect(fns.has('migrate_pages_batch')).toBe(false);
  });

  // Same migrated counts (pgmigrate_success, pgmigrate_fail, thp_migration_success, _split) as
  // linux-6.18 for each — writeback-async: -EBUSY in MIGRATE_ASYNC, then the sync passes wait;
  // thp-split: no order-9 destination, the compound entry split into 512 entries; migrate-process:
  // batches of 512 pages. For the LRU presets below also the same final placement.
  test.each(['lru-anon', 'lru-thp', 'balloon-migrate', 'zsmalloc', 'converged-thp', 'writeback-async', 'thp-split', 'migrate-process', 'pinned-eagain', 'lru-file'])('%s: the same pages move as under linux-6.18', (name) => {
    const a = run(name, 'linux-6.18');
    const b = run(name, 'converged');
    expect(moved(b)).toEqual(moved(a));
    expect(moved(b)[0]).toBeGreaterThan(0);
  }, 60_000);

  test.each([
    ['lru-anon', [[1, 0]]],
    ['lru-thp', [[1, 168], [3, 30]]],
    ['converged-thp', [[3, 30], [1, 0], [2, 0], [1, 168]]],
  ] as const)('%s: every page ends on the same PFN as under linux-6.18', (name, pages) => {
    const a = run(name, 'linux-6.18');
    const b = run(name, 'converged');
    for (const [p, i] of pages) {
      expect(userPagePfn(a.k, p, i)).toBeGreaterThanOrEqual(0);
      expect(userPagePfn(b.k, p, i), `process ${p} page ${i}`).toBe(userPagePfn(a.k, p, i));
    }
  }, 60_000);

  test('migrate-process: cut into batches of 512 pages as migrate_pages() cuts its list, free memory ends the same', () => {
    const a = run('migrate-process', 'linux-6.18');
    const b = run('migrate-process', 'converged');
    expect(snapshotFree(b)).toEqual(snapshotFree(a));
    expect(allSteps(b.t).filter((x) => x.fn === 'migrate_folios_batch' && x.text.includes('pass 1 ')).length).toBeGreaterThan(1);
  }, 120_000);

  test('balloon-migrate: the balloon ends on the same set of PFNs (the order of the destinations differs: 6.18 list_add()s them at the head)', () => {
    const sorted = (s: Session): number[] => [...balloonPages(s.k)].sort((x, y) => x - y);
    expect(sorted(run('balloon-migrate', 'converged'))).toEqual(sorted(run('balloon-migrate', 'linux-6.18')));
  });

  test('converged-thp: 4 entries for 530 pages, the THP one COMPOUND entry of order 9', () => {
    const steps = allSteps(run('converged-thp', 'converged').t);
    const collect = steps.find((x) => x.fn === 'migrate_folios_collect' && x.pfns.length > 0)!;
    // Hand-worked: THP (512) + small (1) + small (1) + 64 KiB mTHP (16) = 4 folios, 530 pages.
    expect(collect.pfns.map((p) => p.nr ?? 1)).toEqual([512, 1, 1, 16]);
    expect(collect.text).toContain('4 entries for 530 page(s)');
    expect(collect.text).toContain('2 × 8 B × 4 = 64 B');
    expect(collect.text).toContain('2 × 8 B × 530 = 8.3 KiB');
    const thp = steps.find((x) => x.fn === 'folio_isolate_lru' && x.pfns[0]?.nr === 512)!;
    expect(thp.text).toMatch(/src\[0\] = 0x[0-9a-f]+\|VALID\|MIGRATE\|COMPOUND \(order 9\)/);
    const small = steps.find((x) => x.fn === 'folio_isolate_lru' && x.pfns[0]?.nr === 1)!;
    expect(small.text).not.toContain('COMPOUND');
  }, 60_000);

  test('converged-device: device-private pages come back through the same array as LRU folios; migrate_pages() skips them', () => {
    const dev = Array.from({ length: 8 }, (_, i) => 0x21f8 + i);
    const a = run('converged-device', 'linux-6.18');
    const b = run('converged-device', 'converged');
    // 6.18: folio_isolate_lru() finds PG_lru clear on every device page: 2 LRU pages move.
    expect(a.k.events.a[VM_EVENT.PGMIGRATE_SUCCESS]).toBe(2);
    for (const p of dev) expect(a.k.mem.refcount.a[p], hex(p)).toBeGreaterThan(0);
    // converged: 8 device pages + 2 LRU pages, one entry each; the device pages go back to the pool.
    expect(b.k.events.a[VM_EVENT.PGMIGRATE_SUCCESS]).toBe(10);
    for (const p of dev) expect(b.k.mem.refcount.a[p], hex(p)).toBe(0);
    const steps = allSteps(b.t);
    expect(steps.filter((x) => x.fn === 'migrate_folios_collect' && x.result === 'true' && x.text.includes('device-private page'))).toHaveLength(8);
    expect(steps.filter((x) => x.fn === 'migrate_folios_finalize' && x.text.includes('page_free()'))).toHaveLength(8);
    expect(collectedFolios(b.t)).toEqual(Array(10).fill(1));
  }, 60_000);

  test('migrate-vma-to-device: the migrate-vma action keeps migrate_vma_*(): the same state, hash included, as under linux-6.18', () => {
    expect(summaryOf(run('migrate-vma-to-device', 'converged').k)).toEqual(summaryOf(run('migrate-vma-to-device', 'linux-6.18').k));
  }, 60_000);

  test('race: the second migrator gets no entry, kept out by PG_lru', () => {
    const ex = exclusionsOf(run('race', 'converged').t);
    expect(ex).toHaveLength(1);
    expect(ex[0]).toMatchObject({ kind: 'lru-flag', guard: 'PG_lru already clear' });
  });
});

describe('tracking memory per design', () => {
  test('a 2 MiB THP: lists 0 B (page->lru), migrate_vma arrays 2 × 8 B × 512 = 8 KiB, compound entries 2 × 8 B = 16 B', () => {
    expect(trackingOf('linux-6.18', [512])).toEqual({ kind: 'list', entries: 0, bytes: 0, needsLru: true });
    expect(trackingOf('pfn-array', [512])).toEqual({ kind: 'pfn-array', entries: 512, bytes: 8192, needsLru: false });
    expect(trackingOf('converged', [512])).toEqual({ kind: 'compound-array', entries: 1, bytes: 16, needsLru: false });
    expect(trackingAll([512, 1, 16]).map((t) => t.bytes)).toEqual([0, 8464, 48]);
  });

  test('the footprint table says what the run paid: converged-thp 64 B under converged, 0 B under linux-6.18, for the same 4 folios', () => {
    const c = run('converged-thp', 'converged');
    const l = run('converged-thp', 'linux-6.18');
    expect(collectedFolios(c.t).sort((x, y) => x - y)).toEqual([1, 1, 16, 512]);
    expect(collectedFolios(l.t).sort((x, y) => x - y)).toEqual([1, 1, 16, 512]);
    expect(footprintTable(c).tracking).toEqual({ kind: 'compound-array', entries: 4, bytes: 64, needsLru: false });
    expect(footprintTable(l).tracking).toEqual({ kind: 'list', entries: 0, bytes: 0, needsLru: true });
  }, 60_000);

  test('balloon-migrate: 16 single-page entries under every array design, none under the list designs', () => {
    const got = (['linux-6.18', 'linux-6.12', 'no-refcount', 'pfn-array', 'converged'] as const).map((v) => footprintTable(run('balloon-migrate', v)).tracking);
    expect(got.map((t) => t?.bytes)).toEqual([0, 0, 256, 256, 256]);
    expect(got.map((t) => t?.entries)).toEqual([0, 0, 16, 16, 16]);
  }, 60_000);

});

describe('converged: compaction migrates through the same array', () => {
  // compact_zone()'s migrate_pages() call goes to the design's migrateIsolated: the migrate scanner
  // still gathers cc->migratepages, the passes run over src[] with compaction_alloc().
  test.each(['compact-memory', 'compact-for-thp', 'compact-blocked-by-pins', 'balloon-compaction-no-refcount'])('%s: the same counts and free blocks as linux-6.18, and no migrate_pages()', (name) => {
    const a = run(name, 'linux-6.18');
    const b = run(name, 'converged');
    expect(moved(b)).toEqual(moved(a));
    expect(snapshotFree(b)).toEqual(snapshotFree(a));
    const fns = new Set(allSteps(b.t).map((x) => x.fn));
    expect(fns.has('migrate_pages')).toBe(false);
    expect(fns.has('migrate_folios_batch')).toBe(true);
  }, 180_000);

  test('compact-for-thp: invariants hold (every 17th step and the compaction-level ones)', () => {
    expect(checkSteps(run('compact-for-thp', 'converged'), 17)).toBeGreaterThan(100);
  }, 300_000);
});
