// The PFN grid: a toolbar (how to navigate, the zoom, Fit), the cells canvas and, stacked on it,
// the overlay (the step's PFNs, arrows, selection) and the hover tooltip. React only mounts them;
// grid/controller.ts paints from store subscriptions, zoom events and the pointer, so neither a
// new frame nor a pan re-renders a component.
import { useLayoutEffect, useRef } from 'react';
import { mountGrid, type GridControls } from './grid/controller';
import { Tooltip } from './Tooltip';
import './grid/grid.css';

export function PfnGrid() {
  const rootRef = useRef<HTMLDivElement>(null);
  const cellsRef = useRef<HTMLCanvasElement>(null);
  const overlayRef = useRef<HTMLCanvasElement>(null);
  const tooltipRef = useRef<HTMLDivElement>(null);
  const zoomRef = useRef<HTMLSpanElement>(null);
  const focusRef = useRef<HTMLButtonElement>(null);
  const controls = useRef<GridControls | null>(null);

  useLayoutEffect(() => {
    const [root, cells, overlay, tooltip] = [rootRef.current, cellsRef.current, overlayRef.current, tooltipRef.current];
    if (!root || !cells || !overlay || !tooltip) return;
    const c = mountGrid({
      root,
      cells,
      overlay,
      tooltip,
      zoomLabel: zoomRef.current,
      focusButton: focusRef.current,
    });
    controls.current = c;
    return () => {
      c.destroy();
      controls.current = null;
    };
  }, []);

  return (
    <div className="pfn-grid-frame">
      <div className="grid-toolbar" role="toolbar" aria-label="Grid zoom">
        {/* styles.css shows one of the two by the pointer: a touch screen has no wheel or keys. */}
        <span className="grid-hint grid-hint-mouse">
          scroll or <kbd>+</kbd>/<kbd>−</kbd> to zoom, drag to pan, click a page to inspect it
        </span>
        <span className="grid-hint grid-hint-touch">pinch to zoom, drag to pan, tap a page to inspect it</span>
        <span className="grid-zoom" ref={zoomRef} title="zoom: 1 is the whole memory" aria-live="off" />
        <button type="button" aria-label="Zoom out" title="Zoom out (−)" onClick={() => controls.current?.zoomBy(0.5)}>
          −
        </button>
        <button type="button" aria-label="Zoom in" title="Zoom in (+)" onClick={() => controls.current?.zoomBy(2)}>
          +
        </button>
        <button type="button" title="Show the whole memory (0)" onClick={() => controls.current?.fit()}>
          Fit
        </button>
        <button
          type="button"
          ref={focusRef}
          className="grid-focus"
          aria-pressed="false"
          title="Zoom to the step's source and destination, and keep them in view step after step (until you zoom or pan)"
          onClick={() => controls.current?.focusStep()}
        >
          Focus step
        </button>
      </div>
      <div className="grid-stack" ref={rootRef} data-testid="pfn-grid">
        <canvas
          ref={cellsRef}
          className="pfn-grid"
          data-testid="pfn-cells"
          tabIndex={0}
          role="img"
          aria-label="PFN grid: one cell per page frame, one row per pageblock, coloured by page state. Keys: + and − or W and S zoom, 0 fits, ↑ ↓ A D pan, Escape clears the selection."
        />
        <canvas ref={overlayRef} className="pfn-overlay" data-testid="pfn-overlay" aria-hidden="true" />
        <Tooltip ref={tooltipRef} />
      </div>
    </div>
  );
}
