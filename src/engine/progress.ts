// How far a long computation has come, for the worker's progress line: a fraction of the whole run
// estimated from what the kernel state says. Actions count equally; inside a compaction the two
// scanners say how much of the zones they have consumed (they meet when compact_zone() ends), so
// compacting a 24 GiB machine reports a determinate fraction without knowing the step count.

import { activeScanners } from '../kernel/compaction-state';
import type { Kernel } from '../kernel/kernel';
import type { Timeline } from './timeline';

/** Estimated fraction of the run computed, in [0, 1]; null when nothing can be said. */
export function runFraction(t: Timeline, nrActions: number): number | null {
  if (t.done) return 1;
  if (nrActions === 0) return null;
  const n = t.rec.n;
  const action = n > 0 ? t.rec.action[n - 1]! : 0;
  const inAction = compactionFraction(t.k) ?? 0;
  return Math.min(0.999, (action + inAction) / nrActions);
}

/** Share of the populated zones the running compaction's scanners have consumed, or null. */
export function compactionFraction(k: Kernel): number | null {
  const sc = activeScanners(k)[0];
  if (!sc) return null;
  let total = 0;
  let before = 0;
  for (const z of k.zones) {
    if (z.name === 'Device') continue;
    total += z.end - z.start;
    if (z.idx < sc.zone) before += z.end - z.start;
  }
  const z = k.zones[sc.zone]!;
  const consumed = Math.max(0, sc.migratePfn - z.start) + Math.max(0, z.end - sc.freePfn);
  return total > 0 ? Math.min(1, (before + Math.min(consumed, z.end - z.start)) / total) : null;
}
