// Errors from the worker reach the person as one line of text in role="alert", both when the
// worker reports one and when the worker itself dies. The worker script is replaced through
// page.route, so these tests do not depend on how the engine could be made to fail.
import { expect, test, type Page } from '@playwright/test';

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
