// Every e2e spec takes `test` from e2e/fixtures.ts (docs/testing.md, "One page per e2e worker"): a
// spec on '@playwright/test' itself would get a context per test, and a Playwright worker and a
// browser of its own, since its test type differs.
import { readdirSync, readFileSync } from 'node:fs';
import { expect, test } from 'vitest';

const E2E = new URL('../e2e/', import.meta.url);

test('every e2e spec imports test from ./fixtures, none from @playwright/test', () => {
  const specs = readdirSync(E2E).filter((f) => f.endsWith('.spec.ts'));
  expect(specs.length).toBeGreaterThan(20);
  const off = specs.filter((f) => {
    const text = readFileSync(new URL(f, E2E), 'utf8');
    return !/import \{[^}]*\btest\b[^}]*\} from '\.\/fixtures';/.test(text) || /from '@playwright\/test'/.test(text);
  });
  expect(off).toEqual([]);
});
