// Who holds each movable_ops page isolated without a reference (the no-refcount design). With no
// reference and no list link, the kernel's only record that a migrator has a page is the PFN in
// that migrator's own array; the model keeps those arrays as one journaled table of (pfn, pid)
// entries, so the invariant checker can see what the isolated flag's test-and-set is there to
// prevent: one page in two migrators' arrays (mm/migrate.c isolate_movable_ops_page() warns if the
// page is already PageMovableOpsIsolated when it sets the flag: one isolator at a time).

import type { Kernel } from './kernel';
import { addStore, growStore, put, type Store, type Stores } from './store';

export interface IsolatorTable {
  readonly pfn: Store & { a: Int32Array };
  /** The isolating task's pid (the number in its name, migrator-1010); 0 for deflate. */
  readonly pid: Store & { a: Int32Array };
  readonly n: Store & { a: Int32Array };
}

function createIsolatorTable(st: Stores): IsolatorTable {
  return {
    pfn: addStore(st, 'isolators.pfn (model: the migrators\' PFN arrays)', new Int32Array(64).fill(-1), -1),
    pid: addStore(st, 'isolators.pid (model)', new Int32Array(64)),
    n: addStore(st, 'isolators.n (model)', new Int32Array(1)),
  };
}

/**
 * The table, created on first need while nothing is journaled (the engine asks before a timeline
 * starts; kernel tests without one create it as they go). Empty stores add nothing to the state
 * hash, and created last they shift no other store's id.
 */
export function isolatorTable(k: Kernel): IsolatorTable {
  if (k.isolators) return k.isolators;
  if (k.st.j.on) throw new Error('the isolator table must exist before journaling starts (createTimeline makes it)');
  return (k.isolators = createIsolatorTable(k.st));
}

/** The pid in a task's name ("migrator-1010" → 1010), 0 when it has none. */
export const pidOf = (who: string): number => Number(/-(\d+)$/.exec(who)?.[1] ?? 0);

/** `who` put `pfn` in its array of isolated pages. */
export function isolatorAdd(k: Kernel, pfn: number, who: string): void {
  const t = isolatorTable(k);
  const n = t.n.a[0]!;
  if (n >= t.pfn.a.length) {
    growStore(t.pfn, 2 * t.pfn.a.length);
    growStore(t.pid, 2 * t.pid.a.length);
  }
  put(k.st, t.pfn, n, pfn);
  put(k.st, t.pid, n, pidOf(who));
  put(k.st, t.n, 0, n + 1);
}

/** `who` let go of `pfn` (migrated or put back); the last entry fills its slot. */
export function isolatorDel(k: Kernel, pfn: number, who: string): void {
  const t = k.isolators;
  if (!t) return;
  const n = t.n.a[0]!;
  const pid = pidOf(who);
  for (let i = 0; i < n; i++) {
    if (t.pfn.a[i] !== pfn || t.pid.a[i] !== pid) continue;
    put(k.st, t.pfn, i, t.pfn.a[n - 1]!);
    put(k.st, t.pid, i, t.pid.a[n - 1]!);
    put(k.st, t.pfn, n - 1, -1);
    put(k.st, t.pid, n - 1, 0);
    put(k.st, t.n, 0, n - 1);
    return;
  }
}

/** Every (pfn, pid) entry, for the invariant checker. */
export function isolatorEntries(k: Kernel): { pfn: number; pid: number }[] {
  const t = k.isolators;
  if (!t) return [];
  return Array.from({ length: t.n.a[0]! }, (_, i) => ({ pfn: t.pfn.a[i]!, pid: t.pid.a[i]! }));
}
