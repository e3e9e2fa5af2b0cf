import { describe, expect, test } from 'vitest';
import { differingPfns, diffSteps, refcountsOf } from './diff';
import type { PaneStep } from '../../worker/compareProtocol';

const step = (over: Partial<PaneStep>): PaneStep => ({
  id: 1, phase: 'isolate', task: 'migrator-1011', fn: 'isolate_movable_ops_page', file: 'mm/migrate.c', sourceUrl: null,
  text: '', result: 'true', pfns: [{ pfn: 0x1004, role: 'src' }], after: [{ pfn: 0x1004, refcount: 2, mapcount: 0 }], ...over,
});

describe('diffSteps', () => {
  test('the same step under two designs: nothing marked', () => {
    expect(diffSteps([step({}), step({ id: 9 })])).toEqual({ fn: false, result: false, excluded: false, refcount: false });
  });

  test('function, result, refcount and an exclusion in one pane only are each marked', () => {
    const a = step({ result: 'false', excluded: { guard: 'isolated-flag', why: 'PG_movable_ops_isolated already set' } });
    const b = step({ fn: 'isolate_offline_page', after: [{ pfn: 0x1004, refcount: 0, mapcount: 0 }] });
    expect(diffSteps([a, b])).toEqual({ fn: true, result: true, excluded: true, refcount: true });
  });

  test('a pane without the moment takes no part; one pane left compares with nothing', () => {
    expect(diffSteps([step({}), null, step({ fn: 'other' })]).fn).toBe(true);
    expect(diffSteps([step({}), null])).toEqual({ fn: false, result: false, excluded: false, refcount: false });
  });

  test('refcountsOf: each page once, by role, with its value after the step', () => {
    const s = step({
      pfns: [{ pfn: 0x1003, role: 'src' }, { pfn: 0x1de3, role: 'dst' }, { pfn: 0x1003, role: 'src' }],
      after: [{ pfn: 0x1003, refcount: 1, mapcount: 0 }, { pfn: 0x1de3, refcount: 2, mapcount: 0 }],
    });
    expect(refcountsOf(s)).toBe('src 1, dst 2');
  });
});

describe('differingPfns', () => {
  test('the PFNs not alike in every view; null past the limit', () => {
    const a = Uint8Array.from([1, 2, 3, 4, 5]);
    const b = Uint8Array.from([1, 9, 3, 4, 5]);
    const c = Uint8Array.from([1, 2, 3, 4, 7]);
    expect(differingPfns([a, b], 10)).toEqual([1]);
    expect(differingPfns([a, b, c], 10)).toEqual([1, 4]);
    expect(differingPfns([a, b, c], 1)).toBeNull();
    expect(differingPfns([a, a], 10)).toEqual([]);
  });
});
