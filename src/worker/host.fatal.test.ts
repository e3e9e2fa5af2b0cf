// A bug in the engine while the session moves (here: stepBy throws once armed) is fatal: the host
// drops the session, says so in one line, and a new load works. Separate file because vi.mock
// replaces the timeline module for the whole file.
import { describe, expect, it, vi } from 'vitest';
import { createHost } from './host';
import type { ErrorMsg, WorkerMsg } from './protocol';

const bug = vi.hoisted(() => ({ armed: false }));
vi.mock('../engine/timeline', async (importOriginal) => {
  const real = await importOriginal<typeof import('../engine/timeline')>();
  return {
    ...real,
    stepBy: (...args: Parameters<typeof real.stepBy>) => {
      if (bug.armed) throw new TypeError("Cannot read properties of undefined (reading 'order')\n    at expand");
      return real.stepBy(...args);
    },
  };
});

describe('worker host: a bug in the engine', () => {
  it('is a fatal one-line error; the session is dropped and a new load works', () => {
    const posted: WorkerMsg[] = [];
    const host = createHost({ post: (m) => posted.push(m), now: () => 0, setTimer: () => () => {} });
    host.receive({ type: 'load', source: { kind: 'preset', name: 'buddy-split-merge' } });
    const f = posted.at(-1)!;
    if (f.type !== 'frame') throw new Error(`expected a frame, got ${f.type}`);
    host.receive({ type: 'ack', seq: f.seq });

    bug.armed = true;
    host.receive({ type: 'step', delta: 1 });
    const e = posted.at(-1) as ErrorMsg;
    expect(e).toMatchObject({ type: 'error', fatal: true, handled: 2 });
    expect(e.message).toBe("the simulation stopped: TypeError: Cannot read properties of undefined (reading 'order') at expand");

    host.receive({ type: 'step', delta: 1 });
    expect(posted.at(-1)).toMatchObject({ type: 'error', fatal: false, message: 'nothing is loaded: pick a preset' });

    bug.armed = false;
    host.receive({ type: 'load', source: { kind: 'preset', name: 'buddy-split-merge' }, step: 3 });
    expect(posted.at(-1)).toMatchObject({ type: 'frame', step: 3, handled: 4 });
  });
});
