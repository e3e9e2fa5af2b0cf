// The sim worker's commands in order, while code they need loads (parts.ts). A command that
// needs nothing loaded, arriving with none waiting, runs at once, as before any part existed;
// otherwise it waits behind the ones before it, so the host sees every command in the order the
// page sent it, each only once what it needs is there.

export interface CommandQueue<C> {
  push(cmd: C): void;
  /** Commands waiting (a test reads it). */
  readonly waiting: number;
}

/**
 * `prepare(cmd)`: a promise to wait for before `cmd` runs, or null when it can run now; it must
 * not reject (parts.ts keeps a failed load for the host to refuse). `run` is the host's
 * synchronous handling; what it throws while the queue drains is thrown again from a timer,
 * as it would have been thrown from the message handler (the worker's 'error' event).
 */
export function createCommandQueue<C>(prepare: (cmd: C) => Promise<void> | null, run: (cmd: C) => void): CommandQueue<C> {
  const waiting: C[] = [];
  let draining = false;

  async function drain(): Promise<void> {
    draining = true;
    while (waiting.length > 0) {
      const ready = prepare(waiting[0]!);
      if (ready) await ready;
      const cmd = waiting.shift()!;
      try {
        run(cmd);
      } catch (e) {
        setTimeout(() => {
          throw e;
        }, 0);
      }
    }
    draining = false;
  }

  return {
    push(cmd) {
      if (!draining && prepare(cmd) === null) {
        run(cmd);
        return;
      }
      waiting.push(cmd);
      if (!draining) void drain();
    },
    get waiting() {
      return waiting.length;
    },
  };
}
