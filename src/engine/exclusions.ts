// Where a guard kept a task away from a page it raced for: what `--summary` reports as
// `exclusions` and the schedule sweep counts (kernel/guards.ts).

import type { GuardKind } from '../kernel/guards';
import { taskOf } from './steptable';
import type { Timeline } from './timeline';

export interface ExclusionAt {
  readonly step: number;
  readonly task: string;
  /** What the loser found, with its values ("refcount 3, expected 2"). */
  readonly guard: string;
  readonly kind: GuardKind;
}

/** Every exclusion among the steps computed so far, in step order. */
export function exclusionsOf(t: Timeline): ExclusionAt[] {
  const tb = t.rec;
  return tb.excluded.map(({ id, exclusion }) => ({ step: id, task: taskOf(tb, id), guard: exclusion.why, kind: exclusion.guard }));
}
