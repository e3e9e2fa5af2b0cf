// The schedule sweep (issue 17): run every interleaving of a scenario's race, up to a bound, under
// each design, and report what a reviewer of such a patch wants proved — how often a guard kept
// the second migrator out, and by which guard; whether any interleaving ended in a BUG or broke
// an invariant. With guards switched off (k.guardsOff) it shows what a design without one does.
//
// Interleavings are enumerated as in preemption-bounded testing: a schedule is the race's
// explicit schedule (scenario.ts: run migrator i for n resumes, then …; the migrator named last
// runs on to its end, then the other); a preemption is a switch away from a migrator that has not
// finished. Every schedule with at most `maxSwitches` preemptions is run once: from each run, a
// new schedule branches at every later resume where both migrators are live. Switching when a
// migrator finishes is free, so 0 switches still means two schedules (either migrator first).
//
// Invariants (kernel/invariants.ts) are checked after every resume of every task — the end of
// each atomic stretch, where another task could run next; steps a path reports without yielding
// lie inside a stretch and are not checked on their own. A state already checked (same state
// hash) is not checked again: interleavings reach the same states again and again.

import type { Kernel } from '../kernel/kernel';
import { populate } from '../kernel/populate';
import { checkInvariants } from '../kernel/invariants';
import { GUARD_KINDS, type GuardKind } from '../kernel/guards';
import { DESIGN_NAMES, type DesignName } from '../kernel/designs/names';
import { stateHash } from '../kernel/store';
import { VM_EVENT } from '../kernel/vmstat';
import { taskGroups } from './actions';
import { exclusionsOf, type ExclusionAt } from './exclusions';
import { createScheduler, type Segment } from './scheduler';
import { populateSpecOf, RACE_MIGRATORS } from './scenario-core';
import type { Action, Scenario } from './scenario';
import { createTimeline, runToEnd, seek, type Scheduler } from './timeline';

export interface SweepOptions {
  /** Designs to run; default every design in the registry. */
  readonly variants?: readonly DesignName[];
  /** Preemptions per schedule at most (default 2). */
  readonly maxSwitches?: number;
  /** Guards switched off in every run (kernel/guards.ts guardOn). */
  readonly guardsOff?: readonly GuardKind[];
  /** Schedules per design at most; the rest are not run and the result says so (default 20000). */
  readonly maxSchedules?: number;
  /** Findings kept per design, first found first (default 5). */
  readonly keepFindings?: number;
  /** Check the invariants after every resume (default true); without, only BUGs and errors are found. */
  readonly invariants?: boolean;
}

/** A BUG the kernel threw, an invariant broken, or an error of the model itself. */
export interface Finding {
  readonly kind: 'BUG' | 'violation' | 'error';
  /** The schedule that led there, as the race's `schedule`. */
  readonly schedule: readonly Segment[];
  /** The step the run had reached (the last of the stretch after which the check failed). */
  readonly step: number;
  /** One line: the violation's rule and detail, or the error's message. */
  readonly text: string;
  /** The page the violation names, when it names one. */
  readonly pfn?: number;
}

export interface VariantSweep {
  readonly variant: DesignName;
  readonly schedules: number;
  /** Schedules were left out: maxSchedules was reached. */
  readonly truncated: boolean;
  /** Schedules in which a guard kept a migrator away at least once. */
  readonly excluded: number;
  /** Per guard kind: schedules in which it kept a migrator away at least once. */
  readonly byGuard: Readonly<Partial<Record<GuardKind, number>>>;
  /** Per (migrated, failed) at the end of a run: how many schedules ended so (runs cut short by a finding excluded). */
  readonly outcomes: readonly { readonly migrated: number; readonly failed: number; readonly schedules: number }[];
  readonly bugs: number;
  readonly violations: number;
  readonly errors: number;
  /** The first findings (keepFindings), in the order the schedules ran. */
  readonly findings: readonly Finding[];
  /** Distinct states whose invariants were checked. */
  readonly statesChecked: number;
}

