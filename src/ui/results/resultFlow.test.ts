import { describe, expect, it } from 'vitest';
import type { CompactionResult } from '../../engine/compaction-result';
import { atRunEnd, realAfterFor, seriesByOrder } from './resultFlow';

const files = (...names: string[]) => names.map((name) => ({ name }));

describe('the result view', () => {
  it("takes after.buddyinfo beside a before capture as the real machine after the run, and nothing else", () => {
    const given = files('before.kpageflags', 'before.kpagecount', 'before.buddyinfo', 'after.buddyinfo', 'after.zoneinfo');
    expect(realAfterFor('before', given)?.name).toBe('after.buddyinfo');
    expect(realAfterFor('run1-before', files('run1-after.buddyinfo', 'after.buddyinfo'))?.name).toBe('run1-after.buddyinfo');
    expect(realAfterFor('before', files('before.buddyinfo', 'after.zoneinfo'))).toBeNull();
    // An "after" capture imported has no later state to compare with; nor has one named otherwise.
    expect(realAfterFor('after', given)).toBeNull();
    expect(realAfterFor('', files('after.buddyinfo'))).toBeNull();
    expect(realAfterFor('rebefore', files('reafter.buddyinfo'))).toBeNull();
  });

  it('opens at the end of an imported run only', () => {
    const meta = { done: true, step: 9, frontier: 9 };
    const base = { imported: {} as never, meta: meta as never, scenario: { actions: [{ type: 'compact' }] } as never };
    expect(atRunEnd(base)).toBe(true);
    expect(atRunEnd({ ...base, meta: { ...meta, step: 8 } as never })).toBe(false);
    expect(atRunEnd({ ...base, meta: { ...meta, done: false } as never })).toBe(false);
    expect(atRunEnd({ ...base, imported: null })).toBe(false);
    expect(atRunEnd({ ...base, scenario: { actions: [] } as never })).toBe(false); // an import shown as imported
  });

  it('sums the zones per order for the chart', () => {
    const r: CompactionResult = {
      zones: [
        { zone: 'DMA', before: [1, 0, 2], after: [0, 1, 2], realAfter: [0, 0, 3] },
        { zone: 'DMA32', before: [10, 5, 0], after: [2, 3, 4], realAfter: [1, 3, 5] },
      ],
      migrated: 3,
      failed: 1,
      real: { name: 'after.buddyinfo', error: 0.1, errorLine: 'x', deltaBlocks: [1, 1, -2] },
    };
    expect(seriesByOrder(r)).toEqual({ before: [11, 5, 2], after: [2, 4, 6], realAfter: [1, 3, 8] });
    expect(seriesByOrder({ ...r, real: null, zones: r.zones.map((z) => ({ ...z, realAfter: null })) }).realAfter).toBeNull();
  });
});
