// Long work in the worker: Run to end computes in time slices with progress, a cancel (or any new
// command) stops it at the last step computed and the session stays consistent; spans answer
// zoomed timelines and Next / Previous span; a far step's narration is made in the background.
import { beforeAll, describe, expect, it } from 'vitest';
import { findPreset } from '../engine/presets';
import { openSession, type Session } from '../engine/session';
import { materialize, replayedWrites, runToEnd } from '../engine/timeline';
import { SPAN_LEVELS } from '../engine/spans';
import { expectMatchesSession, harness, type Harness } from './host.harness';
import { SYNC_MATERIALIZE, SYNC_WRITES } from './host';
import type { FrameMsg, ProgressMsg, SpansMsg } from './protocol';

const LONG = 'balloon-compaction';
let ref: Session;
let total: number;
beforeAll(() => {
  ref = openSession(findPreset(LONG)!.scenario);
  total = runToEnd(ref.t);
});

/** The first step whose re-execution from step 0 makes more kernel writes than a frame waits for. */
function firstNotQuick(): number {
  let n = 1;
  while (replayedWrites(ref.t, n, n) <= SYNC_WRITES) n++;
  return n;
}

/** The frames posted since the last look, the last one acknowledged (as the UI does once drawn). */
function frames(h: ReturnType<typeof harness>): FrameMsg[] {
  const fs = h.frames();
  if (fs.length) h.send({ type: 'ack', seq: fs[fs.length - 1]!.seq });
  return fs;
}

/** Fire timers until a frame arrives (each timer is one time slice of the job). */
function untilFrame(h: ReturnType<typeof harness>, max = 100_000): { frame: FrameMsg; progress: ProgressMsg[] } {
  const progress: ProgressMsg[] = [];
  for (let i = 0; i < max; i++) {
    for (const m of h.take()) {
      if (m.type === 'progress') progress.push(m);
      if (m.type === 'frame') {
        h.send({ type: 'ack', seq: m.seq });
        return { frame: m, progress };
      }
      if (m.type === 'error') throw new Error(m.message);
    }
    h.advance(0);
  }
  throw new Error('no frame');
}

