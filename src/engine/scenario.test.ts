import { describe, expect, test } from 'vitest';
import { parseScenario, parseScenarioText, ScenarioError, populateSpecOf } from './scenario';
import { PRESETS, findPreset } from './presets';

const ok = { v: 1, memory: { pfns: 8192 }, seed: 3 };

describe('scenario validation', () => {
  test('a minimal scenario parses and takes populate defaults', () => {
    const s = parseScenario(ok);
    const spec = populateSpecOf(s);
    expect(spec.nrPfns).toBe(8192);
    expect(spec.seed).toBe(3);
    expect(spec.anon).toBeGreaterThan(0);
  });

  test.each([
    [{ ...ok, memory: { pfns: 8000 } }, /^memory\.pfns: must be a multiple of 512/],
    [{ ...ok, memory: { pfns: 1024 } }, /^memory\.pfns: at least 2048 PFNs/],
    [{ ...ok, memory: { pfns: 1 << 23 } }, /^memory\.pfns: at most 4194304 PFNs/],
    [{ ...ok, seed: -1 }, /^seed: /],
    [{ ...ok, seed: 1.5 }, /^seed: /],
    [{ ...ok, populate: { anon: 2 } }, /^populate\.anon: /],
    [{ ...ok, populate: { anon: 0.5, file: 0.5 } }, /^populate: the shares add up to more than 0\.9/],
    [{ ...ok, populate: { bogus: 1 } }, /^populate: unknown field "bogus"/],
    [{ ...ok, extra: true }, /^\(top level\): unknown field "extra"/],
    [{ memory: { pfns: 8192 }, seed: 1 }, /^v: missing scenario version/],
    [{ ...ok, v: 2 }, /^v: scenario version 2 is newer than this pfnscope understands \(1\)/],
    [[1, 2], /^scenario: expected a JSON object/],
    [null, /^scenario: expected a JSON object/],
    // zod's own limits (the safe-integer range, "<=", "Invalid input") never reach the message:
    // the field's allowed range in our words, and what was given.
    [{ ...ok, memory: { pfns: 1e308 } }, /^memory\.pfns: must be a whole number from 2048 to 4194304 \(got 1e\+308\)$/],
    [{ ...ok, memory: { pfns: 4096.5 } }, /^memory\.pfns: must be a whole number from 2048 to 4194304 \(got 4096\.5\)$/],
    [{ ...ok, seed: 1e20 }, /^seed: must be a whole number from 0 to 4294967295 \(got 100000000000000000000\)$/],
    [{ ...ok, populate: { anon: 2 } }, /^populate\.anon: must be a number from 0 to 0\.9 \(got 2\)$/],
    [{ ...ok, memory: {} }, /^memory\.pfns: missing \(a number\)$/],
    [{ ...ok, memory: { pfns: 'x' } }, /^memory\.pfns: must be a number \(got "x"\)$/],
    [{ ...ok, variant: 'foo' }, /^variant: must be one of "linux-6\.18", "linux-6\.12", "no-refcount", "pfn-array", "offline-alloc", "offline-migrate" \(got "foo"\)$/],
    [{ ...ok, name: 'x'.repeat(100) }, /^name: at most 80 characters \(got 100\)$/],
    [{ ...ok, actions: [{ type: 'bogus' }] }, /^actions\.0\.type: must be one of "alloc", .*"zsmalloc", "parallel" \(got "bogus"\)$/],
    [{ ...ok, actions: [{ type: 'alloc', order: 1, gfp: 'mov' }] }, /^actions\.0\.gfp: must be one of "unmovable", "movable", "reclaimable" \(got "mov"\)$/],
    [{ ...ok, actions: [{ type: 'alloc', order: 11, gfp: 'movable', count: 1 }] }, /^actions\.0\.order: must be a whole number from 0 to 10 \(got 11\)$/],
    [{ ...ok, actions: [{ type: 'parallel', actions: [{ type: 'alloc', order: 1, gfp: 'mov' }, { type: 'exit', process: 1 }] }] }, /^actions\.0\.actions\.0\.gfp: must be one of/],
    [{ ...ok, actions: [5] }, /^actions\.0: must be an object \(got 5\)$/],
  ])('%j is rejected naming the field', (input, message) => {
    expect(() => parseScenario(input)).toThrow(ScenarioError);
    expect(() => parseScenario(input)).toThrow(message);
  });

  test('too many actions: the limit in our words', () => {
    expect(() => parseScenario({ ...ok, actions: Array(1001).fill({ type: 'device-evict' }) })).toThrow(/^actions: at most 1000 entries \(got 1001\)$/);
  });

  test('invalid JSON text is one ScenarioError line', () => {
    let err: unknown;
    try {
      parseScenarioText('{"v":1,');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ScenarioError);
    expect((err as Error).message).toMatch(/^invalid JSON: /);
    expect((err as Error).message).not.toContain('\n');
  });
});

describe('presets', () => {
  test('names are unique and each has a one-line summary', () => {
    const names = PRESETS.map((p) => p.name);
    expect(new Set(names).size).toBe(names.length);
    for (const p of PRESETS) {
      expect(p.summary.length).toBeGreaterThan(10);
      expect(p.summary).not.toContain('\n');
    }
  });

  test('default is the 512 MiB machine the real captures come from', () => {
    expect(findPreset('default')!.scenario.memory.pfns).toBe(131072);
    expect(findPreset('nope')).toBeUndefined();
  });
});