export interface SweepResult {
  /** Index of the race action in the scenario. */
  readonly race: number;
  readonly maxSwitches: number;
  readonly guardsOff: readonly GuardKind[];
  readonly variants: readonly VariantSweep[];
}

/** What one run of one schedule did. */
interface RunResult extends RaceTrace {
  /** The exclusions of the race's migrators. */
  readonly exclusions: readonly ExclusionAt[];
  readonly migrated: number;
  readonly failed: number;
  readonly finding: Omit<Finding, 'schedule'> | null;
}

/** The scenario's one race action; throws a one-line error when it has none or several. */
export function raceIndexOf(s: Scenario): number {
  const races = (s.actions ?? []).flatMap((a, i) => (a.type === 'race' ? [i] : []));
  if (races.length !== 1) throw new Error(`the schedule sweep needs a scenario with exactly one race action (this one has ${races.length})`);
  return races[0]!;
}

/** Consecutive resumes of one migrator as one segment: the schedule that replays `trace`. */
export function segmentsOf(trace: readonly number[]): Segment[] {
  const out: { task: number; steps: number }[] = [];
  for (const task of trace) {
    const last = out[out.length - 1];
    if (last && last.task === task) last.steps++;
    else out.push({ task, steps: 1 });
  }
  return out;
}

/** A schedule in one short line: "0:3 1:2" runs migrator 0 for 3 resumes, then migrator 1 for 2, then on. */
export const scheduleText = (s: readonly Segment[]): string => s.map((x) => `${x.task}:${x.steps}`).join(' ');

/** What a run tells the enumeration: the migrator of each resume, and those not finished when it stopped. */
export interface RaceTrace {
  readonly trace: readonly number[];
  /** Migrators still running when the run stopped early (at a finding); empty for a run to the end. */
  readonly unfinished: readonly number[];
}

/**
 * Every schedule with at most `maxSwitches` preemptions, each passed to `run` once, starting with
 * migrator 0 first. Stops after `max` runs; returns how many ran and whether some were left.
 */
export function enumerateSchedules(run: (schedule: Segment[]) => RaceTrace, maxSwitches: number, max = Infinity): { runs: number; truncated: boolean } {
  // Depth first, each schedule's branches in the order of their switch point.
  const stack: Segment[][] = [];
  for (let m = RACE_MIGRATORS - 1; m >= 0; m--) stack.push([{ task: m, steps: 1 }]);
  let runs = 0;
  while (stack.length) {
    if (runs >= max) return { runs, truncated: true };
    const schedule = stack.pop()!;
    const { trace, unfinished } = run(schedule);
    runs++;
    const fixed = schedule.reduce((n, s) => n + s.steps, 0);
    // live(m, q): migrator m has a resume at q or later (a migrator runs until it is done), or the
    // run stopped (at a finding) before it was done.
    const lastAt = new Map<number, number>();
    trace.forEach((m, q) => lastAt.set(m, q));
    for (const m of unfinished) lastAt.set(m, trace.length);
    const live = (m: number, q: number): boolean => (lastAt.get(m) ?? -1) >= q;
    let switches = 0;
    const branches: Segment[][] = [];
    for (let q = 1; q < trace.length; q++) {
      const prev = trace[q - 1]!;
      if (q >= fixed && switches < maxSwitches && live(prev, q)) {
        for (let other = 0; other < RACE_MIGRATORS; other++) {
          if (other !== prev && live(other, q)) branches.push([...segmentsOf(trace.slice(0, q)), { task: other, steps: 1 }]);
        }
      }
      if (trace[q] !== prev && live(prev, q)) switches++;
    }
    for (let i = branches.length - 1; i >= 0; i--) stack.push(branches[i]!);
  }
  return { runs, truncated: false };
}

