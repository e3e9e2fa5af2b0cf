// The page under the pointer as the grid sees it: its PFN and the state class its cell shows.
// The grid controller writes it at most once per animation frame (only when the PFN changes or
// a new frame recolours it); the tooltip renders it with the struct page the worker sends back.
import { createStore } from 'zustand/vanilla';

export interface GridHover {
  readonly pfn: number | null;
  /** StateClass byte of the hovered cell in the frame on screen. */
  readonly cls: number;
  readonly nrPfns: number;
}

export const gridHover = createStore<GridHover>()(() => ({ pfn: null, cls: 0, nrPfns: 0 }));
