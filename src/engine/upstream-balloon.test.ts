// Design "linux-7.0" (kernel/designs/linux-7.0): the balloon after David Hildenbrand's series
// (balloon_pages_lock, no page lock in mm/balloon.c), against 6.18 on the same scenarios. The
// expected exclusions of balloon-deflate-race are worked by hand from the two trees' code
// (docs/upstream-balloon-2026.md §3), not taken from a run.

import { describe, expect, test } from 'vitest';
import { designOf } from '../kernel/designs';
import { BALLOON_DEV, balloonPages } from '../kernel/balloon';
import { checkInvariants } from '../kernel/invariants';
import { VM_EVENT } from '../kernel/vmstat';
import { exclusionsOf } from './exclusions';
import { findPreset } from './presets';
import { parseScenario, type Scenario } from './scenario';
import { openSession } from './session';
import { allSteps, runToEnd } from './timeline';
import { checkSteps } from './steps.testkit';

// One run per (preset, variant, patch) for the whole file: the tests only read a finished run
// (checkSteps() seeks back to its end), and balloon-compaction costs seconds a run.
const runs = new Map<string, ReturnType<typeof openSession>>();
const under = (name: string, variant: string, patch: object = {}): ReturnType<typeof openSession> => {
  const key = JSON.stringify([name, variant, patch]);
  let s = runs.get(key);
  if (!s) {
    s = openSession(parseScenario({ ...findPreset(name)!.scenario, variant, ...patch }));
    runToEnd(s.t);
    runs.set(key, s);
  }
  return s;
};

const deflated = (s: ReturnType<typeof openSession>): number => s.k.events.a[VM_EVENT.BALLOON_DEFLATE]!;
const migrated = (s: ReturnType<typeof openSession>): number => s.k.events.a[VM_EVENT.PGMIGRATE_SUCCESS]!;

describe('the linux-7.0 design', () => {
  test('says what it models and what it assumes', () => {
    const d = designOf('linux-7.0');
    expect(d.summary).toMatch(/balloon_pages_lock/);
    expect(d.assumes.some((a) => /7\.0.*inferred/.test(a))).toBe(true);
    expect(d.balloonMops).toBeDefined();
  });

  // balloon-migrate and balloon-race are checked at every step under linux-7.0 by balloon.test.ts
  // ('every invariant at every step of the movable_ops presets, under every design variant').
  test.each(['balloon-deflate-race'])('%s: every invariant at every step', (name) => {
    const s = under(name, 'linux-7.0');
    expect(checkSteps(s)).toBeGreaterThan(10);
  }, 120_000);

  test('balloon-migrate moves all 16 pages through mm/balloon.c\'s balloon_page_migrate(), one balloon_pages_lock section each', () => {
    const s = under('balloon-migrate', 'linux-7.0');
    expect(migrated(s)).toBe(16);
    expect(s.k.events.a[VM_EVENT.BALLOON_MIGRATE]).toBe(16);
    const moves = allSteps(s.t).filter((x) => x.fn === 'balloon_page_migrate');
    expect(moves).toHaveLength(16);
    for (const m of moves) expect(m.file).toBe('mm/balloon.c');
    // The driver no longer touches the list: its step comes first and only talks to the host.
    const driver = allSteps(s.t).filter((x) => x.fn === 'virtballoon_migratepage');
    expect(driver).toHaveLength(16);
    expect(driver[0]!.id).toBeLessThan(moves[0]!.id);
    const pages = balloonPages(s.k);
    expect(pages).toHaveLength(16);
    for (const p of pages) expect(s.k.mem.private_.a[p]).toBe(BALLOON_DEV);
  }, 120_000);

  test('balloon-race: both pages move once, as in 6.18', () => {
    expect(migrated(under('balloon-race', 'linux-7.0'))).toBe(2);
    expect(migrated(under('balloon-race', 'linux-6.18'))).toBe(2);
  }, 120_000);

  test('balloon-compaction: the large story runs to its end with the same pages moved as 6.18 and its invariants hold', () => {
    const s7 = under('balloon-compaction', 'linux-7.0');
    const s6 = under('balloon-compaction', 'linux-6.18');
    expect(migrated(s7)).toBeGreaterThan(1000);
    expect(migrated(s7)).toBe(migrated(s6));
    expect(s7.k.events.a[VM_EVENT.BALLOON_MIGRATE]).toBe(s6.k.events.a[VM_EVENT.BALLOON_MIGRATE]);
    expect(s7.k.events.a[VM_EVENT.BALLOON_MIGRATE]).toBeGreaterThan(0);
    expect(checkSteps(s7, 4999)).toBeGreaterThan(10);
    expect(checkInvariants(s7.k)).toEqual([]);
  }, 600_000);
});

