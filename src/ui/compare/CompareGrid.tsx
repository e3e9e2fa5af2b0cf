// One pane's memory: every PFN a cell coloured by its state (the app's palette), the step's pages
// outlined in their role's colour, and a ring around each page whose state is not the same in
// every pane. Small machines get narrower rows so the cells are big enough to see in a pane.
import { useEffect, useRef } from 'react';
import { paletteRGBA } from '../../kernel/classes';
import type { StepPfn } from '../../worker/protocol';
import { ROLE_COLORS } from '../grid/roles';
import { gridLayout, renderPixels, PFNS_PER_ROW } from '../grid/render';

const PALETTE = paletteRGBA();
/** The ring around a page that differs between the panes (apart from the role colours). */
export const DIFF_RING = '#e0208c';

/** PFNs per row: a pageblock, or a quarter of one on a machine small enough to fit a pane that way. */
export const compareCols = (nrPfns: number): number => (nrPfns <= 32 * 1024 ? PFNS_PER_ROW / 4 : PFNS_PER_ROW);

interface Props {
  readonly view: Uint8Array;
  readonly diff: readonly number[];
  readonly pfns: readonly StepPfn[];
  readonly label: string;
}

export function CompareGrid({ view, diff, pfns, label }: Props) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const canvas = ref.current;
    if (!canvas) return;
    const draw = (): void => {
      const layout = gridLayout(view.length, compareCols(view.length));
      const dpr = window.devicePixelRatio || 1;
      const box = canvas.getBoundingClientRect();
      if (box.width === 0 || box.height === 0) return;
      canvas.width = Math.round(box.width * dpr);
      canvas.height = Math.round(box.height * dpr);
      const cell = Math.min(canvas.width / layout.cols, canvas.height / layout.rows);
      const ox = (canvas.width - cell * layout.cols) / 2;
      const ctx = canvas.getContext('2d');
      if (!ctx) return;
      const img = new ImageData(layout.cols, layout.rows);
      renderPixels(view, PALETTE, layout, new Uint32Array(img.data.buffer));
      const off = new OffscreenCanvas(layout.cols, layout.rows);
      off.getContext('2d')!.putImageData(img, 0, 0);
      ctx.clearRect(0, 0, canvas.width, canvas.height);
      ctx.imageSmoothingEnabled = false;
      ctx.drawImage(off, ox, 0, cell * layout.cols, cell * layout.rows);
      const at = (pfn: number): [number, number] => [ox + (pfn % layout.cols) * cell, Math.floor(pfn / layout.cols) * cell];
      const ring = (x: number, y: number, w: number, h: number, color: string, width: number): void => {
        ctx.lineWidth = width + 2 * dpr;
        ctx.strokeStyle = '#ffffff';
        ctx.strokeRect(x, y, w, h);
        ctx.lineWidth = width;
        ctx.strokeStyle = color;
        ctx.strokeRect(x, y, w, h);
      };
      const min = 9 * dpr; // a mark is never smaller than this, however small the cell
      const size = Math.max(cell, min);
      for (const pfn of diff) {
        const [x, y] = at(pfn);
        ring(x + cell / 2 - size / 2, y + cell / 2 - size / 2, size, size, DIFF_RING, 2 * dpr);
      }
      for (const p of pfns) {
        if (p.pfn < 0 || p.pfn >= view.length) continue;
        const nr = Math.min(p.nr ?? 1, layout.cols);
        const [x, y] = at(p.pfn);
        const w = Math.max(cell * nr, min);
        ring(x + (cell * nr) / 2 - w / 2 - dpr, y + cell / 2 - size / 2 - dpr, w + 2 * dpr, size + 2 * dpr, ROLE_COLORS[p.role], 1.5 * dpr);
      }
    };
    draw();
    const ro = new ResizeObserver(draw);
    ro.observe(canvas);
    return () => ro.disconnect();
  }, [view, diff, pfns]);
  return <canvas ref={ref} className="compare-grid" role="img" aria-label={label} />;
}
