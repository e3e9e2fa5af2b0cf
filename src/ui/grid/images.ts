// The offscreen images the painter scales onto the canvas: one pixel per PFN, or one pixel per
// block of fx × fy PFNs when zoomed out below a device pixel per page (reduce.ts). Each is
// rendered when a paint first needs it for a frame, and kept with a copy of the bytes it shows:
// the next frame redraws only the PFNs that changed (diff.ts) and puts only the rows they are
// in, so playing at 1 Mi PFNs costs ~0.5 ms a frame here instead of ~5 ms (full palette fill and
// putImageData) or ~6 ms (a full reduction).
import { paletteRGBA } from '../../kernel/classes';
import type { GridView } from '../state/store';
import { changedPfns } from './diff';
import { reduceBlock, reduceView } from './reduce';
import { renderPixels, type GridLayout } from './render';

const PALETTE = paletteRGBA();
/** Past this share of changed PFNs a full render is cheaper than a list of them. */
const INCREMENTAL_MAX = 1 / 16;

export interface GridImage {
  readonly canvas: OffscreenCanvas;
}

interface Image extends GridImage {
  readonly pixels: ImageData;
  readonly px: Uint32Array;
  /** The frame and reduction it shows. */
  view: GridView | null;
  fx: number;
  fy: number;
  /** A copy of the class bytes it was rendered from, to diff the next frame against. */
  bytes: Uint8Array | null;
}

function makeImage(w: number, h: number): Image {
  const pixels = new ImageData(w, h);
  return { canvas: new OffscreenCanvas(w, h), pixels, px: new Uint32Array(pixels.data.buffer), view: null, fx: 0, fy: 0, bytes: null };
}

function put(img: Image, row0 = 0, row1 = img.canvas.height): void {
  const ctx = img.canvas.getContext('2d');
  if (!ctx) throw new Error('no 2D context for the offscreen PFN canvas');
  if (row1 > row0) ctx.putImageData(img.pixels, 0, 0, 0, row0, img.canvas.width, row1 - row0);
}

function remember(img: Image, v: GridView, fx: number, fy: number): void {
  if (!img.bytes || img.bytes.length !== v.view.length) img.bytes = new Uint8Array(v.view.length);
  img.bytes.set(v.view);
  img.view = v;
  img.fx = fx;
  img.fy = fy;
}

export interface GridImages {
  /** The image for frame `v` at this reduction, brought up to date. */
  imageFor(v: GridView, l: GridLayout, fx: number, fy: number): GridImage;
}

export function createGridImages(): GridImages {
  // Reused across frames: a new 4 MiB ImageData per frame is garbage.
  let full: Image | null = null;
  let reduced: Image | null = null;

  /** The PFNs that changed since `img` was rendered, or null when it must be rendered whole. */
  function delta(img: Image, v: GridView, fx: number, fy: number): number[] | null {
    if (!img.bytes || !img.view || img.fx !== fx || img.fy !== fy) return null;
    return changedPfns(img.bytes, v.view, Math.ceil(v.view.length * INCREMENTAL_MAX));
  }

  function fullImage(v: GridView, l: GridLayout): Image {
    if (!full || full.canvas.width !== l.cols || full.canvas.height !== l.rows) full = makeImage(l.cols, l.rows);
    const img = full;
    if (img.view === v) return img;
    const changed = delta(img, v, 1, 1);
    if (changed) {
      let row0 = Infinity;
      let row1 = -1;
      for (const pfn of changed) {
        if (pfn >= v.nrPfns) continue;
        img.px[pfn] = PALETTE[v.view[pfn]!]!;
        row0 = Math.min(row0, Math.floor(pfn / l.cols));
        row1 = Math.max(row1, Math.floor(pfn / l.cols) + 1);
      }
      put(img, row0, row1);
    } else {
      renderPixels(v.view, PALETTE, l, img.px);
      put(img);
    }
    remember(img, v, 1, 1);
    return img;
  }

  function reducedImage(v: GridView, l: GridLayout, fx: number, fy: number): Image {
    const rc = Math.ceil(l.cols / fx);
    const rr = Math.ceil(l.rows / fy);
    if (!reduced || reduced.canvas.width !== rc || reduced.canvas.height !== rr) reduced = makeImage(rc, rr);
    const img = reduced;
    if (img.view === v && img.fx === fx && img.fy === fy) return img;
    const n = Math.min(v.nrPfns, v.view.length);
    const changed = delta(img, v, fx, fy);
    if (changed) {
      let band0 = Infinity;
      let band1 = -1;
      let last = -1;
      for (const pfn of changed) {
        const row = Math.floor(pfn / l.cols);
        const block = Math.floor(row / fy) * rc + Math.floor((pfn % l.cols) / fx);
        if (block === last) continue; // changed PFNs come in order: a block's run is adjacent
        last = block;
        const bc = block % rc;
        const br = Math.floor(block / rc);
        img.px[block] = PALETTE[reduceBlock(v.view, n, l.cols, l.rows, bc * fx, br * fy, fx, fy)]!;
        band0 = Math.min(band0, br);
        band1 = Math.max(band1, br + 1);
      }
      put(img, band0, band1);
    } else {
      const r = reduceView(v.view, v.nrPfns, l.cols, l.rows, fx, fy);
      renderPixels(r.classes, PALETTE, { cols: rc, rows: rr, nrPfns: r.classes.length }, img.px);
      put(img);
    }
    remember(img, v, fx, fy);
    return img;
  }

  return {
    imageFor: (v, l, fx, fy) => (fx === 1 && fy === 1 ? fullImage(v, l) : reducedImage(v, l, fx, fy)),
  };
}