// Two balloon pages; deflate asks for both, the migrator isolates both (first allocated first, so
// the two meet on the second page of the list). Schedule [0, 1, 0, 1, 1, 1]: deflate takes the
// list head; the migrator locks the other page in isolate_movable_ops_page(); deflate reaches it.
describe('balloon-deflate-race: which race window moved', () => {
  test('6.18: the page lock keeps deflate off the page being isolated; it frees one page and the other migrates', () => {
    const s = under('balloon-deflate-race', 'linux-6.18');
    expect(exclusionsOf(s.t).map(({ step, task, kind, guard }) => ({ step, task, kind, guard }))).toEqual([
      // deflate's trylock_page() fails on the page the migrator holds locked: skipped, NULL
      { step: 9, task: 'balloon-1010', kind: 'trylock', guard: 'trylock failed' },
      // the migrator's second page is the one deflate took first: private 0
      { step: 12, task: 'migrate-1011', kind: 'driver', guard: 'page->private is NULL: deflated' },
    ]);
    expect(deflated(s)).toBe(1);
    expect(migrated(s)).toBe(1);
  }, 120_000);

  test('7.0: deflate takes the locked page (no page lock in balloon code); balloon_pages_lock + page->private keep the isolator out', () => {
    const s = under('balloon-deflate-race', 'linux-7.0');
    expect(exclusionsOf(s.t).map(({ step, task, kind, guard }) => ({ step, task, kind, guard }))).toEqual([
      { step: 10, task: 'migrate-1011', kind: 'driver', guard: 'page->private is NULL: deflated' },
      { step: 12, task: 'migrate-1011', kind: 'driver', guard: 'page->private is NULL: deflated' },
    ]);
    expect(deflated(s)).toBe(2);
    expect(migrated(s)).toBe(0);
    const dq = allSteps(s.t).filter((x) => x.fn === 'balloon_page_list_dequeue');
    expect(dq).toHaveLength(2);
    expect(dq[1]!.text).toMatch(/page lock is held by a migrator/);
  }, 120_000);

  test('migration first (the migrator runs to its end before deflate starts): no window, no guard; the two new pages are the balloon\'s and deflate frees them, in both trees', () => {
    for (const variant of ['linux-6.18', 'linux-7.0']) {
      const s = under('balloon-deflate-race', variant, { actions: raceWith([1]) });
      expect(exclusionsOf(s.t), variant).toEqual([]);
      expect(migrated(s), variant).toBe(2);
      expect(deflated(s), variant).toBe(2);
      expect(balloonPages(s.k), variant).toEqual([]);
    }
  }, 120_000);

  test('deflate first (it runs to its end before the migrator starts): both pages are freed, nothing is left to isolate, in both trees', () => {
    for (const variant of ['linux-6.18', 'linux-7.0']) {
      const s = under('balloon-deflate-race', variant, { actions: raceWith([0]) });
      expect(exclusionsOf(s.t), variant).toEqual([]);
      expect(deflated(s), variant).toBe(2);
      expect(migrated(s), variant).toBe(0);
    }
  }, 120_000);

  test('without the driver guard (the sweep\'s switch), 7.0 takes a deflated page as isolated, and the invariant checker says so', () => {
    const s = openSession(parseScenario({ ...findPreset('balloon-deflate-race')!.scenario, variant: 'linux-7.0' }));
    s.k.guardsOff.add('driver');
    runToEnd(s.t);
    // The migrator's second step on the page deflate took is no refusal now.
    const refused = allSteps(s.t).filter((x) => x.fn === 'isolate_movable_ops_page' && x.excluded);
    expect(refused).toEqual([]);
    // Both pages counted isolated and deflated at once: isolated_pages 2, NR_BALLOON_PAGES 0.
    expect(checkInvariants(s.k).map((v) => v.rule)).toContain('balloon count');
  }, 120_000);
});

function raceWith(schedule: number[]): Scenario['actions'] {
  const actions = findPreset('balloon-deflate-race')!.scenario.actions!;
  return actions.map((a) => (a.type === 'parallel' ? { ...a, schedule } : a));
}