/** The scenario with the race's schedule set (the scenario form: migrator and steps). */
export function withSchedule(s: Scenario, race: number, schedule: readonly Segment[]): Scenario {
  const actions = (s.actions ?? []).map((a, i): Action => (i === race && a.type === 'race' ? { ...a, schedule: schedule.map((x) => ({ migrator: x.task, steps: x.steps })) } : a));
  return { ...s, actions };
}

/**
 * One design's runs over one populated kernel: each schedule runs on a new timeline from the same
 * base state, and the state goes back to it afterwards (the timeline's journal takes it there):
 * populating again for every schedule would cost more than the runs.
 */
function variantRunner(scenario: Scenario, race: number, variant: DesignName, guardsOff: readonly GuardKind[], checked: Set<string> | null): (schedule: readonly Segment[]) => RunResult {
  const k: Kernel = populate(populateSpecOf(scenario));
  for (const g of guardsOff) k.guardsOff.add(g);
  const base = stateHash(k.st);
  const events0 = [k.events.a[VM_EVENT.PGMIGRATE_SUCCESS]!, k.events.a[VM_EVENT.PGMIGRATE_FAIL]!];
  return (schedule) => {
    const sc = withSchedule(scenario, race, schedule);
    let trace: number[] = [];
    let done: boolean[] = [];
    let raceNames = new Set<string>();
    const t = createTimeline(k, (): Scheduler => {
      const groups = taskGroups(k, sc.actions ?? [], variant);
      const inner = createScheduler(groups);
      const raceTasks = groups[race]!.tasks;
      raceNames = new Set(raceTasks.map((x) => x.name));
      trace = [];
      done = raceTasks.map(() => false);
      return {
        next: () => {
          const task = inner.next();
          if (task && task.action === race) trace.push(raceTasks.indexOf(task));
          return task;
        },
        finished: (task) => {
          const i = raceTasks.indexOf(task);
          if (i >= 0) done[i] = true;
          inner.finished(task);
        },
      };
    });
    let finding: RunResult['finding'] = null;
    if (checked) t.observers.push(() => {
      if (finding) return;
      const h = stateHash(k.st);
      if (checked.has(h)) return;
      checked.add(h);
      const v = checkInvariants(k, 1)[0];
      if (v) finding = { kind: 'violation', step: t.rec.n, text: `${v.rule}: ${v.detail}`, ...(v.pfn !== undefined ? { pfn: v.pfn } : {}) };
    });
    try {
      runToEnd(t, () => finding !== null);
    } catch (e) {
      const text = (e instanceof Error ? e.message : String(e)).split('\n')[0]!;
      finding = { kind: /^BUG/.test(text) ? 'BUG' : 'error', step: t.rec.n, text };
    }
    const result: RunResult = {
      trace,
      // A run stopped by a finding before the race began has no race tasks yet: none unfinished.
      unfinished: done.flatMap((d, i) => (d ? [] : [i])),
      exclusions: exclusionsOf(t).filter((x) => raceNames.has(x.task)),
      migrated: k.events.a[VM_EVENT.PGMIGRATE_SUCCESS]! - events0[0]!,
      failed: k.events.a[VM_EVENT.PGMIGRATE_FAIL]! - events0[1]!,
      finding,
    };
    // Back to the base state, unjournaled, for the next schedule's timeline.
    seek(t, 0);
    k.st.j.len = 0;
    k.st.j.on = false;
    k.mem.fp = null;
    k.quietFrees = false;
    k.pendingTrace.length = 0;
    if (stateHash(k.st) !== base) throw new Error(`schedule sweep: going back to step 0 after schedule ${scheduleText(schedule)} did not restore the base state`);
    return result;
  };
}

