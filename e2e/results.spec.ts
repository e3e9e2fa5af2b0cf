// Results and comparisons (issue 16): the footprint side panel beside the grid. Its variants run
// in the worker's background, so stepping while they run neither stops them nor waits for them,
// and the grid to the panel's left stays clickable.
import { expect, test } from '@playwright/test';
import { app, blur, consoleErrors, expectStep, idle } from './panels.helpers';
import { openLink } from './share.helpers';

test('Footprint on balloon-race: it finishes while the session steps, and the grid stays in use beside it', async ({ page }) => {
  const errors = consoleErrors(page);
  await openLink(page, '/#preset=balloon-race&step=0');
  await page.getByRole('button', { name: 'Footprint' }).click();
  const panel = page.getByTestId('footprint-panel');
  // Stepping at once, while the variants run (a step used to stop them for good).
  await blur(page);
  await page.keyboard.press('ArrowRight');
  await expectStep(page, 1);
  await page.keyboard.press('ArrowRight');
  await expectStep(page, 2);

  // Every variant finishes: balloon-race migrates its 2 balloon pages under each design (none
  // fails today; a failure would be one line in footprint-failures and an empty column).
  await expect(panel).toHaveAttribute('data-done', 'true', { timeout: 60_000 });
  await expect(panel.getByTestId('footprint-failures')).toHaveCount(0);
  await expect(panel.locator('thead th[data-state="done"]')).toHaveCount(4);
  await expect(panel.getByTestId('footprint-pages')).toHaveText(['2', '2', '2', '2']);
  await expect(panel.getByTestId('footprint-atomics')).toHaveText(['8', '8', '0', '8']);
  // Whole numbers where whole, halves where a field is touched an odd number of times over 2 pages.
  await expect(panel.locator('td[data-variant="linux-6.18"][data-field="flags"]')).toHaveText(/^\d+ \/ \d+$/);
  await expect(panel.locator('td[data-variant="linux-6.18"][data-field="lru"]')).toHaveText(/^\d+(\.5)? \/ \d+(\.5)?$/);

  // The session still steps, and the grid to the panel's left takes a click (it selects a page).
  await page.keyboard.press('ArrowRight');
  await expectStep(page, 3);
  const grid = page.locator('.grid-panel canvas').first();
  await grid.click({ position: { x: 80, y: 60 } });
  await expect(page.getByTestId('inspector')).toHaveAttribute('data-pfn', /^\d+$/);
  await idle(page);
  await expect(panel).toBeVisible();
  expect(errors).toEqual([]);
});
