// `--compare A,B,…`: one scenario run under several designs, and per design the numbers a reviewer
// of the thread weighs — steps, the struct page fields the migrations touched (by what the page was),
// atomics, locks, the memory the design needs to track the pages, and how the migration ended.
// The metrics are a plain function of a finished session (designMetrics) so the browser's compare
// view can show the same numbers; compareTable formats them as the CLI's fixed-width table.
// Any registered design can be compared: nothing here names one.

import { DESIGN_NAMES, designOf, MPFN_BYTES, trackingCost, type DesignName, type TrackingKind } from '../kernel/designs';
import { FIELD_NAMES, FP_LOCKS, FP_STATES, LOCK_NAMES, type FpState } from '../kernel/memmap';
import { VM_EVENT } from '../kernel/vmstat';
import { exclusionsOf } from './exclusions';
import { failureLine, footprintTable, migrationCounts } from './footprint';
import type { Scenario } from './scenario';
import { openSession, type Session } from './session';
import { frontier, runToEnd } from './timeline';

/** Base pages in a PMD-sized THP (x86-64, 4 KiB pages). */
export const THP_PAGES = 512;

export interface FieldUse {
  readonly field: string;
  readonly read: boolean;
  readonly written: boolean;
}

export interface DesignMetrics {
  readonly variant: string;
  readonly steps: number;
  readonly migrated: number;
  readonly failed: number;
  /** Steps where a guard kept a task away from a page (engine/exclusions.ts). */
  readonly excluded: number;
  /** Writes of _refcount per migrated page (footprint.ts atomics). */
  readonly refcountAtomics: number;
  /** Single-bit writes of page->flags per migrated page (footprint.ts flagAtomics). */
  readonly flagAtomics: number;
  /** Acquisitions during the migrations, per lock the model takes (memmap.ts LOCK_NAMES). */
  readonly locks: readonly { readonly lock: string; readonly taken: number }[];
  readonly tracking: TrackingKind;
  /** Bytes of tracking arrays for the pages this run's migrations handled (0 for a list). */
  readonly trackingBytes: number;
  /** Bytes of tracking arrays one THP would need. */
  readonly thpBytes: number;
  /** Per FP_STATES state, the fields the migrations read or wrote while the page was in it. */
  readonly fields: readonly { readonly state: FpState; readonly fields: readonly FieldUse[] }[];
}

/** A design whose run stopped with an error (a BUG in the model under it): the one line it said. */
export interface DesignFailure {
  readonly variant: string;
  readonly failure: string;
}

export type CompareResult = DesignMetrics | DesignFailure;

export const isDesignFailure = (r: CompareResult): r is DesignFailure => 'failure' in r;

/** The metrics of a session whose timeline has run to its end under design `variant`. */
export function designMetrics(s: Session, variant: DesignName): DesignMetrics {
  const t = footprintTable(s);
  const counts = migrationCounts(s);
  const ev = s.k.events.a;
  const migrated = ev[VM_EVENT.PGMIGRATE_SUCCESS]!;
  const failed = ev[VM_EVENT.PGMIGRATE_FAIL]!;
  const tracking = designOf(variant).tracking ?? 'list';
  // The migrations here move order-0 pages one entry each; a THP is 512 pages or one folio.
  return {
    variant,
    steps: frontier(s.t),
    migrated,
    failed,
    excluded: exclusionsOf(s.t).length,
    refcountAtomics: t.atomics,
    flagAtomics: t.flagAtomics,
    locks: LOCK_NAMES.map((lock, i) => ({ lock, taken: counts[FP_LOCKS + i]! })),
    tracking,
    trackingBytes: t.tracking?.bytes ?? 0,
    thpBytes: trackingCost(tracking, [THP_PAGES]).bytes,
    fields: t.byState.map((x) => ({ state: x.state, fields: x.fields.map((f) => ({ field: f.field, read: f.reads > 0, written: f.writes > 0 })) })),
  };
}

/** Names from a comma list, each a registered design: one line naming the first that is not. */
export function parseDesignList(list: string): DesignName[] {
  const names = list.split(',').map((x) => x.trim()).filter(Boolean);
  for (const n of names) {
    if (!(DESIGN_NAMES as readonly string[]).includes(n)) throw new Error(`unknown variant ${JSON.stringify(n)}: one of ${DESIGN_NAMES.join(', ')}`);
  }
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup) throw new Error(`variant ${JSON.stringify(dup)} given twice`);
  return names as DesignName[];
}

