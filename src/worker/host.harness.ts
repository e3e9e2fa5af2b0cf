// The worker host with a fake clock and timer, for the host's tests: `advance` fires due timers
// in time order, `one` takes exactly one new message of a type.
import { expect } from 'vitest';
import type { Session } from '../engine/session';
import { seek, timelineHash } from '../engine/timeline';
import { buildView } from '../kernel/view';
import { createHost, type HostEnv } from './host';
import { loadAllParts } from './parts';
import type { Command, FrameMsg, WorkerMsg } from './protocol';

export type Harness = ReturnType<typeof harness>;

// The code sim.worker.ts loads on first use (a user's scenario, an import, a replay), loaded
// up front: the host tests send such commands straight to the host.
await loadAllParts();

/** `msPerCall`: the clock moves on at every reading, so the host's time slices end (0: time stands still). */
export function harness(opts: { readonly msPerCall?: number } = {}) {
  let now = 0;
  const step = opts.msPerCall ?? 0;
  let timers: { at: number; fn: () => void }[] = [];
  const posted: { msg: WorkerMsg; transfer: ArrayBuffer[] }[] = [];
  let read = 0;
  const env: HostEnv = {
    post: (msg, transfer = []) => posted.push({ msg, transfer }),
    now: () => (now += step),
    setTimer(fn, ms) {
      const t = { at: now + ms, fn };
      timers.push(t);
      return () => {
        timers = timers.filter((x) => x !== t);
      };
    },
  };
  const host = createHost(env);
  const h = {
    host,
    posted,
    send(cmd: Command) {
      host.receive(cmd);
    },
    /** Messages posted since the last call. */
    take(): WorkerMsg[] {
      const out = posted.slice(read).map((p) => p.msg);
      read = posted.length;
      return out;
    },
    frames(): FrameMsg[] {
      return h.take().filter((m): m is FrameMsg => m.type === 'frame');
    },
    /** Exactly one new message, of the given type. */
    one<T extends WorkerMsg['type']>(type: T): Extract<WorkerMsg, { type: T }> {
      const msgs = h.take();
      expect(msgs.map((m) => m.type)).toEqual([type]);
      return msgs[0] as Extract<WorkerMsg, { type: T }>;
    },
    advance(ms: number) {
      const end = now + ms;
      for (;;) {
        const due = timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at)[0];
        if (!due) break;
        timers = timers.filter((t) => t !== due);
        now = Math.max(now, due.at); // a clock that moves as it is read never goes back
        due.fn();
      }
      now = Math.max(now, end);
    },
    pendingTimers: () => timers.length,
  };
  expect(h.one('ready').presets.map((p) => p.name)).toContain('buddy-split-merge');
  return h;
}

/** The frame shows exactly the state (hash and whole view) an independent session has at its step. */
export function expectMatchesSession(r: Session, f: FrameMsg): void {
  seek(r.t, f.step);
  expect(f.stateHash).toBe(timelineHash(r.t));
  const want = new Uint8Array(r.k.mem.nr);
  buildView(r.k, want);
  expect(f.view.length).toBe(want.length);
  expect(f.view.findIndex((c, pfn) => want[pfn] !== c)).toBe(-1);
}

/** A harness with `name` loaded and its first frame acknowledged. */
export function openPreset(name: string): Harness {
  const h = harness();
  h.send({ type: 'load', source: { kind: 'preset', name } });
  h.send({ type: 'ack', seq: h.one('frame').seq });
  return h;
}

/** Send a command, ack the frame it produces, return it. */
export function move(h: Harness, cmd: Command): FrameMsg {
  h.send(cmd);
  const f = h.one('frame');
  h.send({ type: 'ack', seq: f.seq });
  return f;
}
