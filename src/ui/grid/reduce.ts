// The grid zoomed out below one device pixel per page: 1 Mi PFNs at the fit get ~0.2 px each, and
// scaling the one-pixel-per-PFN image down with nearest-neighbour sampling would show one page
// in 25 and drop the rest, pinned or isolated pages included. Instead blocks of fx × fy pages
// (powers of two, so a block is at least a device pixel) are reduced to one class each: any
// migration overlay present wins (isolated, locked, under migration, pinned: rare, and what
// a person is looking for), otherwise the most common class, so colours stay legend colours.
// Linear over the view (one pass, counts per block of the current band): ~2 ms for 1 Mi PFNs.
import { StateClass } from '../../kernel/classes';

/** Overlay classes, highest priority first: present anywhere in a block, they are the block. */
const OVERLAY_PRIORITY: readonly number[] = [StateClass.Pinned, StateClass.Migrating, StateClass.Locked, StateClass.Isolated];
/** Count slots per block: every StateClass is below this; larger bytes are counted as the last slot. */
const SLOTS = 32;
/** A block with no PFN behind it (past the last one): drawn transparent. */
export const EMPTY = 255;

export interface Reduced {
  readonly cols: number;
  readonly rows: number;
  /** One class byte per block, row-major; EMPTY where no PFN exists. */
  readonly classes: Uint8Array;
}

/**
 * How many cells one drawn pixel stands for: the smallest power of two f with f · px ≥ 1, except
 * that a cell of at least NEAR_PIXEL keeps its own pixel. A panel one pixel short of 512 columns
 * would otherwise halve the picture's resolution to save one column from being skipped.
 */
export function reduction(px: number): number {
  if (!(px > 0) || px >= NEAR_PIXEL) return 1;
  let f = 1;
  while (f * px < 1 && f < 1 << 20) f *= 2;
  return f;
}

/** Cells this wide (device px) are drawn one-to-one: at most one in ten is skipped. */
export const NEAR_PIXEL = 0.9;

export function reduceView(view: Uint8Array, nrPfns: number, cols: number, rows: number, fx: number, fy: number): Reduced {
  const rc = Math.ceil(cols / fx);
  const rr = Math.ceil(rows / fy);
  const classes = new Uint8Array(rc * rr).fill(EMPTY);
  const counts = new Uint32Array(rc * SLOTS);
  const n = Math.min(nrPfns, view.length);
  for (let band = 0; band < rr; band++) {
    counts.fill(0);
    const r0 = band * fy;
    const r1 = Math.min(rows, r0 + fy);
    for (let r = r0; r < r1; r++) {
      const start = r * cols;
      const end = Math.min(n, start + cols);
      for (let pfn = start; pfn < end; pfn++) {
        const b = view[pfn]!;
        counts[((((pfn - start) / fx) | 0) * SLOTS) + (b < SLOTS ? b : SLOTS - 1)]!++;
      }
    }
    for (let c = 0; c < rc; c++) {
      const base = c * SLOTS;
      let best = -1;
      let bestCount = 0;
      for (const o of OVERLAY_PRIORITY) {
        if (counts[base + o]! > 0) {
          best = o;
          break;
        }
      }
      if (best < 0) {
        // Majority; a tie goes to the higher class id (used memory over free, the more specific state).
        for (let s = 0; s < SLOTS; s++) {
          const k = counts[base + s]!;
          if (k > 0 && k >= bestCount) {
            best = s;
            bestCount = k;
          }
        }
      }
      if (best >= 0) classes[band * rc + c] = best;
    }
  }
  return { cols: rc, rows: rr, classes };
}
