// How far a long computation has come, for the worker's progress line: an estimate of the run's
// total steps from what the kernel state says. Inside a compaction the two scanners tell how much
// of the zones they have consumed (they meet when compact_zone() ends), so the steps the running
// action will take are its steps so far over that share; the actions before it took what they
// took; each action after it is taken to cost what the finished ones did on average. Compacting a
// 24 GiB machine so reports a determinate, converging total without knowing the step count.

import { activeScanners } from '../kernel/compaction-state';
import type { Kernel } from '../kernel/kernel';
import type { Timeline } from './timeline';

/** Estimated steps of the whole run (at least those computed); 0 when nothing can be said. */
export function estimateTotal(t: Timeline, nrActions: number): number {
  const n = t.rec.n;
  if (t.done) return n;
  if (nrActions === 0 || n === 0) return 0;
  const action = t.rec.action[n - 1]!;
  const start = t.actionSpan?.action === action ? t.actionSpan.start - 1 : n; // steps before this action
  const inAction = n - start;
  const f = compactionFraction(t.k);
  // The running action: by its scanners when it compacts, else as long as the average finished one.
  const perAction = action > 0 ? start / action : inAction;
  const thisAction = f !== null && f > 0.002 ? inAction / f : Math.max(inAction, perAction);
  const after = Math.max(0, nrActions - action - 1) * perAction;
  return Math.max(n, Math.round(start + thisAction + after));
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
