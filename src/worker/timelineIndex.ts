// What the worker derives from the computed steps for the UI's timeline: the scrubber's markers,
// the kernel functions seen (breakpoint suggestions), the steps of the phases of interest (Previous
// / Next phase) and one page's history. All of it reads Step records only, never kernel state, so
// it costs nothing on the frontier and works the same for any step of the computed prefix.
//
// Incremental: computed steps never change within a session (an edit opens a new one), so each
// index remembers how far it has read and only looks at steps computed since. A 6,000-step
// timeline (migrate-process) is read once, not once per frame.
import type { Step } from '../engine/timeline';
import { HISTORY_KEEP, isFailedResult, PHASES_OF_INTEREST, type HistoryMark, type Marker, type Phase } from './protocol';

const OF_INTEREST: ReadonlySet<Phase> = new Set(PHASES_OF_INTEREST);

export const isPhaseOfInterest = (p: Phase): boolean => OF_INTEREST.has(p);

/** A step failed when its result is an error code ("-EAGAIN", "-EBUSY") or a replayed batch's nr_failed=N. */
export const stepFailed = (s: Step): boolean => isFailedResult(s.result);

export interface MarkerIndex {
  /** steps[0 .. upTo) have been read. */
  upTo: number;
  readonly actions: Set<number>;
  readonly fns: Set<string>;
}

export const createMarkerIndex = (): MarkerIndex => ({ upTo: 0, actions: new Set(), fns: new Set() });

/** Markers and new kernel function names of the steps computed since the last call. */
export function collectMarkers(ix: MarkerIndex, steps: readonly Step[]): { markers: Marker[]; fns: string[] } {
  const markers: Marker[] = [];
  const fns: string[] = [];
  for (; ix.upTo < steps.length; ix.upTo++) {
    const s = steps[ix.upTo]!;
    if (!ix.actions.has(s.action)) {
      ix.actions.add(s.action);
      markers.push({ step: s.id, kind: 'action' });
    }
    if (stepFailed(s)) markers.push({ step: s.id, kind: 'fail' });
    if (isPhaseOfInterest(s.phase)) markers.push({ step: s.id, kind: s.phase as Marker['kind'] });
    // The engine's own end-of-action steps (file '') model no kernel function.
    if (s.file && !ix.fns.has(s.fn)) {
      ix.fns.add(s.fn);
      fns.push(s.fn);
    }
  }
  return { markers, fns };
}

/**
 * The id of the nearest computed step after (dir 1) or before (dir -1) step `cur` whose phase is
 * of interest, or null when the computed steps have none that way. steps[i] is step i + 1.
 */
export function findPhaseStep(steps: readonly Step[], cur: number, dir: 1 | -1): number | null {
  if (dir > 0) {
    for (let i = cur; i < steps.length; i++) if (OF_INTEREST.has(steps[i]!.phase)) return i + 1;
  } else {
    for (let i = Math.min(cur, steps.length + 1) - 2; i >= 0; i--) if (OF_INTEREST.has(steps[i]!.phase)) return i + 1;
  }
  return null;
}

/** Does step `s` touch page `pfn`? The role of its first PFN range that covers it, or null. */
export function touchRole(s: Step, pfn: number): HistoryMark['role'] | null {
  for (const p of s.pfns) if (pfn >= p.pfn && pfn < p.pfn + (p.nr ?? 1)) return p.role;
  return null;
}

export interface PageHistory {
  readonly pfn: number;
  /** steps[0 .. upTo) have been read. */
  upTo: number;
  readonly marks: HistoryMark[];
  /** Marks found, including those past HISTORY_KEEP. */
  total: number;
}

/**
 * The history of `pfn` over the computed steps, reusing `prev` when it is the same page (the UI
 * asks again at every step while a page is selected).
 */
export function pageHistory(prev: PageHistory | null, steps: readonly Step[], pfn: number): PageHistory {
  const h = prev && prev.pfn === pfn ? prev : { pfn, upTo: 0, marks: [], total: 0 };
  for (; h.upTo < steps.length; h.upTo++) {
    const s = steps[h.upTo]!;
    const role = touchRole(s, pfn);
    if (role === null) continue;
    h.total++;
    if (h.marks.length < HISTORY_KEEP) h.marks.push({ step: s.id, phase: s.phase, role, failed: stepFailed(s) });
  }
  return h;
}
