// Which pages the inspector shows while nothing is pinned: the current step's source and
// destination, as Python Tutor shows the frame the current line runs in. A step with neither
// (an allocation, a free, a pin) shows the page it names; the scanners' positions are places,
// not pages a person follows.
import type { PageMsg, Role, StepView } from '../../worker/protocol';

export interface Followed {
  readonly pfn: number;
  readonly role: Role;
}

const SINGLE: readonly Role[] = ['freed', 'allocated', 'pinned', 'target', 'buddy'];

/** The step's first source and first destination, or else the first page it names; [] for none. */
export function followTargets(step: StepView | null): Followed[] {
  if (!step) return [];
  const src = step.pfns.find((p) => p.role === 'src');
  const dst = step.pfns.find((p) => p.role === 'dst');
  if (src || dst) return [src, dst].filter((p) => p !== undefined).map((p) => ({ pfn: p.pfn, role: p.role }));
  const one = step.pfns.find((p) => SINGLE.includes(p.role));
  return one ? [{ pfn: one.pfn, role: one.role }] : [];
}

/** Same pages in the same roles (a new step that follows the same pair re-reads, not resets). */
export const sameTargets = (a: readonly Followed[], b: readonly Followed[]): boolean =>
  a.length === b.length && a.every((x, i) => x.pfn === b[i]!.pfn && x.role === b[i]!.role);

/** What the inspector follows while nothing is pinned: the pages, and their latest reads. */
export interface FollowState {
  /** The current step's pages, or the last step's that had any (a step may name none). */
  readonly targets: readonly Followed[];
  /** The latest `follow` read of each target, by PFN. */
  readonly pages: Readonly<Record<number, PageMsg>>;
}

export const NO_FOLLOW: FollowState = { targets: [], pages: {} };

/**
 * A new step: the pages to follow from now on, and which of them to read again (every target not
 * yet read at this step). A step naming no page keeps the previous ones, read again.
 */
export function followStep(prev: FollowState, step: StepView | null, at: number): { readonly state: FollowState; readonly read: readonly number[] } {
  const now = followTargets(step);
  const targets = now.length > 0 ? now : step ? prev.targets : [];
  const same = sameTargets(targets, prev.targets);
  const pages: Record<number, PageMsg> = {};
  for (const t of targets) if (prev.pages[t.pfn]) pages[t.pfn] = prev.pages[t.pfn]!;
  const state = same && Object.keys(pages).length === Object.keys(prev.pages).length ? prev : { targets, pages };
  return { state, read: targets.filter((t) => state.pages[t.pfn]?.step !== at).map((t) => t.pfn) };
}

/** A `follow` answer: kept when its page is still followed. */
export function followAnswer(s: FollowState, msg: PageMsg): FollowState {
  if (!s.targets.some((t) => t.pfn === msg.pfn)) return s;
  return { targets: s.targets, pages: { ...s.pages, [msg.pfn]: msg } };
}
