// The PFN grid's pixels: one pixel per PFN, row-major, through a 256-entry palette. A plain
// function over typed arrays so it is tested in Node and costs ~1 ms per 1 Mi PFNs (toolchain.md §5a).

/** One pageblock (pageblock_order 9 = 512 pages) per row, so pageblock boundaries are row boundaries. */
export const PFNS_PER_ROW = 512;

export interface GridLayout {
  /** PFNs per row; a power of two so that a row start is a round hex number. */
  readonly cols: number;
  readonly rows: number;
  readonly nrPfns: number;
}

export function gridLayout(nrPfns: number, cols: number = PFNS_PER_ROW): GridLayout {
  return { cols, rows: Math.max(1, Math.ceil(nrPfns / cols)), nrPfns };
}

/**
 * Writes the colour of each PFN into `out` (an ImageData's buffer viewed as Uint32, so palette
 * entries are 0xAABBGGRR on little-endian machines) and clears the cells past the last PFN.
 */
export function renderPixels(
  view: Uint8Array,
  palette: Uint32Array,
  layout: GridLayout,
  out: Uint32Array = new Uint32Array(layout.cols * layout.rows),
): Uint32Array {
  if (out.length !== layout.cols * layout.rows) {
    throw new Error(`pixel buffer holds ${out.length} cells, layout needs ${layout.cols}×${layout.rows}`);
  }
  if (palette.length < 256) throw new Error(`palette has ${palette.length} entries, a view byte needs 256`);
  const n = Math.min(layout.nrPfns, view.length, out.length);
  for (let pfn = 0; pfn < n; pfn++) out[pfn] = palette[view[pfn]!]!;
  out.fill(0, n); // transparent: no struct page behind these cells
  return out;
}
