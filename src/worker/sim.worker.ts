/// <reference lib="webworker" />
// The Web Worker that hosts the simulated kernel, so that populating and stepping 1 Mi PFNs
// never blocks the UI thread. All logic lives in host.ts; this file only wires `self`, the clock
// and the timer, and the test-only hooks (a crash, a BUG). Commands pass through a queue that
// first loads the code they need and the worker did not load at start (parts.ts).
import { createHost } from './host';
import { errorText } from './errors';
import { loadPart, partsFor } from './parts';
import { createCommandQueue } from './queue';
import { DEBUG_WORKER_NAME, type Command, type DebugCommand, type ErrorMsg, type WorkerMsg } from './protocol';

declare const self: DedicatedWorkerGlobalScope;

/** Debug commands are honoured only in a worker the UI started for a `?test` page. */
const debug = self.name === DEBUG_WORKER_NAME;

function post(msg: WorkerMsg, transfer: ArrayBuffer[] = []): void {
  try {
    self.postMessage(msg, transfer);
  } catch (e) {
    // A message that cannot be cloned would otherwise vanish and leave the UI waiting forever.
    const err: ErrorMsg = { type: 'error', message: `cannot post ${msg.type}: ${errorText(e)}`, fatal: true };
    self.postMessage(err);
  }
}

const host = createHost({
  post,
  now: () => performance.now(),
  setTimer(fn, ms) {
    const id = setTimeout(fn, ms);
    return () => clearTimeout(id);
  },
});

/** The parts `cmd` needs, loaded; null when none is missing. */
function prepare(cmd: Command | DebugCommand): Promise<void> | null {
  const missing = partsFor(cmd);
  return missing.length === 0 ? null : Promise.all(missing.map(loadPart)).then(() => undefined);
}

const queue = createCommandQueue(prepare, run);

self.onmessage = (ev: MessageEvent<Command | DebugCommand>) => {
  queue.push(ev.data);
};

function run(cmd: Command | DebugCommand): void {
  if (cmd.type === 'debug-bug') {
    if (debug && Number.isSafeInteger(cmd.step)) host.failNextSessionAt(cmd.step);
    return;
  }
  if (cmd.type === 'debug-crash') {
    if (!debug) return; // not part of the protocol outside tests
    host.dispose();
    // Uncaught, as a bug in the engine would be: the UI sees the Worker's 'error' event.
    throw new Error('debug-crash: the worker was asked to crash (test hook)');
  }
  host.receive(cmd);
}
