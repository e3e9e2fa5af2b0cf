// A small deterministic scheduler. Actions run one after another; a `parallel` group runs its
// actions as interleaved tasks, switching at every yield of a kernel path (code between two
// yields is atomic, like code under a lock). The schedule is either round-robin or an explicit
// list of member indices, repeated, so a race is reproducible step by step; a race can instead
// give segments (run member i for n resumes, then …), which the schedule sweep enumerates.

import type { Scheduler, Task } from './timeline';

/** Resume member `task` `steps` times (fewer if it finishes first): one run of an explicit interleaving. */
export interface Segment {
  readonly task: number;
  readonly steps: number;
}

export interface TaskGroup {
  readonly tasks: readonly Task[];
  /** Member indices to resume in order, cycled; round-robin when absent. */
  readonly schedule?: readonly number[];
  /**
   * A race's interleaving, not cycled: each segment in turn, then the member named last runs on
   * to its end, then the rest in order. Takes the place of `schedule`.
   */
  readonly segments?: readonly Segment[];
}

export function createScheduler(groups: readonly TaskGroup[]): Scheduler {
  let g = 0;
  let turn = 0;
  let live: boolean[] = groups[0] ? groups[0].tasks.map(() => true) : [];
  // Where an explicit interleaving is: its segment, and how many resumes that segment has had.
  let seg = 0;
  let used = 0;
  const enterGroup = (i: number): void => {
    g = i;
    turn = 0;
    seg = 0;
    used = 0;
    live = groups[i] ? groups[i]!.tasks.map(() => true) : [];
  };
  return {
    next(): Task | null {
      while (g < groups.length) {
        const group = groups[g]!;
        if (live.some(Boolean) && group.segments && group.segments.length) {
          const segs = group.segments;
          for (; seg < segs.length; seg++, used = 0) {
            const { task, steps } = segs[seg]!;
            if (used < steps && live[task]) {
              used++;
              return group.tasks[task]!;
            }
          }
          const last = segs[segs.length - 1]!.task;
          return group.tasks[live[last] ? last : live.findIndex(Boolean)]!;
        }
        if (live.some(Boolean)) {
          const order = group.schedule && group.schedule.length ? group.schedule : group.tasks.map((_, i) => i);
          // Pick the next live member in schedule order; skip finished ones.
          for (let tries = 0; tries < order.length; tries++) {
            const idx = order[turn % order.length]!;
            turn++;
            if (live[idx]) return group.tasks[idx]!;
          }
          // The explicit schedule names only finished members: run the rest in order.
          const rest = live.findIndex(Boolean);
          return group.tasks[rest]!;
        }
        enterGroup(g + 1);
      }
      return null;
    },
    finished(t: Task): void {
      const group = groups[g];
      if (!group) return;
      const i = group.tasks.indexOf(t);
      if (i >= 0) live[i] = false;
    },
  };
}
