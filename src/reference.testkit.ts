// The real-kernel captures in ../shared/reference/ (outside the repository): the only independent
// oracle for import, replay and prediction. One rule for every test that needs one: where a capture
// is absent the test is skipped and its title says which; under PFNSCOPE_CI=1 (.ci/run sets it) it
// fails instead, with one line naming the path, so CI cannot pass without its oracle.
// Test-only (imported by *.test.ts files).

import { existsSync } from 'node:fs';
import { describe, test } from 'vitest';
import { captureDecision, missingMessage, REFERENCE, skippedTitle } from './reference.gate';

export { missingMessage, REFERENCE, skippedTitle };

/** The four captures: Linux 6.1 and 6.12 guests, each before/after a compact_memory. */
export const REAL_CAPTURES = [
  'real-kernel/balloon-compact', 'real-kernel/fragmented-compact',
  'real-kernel-6.12/balloon-compact', 'real-kernel-6.12/fragmented-compact',
] as const;

const abs = (p: string): string => (p.startsWith('/') ? p : REFERENCE + p);

/** In place of a test or group that needs `path`: a failing test in CI, a skipped one elsewhere. */
function stand(title: string, path: string): void {
  const d = captureDecision([path], process.env, () => false);
  if (d.kind === 'fail') {
    test(title, () => {
      throw new Error(d.message);
    });
  } else {
    test.skip(skippedTitle(title, path), () => undefined);
  }
}

export interface CaptureGate {
  /** Every file is there. */
  readonly have: boolean;
  /** The first absent path (absolute), if any. */
  readonly missing: string | undefined;
  /** describe() when present, else a stand-in test that skips (title says so) or fails in CI. */
  describe(title: string, fn: () => void): void;
  /** test() when present, else the same stand-in. */
  test(title: string, fn: () => unknown, timeout?: number): void;
}

/** Gate on files (absolute, or relative to REFERENCE): all must exist. */
export function needCapture(...paths: string[]): CaptureGate {
  const missing = paths.map(abs).find((p) => !existsSync(p));
  return {
    have: missing === undefined,
    missing,
    describe: (title, fn) => (missing === undefined ? describe(title, fn) : stand(title, missing)),
    test: (title, fn, timeout) => (missing === undefined ? test(title, fn, timeout) : stand(title, missing)),
  };
}

export interface CaptureSet {
  /** The candidates whose `file` exists (as given). */
  readonly dirs: string[];
  /** describe() over the present ones (if any), plus a stand-in for each absent one. */
  describe(title: string, fn: () => void): void;
}

/**
 * Of the candidate capture folders (relative to `base`, REFERENCE unless given), those holding
 * `file`. Tests run on what is there; each absent one is a skipped test (a failing one in CI).
 */
export function captureSet(candidates: readonly string[], file: string, base = REFERENCE): CaptureSet {
  const path = (d: string): string => `${base}${d}/${file}`;
  const dirs = candidates.filter((d) => existsSync(path(d)));
  const absent = candidates.filter((d) => !existsSync(path(d)));
  return {
    dirs,
    describe: (title, fn) => {
      if (dirs.length) describe(title, fn);
      for (const d of absent) stand(`${title}: ${d}`, path(d));
    },
  };
}
