// UI state in two stores, split by size. `useSim` holds the small things React renders (frame
// metadata, busy, error). `gridView` holds the frame's bytes (1 byte per PFN, up to 4 MiB); only the
// canvas painter subscribes to it, so a new frame repaints the canvas without a React render.
import { create } from 'zustand';
import { createStore } from 'zustand/vanilla';
import type { FrameMsg, Zone } from '../../worker/protocol';

export type FrameMeta = Omit<FrameMsg, 'type' | 'view'>;

export interface SimState {
  /** A command is in flight: e2e tests wait for false instead of sleeping. */
  readonly busy: boolean;
  /** The last error, one line of plain text, or null. */
  readonly error: string | null;
  readonly meta: FrameMeta | null;
}

export const useSim = create<SimState>()(() => ({ busy: true, error: null, meta: null }));

export const selectBusy = (s: SimState): boolean => s.busy;
export const selectError = (s: SimState): string | null => s.error;
export const selectMeta = (s: SimState): FrameMeta | null => s.meta;

export interface GridView {
  readonly view: Uint8Array;
  readonly nrPfns: number;
  readonly zones: readonly Zone[];
}

export const gridView = createStore<{ readonly current: GridView | null }>()(() => ({ current: null }));
