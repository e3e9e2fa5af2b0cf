// Share links and the scenario editor through the worker host: the link head a session's first
// frame carries, a link past its timeline or machine (opened as far as it goes), a bad link with a fallback (what the page
// does at startup), and `validate`, which checks the editor's text with the engine's parser.
import { describe, expect, it } from 'vitest';
import { deflateSync } from 'fflate';
import { findPreset } from '../engine/presets';
import { openSession } from '../engine/session';
import { encodeScenario, MAX_PAYLOAD_CHARS, parseShareUrl, toBase64Url } from '../engine/share';
import { runToEnd } from '../engine/timeline';
import { expectMatchesSession, harness, type Harness } from './host.harness';
import { MAX_SCENARIO_TEXT, type Command, type ErrorMsg, type FrameMsg, type ValidationMsg } from './protocol';

const PRESET = 'buddy-split-merge';
const FALLBACK = 'small';
const scenarioOf = (name: string) => findPreset(name)!.scenario;
const packed = (text: string): string => toBase64Url(deflateSync(new TextEncoder().encode(text)));

function first(h: Harness, cmd: Command): FrameMsg {
  h.send(cmd);
  const f = h.one('frame');
  h.send({ type: 'ack', seq: f.seq });
  return f;
}

/** Steps the preset's timeline has: a link past them is refused. */
const lastStep = (() => {
  const s = openSession(scenarioOf(PRESET));
  return runToEnd(s.t);
})();

describe('worker host: link heads', () => {
  it('a preset session links by name; only the first frame says so', () => {
    const h = harness();
    const f = first(h, { type: 'load', source: { kind: 'preset', name: PRESET } });
    expect(f.session).toEqual({ scenario: scenarioOf(PRESET), link: `preset=${PRESET}` });
    h.send({ type: 'step', delta: 1 });
    expect(h.one('frame').session).toBeUndefined();
  });

  it('a scenario session links by its payload, which opens the same scenario', () => {
    const h = harness();
    const custom = { ...scenarioOf(PRESET), name: 'custom', seed: 99 };
    const f = first(h, { type: 'load', source: { kind: 'scenario', scenario: custom } });
    expect(f.source).toEqual({ kind: 'scenario', scenario: custom });
    expect(f.session!.link).toBe(`s=${encodeScenario(custom)}`);
    expect(f.session!.select).toBeUndefined();
    expect(parseShareUrl(`#${f.session!.link}&step=0`).scenario).toEqual(custom);
  });

  it('a link opened elsewhere gives the same step, state hash and selection', () => {
    const a = harness();
    const custom = { ...scenarioOf(PRESET), name: 'custom', seed: 5 };
    const head = first(a, { type: 'load', source: { kind: 'scenario', scenario: custom } }).session!.link!;
    a.send({ type: 'seek', step: 7 });
    const sender = a.one('frame');

    const b = harness();
    const f = first(b, { type: 'load', source: { kind: 'url', url: `https://x/#${head}&step=7&pfn=300` } });
    expect(f).toMatchObject({ step: 7, stateHash: sender.stateHash, source: { kind: 'scenario', scenario: custom } });
    expect(f.session).toEqual({ scenario: custom, link: head, select: 300 });
    expectMatchesSession(openSession(custom), f);
  });

  it('a link naming a preset comes back as the preset; a link without pfn selects nothing', () => {
    const h = harness();
    const f = first(h, { type: 'load', source: { kind: 'url', url: `#preset=${PRESET}&step=3` } });
    expect(f).toMatchObject({ step: 3, source: { kind: 'preset', name: PRESET } });
    expect(f.session).toEqual({ scenario: scenarioOf(PRESET), link: `preset=${PRESET}`, select: null });
  });

  it('a scenario too large for a link has no link head', () => {
    // 100 migrate actions of 512 random PFNs each: 51,200 × 13 random bits ≈ 110 k base64url characters.
    let x = 2463534242;
    const rnd = (): number => {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      return (x >>> 0) % 8192;
    };
    const actions = Array.from({ length: 100 }, () => ({ type: 'migrate' as const, pages: Array.from({ length: 512 }, () => ({ pfn: rnd() })) }));
    const big = { v: 1, name: 'big', memory: { pfns: 8192 }, seed: 7, actions };
    expect(encodeScenario(big as never).length).toBeGreaterThan(MAX_PAYLOAD_CHARS);
    const h = harness();
    const f = first(h, { type: 'load', source: { kind: 'scenario', scenario: big } });
    expect(f.session!.link).toBeNull();
  });
});

