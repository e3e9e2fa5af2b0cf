// Presets are not parsed when presets.ts loads (zod stays out of the worker's start): each must
// still be a scenario parseScenario accepts, and come out of it unchanged — same values and the
// same key order, so its JSON (a share payload, the editor's text) is what parsing would give.
import { describe, expect, it } from 'vitest';
import { PRESETS } from './presets';
import { parseScenario } from './scenario';

describe('presets', () => {
  it.each(PRESETS.map((p) => [p.name, p] as const))('%s passes parseScenario unchanged', (_name, p) => {
    const parsed = parseScenario(p.scenario);
    expect(JSON.stringify(parsed)).toBe(JSON.stringify(p.scenario));
    expect(p.scenario.name).toBe(p.name);
  });
});
