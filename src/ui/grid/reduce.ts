// The grid zoomed out below one device pixel per page: 1 Mi PFNs at the fit get ~0.2 px each, and
// scaling the one-pixel-per-PFN image down with nearest-neighbour sampling would show one page
// in 25 and drop the rest, pinned or isolated pages included. Instead blocks of fx × fy pages
// (powers of two, so a block is at least a device pixel) are reduced to one class each: any
// migration overlay present wins (isolated, locked, under migration, pinned: rare, and what
// a person is looking for), otherwise the most common class, so colours stay legend colours.
// A block is read once for a bit mask of the classes in it and counted only when mixed.
import { StateClass } from '../../kernel/classes';

/** Overlay classes, highest priority first: present anywhere in a block, they are the block. */
const OVERLAY_PRIORITY: readonly number[] = [StateClass.Pinned, StateClass.Migrating, StateClass.Locked, StateClass.Isolated];
const OVERLAY_MASK = OVERLAY_PRIORITY.reduce((m, o) => m | (1 << o), 0);
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

const counts = new Uint16Array(SLOTS);

/** The class a block with these classes present gets, or -1 when it is mixed and must be counted. */
function fromMask(mask: number): number {
  if (mask === 0) return EMPTY;
  if (mask & OVERLAY_MASK) {
    for (const o of OVERLAY_PRIORITY) if (mask & (1 << o)) return o;
  }
  if ((mask & (mask - 1)) === 0) return 31 - Math.clz32(mask);
  return -1;
}

/** Count a mixed block: the majority, a tie going to the higher class id (used over free). */
function countBlock(view: Uint8Array, n: number, cols: number, x0: number, x1: number, y0: number, y1: number, mask: number): number {
  for (let r = y0; r < y1; r++) {
    const base = r * cols;
    const end = Math.min(n, base + x1);
    for (let p = base + x0; p < end; p++) {
      const b = view[p]!;
      counts[b < SLOTS ? b : SLOTS - 1]!++;
    }
  }
  let best = EMPTY;
  let bestCount = 0;
  for (let m = mask >>> 0; m !== 0; ) {
    const s = 31 - Math.clz32(m);
    m = (m & ~(1 << s)) >>> 0;
    const k = counts[s]!;
    counts[s] = 0;
    if (k > bestCount) {
      best = s;
      bestCount = k;
    }
  }
  return best;
}

/**
 * The class of the block of fx × fy cells whose top-left cell is (x0, y0): one pass ORs the
 * classes present into a bit mask; an overlay bit decides at once, a single bit (a free block,
 * a large folio: most blocks) is the answer, and only a mixed block is counted.
 */
export function reduceBlock(view: Uint8Array, n: number, cols: number, rows: number, x0: number, y0: number, fx: number, fy: number): number {
  const x1 = Math.min(cols, x0 + fx);
  const y1 = Math.min(rows, y0 + fy);
  let mask = 0;
  for (let r = y0; r < y1; r++) {
    const base = r * cols;
    const end = Math.min(n, base + x1);
    for (let p = base + x0; p < end; p++) {
      const b = view[p]!;
      mask |= 1 << (b < SLOTS ? b : SLOTS - 1);
    }
  }
  const c = fromMask(mask);
  return c >= 0 ? c : countBlock(view, n, cols, x0, x1, y0, y1, mask);
}

/** Every block, a band of fy rows at a time: the masks are ORed in one linear pass over the band. */
export function reduceView(view: Uint8Array, nrPfns: number, cols: number, rows: number, fx: number, fy: number): Reduced {
  const rc = Math.ceil(cols / fx);
  const rr = Math.ceil(rows / fy);
  const classes = new Uint8Array(rc * rr);
  const masks = new Uint32Array(rc);
  const n = Math.min(nrPfns, view.length);
  const sx = 31 - Math.clz32(fx); // fx is a power of two
  for (let br = 0; br < rr; br++) {
    masks.fill(0);
    const y0 = br * fy;
    const y1 = Math.min(rows, y0 + fy);
    for (let r = y0; r < y1; r++) {
      const base = r * cols;
      const end = Math.min(n, base + cols);
      for (let p = base; p < end; p++) {
        const b = view[p]!;
        masks[(p - base) >> sx]! |= 1 << (b < SLOTS ? b : SLOTS - 1);
      }
    }
    for (let bc = 0; bc < rc; bc++) {
      const mask = masks[bc]!;
      const c = fromMask(mask);
      const x0 = bc * fx;
      classes[br * rc + bc] = c >= 0 ? c : countBlock(view, n, cols, x0, Math.min(cols, x0 + fx), y0, y1, mask);
    }
  }
  return { cols: rc, rows: rr, classes };
}
