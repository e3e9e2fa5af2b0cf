// The capture gate of the e2e specs (e2e/reference.helpers.ts, deciding with reference.gate.ts):
// an absent capture FAILS a Playwright test under PFNSCOPE_CI=1, with one line naming the path,
// and otherwise skips it with "(skipped: capture PATH not found)" in its title. Checked on a path
// that cannot exist by running a one-test spec in a child Playwright (no browser: the test uses
// no page) and reading its JSON report; and the decision itself, on made-up file sets.

import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { captureDecision, captureTitle, missingMessage, skippedTitle } from './reference.gate';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const ABSENT = '/nonexistent/pfnscope-capture/before.kpageflags';
const PRESENT = fileURLToPath(import.meta.url);

describe('captureDecision()', () => {
  const has = (...files: string[]) => (p: string): boolean => files.includes(p);
  test('every file there: run, in CI or not', () => {
    expect(captureDecision(['/a', '/b'], {}, has('/a', '/b'))).toEqual({ kind: 'run' });
    expect(captureDecision(['/a', '/b'], { PFNSCOPE_CI: '1' }, has('/a', '/b'))).toEqual({ kind: 'run' });
  });
  test('the first absent file decides: skipped outside CI, failed under PFNSCOPE_CI=1 (and only "1")', () => {
    expect(captureDecision(['/a', '/b', '/c'], {}, has('/a'))).toEqual({ kind: 'skip', path: '/b', reason: 'skipped: capture /b not found' });
    expect(captureDecision(['/a', '/b'], { PFNSCOPE_CI: '0' }, has('/a'))).toMatchObject({ kind: 'skip' });
    expect(captureDecision(['/a', '/b'], { PFNSCOPE_CI: '1' }, has('/a'))).toEqual({ kind: 'fail', path: '/b', message: missingMessage('/b') });
  });
  test('the title says why only when the test will be skipped', () => {
    expect(captureTitle('t', ['/a'], {}, has())).toBe('t (skipped: capture /a not found)');
    expect(captureTitle('t', ['/a'], { PFNSCOPE_CI: '1' }, has())).toBe('t');
    expect(captureTitle('t', ['/a'], {}, has('/a'))).toBe('t');
  });
});

interface PwSpec { title: string; tests: { annotations: { type: string; description?: string }[]; results: { status: string; errors: { message?: string }[] }[] }[] }
interface PwSuite { title: string; specs: PwSpec[]; suites?: PwSuite[] }
interface PwReport { suites: PwSuite[] }

// The probe lives under the checkout (its ignored tmp/), so that '@playwright/test' resolves to
// the one node_modules/ the helper uses too.
const probes = join(ROOT, 'tmp');
const made: string[] = [];
afterAll(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
  try {
    rmdirSync(probes); // only if nothing else is in it
  } catch {
    // tmp/ holds something else: left as it was
  }
});

/** One test gated on ABSENT in each way the specs use the helper; their specs, flattened. */
async function probe(env: Record<string, string>): Promise<PwSpec[]> {
  mkdirSync(probes, { recursive: true });
  const dir = mkdtempSync(join(probes, 'pfnscope-e2e-gate-'));
  made.push(dir);
  const helper = JSON.stringify(join(ROOT, 'e2e', 'reference.helpers.ts'));
  const absent = JSON.stringify(ABSENT);
  writeFileSync(join(dir, 'gate.spec.ts'), [
    "import { test } from '@playwright/test';",
    `import { captureTitle, needCapture } from ${helper};`,
    `test(captureTitle('reads the capture', ${absent}), () => { needCapture(${absent}); });`,
    `test.describe(captureTitle('a capture group', ${absent}), () => { needCapture(${absent}); test('reads it too', () => undefined); });`,
    '',
  ].join('\n'));
  writeFileSync(join(dir, 'pw.config.ts'), "export default { testDir: '.', outputDir: './out', workers: 1 };\n");
  // A failing test makes Playwright exit 1: the report on stdout is what is read either way.
  const r = await promisify(execFile)(process.execPath, [join(ROOT, 'node_modules/@playwright/test/cli.js'), 'test', '--config', join(dir, 'pw.config.ts'), '--reporter=json'], {
    cwd: dir, encoding: 'utf8', maxBuffer: 1 << 24, env: { ...process.env, PFNSCOPE_CI: '', CI: '', ...env },
  }).catch((e: { stdout?: string }) => ({ stdout: e.stdout ?? '' }));
  const report = JSON.parse(r.stdout) as PwReport;
  const flat = (s: PwSuite, prefix: string): PwSpec[] => [
    ...s.specs.map((sp) => ({ ...sp, title: prefix + sp.title })),
    ...(s.suites ?? []).flatMap((c) => flat(c, `${prefix}${c.title} › `)),
  ];
  return report.suites.flatMap((s) => flat(s, ''));
}

describe('e2e/reference.helpers.ts in a real Playwright run', () => {
  // The two runs (~20 s each on a busy machine, mostly Playwright starting) go side by side.
  let outside: PwSpec[] = [];
  let inCi: PwSpec[] = [];
  beforeAll(async () => {
    [outside, inCi] = await Promise.all([probe({}), probe({ PFNSCOPE_CI: '1' })]);
  }, 180_000);

  test('an absent capture outside CI: skipped, the title names the path, so does the skip reason', () => {
    const specs = outside;
    expect(specs.map((s) => s.title)).toEqual([
      skippedTitle('reads the capture', ABSENT),
      `${skippedTitle('a capture group', ABSENT)} › reads it too`,
    ]);
    for (const s of specs) {
      expect(s.tests[0]!.results[0]!.status, s.title).toBe('skipped');
      expect(s.tests[0]!.annotations.map((a) => [a.type, a.description]), s.title).toContainEqual(['skip', `skipped: capture ${ABSENT} not found`]);
    }
  });

  test('an absent capture with PFNSCOPE_CI=1: each test fails (not skips) with one line naming the path', () => {
    const specs = inCi;
    expect(specs.map((s) => s.title)).toEqual(['reads the capture', 'a capture group › reads it too']);
    for (const s of specs) {
      const result = s.tests[0]!.results[0]!;
      expect(result.status, s.title).toBe('failed');
      expect(result.errors[0]!.message!.split('\n')[0], s.title).toBe(`Error: ${missingMessage(ABSENT)}`);
    }
    expect(missingMessage(ABSENT)).not.toContain('\n');
  });

  test('a present capture runs the test under its own title, in CI too', () => {
    expect(captureTitle('reads the capture', [PRESENT])).toBe('reads the capture');
    expect(captureDecision([PRESENT], { PFNSCOPE_CI: '1' })).toEqual({ kind: 'run' });
  });
});
