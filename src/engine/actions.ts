// Scenario actions → tasks: each simple action is one kernel path (a generator); a `parallel`
// action is a group whose tasks the scheduler interleaves.

import type { Kernel } from '../kernel/kernel';
import {
  alloc_pages_path, exit_path, fault_path, free_pages_path, pin_path, reclaim_path, unpin_path,
  userPagePfn,
} from '../kernel/paths';
import type { Steps } from '../kernel/step';
import type { Action, SimpleAction } from './scenario';
import type { TaskGroup } from './scheduler';
import type { Task } from './timeline';

/**
 * What earlier actions produced, for later ones to refer to (`free` with `from`). Only the
 * frontier runs generators, in order, so this is written and read at most once per step and
 * never needs rewinding; a new scenario gets a new context.
 */
interface Context {
  readonly allocated: Map<number, number[]>;
}

function* allocMany(k: Kernel, ctx: Context, index: number, a: Extract<SimpleAction, { type: 'alloc' }>): Steps<void> {
  const got: number[] = [];
  ctx.allocated.set(index, got);
  for (let i = 0; i < (a.count ?? 1); i++) {
    const pfn = yield* alloc_pages_path(k, a.gfp, a.order);
    if (pfn >= 0) got.push(pfn);
  }
}

function* freeFrom(k: Kernel, ctx: Context, from: number): Steps<void> {
  const pfns = ctx.allocated.get(from);
  if (!pfns) {
    yield* free_pages_path(k, -1, `action ${from} is not an alloc action that ran before this one`);
    return;
  }
  for (const pfn of pfns) yield* free_pages_path(k, pfn);
}

function pathOf(k: Kernel, ctx: Context, index: number, a: SimpleAction): Steps<unknown> {
  switch (a.type) {
    case 'alloc': return allocMany(k, ctx, index, a);
    case 'free': return a.from !== undefined ? freeFrom(k, ctx, a.from) : free_pages_path(k, a.pfn!);
    case 'fault': return fault_path(k, a.process, a.pages, a.order ?? 0);
    case 'exit': return exit_path(k, a.process);
    case 'pin': return pin_path(k, resolvePage(k, a), a.kind ?? 'pin');
    case 'unpin': return unpin_path(k, resolvePage(k, a), a.kind ?? 'pin');
    case 'reclaim': return reclaim_path(k, a.pages);
    default: {
      const never: never = a;
      throw new Error(`unknown action ${JSON.stringify(never)}`);
    }
  }
}

/** The PFN a page reference names now (-1 if nothing is mapped there). */
function resolvePage(k: Kernel, a: { pfn?: number; process?: number; page?: number }): number {
  if (a.pfn !== undefined) return a.pfn;
  return userPagePfn(k, a.process!, a.page!);
}

/** ftrace-like task names: the action type and a pid per action. */
const taskName = (a: SimpleAction, index: number, member = 0): string => `${a.type}-${1000 + index * 10 + member}`;

export function taskGroups(k: Kernel, actions: readonly Action[]): TaskGroup[] {
  const ctx: Context = { allocated: new Map() };
  return actions.map((a, index): TaskGroup => {
    if (a.type === 'parallel') {
      const tasks: Task[] = a.actions.map((m, i) => ({ action: index, name: taskName(m, index, i), gen: pathOf(k, ctx, index, m) }));
      return { tasks, schedule: Array.isArray(a.schedule) ? a.schedule : undefined };
    }
    return { tasks: [{ action: index, name: taskName(a, index), gen: pathOf(k, ctx, index, a) }] };
  });
}
