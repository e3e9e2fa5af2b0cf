// Time travel: the state at step N is a pure function of (scenario, N), however N is reached.

import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { checkInvariants } from '../kernel/invariants';
import { buildView } from '../kernel/view';
import { PRESETS, findPreset } from './presets';
import { openSession } from './session';
import { frontier, runToEnd, seek, stepBy, timelineHash, currentStep, allSteps, markAt, journalOf } from './timeline';
import { createViewTracker, updateView } from './viewtracker';
import { parseScenario } from './scenario';

const withActions = PRESETS.filter((p) => (p.scenario.actions?.length ?? 0) > 0);

describe('determinism for every preset', () => {
  test.each(withActions.map((p) => [p.name]))('%s: the hash at N is the same run to N, sought back to N, and sought forward from 0', (name) => {
    const scenario = findPreset(name)!.scenario;
    const a = openSession(scenario);
    const total = runToEnd(a.t);
    expect(total).toBeGreaterThan(0);
    expect(checkInvariants(a.k)).toEqual([]);
    const hashes = [0, 1, Math.floor(total / 3), Math.floor(total / 2), total - 1, total].map((n) => {
      const b = openSession(scenario);
      seek(b.t, n); // run to N
      const direct = timelineHash(b.t);
      seek(a.t, n); // the fully computed timeline, sought to N from wherever it was
      expect(timelineHash(a.t), `${name} step ${n} after seeking`).toBe(direct);
      return direct;
    });
    // Going back from the end to 0 and forward again also lands on the same hashes.
    seek(a.t, 0);
    expect(timelineHash(a.t)).toBe(hashes[0]);
    seek(a.t, total);
    expect(timelineHash(a.t)).toBe(hashes[hashes.length - 1]);
    expect(checkInvariants(a.k)).toEqual([]);
  }, 120_000);

  test('different scenarios give different hashes, the same scenario twice the same', () => {
    const s1 = openSession(findPreset('fault-exit')!.scenario);
    const s2 = openSession(findPreset('fault-exit')!.scenario);
    runToEnd(s1.t);
    runToEnd(s2.t);
    expect(timelineHash(s1.t)).toBe(timelineHash(s2.t));
    const s3 = openSession(parseScenario({ ...findPreset('fault-exit')!.scenario, seed: 8 }));
    runToEnd(s3.t);
    expect(timelineHash(s3.t)).not.toBe(timelineHash(s1.t));
  });
});

describe('random seek sequences (property)', () => {
  const scenario = findPreset('fault-exit')!.scenario;
  const ref = openSession(scenario);
  const total = runToEnd(ref.t);
  // Reference hash of every step, computed by walking forward once.
  const expected: string[] = [];
  for (let n = 0; n <= total; n++) {
    seek(ref.t, n);
    expected.push(timelineHash(ref.t));
  }

  test('any order of seeks and steps lands on the reference hash, with small checkpoint spacing too', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.integer({ min: 0, max: total + 5 }).map((n) => ({ seek: n })), fc.integer({ min: -20, max: 20 }).map((d) => ({ step: d }))), { minLength: 1, maxLength: 40 }),
        fc.constantFrom(1 << 21, 200, 37),
        (ops, every) => {
          const s = openSession(scenario, { checkpointEvery: every });
          for (const op of ops) {
            const at = 'seek' in op ? seek(s.t, op.seek) : stepBy(s.t, op.step);
            expect(at).toBe(Math.max(0, Math.min('seek' in op ? op.seek : at, total)));
            expect(timelineHash(s.t)).toBe(expected[at]);
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  test('the incremental view equals a full rebuild after any seek', () => {
    const s = openSession(scenario, { checkpointEvery: 300 });
    runToEnd(s.t);
    seek(s.t, 0);
    const vt = createViewTracker(s.k, 0);
    const full = new Uint8Array(s.k.mem.nr);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: total }), { minLength: 1, maxLength: 25 }), (targets) => {
        for (const n of targets) {
          seek(s.t, n);
          updateView(vt, s.k, markAt(s.t, n), journalOf(s.t));
          buildView(s.k, full);
          expect(Buffer.compare(Buffer.from(vt.view), Buffer.from(full))).toBe(0);
        }
      }),
      { numRuns: 40 },
    );
  });
});

