// migrate_pages() with reason compaction as 6.18 calls it: only compact_zone() passes
// MR_COMPACTION, always with compaction_alloc()/compaction_free(); PF_MEMALLOC is set only by
// __alloc_pages_direct_compact(), so compact_memory and kcompactd sleep in folio_lock() where
// direct compaction gives up (mm/migrate.c: migrate_folio_unmap(), try_split_folio()).

import { describe, expect, test } from 'vitest';
import { checkInvariants } from '../kernel/invariants';
import { PG } from '../kernel/flags';
import { clearPageFlag, setPageFlag, testPageFlag } from '../kernel/memmap';
import { userPagePfn } from '../kernel/paths';
import { compaction_migrate_path, migrate_pfns_path } from '../kernel/migrate-paths';
import { MIGRATE_MODE, MR, try_split_folio, type MigrateMode } from '../kernel/migrate';
import { alloc_migration_target } from '../kernel/migrate-paths';
import { isolate_folio_to_list, newFolioList } from '../kernel/isolate';
import { FOLIO_LIST } from '../kernel/folio-lists';
import { page_folio } from '../kernel/folio';
import type { StepInfo } from '../kernel/step';
import { findPreset } from './presets';
import { openSession } from './session';
import { parseScenario } from './scenario';
import { allSteps, runToEnd } from './timeline';

describe('reason compaction comes with compaction_alloc', () => {
  test.each(['balloon-migrate', 'balloon-race', 'balloon-lock-eagain', 'zsmalloc'])('%s: every destination comes from compaction_alloc, none from alloc_migration_target', (name) => {
    const s = openSession(findPreset(name)!.scenario);
    runToEnd(s.t);
    const fns = allSteps(s.t).map((x) => x.fn);
    expect(fns).toContain('compaction_alloc');
    expect(fns).not.toContain('alloc_migration_target');
    expect(checkInvariants(s.k)).toEqual([]);
  });

  test('a target zone with reason compaction is refused when the scenario is parsed', () => {
    expect(() => parseScenario({ v: 1, memory: { pfns: 2048 }, seed: 1, actions: [{ type: 'migrate', pages: [{ pfn: 5 }], to: 'DMA', reason: 'compaction' }] })).toThrow(/compaction_alloc/);
  });
});

/**
 * Compaction's migrate_pages() of one anon folio that someone else holds locked; the lock is
 * dropped after `unlockAfter` steps of the migrator. Returns the migrator's steps and its result.
 */
function lockedFolioMigration(mode: MigrateMode, pfMemalloc: boolean, unlockAfter: number): { steps: StepInfo[]; rc: number } {
  const s = openSession(findPreset('small')!.scenario);
  const k = s.k;
  const pfn = userPagePfn(k, 1, 0, false);
  const from = newFolioList(k, FOLIO_LIST.migratepages);
  for (const _ of isolate_folio_to_list(k, pfn, from, 'compactor')) void _;
  setPageFlag(k, pfn, PG.locked); // e.g. a reader holding the folio lock
  const steps: StepInfo[] = [];
  const gen = compaction_migrate_path(k, from, mode, 'compactor', pfMemalloc);
  for (let r = gen.next(); ; r = gen.next()) {
    if (r.done) return { steps, rc: r.value };
    steps.push(r.value);
    if (steps.length === unlockAfter) clearPageFlag(k, pfn, PG.locked);
  }
}