describe('long work in the worker', () => {
  it('Run to end runs in slices with progress; cancel stops at the last step computed, and the session goes on from there', () => {
    // A clock that moves 1 ms a reading: short slices, so the cancel lands early, behind the balloon's
    // inflate (millions of writes a frame would not wait to make again).
    const h = harness({ msPerCall: 1 });
    h.send({ type: 'load', source: { kind: 'preset', name: LONG } });
    frames(h);
    h.send({ type: 'runToEnd' });
    // Slices, with progress and no frame, until past the steps a frame would make again at once.
    const progress: ProgressMsg[] = [];
    for (let i = 0; i < 4 || (progress.at(-1)?.done ?? 0) <= firstNotQuick(); i++) {
      h.advance(0);
      for (const m of h.take()) {
        expect(m.type).not.toBe('frame');
        if (m.type === 'progress') progress.push(m);
      }
    }
    expect(progress.length).toBeGreaterThan(0);
    const p = progress[progress.length - 1]!;
    expect(p).toMatchObject({ what: 'run', unit: 'steps', cancellable: true });
    expect(p.done).toBeGreaterThan(0);
    expect(p.done).toBeLessThan(total);
    expect(p.rate).toBeGreaterThan(0);
    // An estimate from the compaction's scanners, once compaction runs.
    if (p.total > 0) expect(p.total).toBeGreaterThanOrEqual(p.done);
    h.send({ type: 'cancel' });
    const f = frames(h).pop()!;
    expect(f.done).toBe(false);
    expect(f.step).toBe(f.frontier);
    expect(f.step).toBeGreaterThanOrEqual(p.done);
    expect(f.step).toBeLessThan(total);
    expectMatchesSession(ref, f);
    // The step it stopped on comes in full at once, not made again in the background.
    expect(f.stepInfo).toMatchObject({ id: f.step, text: materialize(ref.t, f.step)!.text });
    expect(f.stepInfo!.pending).toBeUndefined();
    // The session goes on: a step forward, then the rest of the run.
    h.send({ type: 'step', delta: 1 });
    const g = untilFrame(h).frame;
    expect(g.step).toBe(f.step + 1);
    expectMatchesSession(ref, g);
    h.send({ type: 'runToEnd' });
    const end = untilFrame(h).frame;
    expect(end).toMatchObject({ done: true, step: total, frontier: total });
    expectMatchesSession(ref, end);
  });

  it('a new command makes the running job give way', () => {
    const h = harness({ msPerCall: 0.01 });
    h.send({ type: 'load', source: { kind: 'preset', name: LONG } });
    frames(h);
    h.send({ type: 'runToEnd' });
    for (let i = 0; i < 5; i++) h.advance(0);
    h.take();
    h.send({ type: 'seek', step: 3 });
    const f = untilFrame(h).frame;
    expect(f.step).toBe(3);
    expect(f.done).toBe(false);
    expectMatchesSession(ref, f);
    // No slice of the old job is left running.
    h.advance(0);
    expect(h.take().filter((m) => m.type === 'progress' || m.type === 'frame')).toEqual([]);
  });

  /** LONG run to its end, then a seek to a step computed fast (its middle): the frame that comes at once. */
  function seekMiddle(to = Math.floor(total / 2)): { h: Harness; mid: number; f: FrameMsg } {
    const h = harness();
    h.send({ type: 'load', source: { kind: 'preset', name: LONG } });
    frames(h);
    h.send({ type: 'runToEnd' });
    untilFrame(h);
    h.send({ type: 'seek', step: to });
    return { h, mid: to, f: frames(h).pop()! };
  }

  it('a step only a few steps in, but behind millions of kernel writes (the balloon inflating), is narrated in the background too', () => {
    const near = firstNotQuick();
    expect(near).toBeLessThan(SYNC_MATERIALIZE / 100); // few steps: counting steps alone would make it at once
    const { h, f } = seekMiddle(near);
    expect(f.step).toBe(near);
    expect(f.stepInfo).toMatchObject({ id: near, pending: true });
    expect(f.stepInfo!.text).toContain(`re-executing ${near} steps from step 0`);
    const g = untilFrame(h).frame;
    expect(g.stepInfo).toMatchObject({ id: near, text: materialize(ref.t, near)!.text });
    expect(g.stepInfo!.pending).toBeUndefined();
    expectMatchesSession(ref, g);
  });

  it("a far step's narration comes from its compact record at once, then in full from a background re-execution", () => {
    const { h, mid, f } = seekMiddle();
    const want = materialize(ref.t, mid)!;
    expect(f.step).toBe(mid);
    expectMatchesSession(ref, f);
    expect(f.stepInfo).toMatchObject({ id: mid, pending: true, fn: want.fn, phase: want.phase });
    expect(f.stepInfo!.text).toMatch(/re-executing [\d,]+ steps/);
    const g = untilFrame(h).frame;
    expect(g.step).toBe(mid);
    expect(g.stepInfo).toMatchObject({ id: mid, fn: want.fn, text: want.text });
    expect(g.stepInfo!.pending).toBeUndefined();
    expect(g.traceReset).toBe(true);
    expect(g.trace.length).toBeGreaterThan(0);
    expectMatchesSession(ref, g);
  });

  it('the inspector reading the far step while its narration is made is answered, and the narration still comes in full', () => {
    const { h, mid, f } = seekMiddle();
    expect(f.stepInfo!.pending).toBe(true);
    const pfn = f.stepInfo!.pfns[0]?.pfn ?? 0;
    h.send({ type: 'inspect', pfn, purpose: 'follow' });
    h.send({ type: 'inspect', pfn, purpose: 'hover' });
    const g = untilFrame(h).frame;
    expect(g.step).toBe(mid);
    expect(g.stepInfo).toMatchObject({ id: mid, text: materialize(ref.t, mid)!.text });
    expect(g.stepInfo!.pending).toBeUndefined();
    expectMatchesSession(ref, g);
  });
});

describe('spans', () => {
  it('answers the spans of a step range, and Next / Previous span goes to their starts', () => {
    const h = harness();
    h.send({ type: 'load', source: { kind: 'preset', name: 'compact-memory' } });
    frames(h);
    h.send({ type: 'runToEnd' });
    const end = untilFrame(h).frame;
    // The whole run has thousands of folios (thinned in the answer); its start has a few dozen.
    h.send({ type: 'spans', from: 0, to: 400 });
    const msgs = h.take();
    expect(msgs.map((m) => m.type)).toEqual(['spans']);
    const sp = msgs[0] as SpansMsg;
    expect(sp.levels).toHaveLength(SPAN_LEVELS.length);
    const folio = SPAN_LEVELS.indexOf('folio');
    const folios = sp.levels[folio]!;
    expect(folios.length).toBeGreaterThan(2);
    for (const [a, b] of folios) expect(a).toBeLessThanOrEqual(b);
    expect(folios[folios.length - 1]![0]).toBeLessThanOrEqual(400);
    expect(end.frontier).toBeGreaterThan(400);
    h.send({ type: 'seek', step: 0 });
    frames(h);
    h.send({ type: 'span', level: folio, dir: 1 });
    expect(untilFrame(h).frame.step).toBe(folios[0]![0]);
    h.send({ type: 'span', level: folio, dir: 1 });
    expect(untilFrame(h).frame.step).toBe(folios[1]![0]);
    h.send({ type: 'span', level: folio, dir: -1 });
    expect(untilFrame(h).frame.step).toBe(folios[0]![0]);
    h.send({ type: 'span', level: 99, dir: 1 });
    expect(h.take().find((m) => m.type === 'error')).toMatchObject({ fatal: false });
  });
});
