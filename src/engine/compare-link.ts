// Compare links: the share link of a scenario (`#preset=<name>` or `#s=<payload>`, share.ts) with
// `compare=<design>,<design>[,…]` — the same scenario run once under each design, side by side —
// and `steps=<n>,<n>[,…]`, the step each pane shows (the panes step in lockstep but one design
// may take more steps than another, so one number cannot say where they all are). A normal link's
// `step` and `pfn` are left to the session behind the compare view. Every failure is a ShareError
// with one line naming what is wrong.

import { DESIGN_NAMES, type DesignName } from '../kernel/designs/names';
import { fragmentParams, parseShareUrl, ShareError, type ShareState } from './share';

/** Panes a compare view shows at most: four grids still read side by side on a wide screen. */
export const MAX_COMPARE_PANES = 4;

export interface CompareLink {
  /** The scenario (its own `variant` is replaced by each pane's design). */
  readonly share: ShareState;
  readonly designs: readonly DesignName[];
  /** The step of each pane, one per design (0 when the link gives none). */
  readonly steps: readonly number[];
}

/** The fragment (or whole URL) names a compare view: it has a `compare=` key. */
export function isCompareLink(url: string): boolean {
  const hashAt = url.indexOf('#');
  return fragmentParams(hashAt >= 0 ? url.slice(hashAt + 1) : url).has('compare');
}

/** The designs a `compare=` value names, checked against the registry. */
export function parseDesignList(value: string): DesignName[] {
  const names = value.split(',').map((n) => n.trim());
  const known = DESIGN_NAMES as readonly string[];
  for (const n of names) {
    if (n === '') throw new ShareError(`compare=${JSON.stringify(value.slice(0, 80))} has an empty design name (give 2 to ${MAX_COMPARE_PANES}, comma-separated)`);
    if (!known.includes(n)) throw new ShareError(`compare= names no known design: ${JSON.stringify(n.slice(0, 40))} (designs: ${DESIGN_NAMES.join(', ')})`);
  }
  if (names.length < 2) throw new ShareError(`compare= names ${names.length} design: give 2 to ${MAX_COMPARE_PANES}, comma-separated`);
  if (names.length > MAX_COMPARE_PANES) throw new ShareError(`compare= names ${names.length} designs: at most ${MAX_COMPARE_PANES}`);
  const twice = names.find((n, i) => names.indexOf(n) !== i);
  if (twice !== undefined) throw new ShareError(`compare= names ${twice} twice`);
  return names as DesignName[];
}

/** Parse a compare link (a share URL or its fragment with `compare=`). */
export function parseCompareUrl(url: string): CompareLink {
  const hashAt = url.indexOf('#');
  const params = fragmentParams(hashAt >= 0 ? url.slice(hashAt + 1) : url);
  const value = params.get('compare');
  if (value === undefined) throw new ShareError('the link has no compare= key naming the designs to compare');
  const designs = parseDesignList(value);
  const share = parseShareUrl(url);
  const raw = params.get('steps');
  let steps = designs.map(() => 0);
  if (raw !== undefined) {
    const parts = raw.split(',');
    if (parts.length !== designs.length) throw new ShareError(`steps= gives ${parts.length} step${parts.length === 1 ? '' : 's'} for ${designs.length} designs`);
    const bad = parts.find((p) => !/^\d{1,9}$/.test(p));
    if (bad !== undefined) throw new ShareError(`steps=${JSON.stringify(raw.slice(0, 40))}: ${JSON.stringify(bad.slice(0, 20))} is not a whole number`);
    steps = parts.map(Number);
  }
  return { share, designs, steps };
}

/** `#<head>&compare=<designs>&steps=<steps>`, head being a share link's `preset=…` or `s=…`. */
export function compareFragment(head: string, designs: readonly string[], steps: readonly number[]): string {
  return `#${head}&compare=${designs.join(',')}&steps=${steps.join(',')}`;
}
