// The compare metrics as the browser would take them (designMetrics, compareDesigns), apart from the
// CLI's golden table (src/cli/compare.test.ts): any registered design, a design that BUGs, and the
// excluded count read from the exclusions, not from step text.
import { describe, expect, test } from 'vitest';
import { DESIGN_NAMES } from '../kernel/designs/names';
import { compareDesigns, compareTable, isDesignFailure, parseDesignList } from './compare';
import { exclusionsOf } from './exclusions';
import { findPreset } from './presets';
import type { Scenario } from './scenario';
import { openSession, type Session } from './session';
import { runToEnd } from './timeline';

const scenarioOf = (name: string): Scenario => findPreset(name)!.scenario;

describe('compareDesigns', () => {
  test('every registered design gets a column, in the order asked', { timeout: 120_000 }, () => {
    const names = [...DESIGN_NAMES].reverse();
    const results = compareDesigns(scenarioOf('balloon-migrate'), names);
    expect(results.map((r) => r.variant)).toEqual(names);
    const header = compareTable('balloon-migrate', results)[0]!;
    expect(header.split(/\s+/)).toEqual(['balloon-migrate', ...names]);
  });

  test("a design whose run throws says so in its column and one line below; the others are measured", { timeout: 120_000 }, () => {
    const open = (sc: Scenario): Session => {
      const s = openSession(sc);
      // Kernel code throwing half way, as a BUG in the model would.
      if (sc.variant === 'no-refcount') s.t.observers.push((t) => {
        if (t.rec.n === 40) throw new Error('kernel BUG at mm/migrate.c\n    at folio_put');
      });
      return s;
    };
    const results = compareDesigns(scenarioOf('balloon-migrate'), ['linux-6.18', 'no-refcount'], open);
    expect(results[1]).toEqual({ variant: 'no-refcount', failure: 'kernel BUG at mm/migrate.c at folio_put' });
    expect(isDesignFailure(results[0]!)).toBe(false);
    const lines = compareTable('balloon-migrate', results);
    expect(lines[1]).toMatch(/^steps\s+\d+\s+BUG \(below\)$/);
    expect(lines[2]).toMatch(/^outcome: migrated\s+16$/);
    expect(lines.at(-1)).toBe('no-refcount: kernel BUG at mm/migrate.c at folio_put');
  });

  test('excluded is the number of exclusions the run recorded', { timeout: 120_000 }, () => {
    const scenario = scenarioOf('race');
    const s = openSession(scenario);
    runToEnd(s.t);
    const expected = exclusionsOf(s.t).length;
    expect(expected).toBeGreaterThan(0);
    const [m] = compareDesigns(scenario, ['linux-6.18']);
    expect(m).toMatchObject({ variant: 'linux-6.18', excluded: expected });
  });
});

describe('parseDesignList', () => {
  test('names must be registered designs, each once', () => {
    expect(parseDesignList('linux-6.18, no-refcount')).toEqual(['linux-6.18', 'no-refcount']);
    expect(() => parseDesignList('linux-6.18,linux-9.9')).toThrow(`unknown variant "linux-9.9": one of ${DESIGN_NAMES.join(', ')}`);
    expect(() => parseDesignList('pfn-array,pfn-array')).toThrow('variant "pfn-array" given twice');
  });
});