describe('PF_MEMALLOC: only direct compaction gives up on a locked folio', () => {
  test.each([['compact_memory', MIGRATE_MODE.SYNC], ['kcompactd', MIGRATE_MODE.SYNC_LIGHT]] as const)('%s (no PF_MEMALLOC) sleeps in folio_lock() until the holder unlocks, then migrates', (_who, mode) => {
    const { steps, rc } = lockedFolioMigration(mode, false, 60);
    expect(steps.filter((x) => x.fn === 'folio_lock').length).toBeGreaterThan(0);
    expect(steps.some((x) => x.fn === 'folio_trylock' && x.text.includes('PF_MEMALLOC'))).toBe(false);
    expect(rc).toBe(0);
    expect(steps.at(-1)!.text).toMatch(/1 page\(s\) migrated, 0 failed/);
  });

  test('direct compaction (MIGRATE_SYNC_LIGHT, PF_MEMALLOC) never sleeps on it: -EAGAIN on every pass', () => {
    const { steps, rc } = lockedFolioMigration(MIGRATE_MODE.SYNC_LIGHT, true, 1_000_000);
    expect(steps.some((x) => x.fn === 'folio_lock')).toBe(false);
    // 3 MIGRATE_ASYNC passes, then 7 in MIGRATE_SYNC_LIGHT that give up because of PF_MEMALLOC.
    expect(steps.filter((x) => x.fn === 'folio_trylock' && x.text.includes('PF_MEMALLOC'))).toHaveLength(7);
    expect(steps.find((x) => x.fn === 'migrate_pages' && x.result !== undefined)!.text).toMatch(/0 page\(s\) migrated, 1 failed/);
    expect(steps.at(-1)!.fn).toBe('folio_putback_lru');
    expect(rc).toBe(1);
  });

  test('a migrate action with reason compaction in MIGRATE_SYNC sleeps on the lock (it is compact_memory\'s migration, not direct compaction)', () => {
    const s = openSession(findPreset('small')!.scenario);
    const pfn = userPagePfn(s.k, 1, 0, false);
    setPageFlag(s.k, pfn, PG.locked);
    const gen = migrate_pfns_path(s.k, { pfns: [pfn], mode: MIGRATE_MODE.SYNC, reason: MR.COMPACTION }, 'compactor');
    const fns: string[] = [];
    for (let r = gen.next(); !r.done && fns.length < 200; r = gen.next()) fns.push(r.value.fn);
    expect(fns).toContain('compaction_alloc');
    expect(fns).toContain('folio_lock');
  });
});

describe('try_split_folio', () => {
  /** Split process 3's THP (thp-split's) while someone else holds its lock for `unlockAfter` steps. */
  function splitLocked(mode: MigrateMode, unlockAfter: number): { steps: StepInfo[]; rc: number; thp: number } {
    const s = openSession(findPreset('thp-split')!.scenario);
    const k = s.k;
    const thp = page_folio(k, userPagePfn(k, 3, 30, false));
    const from = newFolioList(k, FOLIO_LIST.migratepages);
    const split = newFolioList(k, FOLIO_LIST.split_folios);
    for (const _ of isolate_folio_to_list(k, thp, from, 'migrator')) void _;
    setPageFlag(k, thp, PG.locked);
    const steps: StepInfo[] = [];
    const gen = try_split_folio({ k, target: alloc_migration_target(), reason: MR.SYSCALL, who: 'migrator', pfMemalloc: false }, thp, from, split, mode);
    for (let r = gen.next(); ; r = gen.next()) {
      if (r.done) return { steps, rc: r.value, thp };
      steps.push(r.value);
      if (steps.length === unlockAfter) clearPageFlag(k, thp, PG.locked);
    }
  }

  test('MIGRATE_SYNC: folio_lock() sleeps until the holder unlocks, then the THP is split', () => {
    const { steps, rc } = splitLocked(MIGRATE_MODE.SYNC, 3);
    expect(steps.slice(0, 3).map((x) => x.fn)).toEqual(['folio_lock', 'folio_lock', 'folio_lock']);
    expect(rc).toBe(0);
    expect(steps.some((x) => x.fn === 'try_split_folio' && x.result === undefined)).toBe(true);
  });

  test('MIGRATE_ASYNC: folio_trylock() fails at once: -EAGAIN, not split', () => {
    const { steps, rc, thp } = splitLocked(MIGRATE_MODE.ASYNC, 1_000_000);
    expect(rc).toBe(-11);
    expect(steps.some((x) => x.fn === 'folio_lock')).toBe(false);
    expect(testPageFlag(openSession(findPreset('thp-split')!.scenario).k, thp, PG.head)).toBe(true);
  });
});
