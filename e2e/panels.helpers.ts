// Shared by the panels-* specs: open a preset and wait for the app to be idle, move and wait for
// the step. Every wait is on the app's data-* hooks (data-busy, data-step), never on a timer.
import { expect, type Locator, type Page } from '@playwright/test';

export function app(page: Page): Locator {
  return page.getByTestId('app');
}

export async function idle(page: Page): Promise<void> {
  await expect(app(page)).toHaveAttribute('data-busy', 'false');
}

/** Load a preset from the picker; the app is idle at step 0 afterwards. */
export async function openPreset(page: Page, preset: string): Promise<void> {
  await page.goto('/');
  await idle(page);
  await page.getByLabel('Preset').selectOption(preset);
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
