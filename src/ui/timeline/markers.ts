// Timeline markers (protocol.ts: Marker): how each kind is drawn, and the overview strip's SVG
// paths. The worker sends markers in step order.
import type { Marker, MarkerKind } from '../../worker/protocol';

/** Marker kinds in drawing order, with the rows of the strip they occupy (0..1 of its height). */
export const MARKER_STYLE: Readonly<Record<MarkerKind, { readonly label: string; readonly y0: number; readonly y1: number }>> = {
  action: { label: 'action starts', y0: 0, y1: 1 },
  isolate: { label: 'isolate', y0: 0, y1: 0.5 },
  refcount: { label: 'refcount check', y0: 0, y1: 0.5 },
  copy: { label: 'copy', y0: 0, y1: 0.5 },
  remap: { label: 'remap', y0: 0, y1: 0.5 },
  fail: { label: 'failed (-E…)', y0: 0.5, y1: 1 },
};
export const MARKER_KINDS = Object.keys(MARKER_STYLE) as MarkerKind[];

/**
 * One SVG path per kind: a vertical stroke at each marked step, at most one per kind and pixel
 * column of a strip `px` wide over steps 0..frontier (thp-split has ~2,000 markers for ~1,300 px).
 */
export function markerPaths(markers: readonly Marker[], frontier: number, px: number): Record<MarkerKind, string> {
  const out = Object.fromEntries(MARKER_KINDS.map((k) => [k, ''])) as Record<MarkerKind, string>;
  const lastCol = Object.fromEntries(MARKER_KINDS.map((k) => [k, -1])) as Record<MarkerKind, number>;
  const perStep = px > 0 ? px / Math.max(frontier, 1) : Infinity;
  for (const m of markers) {
    const col = Math.floor(m.step * perStep);
    if (col === lastCol[m.kind]) continue; // markers arrive in step order
    lastCol[m.kind] = col;
    const st = MARKER_STYLE[m.kind];
    out[m.kind] += `M${m.step} ${st.y0}V${st.y1}`;
  }
  return out;
}

/**
 * The markers of the zoomed strip: the run's action starts, and the failures and phases of the
 * latest `spans` answer for the steps in view (the frames' markers stop at 20,000 for a run), or
 * the frames' markers when that answer carries none.
 */
export function zoomedMarkers(run: readonly Marker[], view: { readonly from: number; readonly to: number; readonly markers: readonly Marker[] }): readonly Marker[] {
  if (view.markers.length === 0) return run;
  const out: Marker[] = [];
  const actions = run.filter((m) => m.kind === 'action');
  let i = 0;
  for (const m of view.markers) {
    while (i < actions.length && actions[i]!.step <= m.step) out.push(actions[i++]!);
    out.push(m);
  }
  while (i < actions.length) out.push(actions[i++]!);
  // Outside the answered range the frames' markers still say what they know.
  return [...run.filter((m) => m.kind !== 'action' && (m.step < view.from || m.step > view.to)), ...out].sort((a, b) => a.step - b.step);
}

/** Index of the first marker at or after step `s` (markers are in step order). */
export function firstMarkerAt(markers: readonly Marker[], s: number): number {
  let lo = 0;
  let hi = markers.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (markers[mid]!.step < s) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
