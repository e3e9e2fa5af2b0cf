// A race's explicit schedule (scenario.ts raceSchedule, scheduler.ts segments): validated with one
// line, carried by share links, and able to change which migrator a guard keeps out.

import { describe, expect, test } from 'vitest';
import { findPreset } from './presets';
import { parseScenario, ScenarioError, type Scenario } from './scenario';
import { decodeScenario, encodeScenario } from './share';
import { openSession } from './session';
import { allSteps, runToEnd } from './timeline';
import { VM_EVENT } from '../kernel/vmstat';
import { exclusionsOf } from './exclusions';
import { createScheduler } from './scheduler';
import type { Task } from './timeline';
import type { StepInfo } from '../kernel/step';

const RACE = findPreset('balloon-race-no-refcount')!.scenario;
const withRace = (schedule: unknown): unknown => ({ ...RACE, actions: [RACE.actions![0], { ...RACE.actions![1], schedule }] });
const error = (value: unknown): string => {
  try {
    parseScenario(value);
  } catch (e) {
    if (e instanceof ScenarioError) return e.message;
    throw e;
  }
  return 'no error';
};

describe('a race schedule in a scenario', () => {
  test('bad schedules fail with one line naming the entry', () => {
    expect(error(withRace([{ migrator: 0, steps: 2 }, { migrator: 2, steps: 1 }]))).toBe('actions.1.schedule.1.migrator: a race has migrators 0 and 1 (got 2)');
    expect(error(withRace([{ migrator: 0, steps: 0 }]))).toBe('actions.1.schedule.0.steps: must be a whole number from 1 to 65536 (got 0)');
    expect(error(withRace([]))).toBe('actions.1.schedule: at least 1 entries (got 0)');
    expect(error(withRace([{ migrator: 0 }]))).toBe('actions.1.schedule.0.steps: missing (a number)');
    expect(error(withRace([{ migrator: 0, steps: 1, when: 3 }]))).toBe('actions.1.schedule.0: unknown field "when"');
  });

  test('a race inside a parallel group cannot carry its own schedule', () => {
    const bad = { ...RACE, actions: [RACE.actions![0], { type: 'parallel', actions: [{ ...RACE.actions![1], schedule: [{ migrator: 0, steps: 1 }] }, { type: 'reclaim', pages: 1 }] }] };
    expect(error(bad)).toMatch(/^actions\.1\.actions: a race inside a parallel group runs as one migrator/);
  });

  test('a share link carries it', () => {
    const s = parseScenario(withRace([{ migrator: 1, steps: 2 }, { migrator: 0, steps: 2 }]));
    expect(decodeScenario(encodeScenario(s))).toEqual(s);
  });
});

describe('the scheduler runs segments, then the migrator named last to its end, then the rest', () => {
  /** A task that yields n - 1 times: n resumes, the last one returns. */
  const task = (name: string, n: number): Task => ({
    action: 0, name,
    gen: (function* () { for (let i = 1; i < n; i++) yield {} as StepInfo; })(),
  });
  const order = (segments: { task: number; steps: number }[] | undefined, lengths: number[]): string => {
    const tasks = lengths.map((n, i) => task(String(i), n));
    const s = createScheduler([{ tasks, ...(segments ? { segments } : {}) }]);
    let out = '';
    for (let t = s.next(); t; t = s.next()) {
      out += t.name;
      if (t.gen.next().done) s.finished(t);
    }
    return out;
  };
  test('hand-worked orders', () => {
    expect(order(undefined, [3, 2])).toBe('01010'); // round-robin, unchanged
    expect(order([{ task: 1, steps: 1 }, { task: 0, steps: 2 }], [3, 2])).toBe('10001');
    expect(order([{ task: 0, steps: 1 }, { task: 1, steps: 1 }], [3, 2])).toBe('01100');
    // A segment longer than its migrator's life ends with it; the next segment goes on.
    expect(order([{ task: 1, steps: 9 }, { task: 0, steps: 1 }, { task: 1, steps: 4 }], [3, 2])).toBe('11000');
  });
});

describe('an explicit schedule changes which migrator is kept out', () => {
  /** The migrators kept out, one entry per exclusion, in step order. */
  const excludedTasks = (s: Scenario): string[] => {
    const ses = openSession(s);
    runToEnd(ses.t);
    return exclusionsOf(ses.t).map((x) => x.task);
  };

  test('no-refcount balloon-race: round-robin keeps each out of one page, "1 ×2, 0 ×2, then 0 on" keeps out only migrator-1010', () => {
    // Hand-worked from migrate_offline_pfns(): a migrator's first resume lists its PFNs, then one
    // resume per test-and-set of PG_movable_ops_isolated, one per migration (under balloon_lock).
    // Round-robin: 0 lists, 1 lists, 0 takes 0x1004, 1 finds it set (out), 0 migrates 0x1004,
    // 1 takes 0x1003, 0 finds it set (out), 1 migrates 0x1003.
    expect(excludedTasks(RACE)).toEqual(['migrator-1011', 'migrator-1010']);
    // 1 lists and takes 0x1004; 0 lists and finds it set (out); 0 runs on: takes and migrates
    // 0x1003; then 1 migrates 0x1004 and finds 0x1003 gone (freed, no longer PageOffline: skipped, no guard).
    expect(excludedTasks(parseScenario(withRace([{ migrator: 1, steps: 2 }, { migrator: 0, steps: 2 }])))).toEqual(['migrator-1010']);
  });
});

describe('the balloon-race-late preset', () => {
  test('migrator 1 starts only after migrator 0 has finished, and finds nothing left to isolate', () => {
    const s = openSession(findPreset('balloon-race-late')!.scenario, { recordAll: true });
    runToEnd(s.t);
    const steps = allSteps(s.t);
    const last0 = Math.max(...steps.filter((x) => x.task === 'migrator-1010').map((x) => x.id));
    const first1 = Math.min(...steps.filter((x) => x.task === 'migrator-1011').map((x) => x.id));
    expect(first1).toBeGreaterThan(last0);
    // Both pages moved, by migrator 0; migrator 1 was kept out by no guard: the pages were gone.
    expect(s.k.events.a[VM_EVENT.PGMIGRATE_SUCCESS]).toBe(2);
    expect(exclusionsOf(s.t)).toEqual([]);
  });
});
