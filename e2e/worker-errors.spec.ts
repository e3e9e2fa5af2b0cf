// Errors from the worker reach the person as one line of text in role="alert", both when the
// worker reports one and when the worker itself dies. The worker script is replaced through
// page.route, so these tests do not depend on how the engine could be made to fail.
import { expect, test, type Page } from './fixtures';

async function withWorkerScript(page: Page, body: string): Promise<void> {
  // Keep the real response's headers: under COEP require-corp a worker script without them is refused.
  await page.route(/sim\.worker/, async (route) => route.fulfill({ response: await route.fetch(), body }));
  await page.goto('/');
  await expect(page.getByTestId('app')).toHaveAttribute('data-busy', 'false');
}

test('an error message from the worker is shown as one line of text', async ({ page }) => {
  await withWorkerScript(
    page,
    `self.onmessage = () => self.postMessage({ type: 'error', message: 'populate failed:\\n  <b>no memory</b>' });`,
  );
  const alert = page.getByRole('alert');
  await expect(alert).toBeVisible();
  // textContent, not toHaveText: toHaveText normalises whitespace and would hide a kept newline.
  expect(await alert.textContent()).toBe('populate failed: <b>no memory</b>');
  await expect(alert.locator('b')).toHaveCount(0);
});

test('a worker that dies while loading is reported, not waited for', async ({ page }) => {
  await withWorkerScript(page, `throw new Error('kernel exploded');`);
  await expect(page.getByRole('alert')).toContainText('kernel exploded');
  await expect(page.getByText('The default scenario could not be loaded.')).toBeVisible();
  await expect(page.getByTestId('app')).not.toHaveAttribute('data-nr-pfns', /.+/);
});

test('a BUG at Run to end keeps the steps that led to it: one line, and the session stays to step through', async ({ page }) => {
  const app = page.getByTestId('app');
  await page.goto('/?test');
  await expect(app).toHaveAttribute('data-busy', 'false');
  // lru-anon takes 23 steps; its kernel model is made to hit a BUG at step 15 (a test hook).
  await page.evaluate(() => window.__pfnscope!.failNextSessionAt(15));
  await page.getByLabel('Preset').selectOption('lru-anon');
  await expect(app).toHaveAttribute('data-step', '0');
  await expect(app).toHaveAttribute('data-busy', 'false');
  await page.getByRole('button', { name: 'Run to end' }).click();

  const alert = page.getByRole('alert');
  await expect(alert).toHaveText('the simulation stopped after step 14: BUG: debug-bug: step 15 was set to fail (test hook)');
  await expect(alert.getByRole('button', { name: 'Restart' })).toHaveCount(0);
  await expect(app).toHaveAttribute('data-busy', 'false');
  await expect(app).toHaveAttribute('data-step', '14');
  await expect(app).toHaveAttribute('data-frontier', '14');
  await expect(app).toHaveAttribute('data-done', 'false');
  await expect(page.getByRole('slider', { name: 'Timeline' })).toHaveAttribute('aria-valuetext', 'step 14 of 14 computed so far');
  // The timeline's markers of the steps computed (isolate, refcount, copy…) are drawn.
  await expect(page.getByTestId('timeline-marks').locator('path:not([d="M0 0"])')).not.toHaveCount(0);

  // The steps before it are there to step through; forward past it says it again.
  await page.getByRole('button', { name: 'Step back' }).click();
  await expect(app).toHaveAttribute('data-step', '13');
  await expect(alert).toHaveCount(0);
  await page.getByRole('button', { name: 'Step forward' }).click();
  await expect(app).toHaveAttribute('data-step', '14');
  await expect(alert).toContainText('the simulation stopped after step 14');
  await page.getByRole('button', { name: 'Step back' }).click();
  await expect(app).toHaveAttribute('data-step', '13');
  await expect(page.getByLabel('Preset')).toHaveValue('lru-anon');
});
