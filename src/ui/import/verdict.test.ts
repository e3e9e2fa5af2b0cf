import { describe, expect, it } from 'vitest';
import { pagesOf, verdict } from './verdict';

describe('the match verdict of one zone', () => {
  it('counts free pages as blocks × 2^order', () => {
    expect(pagesOf([13072, 2338, 169, 62, 19, 2, 2, 1, 1, 1, 9])).toBe(29528);
  });

  it('is exact when every order agrees, and says nothing without a buddyinfo', () => {
    expect(verdict({ zone: 'DMA', rebuilt: [0, 1, 3], given: [0, 1, 3] })).toEqual({ text: 'exact', exact: true });
    expect(verdict({ zone: 'DMA', rebuilt: [0, 1, 3], given: null })).toEqual({ text: 'no buddyinfo given', exact: null });
  });

  it('counts the blocks that differ and the free pages between the two', () => {
    // One order-1 block rebuilt as two order-0 pages: same free pages, three blocks differ.
    expect(verdict({ zone: 'DMA32', rebuilt: [2, 0], given: [0, 1] }).text).toBe('3 blocks differ, same free pages');
    expect(verdict({ zone: 'DMA32', rebuilt: [1, 1], given: [0, 1] }).text).toBe('1 block differs, +1 free pages rebuilt');
    expect(verdict({ zone: 'DMA32', rebuilt: [0], given: [0, 1024] }).text).toBe('1,024 blocks differ, −2,048 free pages rebuilt');
  });
});
