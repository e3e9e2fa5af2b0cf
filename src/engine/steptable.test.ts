// The compact step record: what it keeps of a step comes back as the step said it, and the
// failure index answers like a scan of every step.
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { appendStep, createStepTable, failedAt, failedStep, fileOf, fnOf, phaseOf, pfnsOf, roleAt, stepTableBytes, taskOf } from './steptable';
import type { Phase, Role, StepPfn } from '../kernel/step';

const PHASES: Phase[] = ['alloc', 'free', 'isolate', 'refcount', 'copy', 'remap', 'scan', 'done'];
const ROLES: Role[] = ['src', 'dst', 'buddy', 'scanner', 'target', 'pinned', 'freed', 'allocated'];

const pfnArb: fc.Arbitrary<StepPfn> = fc.record({
  pfn: fc.integer({ min: 0, max: (1 << 24) - 1 }),
  role: fc.constantFrom(...ROLES),
  nr: fc.oneof(fc.constant(undefined), fc.integer({ min: 0, max: 10 }).map((o) => 1 << o), fc.integer({ min: 2, max: 100_000 })),
}).map((p) => (p.nr === undefined ? { pfn: p.pfn, role: p.role } : p));

const stepArb = fc.record({
  phase: fc.constantFrom(...PHASES),
  fn: fc.constantFrom('migrate_pages', 'compact_zone', '__free_one_page'),
  file: fc.constantFrom('mm/migrate.c', 'mm/compaction.c', ''),
  result: fc.oneof(fc.constant(undefined), fc.constantFrom('0', '-EAGAIN', '-EBUSY', 'nr_failed=2', 'nr_failed=0', 'COMPACT_COMPLETE')),
  pfns: fc.array(pfnArb, { maxLength: 4 }),
  task: fc.constantFrom('kcompactd0', 'migrator-1000'),
});

describe('step table', () => {
  test('every field comes back as appended; roleAt finds the first range covering a PFN; the failure index matches a scan', () => {
    fc.assert(
      fc.property(fc.array(stepArb, { minLength: 1, maxLength: 300 }), (steps) => {
        const tb = createStepTable();
        steps.forEach((s, i) => appendStep(tb, 100 + i, i % 3, s.task, s));
        expect(tb.n).toBe(steps.length);
        steps.forEach((s, i) => {
          const id = i + 1;
          expect(phaseOf(tb, id)).toBe(s.phase);
          expect(fnOf(tb, id)).toBe(s.fn);
          expect(fileOf(tb, id)).toBe(s.file);
          expect(taskOf(tb, id)).toBe(s.task);
          expect(tb.mark[id]).toBe(100 + i);
          expect(pfnsOf(tb, id)).toEqual(s.pfns.map((p) => ((p.nr ?? 1) === 1 ? { pfn: p.pfn, role: p.role } : p)));
          const failed = s.result !== undefined && (s.result.startsWith('-') || /^nr_failed=[1-9]/.test(s.result));
          expect(failedAt(tb, id)).toBe(failed);
          for (const p of s.pfns) {
            const first = s.pfns.find((q) => p.pfn >= q.pfn && p.pfn < q.pfn + (q.nr ?? 1));
            expect(roleAt(tb, id, p.pfn)).toBe(first?.role ?? null);
          }
        });
        for (let cur = 0; cur <= steps.length + 1; cur++) {
          let next: number | null = null;
          for (let id = cur + 1; id <= steps.length && next === null; id++) if (failedAt(tb, id)) next = id;
          let prev: number | null = null;
          for (let id = Math.min(cur, steps.length + 1) - 1; id >= 1 && prev === null; id--) if (failedAt(tb, id)) prev = id;
          expect(failedStep(tb, cur, 1)).toBe(next);
          expect(failedStep(tb, cur, -1)).toBe(prev);
        }
        expect(stepTableBytes(tb)).toBeGreaterThan(0);
      }),
      { numRuns: 60, seed: 7 },
    );
  });

  test('a PFN beyond 24 bits is refused; a negative one (no page) is left out', () => {
    const tb = createStepTable();
    appendStep(tb, 1, 0, 't', { phase: 'alloc', fn: 'f', file: '', pfns: [{ pfn: -1, role: 'allocated' }, { pfn: 5, role: 'src' }] });
    expect(pfnsOf(tb, 1)).toEqual([{ pfn: 5, role: 'src' }]);
    expect(() => appendStep(tb, 2, 0, 't', { phase: 'alloc', fn: 'f', file: '', pfns: [{ pfn: 1 << 24, role: 'src' }] })).toThrow(/outside/);
  });
});
