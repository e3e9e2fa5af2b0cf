import { describe, expect, it } from 'vitest';
import { highlightsOf, rangeRects } from './highlight';

describe('rangeRects', () => {
  it('is one rectangle for an aligned block inside a row', () => {
    expect(rangeRects(0x454, 4, 512, 8192)).toEqual([{ x: 0x54, y: 2, w: 4, h: 1 }]);
  });

  it('is one rectangle for whole rows (an order-10 block is two pageblocks)', () => {
    expect(rangeRects(1024, 1024, 512, 8192)).toEqual([{ x: 0, y: 2, w: 512, h: 2 }]);
  });

  it('splits a range that starts mid-row into the rest of the row, full rows, the start of the last', () => {
    expect(rangeRects(500, 1100, 512, 8192)).toEqual([
      { x: 500, y: 0, w: 12, h: 1 },
      { x: 0, y: 1, w: 512, h: 2 },
      { x: 0, y: 3, w: 64, h: 1 }, // 500 + 1100 = 1600 = 3 × 512 + 64
    ]);
  });

  it('clips to the PFNs that exist', () => {
    expect(rangeRects(8190, 8, 512, 8192)).toEqual([{ x: 510, y: 15, w: 2, h: 1 }]);
    expect(rangeRects(9000, 1, 512, 8192)).toEqual([]);
  });
});

describe('highlightsOf', () => {
  it('draws the buddy first so the block the step is about stays on top, once per range', () => {
    const hs = highlightsOf(
      [
        { pfn: 0x454, role: 'allocated', nr: 2 },
        { pfn: 0x456, role: 'buddy', nr: 2 },
        { pfn: 0x454, role: 'allocated', nr: 2 },
      ],
      512,
      8192,
    );
    expect(hs.map((h) => h.role)).toEqual(['buddy', 'allocated']);
  });

  it('draws a merged block before (outside) the buddy it absorbed', () => {
    const hs = highlightsOf([{ pfn: 0x458, role: 'freed', nr: 4 }, { pfn: 0x45a, role: 'buddy', nr: 2 }], 512, 8192);
    expect(hs.map((h) => h.role)).toEqual(['freed', 'buddy']);
  });
});
