// Migration arrows: a step that names both a source and a destination (the new folio
// migrate_pages() allocated for it) gets an arrow from one to the other, so the move reads at a
// glance even when the two are rows apart. Pure geometry over CSS rectangles, tested.
import type { StepPfn } from '../../worker/protocol';
import type { CssRect } from './viewport';

/**
 * The i-th distinct source with the i-th distinct destination, in the order the step lists them
 * (migrate_pages_batch keeps its src and dst lists in step, and steps list them that way).
 */
export function migrationPairs(pfns: readonly StepPfn[]): Array<readonly [StepPfn, StepPfn]> {
  const distinct = (role: StepPfn['role']): StepPfn[] => {
    const seen = new Set<number>();
    return pfns.filter((p) => p.role === role && !seen.has(p.pfn) && (seen.add(p.pfn), true));
  };
  const src = distinct('src');
  const dst = distinct('dst');
  const n = Math.min(src.length, dst.length);
  const out: Array<readonly [StepPfn, StepPfn]> = [];
  for (let i = 0; i < n; i++) out.push([src[i]!, dst[i]!]);
  return out;
}

/** A quadratic Bézier from (x0, y0) through control (cx, cy) to (x1, y1). */
export interface Arrow {
  readonly x0: number;
  readonly y0: number;
  readonly cx: number;
  readonly cy: number;
  readonly x1: number;
  readonly y1: number;
}

const centre = (r: CssRect): [number, number] => [r.x + r.w / 2, r.y + r.h / 2];

/** Where a ray from the centre of `r` in direction (dx, dy) leaves `r` grown by `pad`. */
function exitPoint(r: CssRect, pad: number, dx: number, dy: number): [number, number] {
  const [cx, cy] = centre(r);
  const hw = r.w / 2 + pad;
  const hh = r.h / 2 + pad;
  const t = Math.min(dx === 0 ? Infinity : hw / Math.abs(dx), dy === 0 ? Infinity : hh / Math.abs(dy));
  return [cx + dx * t, cy + dy * t];
}

/**
 * An arrow from the edge of `from` to the edge of `to` (both grown by `pad`, the outline's
 * padding), bowed to one side by a fifth of its length (at most `maxBow`) so that it does not run
 * along the row both pages sit in. Null when the two touch: there is nothing to point across.
 */
export function arrowBetween(from: CssRect, to: CssRect, pad: number, maxBow = 48): Arrow | null {
  const [ax, ay] = centre(from);
  const [bx, by] = centre(to);
  const len = Math.hypot(bx - ax, by - ay);
  if (len === 0) return null;
  // Bow to the left of the direction of travel, upwards for a left-to-right arrow.
  const nx = (by - ay) / len;
  const ny = -(bx - ax) / len;
  const bow = Math.min(maxBow, len / 5);
  const cx = (ax + bx) / 2 + nx * bow;
  const cy = (ay + by) / 2 + ny * bow;
  const d0 = Math.hypot(cx - ax, cy - ay) || 1;
  const d1 = Math.hypot(bx - cx, by - cy) || 1;
  const [x0, y0] = exitPoint(from, pad, (cx - ax) / d0, (cy - ay) / d0);
  const [x1, y1] = exitPoint(to, pad, (cx - bx) / d1, (cy - by) / d1);
  // The boxes overlap or touch along the arrow: the exit points crossed over.
  if ((x1 - x0) * (bx - ax) + (y1 - y0) * (by - ay) <= 0) return null;
  return { x0, y0, cx, cy, x1, y1 };
}

/** The arrowhead's direction at the end: the tangent of the curve at (x1, y1), as a unit vector. */
export function endDirection(a: Arrow): [number, number] {
  const dx = a.x1 - a.cx;
  const dy = a.y1 - a.cy;
  const len = Math.hypot(dx, dy) || 1;
  return [dx / len, dy / len];
}
