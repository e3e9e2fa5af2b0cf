// The worker host driven headless, with a fake clock and timer: every frame is checked against an
// independent session of the same scenario at the same step (state hash and the whole view).
import { beforeAll, describe, expect, it } from 'vitest';
import { findPreset } from '../engine/presets';
import { openSession, type Session } from '../engine/session';
import { shareFragment } from '../engine/share';
import { runToEnd, seek, timelineHash, allSteps } from '../engine/timeline';
import { buildView } from '../kernel/view';
import { TICK_MS } from './host';
import { harness } from './host.harness';
import type { Command, ErrorMsg, FrameMsg, PageMsg } from './protocol';

const PRESET = 'buddy-split-merge';
const scenario = findPreset(PRESET)!.scenario;

let ref: Session;
let total: number;
beforeAll(() => {
  ref = openSession(scenario);
  total = runToEnd(ref.t);
});

/** The frame shows exactly the state an independent session has at that step. */
function expectMatchesReference(f: FrameMsg): void {
  seek(ref.t, f.step);
  expect(f.stateHash).toBe(timelineHash(ref.t));
  const want = new Uint8Array(ref.k.mem.nr);
  buildView(ref.k, want);
  expect(f.nrPfns).toBe(want.length);
  const firstDiff = want.findIndex((c, pfn) => f.view[pfn] !== c);
  expect(firstDiff, `view differs at PFN ${firstDiff}`).toBe(-1);
  expect(f.view.length).toBe(want.length);
  expect(f.classCounts.reduce((a, b) => a + b, 0)).toBe(f.nrPfns);
  if (f.step > 0) {
    const s = allSteps(ref.t)[f.step - 1]!;
    expect(f.stepInfo).toMatchObject({ id: f.step, phase: s.phase, fn: s.fn, text: s.text });
  } else expect(f.stepInfo).toBeNull();
}

/** Lines of step n carry the step id as their timestamp. */
const ofStep = (n: number) => (line: string) => line.includes(` ${n}.000000: `);

function loaded(): ReturnType<typeof harness> {
  const h = harness();
  h.send({ type: 'load', source: { kind: 'preset', name: PRESET } });
  const f = h.one('frame');
  expectMatchesReference(f);
  h.send({ type: 'ack', seq: f.seq });
  return h;
}

