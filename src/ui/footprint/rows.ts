// The footprint table's rows, apart from React: per struct page field one row of "reads / writes
// per migrated page" cells, one per design variant, and with the split on, under each field the
// page states it was touched in. A cell that differs from the first variant's (mainline, the
// design the others are proposals against) is marked, so a reader sees where the designs part.
import type { VariantResult } from '../../engine/footprint';
import { FP_STATES, type FpState } from '../../kernel/memmap';

/** A per-page count as a person reads it: whole where it is whole (2, not 2.00), else to 2 places without trailing zeros (31.5). */
export function perPage(n: number): string {
  if (Number.isInteger(n)) return String(n);
  return n.toFixed(2).replace(/0+$/, '');
}

/** One variant's count: reads and writes, or null where the variant failed or has not run yet. */
export type Cell = { readonly reads: number; readonly writes: number } | null;

export interface Row {
  readonly field: string;
  /** null: every state together; else the part counted while the page was in this state. */
  readonly state: FpState | null;
  readonly cells: readonly Cell[];
  /** Per cell: a count, and not the first variant's (the first is never marked). */
  readonly differs: readonly boolean[];
}

const same = (a: Cell, b: Cell): boolean => a !== null && b !== null && a.reads === b.reads && a.writes === b.writes;
const touched = (c: Cell): boolean => c !== null && (c.reads !== 0 || c.writes !== 0);

function row(field: string, state: FpState | null, cells: readonly Cell[]): Row {
  const base = cells[0] ?? null;
  return { field, state, cells, differs: cells.map((c, i) => i > 0 && c !== null && base !== null && !same(c, base)) };
}

/**
 * The rows for `results` (in the order of `variants`; a variant absent from `results` has not run
 * yet): the fields some variant touched, then `atomic refcount ops` (as field "atomics"). With
 * `split`, each is followed by a row per page state some variant touched it in. `onlyDiffering`
 * keeps the fields where some variant differs from the first (with all their state rows).
 */
export function footprintRows(results: readonly VariantResult[], variants: readonly string[], split: boolean, onlyDiffering = false): Row[] {
  const byVariant = variants.map((v) => results.find((r) => r.variant === v));
  const tables = byVariant.map((r) => (r && !('failure' in r) ? r : null));
  const first = tables.find((t) => t !== null);
  if (!first) return [];
  const fieldCell = (state: FpState | null, i: number) => (t: (typeof tables)[number]): Cell => {
    if (!t) return null;
    const f = (state === null ? t : t.byState.find((x) => x.state === state)!).fields[i]!;
    return { reads: f.reads, writes: f.writes };
  };
  const atomicCell = (state: FpState | null) => (t: (typeof tables)[number]): Cell => {
    if (!t) return null;
    return { reads: 0, writes: state === null ? t.atomics : t.byState.find((x) => x.state === state)!.atomics };
  };
  const groups: Row[][] = [];
  const group = (name: string, cellOf: (state: FpState | null) => (t: (typeof tables)[number]) => Cell): void => {
    const total = row(name, null, tables.map(cellOf(null)));
    if (!total.cells.some(touched)) return;
    if (onlyDiffering && !total.differs.some(Boolean)) return;
    const parts = split ? FP_STATES.map((st) => row(name, st, tables.map(cellOf(st)))).filter((r) => r.cells.some(touched)) : [];
    groups.push([total, ...parts]);
  };
  first.fields.forEach((f, i) => group(f.field, (st) => fieldCell(st, i)));
  group('atomics', atomicCell);
  return groups.flat();
}
