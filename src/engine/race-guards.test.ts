// The race made visible (issue 17): the racing presets under every design, each guard a step.
// The expected exclusions are worked out by hand from the kernel code and the round-robin
// schedule (the two migrators alternate at every step, the first one first); see the comments.

import { describe, expect, test } from 'vitest';
import { findPreset } from './presets';
import { openSession } from './session';
import { allSteps, runToEnd, seek } from './timeline';
import { exclusionsOf } from './exclusions';
import { checkSteps } from './steps.testkit';
import type { Scenario } from './scenario';
import { HOLD } from '../kernel/pins';
import { checkInvariants } from '../kernel/invariants';
import type { GuardKind } from '../kernel/guards';

const VARIANTS = ['linux-6.18', 'linux-6.12', 'no-refcount', 'pfn-array'] as const;
const under = (preset: string, variant: string): Scenario => ({ ...findPreset(preset)!.scenario, variant } as Scenario);
const run = (preset: string, variant: string) => {
  const s = openSession(under(preset, variant));
  runToEnd(s.t);
  return s;
};
const holders = (k: ReturnType<typeof openSession>['k'], pfn: number, kind: number): number => {
  let n = 0;
  for (let i = 0; i < k.pins.n.a[0]!; i++) if (k.pins.pfn.a[i] === pfn && k.pins.kind.a[i] === kind) n++;
  return n;
};

const P = 0x1004; // balloon-race: the page both migrators try first (inflate enqueued it first)
const Q = 0x1003;

describe('exclusions of the racing presets, per design (hand-worked)', () => {
  // race: an LRU folio under every design (designs differ only on movable_ops pages).
  // move_pages() isolates with folio_isolate_lru(): PG_lru's test-and-clear first, no reference
  // before it. Step 1: migrator-1000 clears PG_lru; step 2: migrator-1001 finds it clear.
  test.each(VARIANTS)('race under %s: migrator-1001 is kept out by PG_lru at step 2', (variant) => {
    expect(exclusionsOf(run('race', variant).t)).toEqual([
      { step: 2, task: 'migrator-1001', kind: 'lru-flag', guard: 'PG_lru already clear' },
    ]);
  });

  // balloon-race, 6.18 isolate_movable_ops_page(): steps 1–6 inflate. Then per page: the
  // reference (folio_get_nontail_page), page_has_movable_ops() (no step), folio_trylock(),
  // PageMovableOpsIsolated(), the driver's isolate_page(), the commit. Alternating:
  //  7 m0 get P, 8 m1 get P (refcount 3), 9 m0 trylock P, 10 m1 trylock P fails  ← excluded
  //  11 m0 flag clear, 12 m1 backs off (3 → 2), 13 m0 balloon_page_isolate, 14 m1 get Q,
  //  15 m0 commit P, 16 m1 trylock Q, 17 m0 get Q, 18 m1 flag clear, 19 m0 trylock Q fails ← excluded
  // 6.12's isolate_movable_page() has the same number of stepped stages (its PageMovable()
  // check under the lock, like page_has_movable_ops(), passes without a step): the same steps.
  test.each(['linux-6.18', 'linux-6.12'])('balloon-race under %s: each migrator meets the other\'s page lock once', (variant) => {
    expect(exclusionsOf(run('balloon-race', variant).t)).toEqual([
      { step: 10, task: 'migrator-1011', kind: 'trylock', guard: 'trylock failed: another task holds PG_locked' },
      { step: 19, task: 'migrator-1010', kind: 'trylock', guard: 'trylock failed: another task holds PG_locked' },
    ]);
  });

  // pfn-array: the same stages, plus the src[i] entry each migrator writes after a page's
  // isolation: 14 m1 src[0] = 0, 15 m0 commit P, 16 m1 get Q, 17 m0 src[0] = P, 18 m1 trylock Q,
  // 19 m0 get Q, 20 m1 flag clear, 21 m0 trylock Q fails ← excluded.
  test('balloon-race under pfn-array: the page lock keeps each out once, the second at step 21', () => {
    expect(exclusionsOf(run('balloon-race', 'pfn-array').t)).toEqual([
      { step: 10, task: 'migrator-1011', kind: 'trylock', guard: 'trylock failed: another task holds PG_locked' },
      { step: 21, task: 'migrator-1010', kind: 'trylock', guard: 'trylock failed: another task holds PG_locked' },
    ]);
  });

  // no-refcount: no reference, no page lock; the test-and-set is the only guard.
  //  7, 8 each migrator's array step; 9 m0 test-and-set P; 10 m1 finds P's bit set ← excluded;
  //  11 m0 migrates P (balloon_lock held, released on its next turn); 12 m1 test-and-set Q;
  //  13 m0 finds Q's bit set ← excluded.
  test('balloon-race under no-refcount: PG_movable_ops_isolated\'s test-and-set keeps each out once', () => {
    expect(exclusionsOf(run('balloon-race', 'no-refcount').t)).toEqual([
      { step: 10, task: 'migrator-1011', kind: 'isolated-flag', guard: 'PG_movable_ops_isolated already set' },
      { step: 13, task: 'migrator-1010', kind: 'isolated-flag', guard: 'PG_movable_ops_isolated already set' },
    ]);
  });
});