describe('worker host: a link past its timeline or machine', () => {
  it('a step past the end opens the last step, keeping the link; one non-fatal line says so', () => {
    const h = harness();
    h.send({ type: 'load', source: { kind: 'url', url: `#preset=${PRESET}&step=${lastStep + 5}&pfn=300` }, fallback: { kind: 'preset', name: FALLBACK } });
    const [e, f] = h.take() as [ErrorMsg, FrameMsg];
    expect(e).toMatchObject({ type: 'error', fatal: false, handled: 0 });
    expect(e.message).toBe(`the link's step ${lastStep + 5} is past the end of ${PRESET} (${lastStep} steps): opened at the last step`);
    expect(f).toMatchObject({ type: 'frame', handled: 1, step: lastStep, done: true, scenarioName: PRESET, source: { kind: 'preset', name: PRESET } });
    expect(f.session).toEqual({ scenario: scenarioOf(PRESET), link: `preset=${PRESET}`, select: 300 });
  });

  it("a PFN past the machine selects nothing, at the link's step; both past: one line says both", () => {
    const h = harness();
    h.send({ type: 'load', source: { kind: 'url', url: `#preset=${PRESET}&step=1&pfn=8192` }, fallback: { kind: 'preset', name: FALLBACK } });
    const [e, f] = h.take() as [ErrorMsg, FrameMsg];
    expect(e.message).toBe("the link's pfn=8192 is out of range (the machine's last PFN is 8191): nothing is selected");
    expect(f).toMatchObject({ step: 1, scenarioName: PRESET, session: { link: `preset=${PRESET}`, select: null } });
    h.send({ type: 'ack', seq: f.seq });

    h.send({ type: 'load', source: { kind: 'url', url: `#preset=${PRESET}&step=99999&pfn=99999999` } });
    const [e2, f2] = h.take() as [ErrorMsg, FrameMsg];
    expect(e2).toMatchObject({ type: 'error', fatal: false });
    expect(e2.message).toBe(
      `the link's step 99999 is past the end of ${PRESET} (${lastStep} steps): opened at the last step; ` +
        "the link's pfn=99999999 is out of range (the machine's last PFN is 8191): nothing is selected",
    );
    expect(f2).toMatchObject({ type: 'frame', step: lastStep, session: { select: null } });
  });

  it('the last step and the last PFN themselves open without a word', () => {
    const h = harness();
    const f = first(h, { type: 'load', source: { kind: 'url', url: `#preset=${PRESET}&step=${lastStep}&pfn=8191` } });
    expect(f).toMatchObject({ step: lastStep, done: true, session: { select: 8191 } });
    expect(h.take()).toEqual([]);
  });

  it('a step past the end from anything but a link (a restart) just stops at the end', () => {
    const h = harness();
    expect(first(h, { type: 'load', source: { kind: 'preset', name: PRESET }, step: lastStep + 5 }).step).toBe(lastStep);
    expect(h.take()).toEqual([]);
  });
});