describe('worker host: stepping', () => {
  it('step forward 5, back 2, seek 10: every frame equals an independent session at that step', () => {
    const h = harness();
    h.send({ type: 'load', source: { kind: 'preset', name: PRESET } });
    const first = h.one('frame');
    expect(first).toMatchObject({ step: 0, scenarioName: PRESET, source: { kind: 'preset', name: PRESET }, traceReset: true, trace: [] });
    expect(h.posted.at(-1)!.transfer).toEqual([first.view.buffer]);
    expectMatchesReference(first);
    h.send({ type: 'ack', seq: first.seq });

    for (let n = 1; n <= 5; n++) {
      h.send({ type: 'step', delta: 1 });
      const f = h.one('frame');
      expect(f.step).toBe(n);
      expect(f.source).toBeUndefined();
      expect(f.frontier).toBeGreaterThanOrEqual(n);
      expectMatchesReference(f);
      // Going forward: the lines of the step just passed, appended.
      expect(f.traceReset).toBe(false);
      expect(f.trace.length).toBeGreaterThan(0);
      expect(f.trace.every(ofStep(n))).toBe(true);
      expect(f.stepInfo!.sourceUrl).toBe(`https://elixir.bootlin.com/linux/v6.18/source/${f.stepInfo!.file}`);
      h.send({ type: 'ack', seq: f.seq });
    }

    for (const n of [4, 3]) {
      h.send({ type: 'step', delta: -1 });
      const f = h.one('frame');
      expect(f.step).toBe(n);
      expectMatchesReference(f);
      // Going back: the trace as it was at that step, replacing the panel's, current step last.
      expect(f.traceReset).toBe(true);
      expect(f.trace.some(ofStep(1))).toBe(true);
      expect(ofStep(n)(f.trace.at(-1)!)).toBe(true);
      expect(f.trace.some(ofStep(n + 1))).toBe(false);
      h.send({ type: 'ack', seq: f.seq });
    }

    h.send({ type: 'seek', step: 10 });
    const f = h.one('frame');
    expect(f.step).toBe(10);
    expectMatchesReference(f);
    expect(f.traceReset).toBe(false);
    expect(ofStep(4)(f.trace[0]!)).toBe(true);
    expect(ofStep(10)(f.trace.at(-1)!)).toBe(true);
    expect(f.trace.some((l) => l.includes('mm_page_alloc'))).toBe(true);
  });

  it('runToEnd computes every step and says done', () => {
    const h = loaded();
    h.send({ type: 'runToEnd' });
    const f = h.one('frame');
    expect(f).toMatchObject({ step: total, frontier: total, done: true, playing: false });
    expectMatchesReference(f);
  });

  it('seeking past the end stops at the last step', () => {
    const h = loaded();
    h.send({ type: 'seek', step: 1_000_000 });
    expect(h.one('frame')).toMatchObject({ step: total, frontier: total, done: true });
  });

  it('opens a share link at its step, and a load step overrides it', () => {
    const h = harness();
    const url = `http://x/${shareFragment({ scenario, preset: PRESET, step: 7 })}`;
    h.send({ type: 'load', source: { kind: 'url', url } });
    const f = h.one('frame');
    // A link comes back as what it opens (here the preset it names), so a restart needs no link.
    expect(f).toMatchObject({ step: 7, source: { kind: 'preset', name: PRESET }, traceReset: true });
    expectMatchesReference(f);
    expect(ofStep(7)(f.trace.at(-1)!)).toBe(true);
    h.send({ type: 'ack', seq: f.seq });
    h.send({ type: 'load', source: { kind: 'url', url }, step: 12 });
    expectMatchesReference(h.one('frame'));
  });

  it('sends page details only when asked', () => {
    const h = loaded();
    // The step where the first allocation returns its page: refcount 1, the caller's reference.
    const ret = allSteps(ref.t).find((s) => s.phase === 'alloc' && s.result !== undefined)!;
    h.send({ type: 'seek', step: ret.id });
    const f = h.one('frame');
    const pfn = f.stepInfo!.pfns[0]!.pfn;
    h.send({ type: 'inspect', pfn });
    const p = h.one('page') as PageMsg;
    expect(p).toMatchObject({ pfn, step: ret.id, handled: 3 });
    expect(p.detail.pfn).toBe(pfn);
    expect(p.detail.refcount).toBe(1);
  });
});

describe('worker host: page history of a block member', () => {
  it('a PFN inside a multi-page block is touched by the steps that name the block', () => {
    const h = loaded();
    h.send({ type: 'runToEnd' });
    h.send({ type: 'ack', seq: h.one('frame').seq });
    const block = allSteps(ref.t).flatMap((s) => s.pfns).find((x) => (x.nr ?? 1) > 1)!;
    const inside = block.pfn + (block.nr ?? 1) - 1;
    h.send({ type: 'inspect', pfn: inside, purpose: 'select' });
    const p = h.one('page') as PageMsg;
    const want = allSteps(ref.t).filter((s) => s.pfns.some((x) => inside >= x.pfn && inside < x.pfn + (x.nr ?? 1)));
    expect(p.history!.map((m) => [m.step, m.role])).toEqual(
      want.map((s) => [s.id, s.pfns.find((x) => inside >= x.pfn && inside < x.pfn + (x.nr ?? 1))!.role]),
    );
    expect(want.length).toBeGreaterThan(0);
  });
});

