import { describe, expect, it } from 'vitest';
import { orderText, sameScanners, scannerGap, zoneName } from './scanners';

const dma32 = { zone: 1, order: -1, migratePfn: 0x1000, freePfn: 0x7e00 };

describe('scanners', () => {
  it('counts the gap in pageblocks as compact_scanners_met() compares the scanners', () => {
    expect(scannerGap(dma32)).toBe(0x3f - 0x8);
    // A migrate scanner part-way into a block counts from that block.
    expect(scannerGap({ ...dma32, migratePfn: 0x2420, freePfn: 0x7301 })).toBe(0x39 - 0x12);
    expect(scannerGap({ ...dma32, migratePfn: 0x4200, freePfn: 0x4230 })).toBe(0);
    expect(scannerGap({ ...dma32, migratePfn: 0x4400, freePfn: 0x4230 })).toBe(0);
  });

  it('names order -1 as the whole-zone compaction of compact_memory', () => {
    expect(orderText(-1)).toBe('-1 (compact_memory)');
    expect(orderText(9)).toBe('9');
  });

  it('compares compactions by what they say, not by identity', () => {
    expect(sameScanners([dma32], [{ ...dma32 }])).toBe(true);
    expect(sameScanners([dma32], [{ ...dma32, freePfn: 0x7c00 }])).toBe(false);
    expect(sameScanners([], [dma32])).toBe(false);
  });

  it('falls back to the zone index for a zone the frame does not list', () => {
    expect(zoneName([{ name: 'DMA' }, { name: 'DMA32' }], 1)).toBe('DMA32');
    expect(zoneName([{ name: 'DMA' }], 3)).toBe('zone 3');
  });
});
