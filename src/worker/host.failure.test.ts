// A BUG of the kernel model met while computing new steps (timeline.ts: keepFailure) is not the
// end of the session: the state is back at the last step computed, so the steps that led to it
// stay to step through, the failure is one non-fatal line, and it is said again each time
// someone tries to compute past it. Separate file because vi.mock replaces the step module (every
// kernel path's mkStep) for the whole file: once armed, the next step a kernel path makes throws
// the bad-page BUG, from inside the path, after its writes began.
import { describe, expect, it, vi } from 'vitest';
import { findPreset } from '../engine/presets';
import { openSession } from '../engine/session';
import { BadPageError } from '../kernel/buddy';
import { expectMatchesSession, harness, move, openPreset, type Harness } from './host.harness';
import type { Command, ErrorMsg, FrameMsg } from './protocol';

const bug = vi.hoisted(() => ({ armed: false }));
vi.mock('../kernel/step', async (importOriginal) => {
  const real = await importOriginal<typeof import('../kernel/step')>();
  return {
    ...real,
    mkStep: (...args: Parameters<typeof real.mkStep>) => {
      if (bug.armed) {
        bug.armed = false; // once: going back re-executes the same paths, which must not fail
        throw new BadPageError('BUG: Bad page state: pfn:1a2 nonzero _refcount');
      }
      return real.mkStep(...args);
    },
  };
});

const PRESET = 'lru-anon';
const bugAfter = (n: number): string => `the simulation stopped after step ${n}: BUG: Bad page state: pfn:1a2 nonzero _refcount`;

const open = (): Harness => openPreset(PRESET);

/** The command meets the failure: one non-fatal line, then a frame at the last step computed. */
function fails(h: Harness, cmd: Command, after: number): FrameMsg {
  h.send(cmd);
  const msgs = h.take();
  expect(msgs.map((m) => m.type)).toEqual(['error', 'frame']);
  const [e, f] = msgs as [ErrorMsg, FrameMsg];
  expect(e).toMatchObject({ fatal: false, message: bugAfter(after) });
  expect(e.handled).toBeLessThan(f.handled);
  h.send({ type: 'ack', seq: f.seq });
  return f;
}

describe('worker host: a BUG past the frontier', () => {
  it('Run to end stops at the last step computed; the session stays and says it again past there', () => {
    const h = open();
    let last = 0;
    for (let n = 1; n <= 3; n++) {
      const f = move(h, { type: 'step', delta: 1 });
      expect(f.step).toBe(n);
      last = f.frontier; // a step computes one past itself, to know whether it is the end
    }
    bug.armed = true;
    const f = fails(h, { type: 'runToEnd' }, last);
    expect(f).toMatchObject({ step: last, frontier: last, done: false, scenarioName: PRESET });
    expectMatchesSession(openSession(findPreset(PRESET)!.scenario), f);

    expect(move(h, { type: 'step', delta: -1 }).step).toBe(last - 1);
    expect(move(h, { type: 'seek', step: 0 }).step).toBe(0);
    expect(move(h, { type: 'seek', step: last - 1 }).step).toBe(last - 1);
    // Reaching the last step computed tries the next one (is this the end?), and says why not.
    expect(fails(h, { type: 'step', delta: 1 }, last).step).toBe(last);
    expect(fails(h, { type: 'step', delta: 1 }, last).step).toBe(last);
    expect(move(h, { type: 'play', speed: 100 }).playing).toBe(true);
    h.advance(100); // a tick of play meets it
    const [e, f2] = h.take() as [ErrorMsg, FrameMsg];
    expect(e).toMatchObject({ type: 'error', fatal: false, message: bugAfter(last) });
    expect(f2).toMatchObject({ type: 'frame', step: last, playing: false });
    h.send({ type: 'ack', seq: f2.seq });
    expect(move(h, { type: 'step', delta: -1 }).step).toBe(last - 1);
  });

  it('met by the look-ahead, it leaves the step shown where it was, and is said when stepped to', () => {
    const h = harness();
    h.send({ type: 'load', source: { kind: 'preset', name: PRESET }, step: 2 });
    h.send({ type: 'ack', seq: h.one('frame').seq });
    const { frontier } = move(h, { type: 'seek', step: 1 });
    bug.armed = true;
    // The look-ahead (a timer after the load) meets it at the next new step: the frontier it
    // reached comes in a frame, the step shown does not move, and nothing is said until someone
    // goes past there.
    h.advance(10);
    const ahead = h.frames();
    expect(ahead).toHaveLength(1);
    expect(ahead[0]).toMatchObject({ step: 1, frontier, done: false });
    expectMatchesSession(openSession(findPreset(PRESET)!.scenario), ahead[0]!);
    h.send({ type: 'ack', seq: ahead[0]!.seq });
    // Reaching the last step computed tries the next one (is this the end?), and says why not.
    expect(fails(h, { type: 'seek', step: frontier }, frontier).step).toBe(frontier);
    expect(fails(h, { type: 'step', delta: 1 }, frontier).step).toBe(frontier);
  });
});
