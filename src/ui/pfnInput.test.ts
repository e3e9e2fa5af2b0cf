import { describe, expect, it } from 'vitest';
import { parsePfn } from './pfnInput';

describe('Go to PFN input', () => {
  it('reads 0x-prefixed and lettered input as hex, plain digits as decimal', () => {
    expect(parsePfn('0x1c49', 8192)).toEqual({ pfn: 0x1c49 });
    expect(parsePfn(' 0X1C49 ', 8192)).toEqual({ pfn: 0x1c49 });
    expect(parsePfn('1c49', 8192)).toEqual({ pfn: 0x1c49 });
    expect(parsePfn('7241', 8192)).toEqual({ pfn: 7241 });
    expect(parsePfn('0', 8192)).toEqual({ pfn: 0 });
  });

  it('says what is wrong in one line: not a number, past the end of memory', () => {
    expect(parsePfn('page 3', 8192)).toEqual({ error: 'Go to PFN: "page 3" is not a PFN (write 0x1c49 or 7241)' });
    expect(parsePfn('', 8192)).toHaveProperty('error');
    expect(parsePfn('0x2000', 8192)).toEqual({ error: 'Go to PFN: 0x2000 is out of range: this machine has PFNs 0x0–0x1fff (0–8191)' });
    expect(parsePfn('99999999999999999999', 8192)).toHaveProperty('error');
  });
});