describe('the loser backs off', () => {
  // migrator-1011's speculative reference on P (step 8) is the transient +1; it backs off at
  // step 12 (folio_put). pfn-array takes the same stages in the same order.
  test.each(['linux-6.18', 'linux-6.12', 'pfn-array'])('balloon-race under %s: the transient +1 on P is undone at the back-off', (variant) => {
    const s = run('balloon-race', variant);
    const steps = allSteps(s.t);
    // Each step is named by the function whose guards these are; its sentence opens with the guard's own.
    expect(steps[8 - 1]!.text).toMatch(/: folio_get_nontail_page\(\) takes a speculative reference/);
    expect(steps[12 - 1]!.text).toMatch(/ backs off /);
    expect(steps[12 - 1]!.task).toBe('migrator-1011');
    seek(s.t, 7); // the balloon's reference and the winner's speculative one
    expect(s.k.mem.refcount.a[P]).toBe(2);
    seek(s.t, 10); // the loser's +1 while it meets the lock
    expect(s.k.mem.refcount.a[P]).toBe(3);
    expect(holders(s.k, P, HOLD.TEMP)).toBe(2);
    seek(s.t, 12);
    expect(s.k.mem.refcount.a[P]).toBe(2);
    expect(holders(s.k, P, HOLD.TEMP)).toBe(1); // the winner's, until its commit
    expect(steps[12 - 1]!.text).toContain('refcount 3 → 2');
    expect(checkInvariants(s.k)).toEqual([]);
  });

  test('each page ends isolated by exactly one migrator and migrated once (6.18)', () => {
    const s = run('balloon-race', 'linux-6.18');
    seek(s.t, 22); // both commits done
    expect(holders(s.k, P, HOLD.ISOLATED)).toBe(1);
    expect(holders(s.k, Q, HOLD.ISOLATED)).toBe(1);
    expect(holders(s.k, P, HOLD.TEMP) + holders(s.k, Q, HOLD.TEMP)).toBe(0);
    expect(s.k.balloon.isolated.a[0]).toBe(2);
  });
});

describe('racing presets: invariants at every step under every design', () => {
  test.each(['race', 'balloon-race'].flatMap((p) => VARIANTS.map((v) => [p, v] as const)))('%s under %s', (preset, variant) => {
    expect(checkSteps(run(preset, variant))).toBeGreaterThan(10);
  }, 60_000);
});

