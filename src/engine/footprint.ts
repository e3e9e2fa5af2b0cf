// The footprint table: which struct page fields the migrations of a run read and wrote, per
// migrated page (source and destination together), and the atomic refcount operations. The
// counts come from the memmap accessors while the kernel code runs (memmap.ts Footprint.counts),
// summed over the run's migrate and race actions, and split by what the page was when the field
// was touched (memmap.ts FP_STATES): a balloon page, an isolated folio, a free page, other.

import { FIELD_NAMES, FP_COUNTS, FP_FLAG_BITS, FP_STATES, NR_FIELDS, F, fieldIndex, type FpState } from '../kernel/memmap';
import { VM_EVENT } from '../kernel/vmstat';
import { DESIGN_NAMES } from '../kernel/designs/names';
import type { Scenario } from './scenario';
import { openSession, type Session } from './session';
import { footprintCounted } from './footprint-actions';
import { runToEnd } from './timeline';
import { collectedFolios, trackingOf, type TrackingCost } from './tracking';

/** Design variants the comparison runs: every registered design, in the registry's order. */
export const VARIANTS: readonly string[] = DESIGN_NAMES;

export interface FieldCount {
  readonly field: string;
  readonly reads: number;
  readonly writes: number;
}

/** The counts made while the pages touched were in one state. */
export interface FootprintSplit {
  readonly state: FpState;
  readonly fields: readonly FieldCount[];
  /** Writes of _refcount per migrated page in this state. */
  readonly atomics: number;
  /** Single-bit writes of page->flags (set_bit/clear_bit and test-and-* RMWs) per migrated page in this state. */
  readonly flagAtomics: number;
}

export interface FootprintTable {
  readonly pages: number;
  readonly fields: readonly FieldCount[];
  /** Writes of _refcount per migrated page: each folio_get/put/freeze/unfreeze is an atomic. */
  readonly atomics: number;
  /** Single-bit writes of page->flags per migrated page: SetPageX/ClearPageX and test-and-set/clear are atomic RMWs. */
  readonly flagAtomics: number;
  /** The same counts by what the page was when touched, in FP_STATES order; they add up to `fields`. */
  readonly byState: readonly FootprintSplit[];
  /** What the run's design paid to track the folios its migrations collected (engine/tracking.ts). */
  readonly tracking?: TrackingCost;
}

const REF = fieldIndex(F._refcount);

/** The counts (memmap.ts Footprint.counts layout) summed over the run's migrate and race actions. */
export function migrationCounts(s: Session): Float64Array {
  const total = new Float64Array(FP_COUNTS);
  (s.scenario.actions ?? []).forEach((a, i) => {
    if (!footprintCounted(a)) return;
    const c = s.t.actionCounts.get(i);
    if (c) for (let j = 0; j < total.length; j++) total[j]! += c[j]!;
  });
  return total;
}

export function footprintTable(s: Session): FootprintTable {
  const total = migrationCounts(s);
  const pages = s.k.events.a[VM_EVENT.PGMIGRATE_SUCCESS]!;
  const per = (n: number): number => (pages ? Math.round((n / pages) * 100) / 100 : 0);
  const sum = (j: number): number => FP_STATES.reduce((n, _, st) => n + total[2 * NR_FIELDS * st + j]!, 0);
  const fields = FIELD_NAMES.map((field, i) => ({ field, reads: per(sum(i)), writes: per(sum(NR_FIELDS + i)) }));
  const byState = FP_STATES.map((state, st) => {
    const at = (j: number): number => per(total[2 * NR_FIELDS * st + j]!);
    return { state, fields: FIELD_NAMES.map((field, i) => ({ field, reads: at(i), writes: at(NR_FIELDS + i) })), atomics: at(NR_FIELDS + REF), flagAtomics: per(total[FP_FLAG_BITS + st]!) };
  });
  const flagAtomics = per(FP_STATES.reduce((n, _, st) => n + total[FP_FLAG_BITS + st]!, 0));
  const tracking = trackingOf(s.scenario.variant ?? 'linux-6.18', collectedFolios(s.t));
  return { pages, fields, atomics: per(sum(NR_FIELDS + REF)), flagAtomics, byState, tracking };
}

/** `--footprint`: the totals, then per state the fields touched in it (`<variant> [<state>] <field> ...`). */
export function footprintLines(s: Session, variant: string): string[] {
  const t = footprintTable(s);
  const split = t.byState.flatMap((x) =>
    x.fields.filter((f) => f.reads || f.writes).map((f) => `${variant} [${x.state}] ${f.field} reads=${f.reads} writes=${f.writes}`));
  return [...t.fields.map((f) => `${variant} ${f.field} reads=${f.reads} writes=${f.writes}`), `${variant} atomics=${t.atomics}`, ...split];
}

export interface VariantFootprint extends FootprintTable {
  readonly variant: string;
}

/**
 * A variant whose run stopped with an error (a BUG in the model under that design): the one line
 * it said, in place of its table. The other variants still run; the session shown is not touched.
 */
export interface VariantFailure {
  readonly variant: string;
  readonly failure: string;
}

export type VariantResult = VariantFootprint | VariantFailure;

export const isFailure = (r: VariantResult): r is VariantFailure => 'failure' in r;

/** A comparison in progress, a time slice at a time (the worker's footprint job). */
export interface Comparison {
  readonly scenario: Scenario;
  /** One per variant finished, in VARIANTS order. */
  readonly results: VariantResult[];
  /** The variant running, and its session. */
  current: Session | null;
  /** Steps computed so far, over every variant. */
  steps: number;
  /** Opens a variant's session (tests pass one that fails). */
  readonly open: (scenario: Scenario) => Session;
}

export const startComparison = (scenario: Scenario, open: (scenario: Scenario) => Session = openSession): Comparison => ({ scenario, results: [], current: null, steps: 0, open });

/** An error as one line: its first line, with the error's name when it has one beyond "Error". */
export function failureLine(e: unknown): string {
  const text = e instanceof Error ? (e.name && e.name !== 'Error' ? `${e.name}: ${e.message}` : e.message) : String(e);
  return text.replace(/\s+/g, ' ').trim() || 'failed without a message';
}

/** Go on until `until()` says stop; true once every variant has run to its end or failed. */
export function stepComparison(c: Comparison, until: () => boolean): boolean {
  while (c.results.length < VARIANTS.length) {
    const variant = VARIANTS[c.results.length]!;
    try {
      if (!c.current) c.current = c.open({ ...c.scenario, variant: variant as Scenario['variant'] });
      const before = c.current.t.rec.n;
      try {
        runToEnd(c.current.t, until);
      } finally {
        c.steps += c.current.t.rec.n - before;
      }
      if (!c.current.t.done) return false;
      c.results.push({ variant, ...footprintTable(c.current) });
    } catch (e) {
      c.results.push({ variant, failure: failureLine(e) });
    }
    c.current = null;
    if (until()) return c.results.length === VARIANTS.length;
  }
  return true;
}
