import { describe, expect, test } from 'vitest';
import {
  exportFileName, formatScenario, inline, knobValue, MEMORY_KNOBS, parseJson, POPULATE_KNOBS, withKnob, type Json,
} from './scenarioText';

const pfns = MEMORY_KNOBS[0]!;
const seed = MEMORY_KNOBS[1]!;
const forks = POPULATE_KNOBS.find((k) => k.label === 'forks')!;
const churn = POPULATE_KNOBS.find((k) => k.label === 'churn')!;

const scenario = {
  v: 1, name: 'lru-anon', memory: { pfns: 8192 }, seed: 7, populate: { processes: 6, files: 12 },
  actions: [{ type: 'migrate', pages: [{ process: 1, page: 0 }], mode: 'sync' }, { type: 'exit', process: 0 }],
} as const;

describe('the editor text', () => {
  test('one field a line, one action a line, and it parses back to the same value', () => {
    const text = formatScenario(scenario);
    expect(text).toBe(
      '{\n' +
        '  "v": 1,\n  "name": "lru-anon",\n  "memory": {"pfns": 8192},\n  "seed": 7,\n' +
        '  "populate": {"processes": 6, "files": 12},\n' +
        '  "actions": [\n' +
        '    {"type": "migrate", "pages": [{"process": 1, "page": 0}], "mode": "sync"},\n' +
        '    {"type": "exit", "process": 0}\n' +
        '  ]\n' +
        '}',
    );
    expect(parseJson(text)).toEqual({ ok: true, value: scenario });
    expect(formatScenario({ v: 1, actions: [] })).toBe('{\n  "v": 1,\n  "actions": []\n}');
  });

  test('strings are escaped as JSON, so a name cannot break the text', () => {
    const odd = { name: 'a "quoted", \\ <b>name</b>\n' } as const;
    expect(JSON.parse(inline(odd))).toEqual(odd);
    expect(JSON.parse(formatScenario(odd))).toEqual(odd);
  });

  test('a syntax error is one message', () => {
    const r = parseJson('{"v": 1,');
    expect(r.ok).toBe(false);
  });
});

describe('the form knobs', () => {
  test('read the value, or empty when the field is absent', () => {
    expect(knobValue(scenario, pfns)).toBe('8192');
    expect(knobValue(scenario, forks)).toBe('');
    expect(knobValue({ populate: { churn: 'x' } }, churn)).toBe('"x"');
    expect(knobValue([] as Json, seed)).toBe('');
  });

  test('setting a knob keeps the other fields and their order; a new populate goes before actions', () => {
    const next = withKnob(scenario, forks, '2');
    expect(next.populate).toEqual({ processes: 6, files: 12, forks: 2 });
    expect(Object.keys(next)).toEqual(Object.keys(scenario));
    const { populate: _p, ...bare } = scenario;
    expect(Object.keys(withKnob(bare, churn, '0'))).toEqual(['v', 'name', 'memory', 'seed', 'populate', 'actions']);
  });

  test('clearing an optional knob removes it (and an empty populate); a required one becomes null', () => {
    const one = { v: 1, populate: { churn: 0 } };
    expect(withKnob(one, churn, '')).toEqual({ v: 1 });
    expect(withKnob(scenario, seed, ' ')).toMatchObject({ seed: null });
  });

  test('text that is not a number is kept as text, for the check to name', () => {
    expect(withKnob(scenario, pfns, '8k')).toMatchObject({ memory: { pfns: '8k' } });
  });
});

test('export file names come from the scenario name', () => {
  expect(exportFileName(scenario)).toBe('lru-anon.json');
  expect(exportFileName({ name: '../../etc/passwd' })).toBe('etc-passwd.json');
  expect(exportFileName({})).toBe('scenario.json');
});
