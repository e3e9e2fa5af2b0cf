// The footprint table: which struct page fields the migrations of a run read and wrote, per
// migrated page (source and destination together), and the atomic refcount operations. The
// counts come from the memmap accessors while the kernel code runs (memmap.ts Footprint.counts),
// summed over the run's migrate and race actions.

import { FIELD_NAMES, NR_FIELDS, F } from '../kernel/memmap';
import { VM_EVENT } from '../kernel/vmstat';
import type { Scenario } from './scenario';
import { openSession, type Session } from './session';
import { runToEnd } from './timeline';

/** Design variants the model runs; the movable_ops issue adds linux-6.12, no-refcount, pfn-array. */
export const VARIANTS = ['linux-6.18', 'linux-6.12', 'no-refcount', 'pfn-array'];

export interface FieldCount {
  readonly field: string;
  readonly reads: number;
  readonly writes: number;
}

export interface FootprintTable {
  readonly pages: number;
  readonly fields: readonly FieldCount[];
  /** Writes of _refcount per migrated page: each folio_get/put/freeze/unfreeze is an atomic. */
  readonly atomics: number;
}

export function footprintTable(s: Session): FootprintTable {
  const total = new Float64Array(2 * NR_FIELDS);
  (s.scenario.actions ?? []).forEach((a, i) => {
    if (a.type !== 'migrate' && a.type !== 'race') return;
    const c = s.t.actionCounts.get(i);
    if (c) for (let j = 0; j < total.length; j++) total[j]! += c[j]!;
  });
  const pages = s.k.events.a[VM_EVENT.PGMIGRATE_SUCCESS]!;
  const per = (n: number): number => (pages ? Math.round((n / pages) * 100) / 100 : 0);
  const fields = FIELD_NAMES.map((field, i) => ({ field, reads: per(total[i]!), writes: per(total[NR_FIELDS + i]!) }));
  const refIndex = 31 - Math.clz32(F._refcount);
  return { pages, fields, atomics: per(total[NR_FIELDS + refIndex]!) };
}

export function footprintLines(s: Session, variant: string): string[] {
  const t = footprintTable(s);
  return [...t.fields.map((f) => `${variant} ${f.field} reads=${f.reads} writes=${f.writes}`), `${variant} atomics=${t.atomics}`];
}

export interface VariantFootprint extends FootprintTable {
  readonly variant: string;
}

/** The scenario run to its end under every design variant: the footprint tables side by side. */
export function compareVariants(scenario: Scenario): VariantFootprint[] {
  const c = startComparison(scenario);
  while (!stepComparison(c, () => false)) {
    /* every variant in one go */
  }
  return c.tables;
}

/** A comparison in progress, a time slice at a time (the worker's footprint job). */
export interface Comparison {
  readonly scenario: Scenario;
  readonly tables: VariantFootprint[];
  /** The variant running, and its session. */
  current: Session | null;
  /** Steps computed so far, over every variant. */
  steps: number;
}

export const startComparison = (scenario: Scenario): Comparison => ({ scenario, tables: [], current: null, steps: 0 });

/** Go on until `until()` says stop; true once every variant has run to its end. */
export function stepComparison(c: Comparison, until: () => boolean): boolean {
  while (c.tables.length < VARIANTS.length) {
    const variant = VARIANTS[c.tables.length]!;
    if (!c.current) c.current = openSession({ ...c.scenario, variant: variant as Scenario['variant'] });
    const before = c.current.t.rec.n;
    runToEnd(c.current.t, until);
    c.steps += c.current.t.rec.n - before;
    if (!c.current.t.done) return false;
    c.tables.push({ variant, ...footprintTable(c.current) });
    c.current = null;
    if (until()) return c.tables.length === VARIANTS.length;
  }
  return true;
}