describe('a guard switched off (what the schedule sweep shows): no crash, the consequence is caught', () => {
  const runOff = (preset: string, variant: string, guard: GuardKind) => {
    const s = openSession(under(preset, variant));
    s.k.guardsOff.add(guard);
    runToEnd(s.t);
    return s;
  };

  // race without PG_lru's test-and-clear: migrator-1001 takes a second isolation reference
  // (step 2) on the folio migrator-1000 isolated at step 1. migrator-1000 alone then runs the
  // old steps 3–11 of race; at step 12 its refcount check meets the extra reference: refcount 2
  // (its isolation + the other's), expected 1 (anon, unmapped: only the isolation).
  test('race without the lru-flag guard: the winner\'s refcount check catches the second reference at step 12', () => {
    const s = runOff('race', 'linux-6.18', 'lru-flag');
    const ex = exclusionsOf(s.t);
    expect(ex[0]).toEqual({ step: 12, task: 'migrator-1000', kind: 'refcount', guard: 'refcount 2, expected 1' });
    expect(allSteps(s.t)[2 - 1]!.text).toMatch(/lru-flag guard is switched off/);
  }, 60_000);

  // balloon-race without the page lock: both migrators pass PG_movable_ops_isolated's test (it is
  // set only at the commit), both call balloon_page_isolate(); the second commit meets the flag
  // set (VM_WARN_ON_ONCE_PAGE) and stops, and the balloon's accounting no longer adds up.
  test.each(['linux-6.18', 'linux-6.12', 'pfn-array'])('balloon-race under %s without the trylock guard: the commit warns and the invariants fail', (variant) => {
    const s = runOff('balloon-race', variant, 'trylock');
    const warn = allSteps(s.t).filter((x) => x.text.includes('VM_WARN_ON_ONCE_PAGE'));
    expect(warn.length).toBeGreaterThan(0);
    // The second balloon_page_isolate() counted the page twice (isolated_pages): from then on the
    // balloon's pages no longer add up to NR_BALLOON_PAGES.
    const caught = allSteps(s.t).filter((st) => {
      seek(s.t, st.id);
      return checkInvariants(s.k).some((v) => v.rule === 'balloon count');
    });
    expect(caught.length).toBeGreaterThan(0);
  }, 60_000);
});

describe('two compactors racing for an LRU folio (isolate_migratepages_block order)', () => {
  // race's folio (anon, mapped once, refcount 1) with reason compaction: each compactor takes its
  // speculative reference first (steps 1, 2: refcount 3), then the racy pinned check: refcount
  // 3 − 1 = 2 > mapcount 1, so each sees the other's transient reference as a pin and backs off
  // (steps 3, 4 excluded; 5, 6 folio_put: 3 → 2 → 1). Neither migrates it.
  const compactionRace = (): Scenario => {
    const base = findPreset('race')!.scenario;
    return { ...base, actions: [{ ...base.actions![0]!, reason: 'compaction' }] } as Scenario;
  };
  test('each sees the other\'s speculative reference and backs off', () => {
    const s = openSession(compactionRace());
    runToEnd(s.t);
    expect(exclusionsOf(s.t)).toEqual([
      { step: 3, task: 'migrator-1000', kind: 'refcount', guard: 'refcount 3, expected at most 2 (mapcount 1 + ours)' },
      { step: 4, task: 'migrator-1001', kind: 'refcount', guard: 'refcount 3, expected at most 2 (mapcount 1 + ours)' },
    ]);
    const steps = allSteps(s.t);
    expect(steps.slice(4, 6).map((x) => [x.fn, x.task])).toEqual([['isolate_migratepages_block', 'migrator-1000'], ['isolate_migratepages_block', 'migrator-1001']]);
    expect(steps.slice(4, 6).every((x) => / backs off .*refcount 3 → 2|refcount 2 → 1/.test(x.text))).toBe(true);
    seek(s.t, 6);
    expect(s.k.mem.refcount.a[steps[0]!.pfns[0]!.pfn]).toBe(1); // back to the mapping's reference alone
    expect(checkSteps(s)).toBeGreaterThan(5);
  }, 60_000);
});

describe('no-refcount without its test-and-set: the driver\'s array lookup stops the second migrator', () => {
  // Two migrators, scheduled 0,1,0,1,0,0,1: both announce their arrays; migrator 0 sets P's bit,
  // migrator 1 sets it too (the guard is off: no test); migrator 0 swaps P out of the balloon's
  // array under balloon_lock and frees it; on its next turn it drops the lock and claims Q;
  // migrator 1 then takes balloon_lock and finds no slot for P: -EBUSY instead of freeing P twice.
  test('P is freed once; the loser is told -EBUSY by the driver', () => {
    const base = findPreset('balloon-race-no-refcount')!.scenario;
    const migrate = { type: 'migrate', pages: [{ from: 0 }], mode: 'async', reason: 'compaction' } as const;
    const s = openSession({ ...base, actions: [base.actions![0]!, { type: 'parallel', schedule: [0, 1, 0, 1, 0, 0, 1], actions: [migrate, migrate] }] } as Scenario);
    s.k.guardsOff.add('isolated-flag');
    runToEnd(s.t);
    const busy = allSteps(s.t).filter((x) => x.result === '-EBUSY');
    expect(busy).toHaveLength(1);
    expect(busy[0]!.pfns[0]!.pfn).toBe(P);
    expect(busy[0]!.text).toMatch(/no slot for 0x1004/);
  }, 60_000);
});
