// Tracking memory per design (Design.tracking priced by kernel/designs/tracking.ts): what src[]/dst[]
// or the lists cost for a set of folios, and which folios a run's migrations collected — read back
// from its step table, so the footprint table can say it for any run without the kernel keeping a
// record: every path lists the folios it is about to move, with their sizes, in one step.

import { designOf, trackingCost, TRACKING_KINDS, type DesignName, type TrackingCost, type TrackingKind } from '../kernel/designs';
import { fnOf, pfnsOf, phaseOf, SF } from './steptable';
import type { Timeline } from './timeline';

export { trackingCost, type TrackingCost };

/** The design's tracking kind; a design that says nothing threads lists, as migrate_pages() does. */
export const trackingKindOf = (name: DesignName): TrackingKind => designOf(name).tracking ?? 'list';

/** What the design pays to track folios of `nrs` pages each (512 for a 2 MiB THP). */
export const trackingOf = (name: DesignName, nrs: readonly number[]): TrackingCost => trackingCost(trackingKindOf(name), nrs);

/** Every kind's cost for the same folios, in TRACKING_KINDS order: the comparison a reviewer asks for. */
export const trackingAll = (nrs: readonly number[]): TrackingCost[] => TRACKING_KINDS.map((kind) => trackingCost(kind, nrs));

/**
 * The isolate-phase steps where a migration lists the folios it takes into its tracking (role src,
 * with their sizes): migrate_pages()' opening step, the pfn-array design's setup step per page (a
 * page another migrator holds still takes a zero entry), the no-refcount design's opening step
 * (its array, before any test-and-set), converged's collect summary.
 */
const COLLECTS = new Set(['migrate_pages', 'migrate_movable_setup']);
/** Those whose per-page steps share the name: only the list step, the one without a result, counts. */
const LIST_STEP_ONLY = new Set(['migrate_offline_pfns', 'migrate_folios_collect']);

/** Sizes (pages) of the folios a run's migrations collected, each folio once per migration that took it. */
export function collectedFolios(t: Timeline): number[] {
  const tb = t.rec;
  const nrs: number[] = [];
  for (let id = 1; id <= tb.n; id++) {
    if (phaseOf(tb, id) !== 'isolate') continue;
    const fn = fnOf(tb, id);
    if (!COLLECTS.has(fn) && !(LIST_STEP_ONLY.has(fn) && !(tb.flags[id - 1]! & SF.hasResult))) continue;
    for (const p of pfnsOf(tb, id)) if (p.role === 'src') nrs.push(p.nr ?? 1);
  }
  return nrs;
}
