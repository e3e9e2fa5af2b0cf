// The worker's command handling, kept apart from the `self` wiring in sim.worker.ts so that
// vitest can drive it in Node. Every command answers with exactly one message, and a failure
// answers with an error message instead of leaving the UI waiting.
import { loadDefaultSnapshot, type MemorySnapshot } from '../engine/snapshot';
import { assertNever, type Command, type FrameMsg, type WorkerMsg } from './protocol';

export interface Reply {
  readonly msg: WorkerMsg;
  /** Buffers to transfer with the message; they are detached on this side afterwards. */
  readonly transfer: ArrayBuffer[];
}

export function handleCommand(cmd: Command): Reply {
  try {
    switch (cmd.type) {
      case 'load':
        return frameReply(loadDefaultSnapshot());
      default:
        // cmd.type, not cmd: a one-member union narrows its tag to never but not the object.
        return assertNever(cmd.type);
    }
  } catch (e) {
    return { msg: { type: 'error', message: errorText(e) }, transfer: [] };
  }
}

export function frameReply(s: MemorySnapshot): Reply {
  const view = transferableView(s.view);
  const msg: FrameMsg = {
    type: 'frame',
    nrPfns: s.nrPfns,
    zones: s.zones,
    view,
    classCounts: s.classCounts,
    stateHash: s.stateHash,
  };
  return { msg, transfer: [view.buffer] };
}

/**
 * The view to transfer. Transferring detaches the whole buffer, so a view that is a window into a
 * larger buffer (which the engine may still use) or lives in a SharedArrayBuffer (which cannot be
 * transferred) is copied once into a buffer of its own.
 */
export function transferableView(v: Uint8Array): Uint8Array<ArrayBuffer> {
  const b = v.buffer;
  if (b instanceof ArrayBuffer && v.byteOffset === 0 && v.byteLength === b.byteLength) {
    return new Uint8Array(b);
  }
  return new Uint8Array(v);
}

export function errorText(e: unknown): string {
  if (e instanceof Error) return `${e.name}: ${e.message}`;
  return String(e);
}
