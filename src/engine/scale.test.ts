// The engine at scale: steps computed fast and made again on demand equal the steps of a run that
// recorded everything; the state at step N is the same however it is reached — straight, through
// checkpoints, or by re-execution after the journal was dropped under a small budget.
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { PRESETS, findPreset } from './presets';
import { openSession } from './session';
import { allSteps, holdFrontier, leaveReplay, materialize, openSpans, runToEnd, seekCost, seekSome, seek, spanStepAt, spansAt, timelineHash, timelineBytes, type Step } from './timeline';
import { journalHeld } from './history';
import { spanStep, SPAN_LEVELS } from './spans';
import { fnOf, pfnsOf, phaseOf } from './steptable';

/** The step as a person sees it: everything but object identity. */
const view = (s: Step): unknown => JSON.parse(JSON.stringify(s));

/** Ids spread over 1..n: the ends, evenly spaced ones and a few pseudo-random ones (fixed). */
function sample(n: number, count: number): number[] {
  const ids = new Set([1, n, Math.ceil(n / 2)]);
  for (let i = 1; i <= count; i++) ids.add(Math.max(1, Math.round((n * i) / (count + 1))));
  for (let x = 7, i = 0; i < count; i++) ids.add(1 + ((x = (x * 1103515245 + 12345) % 2147483648) % n));
  return [...ids].filter((id) => id >= 1 && id <= n);
}

describe('steps made on demand equal fully recorded ones', () => {
  for (const p of PRESETS) {
    test(`${p.name}: sampled steps, in scrambled order, after a fast run`, () => {
      const fast = openSession(p.scenario);
      runToEnd(fast.t);
      const n = fast.t.rec.n;
      const ids = sample(n, n > 50_000 ? 3 : 12); // each backward one re-executes from step 0
      // The reference: a run that records every step, keeping the sampled ones.
      const want = new Map<number, Step>();
      const ref = openSession(p.scenario, { onStep: (s) => void (ids.includes(s.id) && want.set(s.id, s)) });
      runToEnd(ref.t);
      expect(ref.t.rec.n).toBe(n);
      expect(timelineHash(fast.t)).toBe(timelineHash(ref.t));
      // Backwards first (forces re-execution from step 0), then forwards.
      for (const id of [...ids].sort((a, b) => b - a).concat(ids)) {
        const got = materialize(fast.t, id)!;
        expect(view(got), `${p.name} step ${id}`).toEqual(view(want.get(id)!));
        // The compact record says what the full step says.
        expect(phaseOf(fast.t.rec, id)).toBe(got.phase);
        expect(fnOf(fast.t.rec, id)).toBe(got.fn);
        expect(pfnsOf(fast.t.rec, id)).toEqual(got.pfns.filter((x) => x.pfn >= 0).map((x) => ((x.nr ?? 1) === 1 ? { pfn: x.pfn, role: x.role } : { pfn: x.pfn, role: x.role, nr: x.nr })));
      }
      // Materializing leaves the state where it was: at the end.
      expect(fast.t.cur).toBe(n);
      expect(timelineHash(fast.t)).toBe(timelineHash(ref.t));
    });
  }
});

describe('a fast run stopped by its deadline, then held (holdFrontier)', () => {
  // Not every step can be held so: a path that builds a batch of steps at once and reports them
  // one by one (migrate-process's) has them made on demand, recording from before the batch.
  test('holds the step it stops on in full, so showing it re-executes nothing, and goes on as the same run', () => {
    for (const name of ['compact-memory', 'thp-split']) {
      const scenario = findPreset(name)!.scenario;
      const fast = openSession(scenario);
      const ref = openSession(scenario, { recordAll: true });
      runToEnd(ref.t);
      // Deadlines every 997 checks: a slice boundary lands anywhere, inside long stretches too.
      for (let stops = 0; stops < 5 && !fast.t.done; stops++) {
        let calls = 0;
        runToEnd(fast.t, () => ++calls % 997 === 0);
        holdFrontier(fast.t);
        const at = fast.t.cur;
        expect(at, name).toBe(fast.t.rec.n);
        expect(timelineHash(fast.t), `${name} step ${at}`).toBe((seek(ref.t, at), timelineHash(ref.t)));
        const before = fast.t.reexecuted;
        expect(view(materialize(fast.t, at)!), `${name} step ${at}`).toEqual(view(materialize(ref.t, at)!));
        expect(fast.t.reexecuted, `${name} step ${at} was made again`).toBe(before);
      }
      runToEnd(fast.t);
      expect(fast.t.rec.n).toBe(ref.t.rec.n);
      expect(timelineHash(fast.t)).toBe((seek(ref.t, ref.t.rec.n), timelineHash(ref.t)));
    }
  });
});

