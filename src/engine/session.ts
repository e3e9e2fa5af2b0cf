// A session: a scenario loaded into a kernel and a timeline over its actions. The worker and
// the CLI both drive one, so what the browser shows and what the CLI prints are the same code.

import { populate } from '../kernel/populate';
import type { Kernel } from '../kernel/kernel';
import { taskGroups } from './actions';
import { createScheduler } from './scheduler';
import { populateSpecOf, type Scenario } from './scenario';
import { createTimeline, type Timeline, type TimelineOptions } from './timeline';

export interface Session {
  readonly scenario: Scenario;
  readonly k: Kernel;
  readonly t: Timeline;
}

export function openSession(scenario: Scenario, opts: TimelineOptions = {}): Session {
  const k = populate(populateSpecOf(scenario));
  const t = createTimeline(k, createScheduler(taskGroups(k, scenario.actions ?? [], scenario.variant ?? 'linux-6.18')), opts);
  return { scenario, k, t };
}
