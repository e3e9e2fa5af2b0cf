// A part of the page loaded on first use (src/ui/lazy.tsx) whose chunk cannot be fetched —
// offline before the service worker cached it, or a page left open across a deploy — is one
// line where the part would be; the rest of the app stays and keeps stepping.
import { expect, test } from './fixtures';
import { app, expectStep, openPreset } from './panels.helpers';

test('the editor\'s chunk failing to load is one line, and the session stays usable', async ({ page }) => {
  // The editor's chunk in a build (assets/ScenarioEditor-HASH.js), or its module under E2E_DEV.
  await page.route(/\/(assets\/ScenarioEditor-[^/]*\.js|src\/ui\/editor\/ScenarioEditor\.tsx)(\?.*)?$/, (route) => route.abort('internetdisconnected'));
  await openPreset(page, 'lru-anon');
  await page.getByRole('button', { name: 'Step forward' }).click();
  await expectStep(page, 1);
  await page.getByRole('button', { name: 'Edit scenario' }).click();
  const line = page.getByRole('alert').filter({ hasText: 'Could not load the scenario editor' });
  await expect(line).toBeVisible();
  await expect(line).toHaveText(/reload it/);
  // The grid, the step and stepping are still there.
  await expect(page.getByTestId('pfn-grid')).toBeVisible();
  await expect(app(page)).toHaveAttribute('data-step', '1');
  await page.getByRole('button', { name: 'Step forward' }).click();
  await expectStep(page, 2);
});
