// Outline colours of the current step's PFNs, by role. Saturated and apart from the page-state
// palette's hues where it can be, and always drawn over a white halo, so an outline reads as an
// annotation on top of the cells, never as a page state.
import type { StepPfn } from '../../worker/protocol';

export type Role = StepPfn['role'];

export const ROLE_COLORS: Readonly<Record<Role, string>> = {
  src: '#c2185b',
  dst: '#1565c0',
  allocated: '#00897b',
  freed: '#7b1fa2',
  buddy: '#ef6c00',
  pinned: '#d01818',
  target: '#111111',
  scanner: '#6d4c41',
};

/** What each role means, for the narration's key. */
export const ROLE_LABELS: Readonly<Record<Role, string>> = {
  src: 'source',
  dst: 'destination',
  allocated: 'allocated',
  freed: 'freed',
  buddy: 'buddy',
  pinned: 'pinned',
  target: 'target',
  scanner: 'scanner',
};
