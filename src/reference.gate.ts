// What a test that needs a real-kernel capture does when one is absent, decided in one place for
// the unit tests (src/reference.testkit.ts, vitest) and the e2e specs (e2e/reference.helpers.ts,
// Playwright): run it when every file is there; else fail with one line naming the path under
// PFNSCOPE_CI=1 (.ci/run sets it: CI cannot pass without its oracle), else skip with the path in
// the title. Plain Node (no test runner imported), so either runner and its tests can use it.

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The folder holding real-kernel/ and real-kernel-6.12/, with a trailing slash. */
export const REFERENCE = fileURLToPath(new URL('../../shared/reference/', import.meta.url));

/** The one-line failure under PFNSCOPE_CI=1. */
export const missingMessage = (path: string): string =>
  `capture ${path} not found: PFNSCOPE_CI=1 requires the real-kernel captures in ${REFERENCE}`;

/** Why a test was skipped because `path` is absent (the title's suffix, without parentheses). */
export const skipReason = (path: string): string => `skipped: capture ${path} not found`;

/** A title for a test that was skipped because `path` is absent. */
export const skippedTitle = (title: string, path: string): string => `${title} (${skipReason(path)})`;

export type CaptureDecision =
  | { readonly kind: 'run' }
  | { readonly kind: 'skip'; readonly path: string; readonly reason: string }
  | { readonly kind: 'fail'; readonly path: string; readonly message: string };

/** For `paths` (absolute): run, or the first absent one and whether it fails (CI) or skips. */
export function captureDecision(
  paths: readonly string[],
  env: Readonly<Record<string, string | undefined>> = process.env,
  exists: (path: string) => boolean = existsSync,
): CaptureDecision {
  const path = paths.find((p) => !exists(p));
  if (path === undefined) return { kind: 'run' };
  return env.PFNSCOPE_CI === '1' ? { kind: 'fail', path, message: missingMessage(path) } : { kind: 'skip', path, reason: skipReason(path) };
}

/** `title`, or, when a test under it will be skipped for an absent capture, the title saying so. */
export function captureTitle(title: string, paths: readonly string[], env: Readonly<Record<string, string | undefined>> = process.env, exists: (path: string) => boolean = existsSync): string {
  const d = captureDecision(paths, env, exists);
  return d.kind === 'skip' ? skippedTitle(title, d.path) : title;
}
