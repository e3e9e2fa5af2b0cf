// The one place that defines every message between the UI and the simulation worker.
// Both sides switch over `type` with an exhaustive `never` check, so adding a message without
// handling it is a type error on both ends. The UI imports engine types only through here.
import type { ZoneRange } from '../engine/snapshot';

export type Zone = ZoneRange;

/** UI → worker. Later issues add step, seek, play, pause, inspect… */
export type Command = { readonly type: 'load' };

/** One drawable state of memory. */
export interface FrameMsg {
  readonly type: 'frame';
  readonly nrPfns: number;
  readonly zones: readonly Zone[];
  /**
   * One StateClass byte per PFN. Its buffer is *transferred* (0.1 ms for 1 MiB vs 2.7 ms copied,
   * toolchain.md §5b), so it spans exactly its own non-shared ArrayBuffer.
   */
  readonly view: Uint8Array<ArrayBuffer>;
  /** Pages per StateClass, indexed by StateClass. */
  readonly classCounts: readonly number[];
  readonly stateHash: string;
}

export interface ErrorMsg {
  readonly type: 'error';
  readonly message: string;
}

/** Worker → UI. */
export type WorkerMsg = FrameMsg | ErrorMsg;

/**
 * The `default:` of an exhaustive `switch (msg.type)`: a compile error if a case is missing, a
 * throw if a peer sends a type this side does not know (e.g. an old worker after an update).
 */
export function assertNever(x: never): never {
  throw new Error(`unexpected message: ${JSON.stringify(x)}`);
}
