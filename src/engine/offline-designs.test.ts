// Zi Yan's two designs (src/kernel/designs/offline-alloc, offline-migrate): the balloon's frozen
// PageOffline pages really move under a migrate action, a race and compaction; invariants hold at
// every step; the footprint against linux-6.18 is worked out by hand from the paths.

import { describe, expect, test } from 'vitest';
import type { Kernel } from '../kernel/kernel';
import { balloonPages } from '../kernel/balloon';
import { checkInvariants } from '../kernel/invariants';
import { inspectPage } from '../kernel/inspect';
import { freePageMap } from '../kernel/procfs';
import { hex } from '../kernel/step';
import { VM_EVENT } from '../kernel/vmstat';
import { PGTY } from '../kernel/flags';
import { footprintFields } from '../kernel/memmap';
import { exclusionsOf } from './exclusions';
import { footprintTable, VARIANTS } from './footprint';
import { findPreset } from './presets';
import type { Scenario } from './scenario';
import { openSession, type Session } from './session';
import { allSteps, runToEnd } from './timeline';
import { checkSteps } from './steps.testkit';

const DESIGNS = ['offline-alloc', 'offline-migrate'] as const;

// One run per (preset, variant) for the whole file: the tests only read a finished run
// (checkSteps() seeks back to its end); balloon-migrate alone is asked for under three designs
// by six tests.
const runs = new Map<string, Session>();
function run(preset: string, variant: string): Session {
  const key = `${preset} ${variant}`;
  let s = runs.get(key);
  if (!s) {
    s = openSession({ ...findPreset(preset)!.scenario, variant: variant as Scenario['variant'] });
    runToEnd(s.t);
    runs.set(key, s);
  }
  return s;
}

const freed = (k: Kernel, pfn: number): boolean => freePageMap(k)[pfn] === 1 || inspectPage(k, pfn).pcp !== undefined;

/** The (src, dst) pairs the driver's callback moved, from its steps. */
const moves = (s: Session): { src: number; dst: number; text: string }[] =>
  allSteps(s.t).filter((x) => x.fn === 'virtballoon_migratepage' && x.result === '0').map((x) => ({
    src: x.pfns.find((p) => p.role === 'src')!.pfn, dst: x.pfns.find((p) => p.role === 'dst')!.pfn, text: x.text,
  }));

