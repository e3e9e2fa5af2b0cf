import { describe, expect, it } from 'vitest';
import { GRID_KEY_PAN, GRID_KEY_ZOOM, gridMove, gridTakesKey, setGridKeyTarget, type GridMove } from './gridKeys';

describe('W / S / A / D on the grid', () => {
  it('W / S zoom in / out, A / D pan left / right, either case; other keys are not the grid\'s', () => {
    expect(['w', 'W', 's', 'S', 'a', 'A', 'd', 'D'].map(gridMove)).toEqual([
      { zoom: GRID_KEY_ZOOM }, { zoom: GRID_KEY_ZOOM }, { zoom: 1 / GRID_KEY_ZOOM }, { zoom: 1 / GRID_KEY_ZOOM },
      { pan: GRID_KEY_PAN }, { pan: GRID_KEY_PAN }, { pan: -GRID_KEY_PAN }, { pan: -GRID_KEY_PAN },
    ]);
    expect(gridMove('ArrowRight')).toBeNull();
    expect(gridMove('+')).toBeNull();
  });

  it('the grid takes them only while engaged (focused or under the pointer); else the timeline does', () => {
    let engaged = false;
    const moves: GridMove[] = [];
    const off = setGridKeyTarget({ engaged: () => engaged, apply: (m) => moves.push(m) });
    expect(gridTakesKey('w')).toBe(false);
    engaged = true;
    expect(gridTakesKey('w')).toBe(true);
    expect(gridTakesKey('d')).toBe(true);
    expect(gridTakesKey('ArrowLeft')).toBe(false); // stepping stays the app's
    expect(moves).toEqual([{ zoom: GRID_KEY_ZOOM }, { pan: -GRID_KEY_PAN }]);
    off();
    expect(gridTakesKey('w')).toBe(false); // unmounted
  });
});
