// The PFN grid: the cells canvas and, stacked on it, the outlines of the current step's PFNs.
// React only mounts them; both are painted from store subscriptions, so a new frame never
// re-renders a component.
import { useLayoutEffect, useRef } from 'react';
import { createGridPainter } from './grid/painter';
import { naturalHeight } from './grid/geometry';
import { createOverlayPainter } from './grid/overlay';
import { gridLayout } from './grid/render';
import { gridView, useSim, type SimState } from './state/store';

const NO_PFNS: readonly never[] = [];
const highlightOf = (s: SimState) => ({ pfns: s.meta?.stepInfo?.pfns ?? NO_PFNS, nrPfns: s.meta?.nrPfns ?? 0 });

export function PfnGrid() {
  const cellsRef = useRef<HTMLCanvasElement>(null);
  const overlayRef = useRef<HTMLCanvasElement>(null);

  useLayoutEffect(() => {
    const cells = cellsRef.current;
    const overlay = overlayRef.current;
    if (!cells || !overlay) return;
    const painter = createGridPainter(cells);
    const outlines = createOverlayPainter(overlay);
    painter.resize();
    outlines.resize();
    painter.setView(gridView.getState().current);
    let last = highlightOf(useSim.getState());
    outlines.set(last.pfns, last.nrPfns);
    const unsubView = gridView.subscribe((s) => painter.setView(s.current));
    const unsubStep = useSim.subscribe((s) => {
      const h = highlightOf(s);
      if (h.pfns === last.pfns && h.nrPfns === last.nrPfns) return;
      last = h;
      outlines.set(h.pfns, h.nrPfns);
    });
    // A short grid (a small machine) caps its panel at the height it can use; the page gives
    // the rest to the trace (styles.css: .grid-panel and .trace flex-grow).
    const panel = cells.closest<HTMLElement>('.grid-panel');
    const capPanel = (): void => {
      const v = gridView.getState().current;
      if (!panel || !v) return;
      const h = naturalHeight(gridLayout(v.nrPfns), cells.getBoundingClientRect().width, window.devicePixelRatio || 1);
      panel.style.maxHeight = Number.isFinite(h) ? `${Math.ceil(h) + 2}px` : '';
    };
    capPanel();
    const unsubCap = gridView.subscribe(capPanel);
    const observer = new ResizeObserver(() => {
      capPanel();
      painter.resize();
      outlines.resize();
    });
    observer.observe(cells);
    return () => {
      unsubView();
      unsubStep();
      unsubCap();
      observer.disconnect();
    };
  }, []);

  return (
    <div className="grid-stack">
      <canvas
        ref={cellsRef}
        className="pfn-grid"
        data-testid="pfn-grid"
        role="img"
        aria-label="PFN grid: one cell per page frame, coloured by page state"
      />
      <canvas ref={overlayRef} className="pfn-overlay" data-testid="pfn-overlay" aria-hidden="true" />
    </div>
  );
}