describe('bounded memory: journals dropped under a budget, states reached again', () => {
  const scenario = findPreset('compact-memory')!.scenario;
  // Reference: the hash at every step of one straight run (fully journaled, no budget).
  const ref = openSession(scenario, { recordAll: true });
  runToEnd(ref.t);
  const total = ref.t.rec.n;
  const hashes: string[] = [];
  for (let n = 0; n <= total; n++) {
    seek(ref.t, n);
    hashes.push(timelineHash(ref.t));
  }
  const refSteps = allSteps(ref.t);

  test('a small budget drops journals, keeps the held journal near it, and every seek lands on the reference hash (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.integer({ min: 0, max: total }).map((n) => ({ seek: n })), fc.integer({ min: 1, max: total }).map((n) => ({ show: n }))), { minLength: 1, maxLength: 12 }),
        fc.constantFrom(500, 3000),
        fc.constantFrom(0, 1 << 30),
        (ops, segment, checkpointBudget) => {
          const s = openSession(scenario, { segmentEntries: segment, journalBudget: 2 * segment, keepFull: 64, checkpointBudget });
          runToEnd(s.t);
          expect(s.t.hist.evictions).toBeGreaterThan(0);
          // A budget of 0 thins every checkpoint it may; the others stay restorable.
          const thinned = s.t.hist.cps.filter((c) => !c.chunks).length;
          if (checkpointBudget === 0) expect(thinned).toBeGreaterThan(0);
          else expect(thinned).toBe(0);
          for (const op of ops) {
            if ('seek' in op) {
              seek(s.t, op.seek);
              expect(timelineHash(s.t), `seek ${op.seek}`).toBe(hashes[op.seek]);
            } else {
              const at = s.t.cur;
              expect(view(materialize(s.t, op.show)!), `step ${op.show}`).toEqual(view(refSteps[op.show - 1]!));
              expect(s.t.cur).toBe(at);
              expect(timelineHash(s.t)).toBe(hashes[at]);
            }
            // The budget holds, give or take the open segment and the segments in use.
            expect(journalHeld(s.t.hist)).toBeLessThanOrEqual(2 * segment + 3 * segment + segment);
          }
        },
      ),
      { numRuns: 16, seed: 14 },
    );
  });

  test('after thinning under a checkpoint budget, every checkpoint still restorable lands on its reference hash', () => {
    // thinCheckpoints() drops a thinned checkpoint's chunk version only when the next version is
    // stored at or before the next kept checkpoint; dropped one too early, that kept checkpoint
    // restores an older chunk. A budget of half the versions' bytes keeps some checkpoints between
    // thinned ones; seeking to each from the far end restores it.
    const opts = { segmentEntries: 500, journalBudget: 1000, keepFull: 64 };
    const whole = openSession(scenario, { ...opts, checkpointBudget: 1 << 30 });
    runToEnd(whole.t);
    const s = openSession(scenario, { ...opts, checkpointBudget: (whole.t.hist.cpBytes - whole.t.hist.baseBytes) / 2 });
    runToEnd(s.t);
    const kept = s.t.hist.cps.filter((c) => c.chunks);
    expect(kept.length).toBeGreaterThan(2);
    expect(kept.length).toBeLessThan(s.t.hist.cps.length); // some were thinned
    // The state hash is restored with the checkpoint, so the stores themselves are compared with
    // the reference run's at the same step.
    const bytes = (k: typeof s.k): Buffer[] => k.st.list.map((x) => Buffer.from(x.a.buffer, x.a.byteOffset, x.a.byteLength));
    for (const c of kept) {
      seek(s.t, c.step > total / 2 ? 0 : total);
      seek(s.t, c.step);
      seek(ref.t, c.step);
      expect(timelineHash(s.t), `checkpoint at step ${c.step}`).toBe(hashes[c.step]);
      const got = bytes(s.k);
      const want = bytes(ref.k);
      expect(got.length).toBe(want.length);
      expect(got.findIndex((b, i) => !b.equals(want[i]!)), `the first store that differs at step ${c.step}`).toBe(-1);
    }
  });

  test('stepping back through a dropped segment re-executes, journals it again and lands on every reference hash', () => {
    const s = openSession(scenario, { segmentEntries: 400, journalBudget: 800 });
    runToEnd(s.t);
    seek(s.t, 0);
    const h = s.t.hist;
    expect(h.evictions).toBeGreaterThan(0);
    // A dropped segment late in the run, walked backwards from its end.
    const i = h.segs.findLastIndex((x, j) => j < h.segs.length - 1 && x.sid === null && x.endStep - x.startStep > 3);
    expect(i).toBeGreaterThan(0);
    const seg = h.segs[i]!;
    seek(s.t, seg.endStep);
    expect(timelineHash(s.t)).toBe(hashes[seg.endStep]);
    for (let n = seg.endStep - 1; n > seg.startStep; n--) {
      seek(s.t, n);
      expect(timelineHash(s.t), `step ${n}`).toBe(hashes[n]);
    }
    expect(s.t.reexecuted).toBeGreaterThan(0);
    expect(h.segs[i]!.sid).not.toBeNull(); // journaled again by the re-execution
  });

  test('a seek into a dropped journal goes a time slice at a time, can be left between slices, and lands on the reference hash', () => {
    const s = openSession(scenario, { segmentEntries: 400, journalBudget: 800 });
    runToEnd(s.t);
    const h = s.t.hist;
    const i = h.segs.findIndex((x, j) => j > 2 && j < h.segs.length - 1 && x.sid === null && x.endStep - x.startStep > 3);
    const target = h.segs[i]!.startStep + 2;
    expect(seekCost(s.t, target)).toBeGreaterThan(0);
    // Slices of 50 kernel stretches: the first is left half way (the state is a computed step's).
    let calls = 0;
    const slice = (): (() => boolean) => {
      let n = 0;
      return () => ++n > 50;
    };
    expect(seekSome(s.t, target, slice())).toBe(false);
    leaveReplay(s.t);
    expect(s.t.cur).toBeGreaterThanOrEqual(0);
    expect(timelineHash(s.t)).toBe(hashes[s.t.cur]);
    while (!seekSome(s.t, target, slice())) calls++;
    expect(calls).toBeGreaterThan(0);
    expect(s.t.cur).toBe(target);
    expect(timelineHash(s.t)).toBe(hashes[target]);
    expect(seekCost(s.t, target - 1)).toBe(0); // its segment is journaled again
  });

  test('computing past the frontier after a re-execution behind it continues the same run', () => {
    const s = openSession(scenario, { segmentEntries: 500, journalBudget: 1000 });
    seek(s.t, Math.floor(total / 2));
    materialize(s.t, 3); // the generators go back to step 0 and stop near 3
    expect(s.t.genStep).toBeLessThan(Math.floor(total / 2));
    runToEnd(s.t);
    expect(s.t.rec.n).toBe(total);
    expect(timelineHash(s.t)).toBe(hashes[total]);
  });

  test('the compact record costs at most 32 bytes a step', () => {
    const b = timelineBytes(ref.t);
    expect(b.steps / total).toBeLessThanOrEqual(32);
  });
});

