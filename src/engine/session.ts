// A session: a scenario loaded into a kernel and a timeline over its actions. The worker and
// the CLI both drive one, so what the browser shows and what the CLI prints are the same code.

import { populate, type PopulateSpec } from '../kernel/populate';
import { cloneKernel } from '../kernel/clone';
import type { Kernel } from '../kernel/kernel';
import type { ImportReport, ImportResult } from '../kernel/import/types';
import { taskGroups } from './actions';
import { createScheduler } from './scheduler';
import { populateSpecOf, SCENARIO_VERSION } from './scenario-core';
import type { Action, Scenario } from './scenario';
import { createTimeline, type Timeline, type TimelineOptions } from './timeline';
import { footprintCounted } from './footprint-actions';

export interface Session {
  readonly scenario: Scenario;
  readonly k: Kernel;
  readonly t: Timeline;
  /** Set when the memory was imported from a real machine's dumps (openImportedSession). */
  readonly imported?: ImportReport;
}

export function openSession(scenario: Scenario, opts: TimelineOptions = {}): Session {
  const k = populated(populateSpecOf(scenario));
  const t = createTimeline(k, () => createScheduler(taskGroups(k, scenario.actions ?? [], scenario.variant ?? 'linux-6.18')), { counted: countedIn(scenario.actions), ...opts });
  return { scenario, k, t };
}

/** The actions whose footprint counts the timeline keeps: the ones the footprint table reads. */
const countedIn = (actions: readonly Action[] | undefined) => (i: number): boolean => footprintCounted(actions?.[i]);

/** Populated kernels kept to be copied (keepPopulated): by their spec, least recently used first. */
const kept = new Map<string, Kernel>();
let keepAtMost = 0;

/**
 * Keep up to `n` populated kernels (0, the default: none) and open a session on the same populate
 * spec again by copying one (kernel/clone.ts) instead of populating anew: the same state, in
 * milliseconds instead of up to a second. The test suite keeps them (src/vitest.setup.ts): its files
 * open the same presets again and again. A kept kernel is never run; each session gets a copy.
 */
export function keepPopulated(n: number): void {
  keepAtMost = n;
  for (const key of [...kept.keys()].slice(0, Math.max(0, kept.size - n))) kept.delete(key);
}

function populated(spec: PopulateSpec): Kernel {
  if (keepAtMost === 0) return populate(spec);
  const key = JSON.stringify(spec);
  let base = kept.get(key);
  if (base) kept.delete(key);
  else base = populate(spec);
  kept.set(key, base);
  if (kept.size > keepAtMost) kept.delete(kept.keys().next().value!);
  return cloneKernel(base);
}

/**
 * A session over memory imported from a real machine (kernel/import: importDump), with a timeline
 * over `actions` (none: step 0 is the imported state and nothing runs). The kernel is used as
 * it is, so a result opens one session. Its `scenario` describes the session but cannot rebuild
 * it — the memory comes from the dump, not from `populate`: v 1, name "import: NAME",
 * memory.pfns the imported PFN count rounded up to a pageblock (it may exceed MAX_PFNS: imports
 * allow 8 Mi), seed 0, no populate, variant linux-6.18 (the balloon pages are rebuilt in 6.18's
 * design), and the actions. `imported` carries the import's report.
 */
export function openImportedSession(result: ImportResult, actions: readonly Action[] = [], opts: TimelineOptions = {}): Session {
  const { k, report } = result;
  const scenario = importedScenario(result, actions);
  const t = createTimeline(k, () => createScheduler(taskGroups(k, scenario.actions ?? [], 'linux-6.18')), { counted: countedIn(scenario.actions), ...opts });
  return { scenario, k, t, imported: report };
}

/** The `scenario` of a session over imported memory (see openImportedSession). */
export function importedScenario(result: ImportResult, actions: readonly Action[] = []): Scenario {
  const { k, report } = result;
  return {
    v: SCENARIO_VERSION,
    name: `import: ${report.name}`.slice(0, 80),
    description: `kpageflags import of ${report.name} (${report.pfns} PFNs); the memory comes from the dump, not from populate`.slice(0, 400),
    memory: { pfns: k.layout.nrPfns },
    seed: 0,
    variant: 'linux-6.18',
    actions: [...actions],
  };
}
