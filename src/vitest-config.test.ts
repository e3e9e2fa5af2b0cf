// The unit tests share each worker's module cache and run on Node's own modules (vite.config.ts,
// project "shared"); a file that vi.mock()s or reloads a module must run in the isolated project,
// under Vite's module runner, or its mock would replace the module for whichever files run after
// it in the same worker (and vi.resetModules() does nothing to Node's own module cache).

import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { expect, test } from 'vitest';
import viteConfig from '../vite.config';
import { LongestFirst, longestFirst, readDurations } from '../scripts/vitest-order';

const root = join(import.meta.dirname, '..');
const config = await viteConfig({ command: 'serve', mode: 'test' });

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    return e.isDirectory() ? testFiles(p) : e.name.endsWith('.test.ts') ? [relative(root, p)] : [];
  });
}

test('every test file that vi.mock()s or reloads (vi.resetModules) a module runs in the isolated project, and only those', () => {
  const projects = (config as { test?: { projects?: { test: { name: string; include?: string[]; isolate?: boolean } }[] } }).test?.projects ?? [];
  const isolated = projects.find((p) => p.test.name === 'isolated');
  const shared = projects.find((p) => p.test.name === 'shared');
  expect(shared?.test.isolate).toBe(false);
  const mocking = testFiles(join(root, 'src')).filter((f) => /^\s*vi\.(mock\(|resetModules\()/m.test(readFileSync(join(root, f), 'utf8')));
  expect(mocking.length).toBeGreaterThan(0);
  expect([...(isolated?.test.include ?? [])].sort()).toEqual(mocking.sort());
});

test('files start longest first by their measured durations, unknown (new) files before them, ties in the order given', () => {
  const seconds = { 'a.test.ts': 3, 'b.test.ts': 20, 'c.test.ts': 3, 'd.test.ts': 0.1 };
  const order = longestFirst(['a.test.ts', 'new.test.ts', 'd.test.ts', 'b.test.ts', 'c.test.ts', 'other.test.ts'], (f) => f, seconds);
  expect(order).toEqual(['new.test.ts', 'other.test.ts', 'b.test.ts', 'a.test.ts', 'c.test.ts', 'd.test.ts']);
});

test('vitest uses that order, and every file scripts/test-durations.json names is a test file that exists', () => {
  expect((config as { test?: { sequence?: { sequencer?: unknown } } }).test?.sequence?.sequencer).toBe(LongestFirst);
  const files = new Set(testFiles(join(root, 'src')));
  const named = Object.keys(readDurations());
  expect(named.length).toBeGreaterThan(100);
  // A renamed or deleted file: run `node scripts/test-durations.mjs` on a fresh vitest JSON report.
  expect(named.filter((f) => !files.has(f))).toEqual([]);
});