describe('worker host: one frame in flight', () => {
  it('posts no frame before the ack, then one frame with the latest state', () => {
    const h = harness();
    h.send({ type: 'load', source: { kind: 'preset', name: PRESET } });
    const first = h.one('frame');
    for (let i = 0; i < 3; i++) h.send({ type: 'step', delta: 1 });
    expect(h.take()).toEqual([]);
    h.send({ type: 'ack', seq: first.seq + 100 }); // not the frame in flight: ignored
    expect(h.take()).toEqual([]);
    h.send({ type: 'ack', seq: first.seq });
    const f = h.one('frame');
    expect(f).toMatchObject({ seq: first.seq + 1, step: 3, handled: 4 });
    expectMatchesReference(f);
    // The trace still covers every step the UI did not see.
    for (const n of [1, 2, 3]) expect(f.trace.some(ofStep(n))).toBe(true);
    h.send({ type: 'ack', seq: f.seq });
    expect(h.take()).toEqual([]); // nothing changed: nothing to send
  });

  it('keeps playing while the UI draws and skips the frames it could not draw', () => {
    const h = loaded();
    h.send({ type: 'play', speed: 50 });
    const started = h.one('frame');
    expect(started.playing).toBe(true);
    h.advance(200); // ~10 steps, all while `started` is in flight
    expect(h.take()).toEqual([]);
    h.send({ type: 'ack', seq: started.seq });
    const f = h.one('frame');
    expect(f.step).toBeGreaterThanOrEqual(8);
    expectMatchesReference(f);
    h.send({ type: 'pause' });
    h.send({ type: 'ack', seq: f.seq });
    expect(h.one('frame').playing).toBe(false);
    expect(h.pendingTimers()).toBe(0);
  });
});

describe('worker host: play and breakpoints', () => {
  /** Play, acking every frame, until a frame says playing is over. */
  function playUntilStopped(h: ReturnType<typeof harness>, speed: number): FrameMsg {
    h.send({ type: 'play', speed });
    for (let i = 0; i < 10_000; i++) {
      const fs = h.frames();
      for (const f of fs) {
        expectMatchesReference(f);
        h.send({ type: 'ack', seq: f.seq });
        if (!f.playing) return f;
      }
      h.advance(TICK_MS);
    }
    throw new Error('play never stopped');
  }

  it('stops at the first step of a breakpoint phase, then at the end', () => {
    const h = loaded();
    const merges = allSteps(ref.t).filter((s) => s.phase === 'merge').map((s) => s.id);
    expect(merges.length).toBeGreaterThanOrEqual(2);
    h.send({ type: 'breakpoints', list: [{ kind: 'phase', phase: 'merge' }] });
    expect(h.take()).toEqual([]); // a setting: nothing to draw

    const first = playUntilStopped(h, 20);
    expect(first).toMatchObject({ step: merges[0], breakpointHit: 'phase merge', playing: false });
    expect(first.stepInfo!.phase).toBe('merge');
    const second = playUntilStopped(h, 20);
    expect(second).toMatchObject({ step: merges[1], breakpointHit: 'phase merge' });

    h.send({ type: 'breakpoints', list: [] });
    const end = playUntilStopped(h, 1000);
    expect(end).toMatchObject({ step: total, frontier: total, done: true, playing: false });
    expect(end.breakpointHit).toBeUndefined();
    expect(h.pendingTimers()).toBe(0);
  });

  it('plays a slow speed one step per timer tick', () => {
    const h = loaded();
    h.send({ type: 'play', speed: 2 });
    h.send({ type: 'ack', seq: h.one('frame').seq });
    h.advance(499);
    expect(h.take()).toEqual([]);
    h.advance(1);
    expect(h.one('frame').step).toBe(1);
  });

  it('a multi-step move stops at a PFN breakpoint inside a touched block', () => {
    const h = loaded();
    const first = allSteps(ref.t).find((s) => s.pfns.some((p) => (p.nr ?? 1) > 1))!;
    const block = first.pfns.find((p) => (p.nr ?? 1) > 1)!;
    const inside = block.pfn + 1;
    h.send({ type: 'breakpoints', list: [{ kind: 'pfn', pfn: inside }] });
    h.send({ type: 'step', delta: 1000 });
    const f = h.one('frame');
    expect(f.step).toBe(first.id);
    expect(f.breakpointHit).toBe(`PFN 0x${inside.toString(16)} (${block.role})`);
    h.send({ type: 'ack', seq: f.seq });
    // A single step ignores breakpoints and clears the hit.
    h.send({ type: 'step', delta: 1 });
    expect(h.one('frame').breakpointHit).toBeUndefined();
  });
});

