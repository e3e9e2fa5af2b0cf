import { describe, expect, test } from 'vitest';
import { findPreset } from './presets';
import { openSession } from './session';
import { runToEnd } from './timeline';
import { exclusionsOf } from './exclusions';

describe('exclusionsOf', () => {
  test('race: the second migrator is kept out of the folio by PG_lru, at the step that says so', () => {
    const s = openSession(findPreset('race')!.scenario);
    runToEnd(s.t);
    const ex = exclusionsOf(s.t);
    expect(ex).toHaveLength(1);
    expect(ex[0]).toMatchObject({ kind: 'lru-flag', guard: 'PG_lru already clear' });
    expect(ex[0]!.task).toMatch(/^migrator-/);
  });
  test('a scenario without a race excludes nobody', () => {
    const s = openSession(findPreset('lru-anon')!.scenario);
    runToEnd(s.t);
    expect(exclusionsOf(s.t)).toEqual([]);
  });
});
