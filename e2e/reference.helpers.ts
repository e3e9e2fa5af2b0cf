// The real-kernel captures for e2e specs (src/reference.testkit.ts is the unit tests' twin; both
// decide with src/reference.gate.ts): an absent capture skips the test, its title saying which
// (captureTitle), or under PFNSCOPE_CI=1 (.ci/run) fails it with one line naming the path.
// needCapture() goes inside a test, or at the top of a describe; captureTitle() around the title
// of that test or describe.

import { test } from '@playwright/test';
import { captureDecision, captureTitle as titleFor, REFERENCE } from '../src/reference.gate';

export { REFERENCE };

/** `title`, with "(skipped: capture PATH not found)" appended when `paths` will skip it. */
export const captureTitle = (title: string, ...paths: string[]): string => titleFor(title, paths);

export function needCapture(...paths: string[]): void {
  const d = captureDecision(paths);
  if (d.kind === 'run') return;
  if (d.kind === 'fail') {
    const fail = (): never => {
      throw new Error(d.message);
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
  test.skip(true, d.reason);
}
