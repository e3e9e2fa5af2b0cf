#!/usr/bin/env node
// `npm test`: type-check, unit tests (vitest), e2e tests (Playwright), with each runner's own
// output streamed for a person, then ONE last line `N passed, N failed` for CI, which reads that
// line and the exit code (the runners' own summaries are not a format it reads, toolchain.md §4.14).
// Counts are tests summed over vitest and Playwright; a failed type-check counts as 1 failed, and
// so does a runner that crashed before reporting (it then has no JSON to count from).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Outside test-results/: Playwright empties that folder when it starts.
const tmp = mkdtempSync(join(tmpdir(), 'pfnscope-test-'));
const totals = { passed: 0, failed: 0 };
const stages = [];

/** Runs a command with the terminal as its output; returns its exit code (1 if it could not start). */
function run(title, cmd, args, env = {}) {
  console.log(`\n=== ${title}: ${[cmd, ...args].join(' ')}`);
  const start = performance.now();
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  const seconds = ((performance.now() - start) / 1000).toFixed(1);
  if (r.error) console.error(`${title}: could not start: ${r.error.message}`);
  const code = r.status ?? 1;
  return { code, seconds };
}

function readJson(path) {
  if (!existsSync(path)) return null;
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return null;
  }
}

/** Adds a stage's counts, turning "exit code says failure but nothing failed" into 1 failed. */
function record(title, { code, seconds }, counts) {
  let { passed, failed } = counts ?? { passed: 0, failed: 0 };
  if (code !== 0 && failed === 0) failed = 1; // crashed, or failed outside any test
  totals.passed += passed;
  totals.failed += failed;
  stages.push(`${title}: ${passed} passed, ${failed} failed, exit ${code}, ${seconds} s`);
}

// 1. Type-check: no tests of its own, so it contributes only when it fails.
record('typecheck', run('typecheck', 'npx', ['tsc', '--noEmit']), { passed: 0, failed: 0 });

// 2. Unit tests.
const vitestJson = join(tmp, 'vitest.json');
const vitest = run('vitest', 'npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestJson}`]);
const v = readJson(vitestJson);
record('vitest', vitest, v && { passed: v.numPassedTests ?? 0, failed: v.numFailedTests ?? 0 });

// 3. e2e tests; flaky = passed on retry.
const pwJson = join(tmp, 'playwright.json');
const playwright = run('playwright', 'npx', ['playwright', 'test', '--reporter=list,json'], { PLAYWRIGHT_JSON_OUTPUT_FILE: pwJson });
const p = readJson(pwJson);
record('playwright', playwright, p?.stats && { passed: (p.stats.expected ?? 0) + (p.stats.flaky ?? 0), failed: p.stats.unexpected ?? 0 });

rmSync(tmp, { recursive: true, force: true });
console.log(`\n${stages.join('\n')}`);
console.log(`${totals.passed} passed, ${totals.failed} failed`);
process.exit(totals.failed > 0 ? 1 : 0);
