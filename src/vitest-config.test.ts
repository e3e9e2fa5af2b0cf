// The unit tests share each worker's module cache and run on Node's own modules (vite.config.ts,
// project "shared"); a file that vi.mock()s or reloads a module must run in the isolated project,
// under Vite's module runner, or its mock would replace the module for whichever files run after
// it in the same worker (and vi.resetModules() does nothing to Node's own module cache).

import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { expect, test } from 'vitest';
import config from '../vite.config';

const root = join(import.meta.dirname, '..');

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
