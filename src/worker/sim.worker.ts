/// <reference lib="webworker" />
// The Web Worker that hosts the simulated kernel, so that populating and stepping 1 Mi PFNs
// never blocks the UI thread. All logic lives in host.ts; this file only wires `self`.
import { errorText, handleCommand } from './host';
import type { Command, ErrorMsg } from './protocol';

declare const self: DedicatedWorkerGlobalScope;

self.onmessage = (ev: MessageEvent<Command>) => {
  const { msg, transfer } = handleCommand(ev.data);
  try {
    self.postMessage(msg, transfer);
  } catch (e) {
    // A message that cannot be cloned would otherwise vanish and leave the UI busy forever.
    const err: ErrorMsg = { type: 'error', message: `cannot post ${msg.type}: ${errorText(e)}` };
    self.postMessage(err);
  }
};
