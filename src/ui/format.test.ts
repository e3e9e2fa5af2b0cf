import { describe, expect, it } from 'vitest';
import { describeMemory, formatBytes, formatCount } from './format';

describe('format', () => {
  it('describes the default machine the way the header shows it', () => {
    expect(describeMemory(131072, ['DMA', 'DMA32'])).toBe('512 MiB, 131,072 PFNs, DMA + DMA32');
  });

  it('uses binary units with at most two decimals', () => {
    expect(formatBytes(4096)).toBe('4 KiB');
    expect(formatBytes(1.5 * 2 ** 30)).toBe('1.5 GiB');
    expect(formatBytes(16 * 2 ** 30)).toBe('16 GiB');
    expect(formatBytes(1000)).toBe('1000 B');
  });

  it('groups thousands', () => {
    expect(formatCount(1048576)).toBe('1,048,576');
  });
});
