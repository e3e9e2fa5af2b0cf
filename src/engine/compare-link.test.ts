import { describe, expect, test } from 'vitest';
import { compareFragment, isCompareLink, parseCompareUrl } from './compare-link';
import { findPreset } from './presets';
import { encodeScenario } from './share';

describe('compare links', () => {
  test('a preset compared under two designs, with each pane\'s step', () => {
    const c = parseCompareUrl('https://x.example/#preset=balloon-race&compare=linux-6.18,no-refcount&steps=12,7');
    expect(c.share.preset).toBe('balloon-race');
    expect(c.share.scenario).toEqual(findPreset('balloon-race')!.scenario);
    expect(c.designs).toEqual(['linux-6.18', 'no-refcount']);
    expect(c.steps).toEqual([12, 7]);
  });

  test('without steps= every pane starts at step 0; a scenario payload works like a preset', () => {
    const s = findPreset('small')!.scenario;
    const c = parseCompareUrl(`#s=${encodeScenario(s)}&compare=pfn-array,linux-6.12,linux-6.18`);
    expect(c.share.scenario).toEqual(s);
    expect(c.steps).toEqual([0, 0, 0]);
  });

  test('the fragment it writes opens the same view', () => {
    const frag = compareFragment('preset=balloon-race', ['no-refcount', 'linux-6.18'], [3, 9]);
    expect(frag).toBe('#preset=balloon-race&compare=no-refcount,linux-6.18&steps=3,9');
    const c = parseCompareUrl(frag);
    expect([c.designs, c.steps]).toEqual([['no-refcount', 'linux-6.18'], [3, 9]]);
  });

  test('isCompareLink tells a compare link from a plain one', () => {
    expect(isCompareLink('#preset=small&compare=a,b')).toBe(true);
    expect(isCompareLink('#preset=small&step=3')).toBe(false);
  });

  test.each([
    ['unknown design', '#preset=small&compare=linux-6.18,linux-9.9', /compare= names no known design: "linux-9.9" \(designs: linux-6.18, /],
    ['one design', '#preset=small&compare=linux-6.18', /names 1 design: give 2 to 4/],
    ['five designs', '#preset=small&compare=linux-6.18,linux-6.12,no-refcount,pfn-array,x', /no known design: "x"/],
    ['the same twice', '#preset=small&compare=no-refcount,no-refcount', /names no-refcount twice/],
    ['empty name', '#preset=small&compare=linux-6.18,', /empty design name/],
    ['steps count', '#preset=small&compare=linux-6.18,no-refcount&steps=3', /steps= gives 1 step for 2 designs/],
    ['steps not numbers', '#preset=small&compare=linux-6.18,no-refcount&steps=3,x', /"x" is not a whole number/],
    ['unknown preset', '#preset=nope&compare=linux-6.18,no-refcount', /no known preset/],
    ['no compare key', '#preset=small', /no compare= key/],
  ])('%s: one line naming what is wrong', (_, url, msg) => {
    expect(() => parseCompareUrl(url)).toThrow(msg);
  });
});
