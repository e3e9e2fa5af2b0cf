// Shared by the panels-* specs: open a preset and wait for the app to be idle, move and wait for
// the step. Every wait is on the app's data-* hooks (data-busy, data-step), never on a timer.
import { expect, type Locator, type Page } from '@playwright/test';
import { leaveDocument } from './fixtures';

export function app(page: Page): Locator {
  return page.getByTestId('app');
}

export async function idle(page: Page): Promise<void> {
  await expect(app(page)).toHaveAttribute('data-busy', 'false');
}

/**
 * Open a preset by its link (`/#preset=NAME`, plus `query` such as `?test`) in a fresh document;
 * the app is idle at step 0 afterwards. Not through the picker: from `/` the page would first
 * populate the default scenario (128 Ki PFNs) only to throw it away. The picker has tests of its
 * own (keys.spec.ts, worker-errors.spec.ts, share-editor.spec.ts, deploy.spec.ts).
 */
export async function openPreset(page: Page, preset: string, query = ''): Promise<void> {
  // A goto that changes only the fragment would not load a fresh document.
  await leaveDocument(page);
  await page.goto(`/${query}#preset=${preset}`);
  await expect(page.getByLabel('Preset')).toHaveValue(preset);
  await expect(page.getByLabel('Narration')).toContainText(`memory as ${preset} populated it`);
  await expect(app(page)).toHaveAttribute('data-step', '0');
  await idle(page);
}

export async function expectStep(page: Page, n: number): Promise<void> {
  await expect(app(page)).toHaveAttribute('data-step', String(n));
  await idle(page);
}

/** Collect console errors and page errors; the test asserts the list is empty at its end. */
export function consoleErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
}

/** Blur whatever has focus, so keys go to the page's shortcuts. */
export async function blur(page: Page): Promise<void> {
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
}
