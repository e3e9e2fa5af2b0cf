// `npm run sim -- --import PREFIX`: the imported memory as /proc/buddyinfo, with a preset's actions
// on top, the match report, and bad input as one line with exit code 2.

import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { parseArgs } from './args';
import { needCapture } from '../reference.testkit';
import { sim } from './sim.testkit';

const CAPTURE = fileURLToPath(new URL('../../../shared/reference/real-kernel/balloon-compact/before', import.meta.url));
const capture = needCapture(CAPTURE + '.kpageflags', CAPTURE + '.kpagecount');

describe('--import arguments', () => {
  test('take a prefix; SOURCE stays optional and is remembered as given or not', () => {
    expect(parseArgs(['--import', 'x/before', '--buddyinfo'])).toMatchObject({ import: 'x/before', sourceGiven: false, buddyinfo: true });
    expect(parseArgs(['compact-memory', '--import=x/before', '--import-report'])).toMatchObject({ import: 'x/before', source: 'compact-memory', sourceGiven: true, importReport: true });
    expect(() => parseArgs(['--import'])).toThrow(/--import needs a file prefix/);
  });
});

describe('npm run sim -- --import', () => {
  capture.test('with no SOURCE nothing runs and --buddyinfo prints the capture\'s own buddyinfo', () => {
    const r = sim('--import', CAPTURE, '--buddyinfo');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toBe(readFileSync(CAPTURE + '.buddyinfo', 'utf8'));
  }, 60_000);

  capture.test('a preset contributes its actions: compact-memory compacts the imported zones; --summary carries the report', () => {
    const r = sim('compact-memory', '--import', CAPTURE, '--summary');
    expect(r.code).toBe(0);
    const s = JSON.parse(r.out) as { steps: number; migrated: number; import: { pfns: number; freeByOrder: { zone: string; rebuilt: number[]; given: number[] }[] } };
    expect(s.steps).toBeGreaterThan(1000);
    expect(s.migrated).toBeGreaterThan(10000);
    expect(s.import.pfns).toBe(131072);
    for (const z of s.import.freeByOrder) expect(z.rebuilt).toEqual(z.given);
  }, 60_000);

  capture.test('--import-report prints rebuilt against given free blocks per order, zone by zone', () => {
    const r = sim('--import', CAPTURE, '--import-report');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/zone DMA32: free blocks per order, rebuilt vs buddyinfo\n/);
    expect(r.out).toMatch(/\n {2}rebuilt +13072 +2338 .*\n {2}given +13072 +2338 .*\n {2}diff +0 +0 /);
    expect(r.out).toMatch(/\nambiguities:\n- /);
  }, 60_000);

  test('bad input: one line on stderr, exit code 2', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pfnscope-import-'));
    writeFileSync(join(dir, 'm.kpageflags'), 'Node 0, zone      DMA      0      0      0      0      0      1      1      1      0      1      3 \n');
    writeFileSync(join(dir, 'm.kpagecount'), new Uint8Array(16));
    for (const [args, re] of [
      [['--import', join(dir, 'm')], /m\.kpageflags is a text file/],
      [['--import', join(dir, 'missing')], /cannot read .*missing\.kpageflags: ENOENT/],
      [['--import-report'], /--import-report needs --import PREFIX/],
    ] as const) {
      const r = sim(...args);
      expect(r.code, r.err).toBe(2);
      expect(r.err).toMatch(re);
      expect(r.err.trimEnd().split('\n')).toHaveLength(1);
      expect(r.out).toBe('');
    }
  }, 60_000);
});
