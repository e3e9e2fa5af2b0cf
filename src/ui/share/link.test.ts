import { describe, expect, test } from 'vitest';
import { linkFragment, linkInHash, pageAddress } from './link';

describe('share links in the UI', () => {
  test('a hash is a link when it names a scenario or a preset', () => {
    expect(linkInHash('#preset=small&step=3')).toBe('#preset=small&step=3');
    expect(linkInHash('s=abc&pfn=2')).toBe('#s=abc&pfn=2');
    expect(linkInHash('#s=')).toBe('#s=');
    expect(linkInHash('')).toBeNull();
    expect(linkInHash('#')).toBeNull();
    expect(linkInHash('#step=3&pfn=1')).toBeNull();
  });

  test('the fragment carries step and the selection, but not a selection past the machine', () => {
    expect(linkFragment('preset=small', 7, 300, 8192)).toBe('#preset=small&step=7&pfn=300');
    expect(linkFragment('s=q1Y', 0, null, 8192)).toBe('#s=q1Y&step=0');
    expect(linkFragment('preset=small', 2, 9000, 8192)).toBe('#preset=small&step=2');
  });

  test('the shared address drops the query', () => {
    expect(pageAddress({ origin: 'http://127.0.0.1:4173', pathname: '/' })).toBe('http://127.0.0.1:4173/');
  });
});
