import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { parseArgs } from './args';
import { sim } from './sim.testkit';


describe('--perfetto FILE', () => {
  test('parses a file name and refuses a missing one', () => {
    expect(parseArgs(['--perfetto', 'x.json']).perfetto).toBe('x.json');
    expect(() => parseArgs(['--perfetto'])).toThrow(/--perfetto needs a file/);
  });

  test('writes the run to --until as a JSON trace, and prints nothing else', { timeout: 120_000 }, () => {
    const file = join(mkdtempSync(join(tmpdir(), 'pfnscope-perfetto-')), 'run.json');
    const r = sim('compact-memory', '--until', '2000', '--perfetto', file);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toBe('');
    const trace = JSON.parse(readFileSync(file, 'utf8')) as { traceEvents: { ph: string; name: string; ts: number; dur?: number }[]; otherData: { steps: number; timeBase: string } };
    expect(trace.otherData.steps).toBe(2000);
    expect(trace.otherData.timeBase).toMatch(/1 step = 1 µs/);
    const xs = trace.traceEvents.filter((e) => e.ph === 'X');
    expect(xs.some((e) => e.name === 'migrate_pages')).toBe(true);
    expect(Math.max(...xs.map((e) => e.ts + e.dur!))).toBe(2001);
    expect(trace.traceEvents.filter((e) => e.ph === 'C').at(-1)!.ts).toBe(2000);
  });

  test('an unwritable file is a one-line error', { timeout: 120_000 }, () => {
    const r = sim('small', '--perfetto', '/nonexistent-dir/x.json');
    expect(r.code).toBe(2);
    expect(r.err).toBe('pfnscope: cannot write /nonexistent-dir/x.json: ENOENT\n');
  });
});