describe('worker host: a bad link with a fallback', () => {
  const fresh = (() => {
    const h = harness();
    return first(h, { type: 'load', source: { kind: 'preset', name: FALLBACK } }).stateHash;
  })();
  const good = encodeScenario(scenarioOf(PRESET));

  it.each([
    ['truncated payload', `#s=${good.slice(0, 21)}`, /truncated|not valid deflate/],
    ['wrong base64', `#s=${good.slice(0, 10)}*${good.slice(11)}`, /not base64url \(character "\*" at 10\)/],
    ['bad deflate data', `#s=${toBase64Url(new Uint8Array([1, 2, 3, 4, 5, 6]))}`, /not valid deflate data/],
    ['invalid JSON', `#s=${packed('{"v":1,')}`, /not valid JSON/],
    ['a schema error', `#s=${packed('{"v":1,"memory":{"pfns":8192},"seed":7,"populate":{"forks":99}}')}`, /invalid: populate\.forks: /],
    ['a newer version', `#s=${packed('{"v":2,"memory":{"pfns":8192},"seed":1}')}`, /version 2 is newer than this pfnscope understands \(1\)/],
    ['an unknown preset', '#preset=<b>nope</b>&step=1', /the link names no known preset: "<b>nope<\/b>"/],
    ['a huge payload', `#s=${'A'.repeat(MAX_PAYLOAD_CHARS + 1)}`, /too large/],
  ])('%s: one line saying what was wrong, then the fallback opens', (_what, url, match) => {
    const h = harness();
    h.send({ type: 'load', source: { kind: 'url', url: `https://pfnscope.example/${url}` }, fallback: { kind: 'preset', name: FALLBACK } });
    const [e, f] = h.take() as [ErrorMsg, FrameMsg];
    expect(e.type).toBe('error');
    expect(e.fatal).toBe(false);
    expect(e.message).toMatch(/^cannot open the link: /);
    expect(e.message).toMatch(match);
    expect(e.message).toMatch(new RegExp(` — opened the ${FALLBACK} scenario instead$`));
    expect(e.message).not.toMatch(/\n/);
    // The error leaves the idle count to the frame, which covers the load.
    expect(e.handled).toBe(0);
    expect(f).toMatchObject({ type: 'frame', handled: 1, step: 0, stateHash: fresh, source: { kind: 'preset', name: FALLBACK } });
    expect(f.session).toEqual({ scenario: scenarioOf(FALLBACK), link: `preset=${FALLBACK}` });
  });

  it('a good link with a fallback opens the link and says nothing', () => {
    const h = harness();
    h.send({ type: 'load', source: { kind: 'url', url: `#preset=${PRESET}&step=2` }, fallback: { kind: 'preset', name: FALLBACK } });
    expect(h.one('frame')).toMatchObject({ step: 2, scenarioName: PRESET });
  });
});

describe('worker host: validate', () => {
  function validate(h: Harness, text: unknown, id = 1): ValidationMsg {
    h.send({ type: 'validate', id, text } as Command);
    const v = h.one('validation');
    expect(v.id).toBe(id);
    return v;
  }
  const text = JSON.stringify(scenarioOf(PRESET));

  it('answers ok with the scenario, or one line naming the field', () => {
    const h = harness();
    expect(validate(h, text)).toMatchObject({ ok: true, scenario: scenarioOf(PRESET) });
    const cases: [string, RegExp][] = [
      [text.replace('"populate"', '"popluate"'), /^\(top level\): unknown field "popluate"$/],
      [text.replace('"pfns":8192', '"pfns":8000'), /^memory\.pfns: must be a multiple of 512/],
      [text.replace('"gfp":"unmovable"', '"gfp":"unmovabel"'), /^actions\.0(\.gfp)?: /],
      [text.replace('"v":1', '"v":7'), /^v: scenario version 7 is newer/],
      [text.slice(0, -3), /^invalid JSON: /],
      ['[]', /^scenario: expected a JSON object$/],
      [' '.repeat(MAX_SCENARIO_TEXT + 1), /^the scenario text is too long/],
    ];
    cases.forEach(([t, match], i) => {
      const v = validate(h, t, i + 2);
      expect(v.ok).toBe(false);
      if (!v.ok) {
        expect(v.error).toMatch(match);
        expect(v.error).not.toMatch(/\n/);
      }
    });
  });

  it('counts as handled, changes nothing, and a text that is no string is refused', () => {
    const h = harness();
    first(h, { type: 'load', source: { kind: 'preset', name: PRESET } });
    expect(validate(h, '{').handled).toBe(2);
    h.send({ type: 'validate', id: 9, text: 42 } as unknown as Command);
    expect((h.one('error') as ErrorMsg).message).toBe('validate: text is not a string');
    h.send({ type: 'step', delta: 1 });
    expect(h.one('frame')).toMatchObject({ step: 1, scenarioName: PRESET, handled: 4 });
  });
});
