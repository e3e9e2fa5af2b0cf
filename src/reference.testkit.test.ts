// reference.testkit.ts: a test that needs an absent capture is skipped with the path in its title,
// or, under PFNSCOPE_CI=1, fails with one line naming the path. Checked on a path that cannot exist
// by running a gated test in a child vitest (its own env, rooted in a temporary folder) and reading
// its JSON report.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { missingMessage, needCapture, REFERENCE, skippedTitle } from './reference.testkit';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const ABSENT = '/nonexistent/pfnscope-capture/before.kpageflags';

interface Report { testResults: { assertionResults: { title: string; status: string; failureMessages: string[] }[] }[] }

/** A one-test file gated on ABSENT, run by a child vitest rooted in a temporary folder with `env`. */
function probe(env: Record<string, string>): Report['testResults'][number]['assertionResults'] {
  const dir = mkdtempSync(join(tmpdir(), 'pfnscope-gate-'));
  const kit = JSON.stringify(join(ROOT, 'src', 'reference.testkit.ts'));
  writeFileSync(join(dir, 'gate.test.ts'), `import { needCapture } from ${kit};\nneedCapture(${JSON.stringify(ABSENT)}).test('reads the capture', () => undefined);\n`);
  const out = join(dir, 'report.json');
  spawnSync(process.execPath, [join(ROOT, 'node_modules/vitest/vitest.mjs'), 'run', '--root', dir, '--reporter=json', `--outputFile=${out}`], {
    cwd: dir, encoding: 'utf8', env: { ...process.env, PFNSCOPE_CI: '', CI: '', ...env },
  });
  return (JSON.parse(readFileSync(out, 'utf8')) as Report).testResults[0]!.assertionResults;
}

describe('needCapture()', () => {
  test('present files: the test runs under its own title', () => {
    const gate = needCapture(fileURLToPath(import.meta.url));
    expect(gate.have).toBe(true);
    expect(gate.missing).toBeUndefined();
  });

  test('paths are relative to ../shared/reference/ unless absolute', () => {
    expect(REFERENCE).toMatch(/\/shared\/reference\/$/);
    expect(needCapture('no-such-folder/x').missing).toBe(`${REFERENCE}no-such-folder/x`);
    expect(needCapture(ABSENT).missing).toBe(ABSENT);
  });

  test('an absent capture outside CI: skipped, the title names the path', () => {
    const r = probe({});
    expect(r).toHaveLength(1);
    expect(r[0]).toMatchObject({ title: skippedTitle('reads the capture', ABSENT), status: 'skipped', failureMessages: [] });
    expect(skippedTitle('reads the capture', ABSENT)).toBe(`reads the capture (skipped: capture ${ABSENT} not found)`);
  }, 120_000);

  test('an absent capture with PFNSCOPE_CI=1: fails with one line naming the path', () => {
    const r = probe({ PFNSCOPE_CI: '1' });
    expect(r).toHaveLength(1);
    expect(r[0]).toMatchObject({ title: 'reads the capture', status: 'failed' });
    expect(r[0]!.failureMessages[0]!.split('\n')[0]).toBe(`Error: ${missingMessage(ABSENT)}`);
    expect(missingMessage(ABSENT)).not.toContain('\n');
  }, 120_000);
});
