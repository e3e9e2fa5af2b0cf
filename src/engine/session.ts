// A session: a scenario loaded into a kernel and a timeline over its actions. The worker and
// the CLI both drive one, so what the browser shows and what the CLI prints are the same code.

import { populate } from '../kernel/populate';
import type { Kernel } from '../kernel/kernel';
import type { ImportReport, ImportResult } from '../kernel/import/types';
import { taskGroups } from './actions';
import { createScheduler } from './scheduler';
import { populateSpecOf, SCENARIO_VERSION } from './scenario-core';
import type { Action, Scenario } from './scenario';
import { createTimeline, type Timeline, type TimelineOptions } from './timeline';

export interface Session {
  readonly scenario: Scenario;
  readonly k: Kernel;
  readonly t: Timeline;
  /** Set when the memory was imported from a real machine's dumps (openImportedSession). */
  readonly imported?: ImportReport;
}

export function openSession(scenario: Scenario, opts: TimelineOptions = {}): Session {
  const k = populate(populateSpecOf(scenario));
  const t = createTimeline(k, () => createScheduler(taskGroups(k, scenario.actions ?? [], scenario.variant ?? 'linux-6.18')), opts);
  return { scenario, k, t };
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
  const t = createTimeline(k, () => createScheduler(taskGroups(k, scenario.actions ?? [], 'linux-6.18')), opts);
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
