// The PFN grid canvas. React only mounts it; frames are painted from a subscription to the
// gridView store, so a new frame never re-renders a component.
import { useLayoutEffect, useRef } from 'react';
import { createGridPainter } from './grid/painter';
import { gridView } from './state/store';

export function PfnGrid() {
  const canvasRef = useRef<HTMLCanvasElement>(null);

  useLayoutEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    const painter = createGridPainter(canvas);
    painter.resize();
    painter.setView(gridView.getState().current);
    const unsubscribe = gridView.subscribe((s) => painter.setView(s.current));
    const observer = new ResizeObserver(() => painter.resize());
    observer.observe(canvas);
    return () => {
      unsubscribe();
      observer.disconnect();
    };
  }, []);

  return (
    <canvas
      ref={canvasRef}
      className="pfn-grid"
      data-testid="pfn-grid"
      role="img"
      aria-label="PFN grid: one cell per page frame, coloured by page state"
    />
  );
}
