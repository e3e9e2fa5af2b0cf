import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { StateClass } from '../../kernel/classes';
import { EMPTY, reduceBlock, reduceView, reduction } from './reduce';

describe('reduction', () => {
  it('is the power of two that makes a block at least one device pixel', () => {
    expect(reduction(1)).toBe(1);
    expect(reduction(2.5)).toBe(1);
    expect(reduction(0.85)).toBe(2);
    expect(reduction(0.998)).toBe(1); // one column short of 512: skip it rather than halve the picture
    expect(reduction(0.17)).toBe(8);
  });
});

describe('reduceView', () => {
  it('gives each block its most common class', () => {
    // 8 columns × 2 rows, blocks of 4 × 2: left block mostly anon, right block all free.
    const v = new Uint8Array(16).fill(StateClass.FreeMovable);
    for (const pfn of [0, 1, 2, 8, 9]) v[pfn] = StateClass.Anon;
    const r = reduceView(v, 16, 8, 2, 4, 2);
    expect([r.cols, r.rows]).toEqual([2, 1]);
    expect([...r.classes]).toEqual([StateClass.Anon, StateClass.FreeMovable]);
  });

  it('lets a single pinned or under-migration page win its block, so it never vanishes at the fit', () => {
    const v = new Uint8Array(64).fill(StateClass.Anon);
    v[5] = StateClass.Isolated;
    v[6] = StateClass.Migrating;
    v[40] = StateClass.Pinned;
    const r = reduceView(v, 64, 8, 8, 8, 4);
    expect([...r.classes]).toEqual([StateClass.Migrating, StateClass.Pinned]);
  });

  it('breaks a tie towards the higher class id and leaves blocks past the last PFN empty', () => {
    const v = new Uint8Array([StateClass.FreeMovable, StateClass.Slab, 0, 0]);
    const r = reduceView(v, 2, 2, 2, 2, 1);
    expect([...r.classes]).toEqual([StateClass.Slab, EMPTY]);
  });
});

describe('reduceBlock', () => {
  it('agrees with reduceView on every block (the painter updates single blocks with it)', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 700 }).map((a) => a.map((b) => b % 26)),
        fc.constantFrom(1, 2, 4, 8),
        fc.constantFrom(1, 2, 4),
        (view, fx, fy) => {
          const cols = 16;
          const rows = Math.ceil(view.length / cols);
          const r = reduceView(view, view.length, cols, rows, fx, fy);
          for (let br = 0; br < r.rows; br++) {
            for (let bc = 0; bc < r.cols; bc++) {
              expect(reduceBlock(view, view.length, cols, rows, bc * fx, br * fy, fx, fy)).toBe(r.classes[br * r.cols + bc]);
            }
          }
        },
      ),
    );
  });
});