describe('steps', () => {
  test('buddy-split-merge walks the allocator as the kernel does: take, split down, allocate; free, merge up', () => {
    const s = openSession(findPreset('buddy-split-merge')!.scenario);
    runToEnd(s.t);
    const fns = allSteps(s.t).map((st) => st.fn);
    const firstAlloc = fns.indexOf('__alloc_pages');
    expect(fns[0]).toBe('__rmqueue_smallest');
    expect(firstAlloc).toBeGreaterThan(1);
    // Every step between taking the block and returning it is one halving by expand().
    expect(fns.slice(1, firstAlloc).every((f) => f === 'expand')).toBe(true);
    const taken = allSteps(s.t)[0]!.pfns[0]!;
    expect(Math.log2(taken.nr!) - 4).toBe(firstAlloc - 1); // halvings down to the order-4 request
    // Every split halves: the buddy of each split is the upper half.
    for (const st of allSteps(s.t).filter((x) => x.fn === 'expand')) {
      const [lower, upper] = st.pfns;
      expect(upper!.pfn - lower!.pfn).toBe(upper!.nr);
    }
    // Each merge combines a block with its buddy = pfn ^ (1 << order).
    for (const st of allSteps(s.t).filter((x) => x.fn === '__free_one_page' && x.phase === 'merge')) {
      const [merged, buddy] = st.pfns;
      expect(buddy!.pfn & ~(buddy!.nr! * 2 - 1)).toBe(merged!.pfn);
    }
    // The allocation's refcount is 1 right after __alloc_pages returns it.
    const alloc = allSteps(s.t).find((x) => x.fn === '__alloc_pages')!;
    expect(alloc.after[0]!.refcount).toBe(1);
  });

  test('step 0 has no current step; every step has a phase, a kernel function and a file', () => {
    const s = openSession(findPreset('fault-exit')!.scenario);
    expect(currentStep(s.t)).toBeUndefined();
    runToEnd(s.t);
    for (const st of allSteps(s.t)) {
      expect(st.fn).toMatch(/^[a-z_]+$/);
      if (st.phase !== 'done') expect(st.file).toMatch(/^(mm|kernel|fs)\//);
      expect(st.text.length).toBeGreaterThan(10);
    }
    expect(frontier(s.t)).toBe(allSteps(s.t).length);
  });

  test('race-alloc interleaves the two allocators round-robin at their yields', () => {
    const s = openSession(findPreset('race-alloc')!.scenario);
    runToEnd(s.t);
    const yields = allSteps(s.t).filter((x) => x.fn === '__alloc_pages').map((x) => x.task);
    expect(yields.length).toBe(12);
    for (let i = 0; i < 12; i++) expect(yields[i]).toBe(i % 2 === 0 ? 'alloc-1000' : 'alloc-1001');
  });

  test('an explicit schedule is followed, then the rest run in order', () => {
    const base = findPreset('race-alloc')!.scenario;
    const par = base.actions![0]!;
    const sc = parseScenario({ ...base, actions: [{ ...par, schedule: [1, 1, 0] }] });
    const s = openSession(sc);
    runToEnd(s.t);
    const who = allSteps(s.t).filter((x) => x.fn === '__alloc_pages').map((x) => x.task.slice(-1));
    expect(who.slice(0, 6).join('')).toBe('110110');
  });

  test('a failing action reports the kernel result and leaves memory consistent', () => {
    const sc = parseScenario({ v: 1, memory: { pfns: 8192 }, seed: 7, populate: { processes: 6, files: 12 }, actions: [
      { type: 'free', pfn: 0 },
      { type: 'unpin', process: 1, page: 0 },
      { type: 'fault', process: 99, pages: 1 },
    ] });
    const s = openSession(sc);
    runToEnd(s.t);
    expect(allSteps(s.t).map((x) => x.result)).toEqual(['-EINVAL', '-EINVAL', 'VM_FAULT_SIGSEGV']);
    expect(allSteps(s.t)[0]!.text).toMatch(/PG_reserved/);
    expect(checkInvariants(s.k)).toEqual([]);
  });
});