describe('worker host: bad input', () => {
  function expectRefused(h: ReturnType<typeof harness>, cmd: Command, match: RegExp): void {
    h.send(cmd);
    const e = h.one('error') as ErrorMsg;
    expect(e.fatal).toBe(false);
    expect(e.message).toMatch(match);
    expect(e.message).not.toMatch(/\n/);
  }

  it('refuses bad sources, PFNs and commands with one line each and keeps the session', () => {
    const h = loaded();
    h.send({ type: 'seek', step: 5 });
    h.send({ type: 'ack', seq: h.one('frame').seq });
    expectRefused(h, { type: 'load', source: { kind: 'preset', name: 'no-such' } }, /unknown preset "no-such" \(presets: default, /);
    expectRefused(h, { type: 'load', source: { kind: 'scenario', scenario: { v: 1, seed: 1 } } }, /^invalid scenario: memory: /);
    expectRefused(h, { type: 'load', source: { kind: 'scenario', scenario: { v: 1, seed: 1, memory: { pfns: 1000 } } } }, /memory\.pfns/);
    expectRefused(h, { type: 'load', source: { kind: 'url', url: 'http://x/#s=!!!' } }, /^cannot open the link: .*base64url/);
    expectRefused(h, { type: 'load', source: { kind: 'url', url: 'http://x/#preset=nope' } }, /no known preset/);
    expectRefused(h, { type: 'inspect', pfn: 1 << 30 }, /out of range/);
    expectRefused(h, { type: 'inspect', pfn: -1 }, /out of range/);
    expectRefused(h, { type: 'step', delta: 0.5 }, /not a whole number/);
    expectRefused(h, { type: 'seek', step: -3 }, /not a step number/);
    expectRefused(h, { type: 'play', speed: 0 }, /speed 0/);
    expectRefused(h, JSON.parse('{"type":"bogus"}') as Command, /unknown command: "bogus"/);
    expectRefused(h, JSON.parse('{"type":"breakpoints","list":[{"kind":"pfn","pfn":"x"}]}') as Command, /not a breakpoint/);

    // Nothing was lost: the same session goes on from step 5.
    h.send({ type: 'step', delta: 1 });
    const f = h.one('frame');
    expect(f).toMatchObject({ step: 6, scenarioName: PRESET, traceReset: false, handled: 14 }); // breakpoints are not counted
    expect(f.source).toBeUndefined();
    expectMatchesReference(f);
  });

  it('refuses to move before anything is loaded', () => {
    const h = harness();
    expectRefused(h, { type: 'step', delta: 1 }, /nothing is loaded/);
    expectRefused(h, { type: 'play', speed: 1 }, /nothing is loaded/);
  });

  it('an error while a frame is pending leaves the idle count to that frame', () => {
    const h = harness();
    h.send({ type: 'load', source: { kind: 'preset', name: PRESET } });
    const first = h.one('frame');
    h.send({ type: 'step', delta: 1 }); // frame pending behind `first`
    h.send({ type: 'inspect', pfn: -1 });
    // The UI must not think it is idle before it has the frame of the step.
    expect((h.one('error') as ErrorMsg).handled).toBe(1);
    h.send({ type: 'ack', seq: first.seq });
    expect(h.one('frame')).toMatchObject({ step: 1, handled: 3 });
  });
});
