// What differs between the panes' steps at one aligned moment, and which pages differ between
// their memories: what the compare view marks. Pure, so the marks are tested, not eyeballed.
import type { PaneStep } from '../../worker/compareProtocol';

/** Which of an aligned row's fields differ among the panes that have a step there. */
export interface StepDiff {
  readonly fn: boolean;
  readonly result: boolean;
  /** A guard kept a task out in some of the panes only, or for another reason. */
  readonly excluded: boolean;
  /** The refcount of the step's pages (by role, in order) right after the step. */
  readonly refcount: boolean;
}

const NO_DIFF: StepDiff = { fn: false, result: false, excluded: false, refcount: false };

/** "src 2, dst 1": the refcount each of the step's pages (by role, in the step's order) has after it. */
export function refcountsOf(s: PaneStep): string {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const p of s.pfns) {
    const key = `${p.role}/${p.pfn}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const after = s.after.find((a) => a.pfn === p.pfn);
    if (after) out.push(`${p.role} ${after.refcount}`);
  }
  return out.join(', ');
}

const differ = (values: readonly string[]): boolean => values.some((v) => v !== values[0]);

/**
 * The differences among `steps` (one per pane; null for a pane with no step at this moment, which
 * takes no part: its absence is marked on its own).
 */
export function diffSteps(steps: readonly (PaneStep | null)[]): StepDiff {
  const here = steps.filter((s): s is PaneStep => s !== null);
  if (here.length < 2) return NO_DIFF;
  return {
    fn: differ(here.map((s) => s.fn)),
    result: differ(here.map((s) => s.result ?? '')),
    excluded: differ(here.map((s) => (s.excluded ? `${s.excluded.guard}: ${s.excluded.why}` : ''))),
    refcount: differ(here.map(refcountsOf)),
  };
}

/** The PFNs whose state class is not the same in every view, ascending; at most `limit` (null beyond). */
export function differingPfns(views: readonly Uint8Array[], limit: number): number[] | null {
  if (views.length < 2) return [];
  const n = Math.min(...views.map((v) => v.length));
  const out: number[] = [];
  const first = views[0]!;
  for (let pfn = 0; pfn < n; pfn++) {
    const c = first[pfn];
    for (let i = 1; i < views.length; i++) {
      if (views[i]![pfn] !== c) {
        if (out.length >= limit) return null;
        out.push(pfn);
        break;
      }
    }
  }
  return out;
}
