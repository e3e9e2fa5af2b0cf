// Test hook (sim.worker.ts: debug-bug, only for `?test` pages): a session whose kernel model hits a
// BUG when it computes a given step, as a bug in the model would. No scenario of ours is known to
// hit one, so an e2e test of what the page does then needs this. The scheduler is where every new
// step starts (timeline.ts: runOnce), so the failure goes through the timeline's own handling.
import type { Timeline } from '../engine/timeline';

export function failAtStep(t: Timeline, at: number): void {
  const sched = t.sched;
  const next = sched.next.bind(sched);
  sched.next = () => {
    // Only new steps: a re-execution of the steps before it must keep working.
    if (t.genStep + 1 >= at && t.genStep >= t.rec.n) throw new Error(`BUG: debug-bug: step ${at} was set to fail (test hook)`);
    return next();
  };
}
