import { describe, expect, it } from 'vitest';
import { paletteRGBA, STATE_CLASSES, StateClass } from '../../kernel/classes';
import { gridLayout, renderPixels } from './render';

/** #rrggbb → the Uint32 ImageData sees on a little-endian machine. */
function rgba(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)) as [number, number, number];
  return ((0xff << 24) | (b << 16) | (g << 8) | r) >>> 0;
}

function colorOf(c: StateClass): number {
  const info = STATE_CLASSES.find((s) => s.id === c);
  if (!info) throw new Error(`no state class ${c}`);
  return rgba(info.color);
}

describe('renderPixels', () => {
  const palette = paletteRGBA();

  it('paints every PFN with the palette colour of its state class', () => {
    const classes = [StateClass.Reserved, StateClass.FreeMovable, StateClass.Anon, StateClass.Slab, StateClass.Pinned];
    const view = Uint8Array.from({ length: 1024 }, (_, pfn) => classes[pfn % classes.length]!);
    const px = renderPixels(view, palette, gridLayout(view.length));
    expect(px.length).toBe(1024);
    for (let pfn = 0; pfn < view.length; pfn++) {
      expect(px[pfn]).toBe(colorOf(view[pfn]!));
    }
  });

  it('lays PFNs out row-major, one pageblock of 512 per row', () => {
    const view = new Uint8Array(1024).fill(StateClass.FreeMovable);
    view[512] = StateClass.Reserved; // first cell of the second row
    const layout = gridLayout(view.length);
    const px = renderPixels(view, palette, layout);
    expect(layout).toEqual({ cols: 512, rows: 2, nrPfns: 1024 });
    expect(px[1 * layout.cols + 0]).toBe(colorOf(StateClass.Reserved));
    expect(px[0]).toBe(colorOf(StateClass.FreeMovable));
  });

  it('leaves the cells past the last PFN transparent, even in a reused buffer', () => {
    const layout = gridLayout(700);
    const out = new Uint32Array(layout.cols * layout.rows).fill(0xdeadbeef);
    renderPixels(new Uint8Array(700).fill(StateClass.Anon), palette, layout, out);
    expect(out[699]).toBe(colorOf(StateClass.Anon));
    expect(out.subarray(700).every((p) => p === 0)).toBe(true);
  });

  it('rejects a buffer that does not match the layout', () => {
    expect(() => renderPixels(new Uint8Array(8), palette, gridLayout(8), new Uint32Array(3))).toThrow(/3 cells/);
  });
});
