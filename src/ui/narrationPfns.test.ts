import { describe, expect, it } from 'vitest';
import { splitPfns, type TextPart } from './narrationPfns';

const joined = (parts: readonly TextPart[]): string => parts.map((p) => (typeof p === 'string' ? p : p.text)).join('');

describe('splitPfns', () => {
  it('finds the PFNs of a sentence and leaves the rest as text', () => {
    const text = 'copy 1 page of contents 0x1c49 → 0x1003 (machine-check safe)';
    const parts = splitPfns(text, 8192);
    expect(parts).toEqual(['copy 1 page of contents ', { pfn: 0x1c49, text: '0x1c49' }, ' → ', { pfn: 0x1003, text: '0x1003' }, ' (machine-check safe)']);
    expect(joined(parts)).toBe(text);
  });

  it('leaves a virtual address, a number past the last PFN, and hex inside a word as text', () => {
    const text = 'PTE of sshd[1006] at 0x110000000 → migration entry for 0x1c49; pfn 0x2000 is outside memory; ab0x12';
    const parts = splitPfns(text, 0x2000);
    expect(parts.filter((p) => typeof p !== 'string')).toEqual([{ pfn: 0x1c49, text: '0x1c49' }]);
    expect(joined(parts)).toBe(text);
  });

  it('a range of PFNs gives both ends; a sentence without any is one part', () => {
    expect(splitPfns('free scanner over 0x1e00..0x2000 (stride 32)', 0x4000)).toEqual([
      'free scanner over ', { pfn: 0x1e00, text: '0x1e00' }, '..', { pfn: 0x2000, text: '0x2000' }, ' (stride 32)',
    ]);
    expect(splitPfns('balloon-1000 finished', 8192)).toEqual(['balloon-1000 finished']);
    expect(splitPfns('', 8192)).toEqual([]);
  });
});