describe.each(DESIGNS)('%s', (design) => {
  test('balloon-migrate: all 16 pages move; the balloon holds exactly the destinations, frozen; the host is told of each pair; the old pages are free', () => {
    const s = run('balloon-migrate', design);
    const inflated = allSteps(s.t).filter((x) => x.fn === 'balloon_page_enqueue').map((x) => x.pfns[0]!.pfn);
    expect(inflated).toHaveLength(16);
    const m = moves(s);
    expect(m).toHaveLength(16);
    expect(m.map((x) => x.src).sort()).toEqual([...inflated].sort());
    expect(balloonPages(s.k).sort()).toEqual(m.map((x) => x.dst).sort());
    for (const { src, dst, text } of m) {
      expect(text).toContain(`the host is told (inflate ${hex(dst)}, deflate ${hex(src)})`);
      expect(freed(s.k, src)).toBe(true);
      expect(s.k.mem.refcount.a[dst]).toBe(0);
      expect(s.k.mem.pageType.a[dst]).toBe(PGTY.offline);
    }
    expect(s.k.events.a[VM_EVENT.BALLOON_MIGRATE]).toBe(16);
    expect(s.k.events.a[VM_EVENT.PGMIGRATE_SUCCESS]).toBe(16);
    // Every invariant at every step of balloon-migrate and balloon-race under both designs:
    // balloon.test.ts ('every invariant at every step of the movable_ops presets, under every design variant').
  }, 120_000);

  test('the inspector says who holds a frozen balloon page: the balloon\'s list, with no reference', () => {
    const s = run('balloon-migrate', design);
    for (const p of balloonPages(s.k)) {
      const d = inspectPage(s.k, p);
      expect(d.refcount).toBe(0);
      expect(d.expectedRefcount).toBe(0);
      expect(d.holders.map((h) => h.what)).toEqual(["the balloon's list, with no reference (frozen)"]);
    }
  }, 60_000);

  test('balloon-race: the second migrator is kept out of both pages by PG_movable_ops_isolated, each move happens once', () => {
    const s = run('balloon-race', design);
    // Hand-worked: migrator 0 isolates both pages first (test-and-set), migrator 1's test-and-set
    // then finds the bit on each of the two.
    const ex = exclusionsOf(s.t);
    expect(ex.map((e) => e.kind)).toEqual(['isolated-flag', 'isolated-flag']);
    expect(ex.every((e) => e.guard === 'PG_movable_ops_isolated already set')).toBe(true);
    expect(new Set(ex.map((e) => e.task)).size).toBe(1);
    const m = moves(s);
    expect(m).toHaveLength(2);
    expect(balloonPages(s.k).sort()).toEqual(m.map((x) => x.dst).sort());
  }, 120_000);

  test('compaction isolates the frozen balloon pages (isolate_migratepages_block) and moves them; invariants at every step', () => {
    const s = run('balloon-compaction-no-refcount', design);
    const m = moves(s);
    expect(m.length).toBeGreaterThan(0);
    for (const { src, dst } of m) expect(dst).toBeGreaterThan(src); // the free scanner's pages are above
    expect(balloonPages(s.k)).toHaveLength(256);
    for (const p of balloonPages(s.k)) expect(s.k.mem.refcount.a[p]).toBe(0);
    expect(checkSteps(s)).toBeGreaterThan(100);
  }, 300_000);

  test('balloon-lock-eagain: the driver\'s -EAGAIN puts the pages back and gives the frozen destinations back with no reference dropped; later they move', () => {
    const s = run('balloon-lock-eagain', design);
    const steps = allSteps(s.t);
    expect(steps.some((x) => x.fn === 'virtballoon_migratepage' && x.result === '-EAGAIN')).toBe(true);
    expect(steps.some((x) => x.fn === 'putback_movable_ops_page' && /no isolation reference to drop/.test(x.text))).toBe(true);
    // The destinations allocated for the failed tries went back frozen (put_new_folio, compaction_alloc's list).
    expect(steps.some((x) => /PageOffline-aware put: .* given back to compaction_alloc's list/.test(x.text))).toBe(true);
    expect(moves(s)).toHaveLength(4);
    expect(checkSteps(s)).toBeGreaterThan(50);
  }, 120_000);

  test('balloon-compaction (the 512 MiB capture) runs to its end and moves balloon pages, invariants hold at the end', () => {
    const s = run('balloon-compaction', design);
    expect(s.k.events.a[VM_EVENT.BALLOON_MIGRATE]).toBeGreaterThan(1000);
    expect(checkInvariants(s.k)).toEqual([]);
  }, 300_000);
});

test('offline-alloc takes the pages through migrate_pages() (batches, page locks); offline-migrate through migrate_offlinepages() without a page lock', () => {
  const alloc = allSteps(run('balloon-migrate', 'offline-alloc').t).map((x) => x.fn);
  expect(alloc).toContain('get_new_folio');
  expect(alloc).toContain('migrate_folio_unmap'); // locks src and dst
  expect(alloc).not.toContain('migrate_offlinepages');
  const mig = allSteps(run('balloon-migrate', 'offline-migrate').t).map((x) => x.fn);
  expect(mig).toContain('migrate_offlinepages');
  expect(mig).not.toContain('migrate_folio_unmap');
  expect(mig).not.toContain('get_new_folio');
});

// Per migrated page, read off the paths:
// linux-6.18 — 6 _refcount writes: isolate_movable_ops_page()'s get, set_page_refcounted() of dst,
//   virtballoon_migratepage()'s get_page(dst), its put_page(src), migrate_folio_move()'s
//   folio_put(dst), migrate_folio_done()'s folio_put(src).
// offline-alloc / offline-migrate — 0: nothing taken at isolation (frozen), dst allocated frozen,
//   no get_page/put_page in the driver, the core's two puts become the PageOffline-aware put (the
//   balloon keeps dst, src is freed frozen).
// PG flag writes while the page is PageOffline:
// linux-6.18 — 8: isolation's lock, PG_movable_ops_isolated, unlock (3); the unmap phase locks src
//   (1; dst is not PageOffline yet); balloon_page_insert()'s SetPageMovableOps(dst) (1);
//   ClearPageMovableOpsIsolated(src) (1); migrate_folio_move unlocks dst and src (2).
// offline-alloc — 9: isolation's three (3); the unmap phase locks src and dst, PageOffline already
//   (2); the driver's SetPageMovableOps(dst) and the isolated bit cleared on src (2); the two
//   unlocks (2). The free's flag reset comes after PageOffline is cleared: not counted here.
// offline-migrate — 3: the isolated bit's test-and-set (1) and the driver's two (2): no page lock.
// page_type writes while PageOffline: 2 in all three — set on dst (in the driver for 6.18, by the
//   allocator for both proposals) and cleared as src is freed: they move, they do not vanish.
test('footprint of balloon-migrate per migrated page, by hand: refcount atomics 6 / 0 / 0, PageOffline flag writes 8 / 9 / 3, page_type writes 2 / 2 / 2', () => {
  const per = (variant: string) => {
    const t = footprintTable(run('balloon-migrate', variant));
    const off = t.byState.find((x) => x.state === 'offline')!;
    const w = (f: string) => off.fields.find((x) => x.field === f)!.writes;
    return { atomics: t.atomics, flags: w('flags'), pageType: w('page_type'), pages: t.pages };
  };
  expect(per('linux-6.18')).toEqual({ atomics: 6, flags: 8, pageType: 2, pages: 16 });
  expect(per('offline-alloc')).toEqual({ atomics: 0, flags: 9, pageType: 2, pages: 16 });
  expect(per('offline-migrate')).toEqual({ atomics: 0, flags: 3, pageType: 2, pages: 16 });
}, 120_000);

test('the footprint comparison runs both new designs', () => {
  expect(VARIANTS).toEqual(expect.arrayContaining([...DESIGNS]));
});

// What the driver's callback (virtballoon_migratepage) and the isolation write, per page, read off
// their steps' footprints: the refcount and page_type writes are the ones the proposals take out.
test('the driver callback writes no _refcount or page_type under the proposals (6.18: get_page + __SetPageOffline on dst, put_page on src); isolation no _refcount', () => {
  const writes = (variant: string, fns: readonly string[], role: 'src' | 'dst'): string[] => {
    let mask = 0;
    for (const st of allSteps(run('balloon-migrate', variant).t)) {
      if (!fns.includes(st.fn)) continue;
      for (const p of st.footprint.pages) if (p.role === role) mask |= p.writes;
    }
    return footprintFields(mask);
  };
  const DRIVER = ['virtballoon_migratepage'];
  const ISOLATE = ['isolate_movable_ops_page', 'isolate_offline_page'];
  expect(writes('linux-6.18', DRIVER, 'dst')).toEqual(expect.arrayContaining(['_refcount', 'page_type']));
  expect(writes('linux-6.18', DRIVER, 'src')).toContain('_refcount');
  expect(writes('linux-6.18', ISOLATE, 'src')).toContain('_refcount');
  for (const design of DESIGNS) {
    expect(writes(design, DRIVER, 'dst'), design).toEqual(expect.not.arrayContaining(['_refcount']));
    expect(writes(design, DRIVER, 'dst'), design).not.toContain('page_type');
    expect(writes(design, DRIVER, 'dst'), design).toEqual(expect.arrayContaining(['flags', 'private', 'lru']));
    expect(writes(design, DRIVER, 'src'), design).not.toContain('_refcount');
    expect(writes(design, ISOLATE, 'src'), design).not.toContain('_refcount');
    expect(writes(design, ISOLATE, 'src'), design).toContain('flags');
  }
}, 120_000);

describe.each(DESIGNS)('%s with a guard switched off (k.guardsOff, as the schedule sweep does)', (design) => {
  const race = (off: readonly ('isolated-flag' | 'trylock')[]): Session => {
    const s = openSession({ ...findPreset('balloon-race')!.scenario, variant: design });
    for (const g of off) s.k.guardsOff.add(g);
    runToEnd(s.t);
    return s;
  };
  test('without PG_movable_ops_isolated the second isolator reaches a page on the first one\'s list: reported as a BUG (list_del corruption), not run', () => {
    expect(() => race(['isolated-flag'])).toThrow(/BUG: list_del corruption: 0x[0-9a-f]+ is on another migrator's list/);
  });
  test('without the trylock the test-and-set alone keeps the second migrator out: the same exclusions, invariants hold', () => {
    const s = race(['trylock']);
    expect(exclusionsOf(s.t).map((e) => e.kind)).toEqual(['isolated-flag', 'isolated-flag']);
    expect(moves(s)).toHaveLength(2);
    expect(checkSteps(s)).toBeGreaterThan(10);
  }, 60_000);
});
