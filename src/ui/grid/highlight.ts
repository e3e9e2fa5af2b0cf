// Where the current step's PFNs are outlined: a PFN range as rectangles in cell units on the
// row-major grid. Blocks and folios are naturally aligned, so a range of up to one row is one
// rectangle and a whole number of rows is one too; anything else (a range from a scenario that
// starts mid-row) is at most three: the rest of the first row, the full rows, the start of the last.
import type { StepPfn } from '../../worker/protocol';
import type { Role } from './roles';

export interface CellRect {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

export function rangeRects(start: number, nr: number, cols: number, nrPfns: number): CellRect[] {
  const a = Math.max(0, start);
  const b = Math.min(nrPfns, start + Math.max(1, nr)); // exclusive
  if (b <= a) return [];
  const ra = Math.floor(a / cols);
  const rb = Math.floor((b - 1) / cols);
  const ca = a % cols;
  const cb = ((b - 1) % cols) + 1; // exclusive column in the last row
  if (ra === rb) return [{ x: ca, y: ra, w: cb - ca, h: 1 }];
  if (ca === 0 && cb === cols) return [{ x: 0, y: ra, w: cols, h: rb - ra + 1 }];
  const out: CellRect[] = [{ x: ca, y: ra, w: cols - ca, h: 1 }];
  if (rb - ra > 1) out.push({ x: 0, y: ra + 1, w: cols, h: rb - ra - 1 });
  out.push({ x: 0, y: rb, w: cb, h: 1 });
  return out;
}

export interface Highlight {
  readonly role: Role;
  readonly rects: readonly CellRect[];
}

/**
 * One highlight per distinct (pfn, nr, role), in drawing order: larger ranges first, and among
 * equal sizes the block a step is about (allocated, freed, src, dst) after its buddy. The painter
 * gives earlier outlines more padding, so a merged block's outline encloses its buddy's, and of
 * two neighbouring pages the one the step is about is the inner outline, on top.
 */
export function highlightsOf(pfns: readonly StepPfn[], cols: number, nrPfns: number): Highlight[] {
  const order: readonly Role[] = ['scanner', 'buddy', 'target', 'pinned', 'freed', 'allocated', 'src', 'dst'];
  const seen = new Set<string>();
  return [...pfns]
    .sort((p, q) => (q.nr ?? 1) - (p.nr ?? 1) || order.indexOf(p.role) - order.indexOf(q.role))
    .filter((p) => {
      const key = `${p.pfn}/${p.nr ?? 1}/${p.role}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .map((p) => ({ role: p.role, rects: rangeRects(p.pfn, p.nr ?? 1, cols, nrPfns) }));
}
