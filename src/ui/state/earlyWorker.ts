// The simulation worker, started before the rest of the page's script evaluates: fetching,
// compiling and evaluating the worker's script then runs on its own thread while this one
// evaluates React and the app and renders the first time, instead of after them (the cold load's
// budget, design.md). main.tsx imports this module first; simClient's first spawn takes the
// worker from here (a restart makes its own). No message can be missed meanwhile: the worker says
// nothing before its first command, and startSim listens within the same task as this runs.
import { DEBUG_WORKER_NAME } from '../../worker/protocol';

/** The same name simClient gives its workers: the debug name for a `?test` page. */
function workerName(): string {
  return new URLSearchParams(location.search).has('test') ? DEBUG_WORKER_NAME : 'pfnscope-sim';
}

let early: Worker | null =
  typeof Worker !== 'undefined' && typeof location !== 'undefined'
    ? new Worker(new URL('../../worker/sim.worker.ts', import.meta.url), { type: 'module', name: workerName() })
    : null;

/** The worker started at load, once; null after (or where there is no Worker). */
export function takeEarlyWorker(): Worker | null {
  const w = early;
  early = null;
  return w;
}
