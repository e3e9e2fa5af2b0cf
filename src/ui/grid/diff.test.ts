import { describe, expect, it } from 'vitest';
import { changedPfns } from './diff';

describe('changedPfns', () => {
  it('lists the changed indices in order, including in the tail past the last whole word', () => {
    const a = new Uint8Array(11);
    const b = a.slice();
    for (const i of [0, 5, 6, 10]) b[i] = 7;
    expect(changedPfns(a, b, 100)).toEqual([0, 5, 6, 10]);
    expect(changedPfns(a, a.slice(), 100)).toEqual([]);
  });

  it('gives up past the limit or on a different length', () => {
    const a = new Uint8Array(64);
    const b = new Uint8Array(64).fill(1);
    expect(changedPfns(a, b, 10)).toBeNull();
    expect(changedPfns(a, new Uint8Array(65), 10)).toBeNull();
  });

  it('handles views that do not start on a 4-byte boundary', () => {
    const buf = new Uint8Array(20);
    const a = buf.subarray(1, 13);
    const b = a.slice();
    b[11] = 3;
    expect(changedPfns(a, b, 5)).toEqual([11]);
  });
});
