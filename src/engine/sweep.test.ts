// The schedule sweep (sweep.ts): how many schedules a bound allows (worked by hand), that the
// sound designs survive every interleaving of balloon-race, and that no-refcount without the
// isolated flag's test-and-set lets two migrators in — seen as an invariant violation naming the
// page, which a fresh session with the finding's schedule shows again.

import { describe, expect, test } from 'vitest';
import { findPreset } from './presets';
import { createScheduler, type Segment } from './scheduler';
import { enumerateSchedules, scheduleText, type RaceTrace, segmentsOf, sweepSchedules, sweepVariant, withSchedule } from './sweep';
import { openSession } from './session';
import { parseScenario } from './scenario';
import { materialize, runToEnd, type Task } from './timeline';
import { checkInvariants } from '../kernel/invariants';
import { frozenBalloonPfns } from '../kernel/balloon-frozen';
import type { StepInfo } from '../kernel/step';

const BALLOON_RACE = findPreset('balloon-race')!.scenario;

/** Two fake migrators of fixed lengths (resumes) under the real scheduler: the trace of a schedule. */
function fakeRun(lengths: readonly number[], stopAt = Infinity): (schedule: Segment[]) => RaceTrace {
  return (schedule) => {
    const tasks: Task[] = lengths.map((n, i) => ({ action: 0, name: String(i), gen: (function* () { for (let j = 1; j < n; j++) yield {} as StepInfo; })() }));
    const s = createScheduler([{ tasks, segments: schedule }]);
    const trace: number[] = [];
    const done = lengths.map(() => false);
    for (let t = s.next(); t && trace.length < stopAt; t = s.next()) {
      trace.push(tasks.indexOf(t));
      if (t.gen.next().done) {
        s.finished(t);
        done[tasks.indexOf(t)] = true;
      }
    }
    return { trace, unfinished: done.flatMap((d, i) => (d ? [] : [i])) };
  };
}

describe('enumerating schedules', () => {
  test('two migrators of 2 and 3 resumes: 2, 5 and 9 schedules for at most 0, 1, 2 preemptions', () => {
    // By hand, lengths a = 2, b = 3: either may go first (2); one preemption: after 1 of a's
    // resumes (a - 1 = 1 place) or after 1 or 2 of b's (b - 1 = 2); two preemptions: a place in
    // the first migrator and one in the second before it resumes the first, 2 (a-1)(b-1) = 4.
    const seen: string[] = [];
    const run = fakeRun([2, 3]);
    const record = (s: Segment[]): RaceTrace => {
      const tr = run(s);
      seen.push(tr.trace.join(''));
      return tr;
    };
    expect(enumerateSchedules(record, 0)).toEqual({ runs: 2, truncated: false });
    expect(seen.splice(0)).toEqual(['00111', '11100']);
    expect(enumerateSchedules(record, 1).runs).toBe(5);
    expect(seen.splice(0).sort()).toEqual(['00111', '01110', '10011', '11001', '11100']);
    expect(enumerateSchedules(record, 2).runs).toBe(9);
    expect(seen.sort()).toEqual(['00111', '01011', '01101', '01110', '10011', '10110', '11001', '11010', '11100']);
  });

  test('a run stopped early (a finding) still branches where the unfinished migrator could have run', () => {
    // Every run stops after its second resume, both migrators unfinished: the runs are the four
    // orders of two resumes — 00 and 11 (either first, no preemption), 01 and 10 (one each).
    const seen: string[] = [];
    const run = fakeRun([2, 3], 2);
    expect(enumerateSchedules((s) => { const tr = run(s); seen.push(tr.trace.join('')); return tr; }, 1).runs).toBe(4);
    expect(seen.sort()).toEqual(['00', '01', '10', '11']);
  });

  test('a bound on the number of runs cuts the sweep and says so', () => {
    expect(enumerateSchedules(fakeRun([2, 3]), 2, 4)).toEqual({ runs: 4, truncated: true });
  });

  test('segmentsOf and scheduleText: the schedule that replays a trace, in one line', () => {
    expect(segmentsOf([0, 0, 1, 0])).toEqual([{ task: 0, steps: 2 }, { task: 1, steps: 1 }, { task: 0, steps: 1 }]);
    expect(scheduleText(segmentsOf([1, 0, 0]))).toBe('1:1 0:2');
  });
});

