import fc from 'fast-check';
import { deflateSync } from 'fflate';
import { describe, expect, test } from 'vitest';
import { PRESETS, findPreset } from './presets';
import { decodeScenario, encodeScenario, fromBase64Url, parseShareUrl, shareFragment, ShareError, toBase64Url, MAX_PAYLOAD_CHARS } from './share';

const b64 = (s: string): string => toBase64Url(deflateSync(new TextEncoder().encode(s)));

describe('base64url', () => {
  test('round-trips any bytes and matches Node\'s encoder', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
      const s = toBase64Url(bytes);
      expect(s).toBe(Buffer.from(bytes).toString('base64url'));
      expect(Array.from(fromBase64Url(s))).toEqual(Array.from(bytes));
    }));
  });
});

describe('share links', () => {
  test('every preset round-trips through #s= and its whole URL stays under 2,000 characters', () => {
    for (const p of PRESETS) {
      const frag = shareFragment({ scenario: p.scenario, step: 12345, pfn: 1048575 });
      expect(('https://pfnscope.example/' + frag).length, p.name).toBeLessThanOrEqual(2000);
      const back = parseShareUrl('https://pfnscope.example/' + frag);
      expect(back.scenario).toEqual(p.scenario);
      expect(back.step).toBe(12345);
      expect(back.pfn).toBe(1048575);
    }
  });

  test('a preset link names the preset', () => {
    const st = parseShareUrl('#preset=fault-exit&step=7');
    expect(st.preset).toBe('fault-exit');
    expect(st.scenario).toEqual(findPreset('fault-exit')!.scenario);
    expect(st.step).toBe(7);
  });

  test.each([
    ['truncated payload', '#s=' + encodeScenario(findPreset('small')!.scenario).slice(0, 21), /truncated|not valid deflate/],
    ['wrong base64', '#s=abc$def', /not base64url/],
    ['bad deflate data', '#s=' + toBase64Url(new Uint8Array([1, 2, 3, 4, 5, 6])), /not valid deflate data/],
    ['invalid JSON', '#s=' + b64('{"v":1,'), /not valid JSON/],
    ['schema error', '#s=' + b64('{"v":1,"memory":{"pfns":100},"seed":1}'), /invalid: memory\.pfns/],
    ['newer version', '#s=' + b64('{"v":9,"memory":{"pfns":8192},"seed":1}'), /newer than this pfnscope/],
    ['huge payload', '#s=' + 'A'.repeat(MAX_PAYLOAD_CHARS + 4), /too large/],
    ['deflate bomb', '#s=' + toBase64Url(deflateSync(new Uint8Array(2_000_000).fill(32))), /too large once inflated/],
    ['unknown preset', '#preset=nope', /no known preset/],
    ['no scenario', '#step=3', /neither a scenario/],
    ['negative step', '#preset=small&step=-1', /step="-1" is not a whole number/],
    ['hex pfn', '#preset=small&pfn=0x10', /pfn="0x10" is not a whole number/],
    ['empty payload', '#s=', /empty/],
    // A fragment is not a form: '+' stays '+' (URLSearchParams would read it as a space).
    ['a + in the payload', '#s=abc+def', /character "\+" at 3/],
    ['a + in the step', '#preset=small&step=+1', /step="\+1" is not a whole number/],
    ['a bad %-escape', '#preset=small&step=%E0%A4%A', /step="%E0%A4%A" is not a whole number/],
  ])('%s is refused with one clear line', (_name, url, message) => {
    let err: unknown;
    try {
      parseShareUrl(url);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ShareError);
    expect((err as Error).message).toMatch(message);
    expect((err as Error).message).not.toContain('\n');
  });

  test('random and mutated links never throw anything but ShareError', () => {
    const good = encodeScenario(findPreset('fault-exit')!.scenario);
    fc.assert(fc.property(
      fc.oneof(
        fc.string({ maxLength: 200 }),
        fc.tuple(fc.nat(good.length - 1), fc.string({ minLength: 1, maxLength: 1 })).map(([i, c]) => good.slice(0, i) + c + good.slice(i + 1)),
        fc.nat(good.length).map((i) => good.slice(0, i)),
      ),
      (payload) => {
        try {
          decodeScenario(payload);
        } catch (e) {
          expect(e).toBeInstanceOf(ShareError);
        }
      },
    ), { numRuns: 300 });
  });
});
