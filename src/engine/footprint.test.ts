// The footprint split by what the page was when a field was touched: the seed question ("which
// struct page fields does migrating a PageOffline page use?") is the PageOffline column, apart
// from the allocator's work on the pages a migration allocates and frees.
import { describe, expect, test } from 'vitest';
import { footprintLines, footprintTable, isFailure, startComparison, stepComparison, VARIANTS, type FootprintTable } from './footprint';
import { findPreset } from './presets';
import type { Scenario } from './scenario';
import { openSession, type Session } from './session';
import { runToEnd } from './timeline';

function run(preset: string, variant?: string): Session {
  const scenario = findPreset(preset)!.scenario;
  const s = openSession(variant ? { ...scenario, variant: variant as Scenario['variant'] } : scenario);
  runToEnd(s.t);
  return s;
}

const split = (t: FootprintTable, state: string) => t.byState.find((x) => x.state === state)!;
const field = (fields: FootprintTable['fields'], name: string) => fields.find((f) => f.field === name)!;
const untouched = { reads: 0, writes: 0 };

describe('the footprint split by what the page was', () => {
  test('no-refcount: while PageOffline the migration uses flags and page_type, never lru or _refcount; the buddy lists are the allocator\'s', () => {
    const t = footprintTable(run('balloon-migrate-no-refcount'));
    const offline = split(t, 'offline');
    expect(field(offline.fields, 'lru')).toMatchObject(untouched);
    expect(field(offline.fields, '_refcount')).toMatchObject(untouched);
    expect(field(offline.fields, 'flags').writes).toBeGreaterThan(0);
    expect(field(offline.fields, 'page_type').writes).toBeGreaterThan(0);
    expect(offline.atomics).toBe(0);
    // The lru words the run touched are buddy_list links of free pages, and pages on their way in or out.
    expect(field(split(t, 'buddy').fields, 'lru').writes).toBeGreaterThan(0);
    expect(field(t.fields, 'lru').writes).toBe(field(split(t, 'buddy').fields, 'lru').writes + field(split(t, 'other').fields, 'lru').writes);
  });

  test('6.18: four of the six refcount atomics are on PageOffline pages, two on the new page before it becomes one', () => {
    // PageOffline: isolate_movable_ops_page()'s get, put_page(src), folio_put(dst) once dst is in
    // the balloon, folio_put(src). Before balloon_page_insert() makes dst PageOffline:
    // set_page_refcounted() (allocation) and virtballoon_migratepage()'s get_page(newpage).
    const t = footprintTable(run('balloon-migrate'));
    expect(split(t, 'offline').atomics).toBe(4);
    expect(split(t, 'other').atomics).toBe(2);
    expect(field(split(t, 'offline').fields, 'lru').writes).toBeGreaterThan(0); // balloon_dev_info->pages
    // The page stays PageOffline while isolated: nothing is counted as isolated.
    expect(split(t, 'isolated').fields.every((f) => f.reads === 0 && f.writes === 0)).toBe(true);
  });

  test('an LRU folio: isolation, the refcount check and the mapping switch are counted while isolated', () => {
    const t = footprintTable(run('lru-anon'));
    const iso = split(t, 'isolated');
    for (const name of ['flags', 'lru', '_refcount', 'mapping', '_mapcount']) expect(field(iso.fields, name).writes, name).toBeGreaterThan(0);
    // __folio_migrate_mapping() sets the new folio's ->index before its ->mapping: a page with no
    // mapping yet, not an isolated folio.
    expect(field(iso.fields, 'index').writes).toBe(0);
    expect(field(split(t, 'other').fields, 'index').writes).toBe(1);
    expect(split(t, 'offline').fields.every((f) => f.reads === 0 && f.writes === 0)).toBe(true);
  });

  test('the splits add up to the totals, field by field', { timeout: 60_000 }, () => {
    for (const preset of ['lru-anon', 'balloon-migrate', 'balloon-migrate-no-refcount', 'balloon-migrate-pfn-array']) {
      const t = footprintTable(run(preset));
      t.fields.forEach((f, i) => {
        const sum = (key: 'reads' | 'writes'): number => t.byState.reduce((n, x) => n + x.fields[i]![key], 0);
        expect(sum('reads'), `${preset} ${f.field}`).toBeCloseTo(f.reads, 1);
        expect(sum('writes'), `${preset} ${f.field}`).toBeCloseTo(f.writes, 1);
      });
    }
  });

  test('--footprint prints the split as [state] lines after the totals, touched fields only', () => {
    const lines = footprintLines(run('balloon-migrate-no-refcount'), 'no-refcount');
    expect(lines).toContain('no-refcount atomics=0');
    expect(lines.some((l) => /^no-refcount \[offline\] page_type reads=[\d.]+ writes=[\d.]+$/.test(l))).toBe(true);
    expect(lines.some((l) => /^no-refcount \[offline\] (lru|_refcount) /.test(l))).toBe(false);
    expect(lines.some((l) => /^no-refcount \[buddy\] lru /.test(l))).toBe(true);
  });
});

describe('the comparison of the design variants', () => {
  test("a variant whose run throws is that variant's one-line failure; the others are counted as before", { timeout: 60_000 }, () => {
    const scenario = findPreset('balloon-migrate')!.scenario;
    const open = (sc: Scenario): Session => {
      const s = openSession(sc);
      // Kernel code throwing half way through the run, as a BUG in the model would.
      if (sc.variant === 'linux-6.12') s.t.observers.push((t) => {
        if (t.rec.n === 20) throw new TypeError('cannot read properties of undefined\n    at folio_put');
      });
      return s;
    };
    const c = startComparison(scenario, open);
    let slices = 0;
    // Slices of ten checks each: the comparison goes on across them, and across the failure.
    for (let checks = 0; !stepComparison(c, () => ++checks % 10 === 0); ) slices++;
    expect(slices).toBeGreaterThan(1);
    expect(c.results.map((r) => r.variant)).toEqual([...VARIANTS]);
    expect(c.results[1]).toEqual({ variant: 'linux-6.12', failure: 'TypeError: cannot read properties of undefined at folio_put' });
    const ok = c.results.filter((r) => !isFailure(r));
    expect(ok.map((r) => r.variant)).toEqual(VARIANTS.filter((v) => v !== 'linux-6.12')); // every design but the one that threw
    // The same tables as each variant run on its own.
    for (const r of ok) expect(r).toEqual({ variant: r.variant, ...footprintTable(run('balloon-migrate', r.variant)) });
  });
});

describe('what a run counts', () => {
  // The totals are the migrations' alone (footprint-actions.ts): the balloon's inflate before the
  // migration ran uncounted, and the table is the same as when every action counted.
  test('a session keeps struct page field totals for its migrate actions only, and they are not empty', () => {
    const s = run('balloon-migrate');
    expect(s.scenario.actions!.map((a) => a.type)).toEqual(['balloon', 'migrate']);
    expect([...s.t.actionCounts.keys()]).toEqual([1]);
    expect(s.t.actionCounts.get(1)!.some((n) => n > 0)).toBe(true);
    // Counting every action (a timeline with no filter) gives the migrate action the same totals.
    const all = openSession(findPreset('balloon-migrate')!.scenario, { counted: () => true });
    runToEnd(all.t);
    expect([...all.t.actionCounts.keys()].sort()).toEqual([0, 1]);
    expect(Array.from(all.t.actionCounts.get(1)!)).toEqual(Array.from(s.t.actionCounts.get(1)!));
  });
});