describe('spans', () => {
  test('compact-memory has a compaction run per populated zone, migrate_pages calls and folios nested inside, found in order', () => {
    const s = openSession(findPreset('compact-memory')!.scenario);
    runToEnd(s.t);
    const t = s.t;
    const level = (name: string): number => SPAN_LEVELS.indexOf(name as never);
    const runs = t.spans.levels[level('compaction')]!;
    expect(runs.n).toBe(s.k.zones.filter((z) => z.name !== 'Device').length);
    const calls = t.spans.levels[level('migrate_pages')]!;
    const folios = t.spans.levels[level('folio')]!;
    expect(calls.n).toBeGreaterThan(0);
    expect(folios.n).toBeGreaterThanOrEqual(calls.n);
    // Every migrate_pages() call lies inside a compaction run; every folio inside a call.
    const inside = (outer: typeof runs, a: number, b: number): boolean => {
      for (let i = 0; i < outer.n; i++) if (outer.start[i]! <= a && b <= outer.end[i]!) return true;
      return false;
    };
    for (let i = 0; i < calls.n; i++) expect(inside(runs, calls.start[i]!, calls.end[i]!)).toBe(true);
    // A pageblock span is one pass of compact_zone()'s loop: the isolation and its migrate_pages().
    const blocks = t.spans.levels[level('pageblock')]!;
    for (let i = 0; i < calls.n; i++) expect(inside(blocks, calls.start[i]!, calls.end[i]!)).toBe(true);
    for (let i = 0; i < folios.n; i++) expect(inside(calls, folios.start[i]!, folios.end[i]!)).toBe(true);
    // The first step of a migrate_pages() span is the call's own step.
    expect(fnOf(t.rec, calls.start[0]!)).toMatch(/migrate_pages/);
    // Next / previous span walks the starts in order.
    let at = 0;
    const starts: number[] = [];
    for (let next = spanStep(t.spans, level('migrate_pages'), at, 1); next !== null; next = spanStep(t.spans, level('migrate_pages'), at, 1)) {
      starts.push(next);
      at = next;
    }
    expect(starts).toEqual(Array.from(calls.start.subarray(0, calls.n)));
    expect(spanStep(t.spans, level('migrate_pages'), at, -1)).toBe(starts[starts.length - 2]);
  });

  test('spans still open at the frontier are seen: in a zoomed range and by Previous span', () => {
    const full = openSession(findPreset('compact-memory')!.scenario);
    runToEnd(full.t);
    const run = full.t.spans.levels[SPAN_LEVELS.indexOf('compaction')]!;
    // Stop in the middle of the first compaction run: its span is open.
    const mid = Math.floor((run.start[0]! + run.end[0]!) / 2);
    const s = openSession(findPreset('compact-memory')!.scenario);
    seek(s.t, mid);
    const lvl = SPAN_LEVELS.indexOf('compaction');
    const open = openSpans(s.t).filter((o) => o.level === lvl);
    expect(open).toEqual([{ level: lvl, start: run.start[0]!, end: s.t.rec.n }]);
    expect(spansAt(s.t, lvl, 0, s.t.rec.n, 100)).toEqual([{ start: run.start[0]!, end: s.t.rec.n }]);
    expect(spanStepAt(s.t, lvl, mid, -1)).toBe(run.start[0]!);
    expect(spanStep(s.t.spans, lvl, mid, -1)).toBeNull(); // the closed spans alone do not know it yet
  });
});