/** Sweep one design: every schedule up to the bound, tallied. */
export function sweepVariant(scenario: Scenario, variant: DesignName, opts: SweepOptions = {}): VariantSweep {
  const race = raceIndexOf(scenario);
  const keep = opts.keepFindings ?? 5;
  const checked = new Set<string>();
  const run = variantRunner(scenario, race, variant, opts.guardsOff ?? [], opts.invariants === false ? null : checked);
  let excluded = 0;
  const byGuard: Partial<Record<GuardKind, number>> = {};
  const outcomes = new Map<string, { migrated: number; failed: number; schedules: number }>();
  const findings: Finding[] = [];
  const counts = { BUG: 0, violation: 0, error: 0 };
  const { runs, truncated } = enumerateSchedules((schedule) => {
    const r = run(schedule);
    if (r.exclusions.length) excluded++;
    for (const kind of new Set(r.exclusions.map((x) => x.kind))) byGuard[kind] = (byGuard[kind] ?? 0) + 1;
    if (r.finding) {
      counts[r.finding.kind]++;
      if (findings.length < keep) findings.push({ ...r.finding, schedule });
    } else {
      const key = `${r.migrated}/${r.failed}`;
      const o = outcomes.get(key) ?? { migrated: r.migrated, failed: r.failed, schedules: 0 };
      o.schedules++;
      outcomes.set(key, o);
    }
    return r;
  }, opts.maxSwitches ?? 2, opts.maxSchedules ?? 20000);
  const sortedGuards: Partial<Record<GuardKind, number>> = {};
  for (const g of GUARD_KINDS) if (byGuard[g]) sortedGuards[g] = byGuard[g];
  return {
    variant, schedules: runs, truncated, excluded, byGuard: sortedGuards,
    outcomes: [...outcomes.values()].sort((a, b) => b.schedules - a.schedules || b.migrated - a.migrated),
    bugs: counts.BUG, violations: counts.violation, errors: counts.error, findings, statesChecked: checked.size,
  };
}

/** Sweep each design given (default: every design in the registry). */
export function sweepSchedules(scenario: Scenario, opts: SweepOptions = {}): SweepResult {
  const race = raceIndexOf(scenario);
  const variants = opts.variants ?? DESIGN_NAMES;
  return {
    race,
    maxSwitches: opts.maxSwitches ?? 2,
    guardsOff: opts.guardsOff ?? [],
    variants: variants.map((v) => sweepVariant({ ...scenario, variant: v }, v, opts)),
  };
}

/** The sweep as a table and a line per finding, for the CLI. */
export function sweepLines(r: SweepResult, name?: string): string[] {
  const head = `schedule sweep of ${name ? `${name}'s race (action ${r.race})` : `race action ${r.race}`}: every interleaving with at most ${r.maxSwitches} preemption(s)${r.guardsOff.length ? `, guard(s) off: ${r.guardsOff.join(', ')}` : ''}`;
  const rows = [['variant', 'schedules', 'excluded', 'by guard', 'migrated/failed', 'BUG', 'violations', 'errors']];
  for (const v of r.variants) {
    rows.push([
      v.variant,
      `${v.schedules}${v.truncated ? '+ (cut)' : ''}`,
      String(v.excluded),
      Object.entries(v.byGuard).map(([g, n]) => `${g} ${n}`).join(', ') || '-',
      v.outcomes.map((o) => `${o.migrated}/${o.failed} ×${o.schedules}`).join(', ') || '-',
      String(v.bugs),
      String(v.violations),
      String(v.errors),
    ]);
  }
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((row) => row[c]!.length)));
  const table = rows.map((row) => row.map((cell, c) => cell.padEnd(widths[c]!)).join('  ').trimEnd());
  const findings = r.variants.flatMap((v) => v.findings.map((f) => `${v.variant}: ${f.kind} at step ${f.step} with schedule ${scheduleText(f.schedule)}: ${f.text}`));
  const legend = 'excluded: schedules in which a guard kept a migrator out (by guard: per kind); migrated/failed: how the runs ended, ×schedules; a run stops at its first BUG or violation';
  return [head, ...table, legend, ...(findings.length ? ['', ...findings] : [])];
}