/** Run `scenario` under each design, fast-forwarding (no step recorded in full), and measure each. */
export function compareDesigns(scenario: Scenario, variants: readonly DesignName[], open: (sc: Scenario) => Session = openSession): CompareResult[] {
  return variants.map((variant) => {
    try {
      const s = open({ ...scenario, variant });
      runToEnd(s.t);
      return designMetrics(s, variant);
    } catch (e) {
      return { variant, failure: failureLine(e) };
    }
  });
}

const mark = (u: FieldUse): string => (u.read ? 'r' : '') + (u.written ? 'w' : '') || '-';
const num = (n: number): string => String(Math.round(n * 100) / 100);

/** The rows of the table: a label and one cell per design ('' for a failed design). */
function rows(results: readonly CompareResult[]): [string, string[]][] {
  const ok = (f: (m: DesignMetrics) => string): string[] => results.map((r) => (isDesignFailure(r) ? '' : f(r)));
  const out: [string, string[]][] = [
    ['steps', results.map((r) => (isDesignFailure(r) ? 'BUG (below)' : String(r.steps)))],
    ['outcome: migrated', ok((m) => String(m.migrated))],
    ['outcome: failed', ok((m) => String(m.failed))],
    ['outcome: excluded', ok((m) => String(m.excluded))],
    ['atomics/page: _refcount', ok((m) => num(m.refcountAtomics))],
    ['atomics/page: flag bits', ok((m) => num(m.flagAtomics))],
    ...LOCK_NAMES.map((lock, i): [string, string[]] => [`locks taken: ${lock}`, ok((m) => String(m.locks[i]!.taken))]),
    ['tracking', ok((m) => m.tracking)],
    ['tracking bytes: this run', ok((m) => (m.tracking === 'list' ? '0 (lru)' : String(m.trackingBytes)))],
    ['tracking bytes: one THP', ok((m) => (m.tracking === 'list' ? '0 (lru)' : String(m.thpBytes)))],
  ];
  const good = results.filter((r): r is DesignMetrics => !isDesignFailure(r));
  FP_STATES.forEach((state, st) => {
    const used = FIELD_NAMES.map((_, i) => i).filter((i) => good.some((m) => { const u = m.fields[st]!.fields[i]!; return u.read || u.written; }));
    if (!used.length) return;
    out.push([`fields/page [${state}]`, ok((m) => String(m.fields[st]!.fields.filter((u) => u.read || u.written).length))]);
    for (const i of used) out.push([`  ${FIELD_NAMES[i]}`, ok((m) => mark(m.fields[st]!.fields[i]!))]);
  });
  return out;
}

export const COMPARE_NOTES: readonly string[] = [
  'outcome: PGMIGRATE_SUCCESS, PGMIGRATE_FAIL, and steps where a guard kept a task from a page (exclusions).',
  'atomics/page: writes of _refcount, and single-bit writes of page->flags (SetPage/ClearPage, test-and-set/clear),',
  '  by the migrate and race actions, per migrated page.',
  `locks taken: acquisitions by the migrate and race actions: ${LOCK_NAMES.join(', ')} (page lock: PG_locked set);`,
  '  the model has no lru_lock, zone lock or pages_lock, so none is counted.',
  `tracking bytes: a list threads page->lru (0 extra bytes); an array keeps 2 arrays (src[], dst[]) of ${MPFN_BYTES} B`,
  `  per page migrated or failed (compound: per folio); one THP is ${THP_PAGES} pages or 1 folio.`,
  'fields/page: struct page fields the migrations touched, r read, w written, split by what the page was:',
  '  offline PageOffline, isolated taken for migration, buddy free, other anything else.',
];

/** The fixed-width table: designs as columns, one row per metric, then the notes and any failures. */
export function compareTable(title: string, results: readonly CompareResult[]): string[] {
  const body = rows(results);
  const labelW = Math.max(title.length, ...body.map(([l]) => l.length));
  const colW = results.map((r, j) => Math.max(r.variant.length, ...body.map(([, c]) => c[j]!.length)));
  const line = (label: string, cells: readonly string[]): string => [label.padEnd(labelW), ...cells.map((c, j) => c.padStart(colW[j]!))].join('  ').trimEnd();
  return [
    line(title, results.map((r) => r.variant)),
    ...body.map(([l, c]) => line(l, c)),
    '',
    ...COMPARE_NOTES,
    ...results.filter(isDesignFailure).map((r) => `${r.variant}: ${r.failure}`),
  ];
}