describe('sweeping balloon-race', () => {
  // Known and not yet fixed: where a loser's speculative reference (folio_get_nontail_page()) outlives
  // the winner's migration of a balloon page, the invariant checker still counts the balloon's
  // reference on the old page (a migrated-away page and a deflated one both read PageOffline with
  // private 0 and no isolation), so it reports refcount 1 against 2. The kernel is fine there: the
  // loser's isolate_page() finds private NULL and drops the last reference. Any other finding fails.
  const KNOWN_FALSE_POSITIVE = /^refcount holders: 0x100[34] has refcount 1, holders account for 2 \(allocation\)$/;
  test('no BUG, no error, and no violation but the known checker false positive in any interleaving under linux-6.18, linux-6.12, no-refcount, pfn-array', () => {
    const r = sweepSchedules(BALLOON_RACE, { variants: ['linux-6.18', 'linux-6.12', 'no-refcount', 'pfn-array'] });
    for (const v of r.variants) {
      expect(v.schedules, v.variant).toBeGreaterThan(2);
      expect(v.truncated, v.variant).toBe(false);
      expect({ variant: v.variant, bugs: v.bugs, errors: v.errors }).toEqual({ variant: v.variant, bugs: 0, errors: 0 });
      for (const f of v.findings) expect(f.text, `${v.variant} ${JSON.stringify(f.schedule)}`).toMatch(KNOWN_FALSE_POSITIVE);
      // no-refcount takes no reference at all: nothing to outlive the migration.
      if (v.variant === 'no-refcount') expect(v.violations).toBe(0);
      // Every run ended and was counted in an outcome, or stopped at its first finding.
      expect(v.outcomes.reduce((n, o) => n + o.schedules, 0) + v.violations, v.variant).toBe(v.schedules);
    }
    // no-refcount's only guard between the migrators is the test-and-set: some interleavings meet it.
    const nr = r.variants.find((v) => v.variant === 'no-refcount')!;
    expect(nr.byGuard['isolated-flag']).toBeGreaterThan(0);
    expect(nr.excluded).toBeGreaterThanOrEqual(nr.byGuard['isolated-flag']!);
  }, 600_000);

  test('no-refcount without the isolated flag\'s test-and-set: two migrators isolate the same frozen page, found as a violation naming it', () => {
    const v = sweepVariant({ ...BALLOON_RACE, variant: 'no-refcount' }, 'no-refcount', { guardsOff: ['isolated-flag'] });
    expect(v.violations).toBeGreaterThanOrEqual(1);
    expect(v.bugs + v.errors).toBe(0);
    expect(v.byGuard['isolated-flag']).toBeUndefined();
    const f = v.findings[0]!;
    expect(f.kind).toBe('violation');
    expect(f.text).toMatch(/^isolated twice: 0x[0-9a-f]+ is isolated by two tasks at once/);
    expect(f.text).toContain('0x' + f.pfn!.toString(16));

    // A fresh session with the finding's schedule, the guard off, shows it again at that step:
    // the page is one of the balloon's, and both migrators hold it.
    const s = openSession(withSchedule({ ...BALLOON_RACE, variant: 'no-refcount' }, 1, f.schedule));
    s.k.guardsOff.add('isolated-flag');
    runToEnd(s.t, () => s.t.rec.n >= f.step);
    expect(s.t.rec.n).toBe(f.step);
    expect(frozenBalloonPfns(s.k)).toContain(f.pfn);
    expect(checkInvariants(s.k).map((x) => `${x.rule}: ${x.detail}`)).toContain(f.text);
    // The step that let the second in says the guard was off.
    expect(materialize(s.t, f.step)?.text).toMatch(/PG_movable_ops_isolated on 0x[0-9a-f]+ is already set, but the isolated-flag guard is switched off/);
  }, 600_000);

  test('with the guard on, the same schedules keep the second migrator out instead', () => {
    const on = sweepVariant({ ...BALLOON_RACE, variant: 'no-refcount' }, 'no-refcount', { maxSwitches: 1 });
    const off = sweepVariant({ ...BALLOON_RACE, variant: 'no-refcount' }, 'no-refcount', { maxSwitches: 1, guardsOff: ['isolated-flag'] });
    expect(on.violations).toBe(0);
    expect(off.violations).toBeGreaterThan(0);
  }, 600_000);

  test('unchecked, the hazard ends in no BUG: only the counts betray it (more migrations than the 2 balloon pages)', () => {
    const v = sweepVariant({ ...BALLOON_RACE, variant: 'no-refcount' }, 'no-refcount', { guardsOff: ['isolated-flag'], invariants: false });
    expect(v.bugs + v.violations + v.errors).toBe(0);
    expect(v.statesChecked).toBe(0);
    expect(Math.max(...v.outcomes.map((o) => o.migrated))).toBeGreaterThan(2);
  }, 600_000);

  test('a scenario without exactly one race is refused in one line', () => {
    expect(() => sweepSchedules(findPreset('balloon-migrate')!.scenario)).toThrow(/^the schedule sweep needs a scenario with exactly one race action \(this one has 0\)$/);
  });
});

describe('deflate against a migrator (no-refcount)', () => {
  /** Inflate 2, then deflate 1 and a migrator of both pages take turns; the first violation after any step. */
  function firstViolation(guardOff: boolean): string | null {
    const s = openSession(parseScenario({
      ...BALLOON_RACE, variant: 'no-refcount', actions: [
        { type: 'balloon', op: 'inflate', pages: 2 },
        { type: 'parallel', actions: [{ type: 'balloon', op: 'deflate', pages: 1 }, { type: 'migrate', pages: [{ from: 0 }], mode: 'async', reason: 'compaction' }] },
      ],
    }));
    if (guardOff) s.k.guardsOff.add('isolated-flag');
    let found: string | null = null;
    s.t.observers.push((t) => {
      const v = found ? undefined : checkInvariants(t.k, 1)[0];
      if (v) found = `${v.rule}: ${v.detail}`;
    });
    runToEnd(s.t, () => found !== null);
    return found;
  }

  test('deflate holds a page by the same test-and-set: without it, the migrator takes the page deflate is releasing', () => {
    // Round-robin: deflate's test-and-set takes the first page of the array, the migrator lists
    // its PFNs, deflate tells the host, the migrator's test-and-set on that same first page.
    expect(firstViolation(false)).toBeNull();
    expect(firstViolation(true)).toMatch(/^isolated twice: 0x[0-9a-f]+ is isolated by two tasks at once \(deflate and pid 1011\)/);
  }, 600_000);
});

describe('the isolator table leaves state hashes as they were', () => {
  test('made when a timeline starts, after populate\'s stores: empty, it adds nothing to the hash and shifts no store id', () => {
    const s = openSession(BALLOON_RACE);
    const ids = s.k.st.list.filter((x) => x.name.startsWith('isolators.')).map((x) => x.id);
    // Last of all stores: every store populate made keeps the id (and the hash terms) it had.
    expect(ids).toEqual([s.k.st.list.length - 3, s.k.st.list.length - 2, s.k.st.list.length - 1]);
    expect(s.k.isolators!.n.a[0]).toBe(0);
  });
});
