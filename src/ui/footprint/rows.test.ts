import { describe, expect, it } from 'vitest';
import type { FootprintTable, VariantResult } from '../../engine/footprint';
import { FIELD_NAMES, FP_STATES } from '../../kernel/memmap';
import { footprintRows, perPage } from './rows';

const VARIANTS = ['linux-6.18', 'linux-6.12', 'no-refcount', 'pfn-array'];

/** A table where `counts` gives field → [reads, writes] counted while PageOffline, 0 elsewhere. */
function table(variant: string, counts: Record<string, [number, number]>, atomics: number): VariantResult {
  const fields = (pick: boolean) => FIELD_NAMES.map((field) => ({ field, reads: pick ? counts[field]?.[0] ?? 0 : 0, writes: pick ? counts[field]?.[1] ?? 0 : 0 }));
  const t: FootprintTable = {
    pages: 2,
    fields: fields(true),
    atomics,
    flagAtomics: 0,
    byState: FP_STATES.map((state) => ({ state, fields: fields(state === 'offline'), atomics: state === 'offline' ? atomics : 0, flagAtomics: 0 })),
  };
  return { variant, ...t };
}

describe('footprint rows', () => {
  it('whole numbers print whole, others to two places without trailing zeros', () => {
    expect([2, 0, 31.5, 1.25, 0.33, 10.1].map(perPage)).toEqual(['2', '0', '31.5', '1.25', '0.33', '10.1']);
  });

  it('keeps touched fields, marks the cells that differ from the first variant, and leaves failed or pending variants empty', () => {
    const results: VariantResult[] = [
      table('linux-6.18', { flags: [3, 1], _refcount: [2, 2] }, 2),
      table('linux-6.12', { flags: [3, 1], _refcount: [2, 1] }, 1),
      { variant: 'no-refcount', failure: 'BUG: bad page state' },
    ];
    const rows = footprintRows(results, VARIANTS, false);
    expect(rows.map((r) => r.field)).toEqual(['flags', '_refcount', 'atomics']);
    expect(rows.map((r) => r.differs)).toEqual([
      [false, false, false, false],
      [false, true, false, false],
      [false, true, false, false],
    ]);
    expect(rows[1]!.cells).toEqual([{ reads: 2, writes: 2 }, { reads: 2, writes: 1 }, null, null]);
    expect(rows.every((r) => r.state === null)).toBe(true);
    // Only what differs: flags goes.
    expect(footprintRows(results, VARIANTS, false, true).map((r) => r.field)).toEqual(['_refcount', 'atomics']);
  });

  it('with the split, each field is followed by the states it was touched in', () => {
    const results = [table('linux-6.18', { flags: [3, 1] }, 0), table('linux-6.12', { flags: [3, 0] }, 0)];
    const rows = footprintRows(results, VARIANTS, true);
    expect(rows.map((r) => [r.field, r.state])).toEqual([['flags', null], ['flags', 'offline']]);
    expect(rows[1]!.differs).toEqual([false, true, false, false]);
  });

  it('no table yet: no rows', () => {
    expect(footprintRows([{ variant: 'linux-6.18', failure: 'x' }], VARIANTS, true)).toEqual([]);
  });
});
