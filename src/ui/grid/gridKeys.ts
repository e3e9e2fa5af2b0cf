// The grid's keys, for the help panel, and W / S / A / D shared with the timeline the way
// Perfetto shares them between its tracks: the grid takes them while it has the focus or the
// pointer is over it (zoom about the pointer, else the centre; pan sideways), the timeline strip
// everywhere else (keyboard.ts). The mounted grid registers itself here (controller.ts).

/** What the grid does for W / S (zoom factor) and A / D (a share of the plot's width to pan). */
export type GridMove = { readonly zoom: number } | { readonly pan: number };

/** Zoom per W / S press: + and − zoom by 2; held W / S zoom by the same steps. */
export const GRID_KEY_ZOOM = 2;
/** Pan per A / D press, as a share of the plot's width (↑ / ↓ pan a third of its height). */
export const GRID_KEY_PAN = 1 / 3;

export function gridMove(key: string): GridMove | null {
  switch (key) {
    case 'w':
    case 'W':
      return { zoom: GRID_KEY_ZOOM };
    case 's':
    case 'S':
      return { zoom: 1 / GRID_KEY_ZOOM };
    case 'a':
    case 'A':
      return { pan: GRID_KEY_PAN }; // the grid moves right: what is left of the view comes in
    case 'd':
    case 'D':
      return { pan: -GRID_KEY_PAN };
    default:
      return null;
  }
}

export interface GridKeyTarget {
  /** The grid has the focus or the pointer is over it. */
  engaged(): boolean;
  apply(move: GridMove): void;
}

let target: GridKeyTarget | null = null;

/** The mounted grid; the returned function unregisters it. */
export function setGridKeyTarget(t: GridKeyTarget): () => void {
  target = t;
  return () => {
    if (target === t) target = null;
  };
}

/** The grid took `key` (W / S / A / D while engaged); false leaves it to the timeline. */
export function gridTakesKey(key: string): boolean {
  const move = gridMove(key);
  if (!move || !target?.engaged()) return false;
  target.apply(move);
  return true;
}

/** The grid's own keys and gestures, as the help panel lists them (controller.ts, zoom.ts). */
export const GRID_SHORTCUTS: readonly { readonly keys: readonly string[]; readonly what: string }[] = [
  { keys: ['W', 'S'], what: 'zoom in / out about the pointer (pointer over the grid, or the grid focused: about its centre)' },
  { keys: ['A', 'D'], what: 'pan left / right, likewise' },
  { keys: ['+', '−'], what: 'zoom in / out ×2 (grid focused; or the + / − buttons, or the mouse wheel)' },
  { keys: ['0'], what: 'show the whole memory (or the Fit button)' },
  { keys: ['↑', '↓'], what: 'pan up / down by a third of the view (grid focused; or drag)' },
  { keys: ['Enter'], what: 'inspect the page under the pointer (or click it)' },
  { keys: ['Esc'], what: 'clear the selection (grid focused)' },
  { keys: ['Double-click'], what: 'zoom in there (Shift: out)' },
];
