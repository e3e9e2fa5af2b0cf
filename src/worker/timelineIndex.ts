// What the worker derives from the computed steps for the UI's timeline: the scrubber's markers,
// the kernel functions seen (breakpoint suggestions), the steps of the phases of interest (Previous
// / Next phase) and one page's history. All of it reads the compact step records
// (engine/steptable.ts), never kernel state or full steps, so it costs nothing on the frontier and
// works the same for any step of the computed prefix, however long the run.
//
// Incremental: computed steps never change within a session (an edit opens a new one), so each
// index remembers how far it has read and only looks at steps computed since.
import { failedAt, failedStep, fileOf, fnOf, phaseOf, roleAt, PHASE_IDS, type StepTable } from '../engine/steptable';
import { HISTORY_KEEP, PHASES_OF_INTEREST, type HistoryMark, type Marker } from './protocol';

const OF_INTEREST = new Uint8Array(32);
for (const p of PHASES_OF_INTEREST) OF_INTEREST[PHASE_IDS.get(p)!] = 1;

/**
 * Markers a session sends at most: a run of millions of steps is navigated by its spans (the
 * timeline's zoom and Next/Previous span), not by a marker per step. Failures and action starts
 * are kept first; phase markers stop once the budget is spent.
 */
export const MAX_MARKERS = 20_000;

export interface MarkerIndex {
  /** Steps 1 .. upTo have been read. */
  upTo: number;
  sent: number;
  readonly actions: Set<number>;
  readonly fns: Set<string>;
}

export const createMarkerIndex = (): MarkerIndex => ({ upTo: 0, sent: 0, actions: new Set(), fns: new Set() });

/** Markers and new kernel function names of the steps computed since the last call. */
export function collectMarkers(ix: MarkerIndex, tb: StepTable): { markers: Marker[]; fns: string[] } {
  const markers: Marker[] = [];
  const fns: string[] = [];
  const seenFn = new Set<number>();
  for (; ix.upTo < tb.n; ix.upTo++) {
    const id = ix.upTo + 1;
    const i = ix.upTo;
    const action = tb.action[i]!;
    if (!ix.actions.has(action)) {
      ix.actions.add(action);
      markers.push({ step: id, kind: 'action' });
    }
    if (ix.sent + markers.length < MAX_MARKERS) {
      if (failedAt(tb, id)) markers.push({ step: id, kind: 'fail' });
      if (OF_INTEREST[tb.phase[i]!]) markers.push({ step: id, kind: phaseOf(tb, id) as Marker['kind'] });
    }
    // The engine's own end-of-action steps (file '') model no kernel function.
    const f = tb.fn[i]!;
    if (!seenFn.has(f)) {
      seenFn.add(f);
      const name = fnOf(tb, id);
      if (fileOf(tb, id) && !ix.fns.has(name)) {
        ix.fns.add(name);
        fns.push(name);
      }
    }
  }
  ix.sent += markers.length;
  return { markers, fns };
}

/**
 * The markers of steps [from, to] (failures and phases of interest; not action starts, which the
 * frames always carry), at most `max`, thinned evenly by step.
 */
export function markersIn(tb: StepTable, from: number, to: number, max: number): Marker[] {
  const lo = Math.max(1, from);
  const hi = Math.min(tb.n, to);
  const out: Marker[] = [];
  if (hi < lo) return out;
  // Thin by buckets of steps: the first marker of each kind per bucket.
  const bucket = Math.max(1, Math.ceil((hi - lo + 1) / max));
  let lastFail = -1;
  let lastPhase = -1;
  for (let id = lo; id <= hi; id++) {
    const b = Math.floor((id - lo) / bucket);
    if (b !== lastFail && failedAt(tb, id)) {
      lastFail = b;
      out.push({ step: id, kind: 'fail' });
    }
    if (b !== lastPhase && OF_INTEREST[tb.phase[id - 1]!]) {
      lastPhase = b;
      out.push({ step: id, kind: phaseOf(tb, id) as Marker['kind'] });
    }
  }
  return out;
}

/**
 * The id of the nearest computed step after (dir 1) or before (dir -1) step `cur` whose phase is
 * of interest, or null when the computed steps have none that way.
 */
export function findPhaseStep(tb: StepTable, cur: number, dir: 1 | -1): number | null {
  const ph = tb.phase;
  if (dir > 0) {
    for (let i = cur; i < tb.n; i++) if (OF_INTEREST[ph[i]!]) return i + 1;
  } else {
    for (let i = Math.min(cur, tb.n + 1) - 2; i >= 0; i--) if (OF_INTEREST[ph[i]!]) return i + 1;
  }
  return null;
}

/** The next (dir 1) or previous (dir -1) computed step that failed, or null (a binary search). */
export const findFailedStep = (tb: StepTable, cur: number, dir: 1 | -1): number | null => failedStep(tb, cur, dir);

export interface PageHistory {
  readonly pfn: number;
  /** Steps 1 .. upTo have been read. */
  upTo: number;
  readonly marks: HistoryMark[];
  /** Marks found, including those past HISTORY_KEEP. */
  total: number;
}

/**
 * The history of `pfn` over the computed steps, reusing `prev` when it is the same page (the UI
 * asks again at every step while a page is selected).
 */
export function pageHistory(prev: PageHistory | null, tb: StepTable, pfn: number): PageHistory {
  const h = prev && prev.pfn === pfn ? prev : { pfn, upTo: 0, marks: [], total: 0 };
  for (; h.upTo < tb.n; h.upTo++) {
    const id = h.upTo + 1;
    const role = roleAt(tb, id, pfn);
    if (role === null) continue;
    h.total++;
    if (h.marks.length < HISTORY_KEEP) h.marks.push({ step: id, phase: phaseOf(tb, id), role, failed: failedAt(tb, id) });
  }
  return h;
}
