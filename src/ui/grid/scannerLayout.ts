// Where the overlay draws each running compaction's scanners at the current pan/zoom: the
// scanner's pageblock row, its own cell, and a label with a pointer to the cell. Pure, so the
// placement rules are tested rather than eyeballed.
//
// The migrate scanner's label goes above its row and the free scanner's below: both then sit on
// memory the scanner has already walked past, and the gap still to be scanned stays clear. A label
// that would leave the plot or cover the other label flips to the other side; one that would hide
// the step's outlined pages slides along its row; one whose row is out of view is pinned to the
// plot's edge with an arrow saying which way the scanner is.
import { hex } from '../format';
import { SCANNER_LABELS, scannerPfn, zoneName, type ScannerKind, type ScannerState } from '../scanners';
import { cellsRect, type Camera, type CssRect } from './viewport';

/** Label box height and padding, CSS px; the text is 11 px. */
export const LABEL_H = 16;
export const LABEL_PAD = 5;
/** Length of the pointer from a label to its row's edge. */
export const POINTER = 6;

export type Off = 'above' | 'below' | 'left' | 'right';

export interface ScannerMark {
  readonly kind: ScannerKind;
  readonly pfn: number;
  readonly text: string;
  /** The scanner's pageblock row (the visible part of the grid's width); null when out of view. */
  readonly row: CssRect | null;
  /** The scanner's own cell; null when out of view. */
  readonly cell: CssRect | null;
  readonly label: CssRect;
  /** Where the pointer from the label ends (on the row's edge, over the cell); null without one. */
  readonly tip: { readonly x: number; readonly y: number } | null;
  /** Which way the scanner is when its cell is out of view. */
  readonly off: Off | null;
}

export interface ScannerLayout {
  readonly marks: readonly ScannerMark[];
}

const ARROWS: Readonly<Record<Off, string>> = { above: '▲', below: '▼', left: '◀', right: '▶' };

const overlaps = (a: CssRect, b: CssRect): boolean =>
  a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

/**
 * What a label position costs: leaving the plot, then another scanner's label, then the wrong
 * side of its row (the side swaps only for those two: a tag that jumps between above and below
 * from one step to the next reads as a scanner moving), then each of the step's outlined PFNs it
 * would hide, then its distance from the scanner's column.
 */
const COST = { outside: 1000, onLabel: 100, otherSide: 50, onStepPfn: 10, far: 4 } as const;
/** Positions along the row tried besides the one centred over the scanner's cell. */
const ALONG = 8;

/**
 * `measure` gives a text's width in CSS px at the label font; `avoid` are the boxes of the step's
 * outlined PFNs, which a label hides only when every other place is worse. Zones name the
 * compaction in the labels only when more than one runs.
 */
export function layoutScanners(
  cam: Camera,
  scanners: readonly ScannerState[],
  zones: readonly { readonly name: string }[],
  measure: (text: string) => number,
  avoid: readonly CssRect[] = [],
): ScannerLayout {
  const b = cam.base;
  const p = b.plot;
  const full = cellsRect(b, cam.v, 0, 0, b.cols, b.rows);
  // The part of the plot the grid covers: a label never hangs over the axes or the zone names.
  const left = Math.max(p.left, full.x);
  const right = Math.max(left, Math.min(p.right, full.x + full.w));
  const marks: ScannerMark[] = [];
  const placed: CssRect[] = [];

  /** The cheapest of the label's rows (`ys`, the preferred first) and positions along it. */
  function place(ys: readonly number[], w: number, cx: number): CssRect {
    const centred = Math.min(Math.max(left, cx - w / 2), Math.max(left, right - w));
    const xs = [centred];
    for (let i = 0; i <= ALONG; i++) xs.push(left + ((Math.max(left, right - w) - left) * i) / ALONG);
    let best: CssRect | null = null;
    let bestCost = Infinity;
    ys.forEach((y, side) => {
      for (const x of xs) {
        const l = { x, y, w, h: LABEL_H };
        const cost =
          (l.y < p.top || l.y + l.h > p.bottom ? COST.outside : 0) +
          (placed.some((q) => overlaps(q, l)) ? COST.onLabel : 0) +
          side * COST.otherSide +
          avoid.filter((a) => overlaps(a, l)).length * COST.onStepPfn +
          (COST.far * Math.abs(x - centred)) / Math.max(1, right - left);
        if (cost < bestCost) {
          best = l;
          bestCost = cost;
        }
      }
    });
    return best ?? { x: centred, y: ys[0]!, w, h: LABEL_H };
  }

  for (const s of scanners) {
    const suffix = scanners.length > 1 ? ` (${zoneName(zones, s.zone)})` : '';
    for (const kind of ['migrate', 'free'] as const) {
      const pfn = scannerPfn(s, kind);
      if (pfn < 0 || pfn >= b.nrPfns) continue;
      const r = Math.floor(pfn / b.cols);
      const rowAll = cellsRect(b, cam.v, 0, r, b.cols, 1);
      const cell = cellsRect(b, cam.v, pfn % b.cols, r, 1, 1);
      const vOff: Off | null = rowAll.y + rowAll.h <= p.top ? 'above' : rowAll.y >= p.bottom ? 'below' : null;
      const cx = cell.x + cell.w / 2;
      const hOff: Off | null = vOff ? null : cx < left ? 'left' : cx > right ? 'right' : null;
      const off = vOff ?? hOff;
      const base = `${SCANNER_LABELS[kind]} ${hex(pfn)}${suffix}`;
      const text = off ? `${ARROWS[off]} ${base}` : base;
      const w = Math.ceil(measure(text)) + 2 * LABEL_PAD;
      const row = vOff ? null : { x: Math.max(left, rowAll.x), y: rowAll.y, w: Math.min(right, rowAll.x + rowAll.w) - Math.max(left, rowAll.x), h: rowAll.h };
      const above = rowAll.y - POINTER - LABEL_H;
      const below = rowAll.y + rowAll.h + POINTER;
      const ys = vOff ? [vOff === 'above' ? p.top + 2 : p.bottom - LABEL_H - 2] : kind === 'migrate' ? [above, below] : [below, above];
      const label = place(ys, w, cx);
      const tip = off ? null : { x: cx, y: label.y < rowAll.y ? rowAll.y : rowAll.y + rowAll.h };
      placed.push(label);
      marks.push({ kind, pfn, text, row, cell: off ? null : cell, label, tip, off });
    }
  }
  return { marks };
}
