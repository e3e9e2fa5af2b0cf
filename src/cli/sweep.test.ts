// `npm run sim -- SOURCE --sweep-schedules`: its options, its table and findings, its JSON.

import { describe, expect, test } from 'vitest';
import { parseArgs, UsageError } from './args';
import { sim } from './sim.testkit';


describe('sweep options', () => {
  test('parse --sweep-schedules, --max-switches, --without-guard, --json', () => {
    expect(parseArgs(['balloon-race', '--sweep-schedules', '--max-switches', '1', '--without-guard=isolated-flag,trylock', '--json']))
      .toMatchObject({ source: 'balloon-race', sweepSchedules: true, maxSwitches: 1, withoutGuard: ['isolated-flag', 'trylock'], json: true });
    expect(parseArgs(['balloon-race', '--sweep-schedules'])).toMatchObject({ sweepSchedules: true, withoutGuard: [], json: false });
  });
  test('bad values and sweep options without the sweep are usage errors in one line', () => {
    expect(() => parseArgs(['--sweep-schedules', '--max-switches', '9'])).toThrow(/^--max-switches needs a number from 0 to 6, got "9"$/);
    expect(() => parseArgs(['--sweep-schedules', '--without-guard', 'pagelock'])).toThrow(UsageError);
    expect(() => parseArgs(['--sweep-schedules', '--without-guard', 'pagelock'])).toThrow(/^--without-guard: unknown guard "pagelock": one of lru-flag, /);
    expect(() => parseArgs(['--without-guard', 'trylock'])).toThrow(/^--without-guard applies to --sweep-schedules$/);
    expect(() => parseArgs(['--json'])).toThrow(/^--json applies to --compare or --sweep-schedules$/);
  });
});

describe('npm run sim -- SOURCE --sweep-schedules', () => {
  test('no-refcount without the isolated flag: the table counts violations and each finding names its schedule and page', () => {
    const r = sim('balloon-race', '--sweep-schedules', '--variant', 'no-refcount', '--max-switches', '1', '--without-guard', 'isolated-flag');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const lines = r.out.trimEnd().split('\n');
    expect(lines[0]).toBe("schedule sweep of balloon-race's race (action 1): every interleaving with at most 1 preemption(s), guard(s) off: isolated-flag");
    expect(lines[1]).toMatch(/^variant\s+schedules\s+excluded\s+by guard\s+migrated\/failed\s+BUG\s+violations\s+errors$/);
    const row = lines[2]!.split(/\s{2,}/);
    expect(row[0]).toBe('no-refcount');
    expect(Number(row[5])).toBe(0); // no BUG: the sweep stops at the violation, before any crash
    expect(Number(row[6])).toBeGreaterThan(0);
    const findings = lines.filter((l) => l.startsWith('no-refcount: violation'));
    expect(findings.length).toBe(Number(row[6]) > 5 ? 5 : Number(row[6]));
    for (const f of findings) expect(f).toMatch(/^no-refcount: violation at step \d+ with schedule (\d:\d+ ?)+: isolated twice: 0x[0-9a-f]+ is isolated by two tasks at once/);
  }, 120_000);

  test('--json: the sound design, every schedule, no finding', () => {
    const r = sim('balloon-race', '--sweep-schedules', '--variant', 'no-refcount', '--json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out) as { maxSwitches: number; variants: { variant: string; schedules: number; bugs: number; violations: number; errors: number; byGuard: Record<string, number> }[] };
    expect(j.maxSwitches).toBe(2);
    expect(j.variants.map((v) => v.variant)).toEqual(['no-refcount']);
    expect(j.variants[0]).toMatchObject({ bugs: 0, violations: 0, errors: 0 });
    expect(j.variants[0]!.byGuard['isolated-flag']).toBeGreaterThan(0);
  }, 120_000);

  test('a scenario without a race: one line on stderr, exit 2', () => {
    const r = sim('balloon-migrate', '--sweep-schedules');
    expect(r.code).toBe(2);
    expect(r.err).toBe('pfnscope: the schedule sweep needs a scenario with exactly one race action (this one has 0)\n');
  }, 120_000);
});
