// The real-kernel captures for e2e specs (src/reference.testkit.ts is the unit tests' twin): an
// absent capture skips the test with the path as the reason, or under PFNSCOPE_CI=1 (.ci/run)
// fails it with one line naming the path. Call inside a test, or at the top of a describe.

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { test } from '@playwright/test';

/** The folder holding real-kernel/ and real-kernel-6.12/, with a trailing slash. */
export const REFERENCE = fileURLToPath(new URL('../../shared/reference/', import.meta.url));

export function needCapture(...paths: string[]): void {
  const missing = paths.find((p) => !existsSync(p));
  if (missing === undefined) return;
  if (process.env.PFNSCOPE_CI === '1') {
    const fail = (): never => {
      throw new Error(`capture ${missing} not found: PFNSCOPE_CI=1 requires the real-kernel captures in ${REFERENCE}`);
    };
    let inTest = true;
    try {
      test.info();
    } catch {
      inTest = false;
    }
    if (inTest) fail();
    test.beforeEach(fail);
    return;
  }
  test.skip(true, `skipped: capture ${missing} not found`);
}
