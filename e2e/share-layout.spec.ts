// At 1366×768 the gallery, the editor and a bad link's alert fit the page without scrolling: the
// overlays stay inside the window and their own lists and text areas scroll instead. Saves a
// screenshot of each for a person to look at.
import { expect, test, type Page } from './fixtures';
import { idle, openPreset } from './panels.helpers';
import { openLink } from './share.helpers';

test.use({ viewport: { width: 1366, height: 768 } });

async function expectNoScroll(page: Page): Promise<void> {
  const size = await page.evaluate(() => ({ w: document.documentElement.scrollWidth, h: document.documentElement.scrollHeight }));
  expect(size).toEqual({ w: 1366, h: 768 });
}

async function expectInside(page: Page, name: string): Promise<void> {
  const box = await page.getByRole('dialog', { name }).boundingBox();
  expect(box, name).not.toBeNull();
  expect(box!.y + box!.height, name).toBeLessThanOrEqual(768);
  expect(box!.x + box!.width, name).toBeLessThanOrEqual(1366);
}

test('the gallery fits the window (its list scrolls inside it when presets outgrow it)', async ({ page }, info) => {
  await openPreset(page, 'lru-anon');
  await page.getByRole('button', { name: 'Presets' }).click();
  await expectInside(page, 'Scenario gallery');
  await expectNoScroll(page);
  await page.screenshot({ path: info.outputPath('gallery-1366x768.png') });
});

test('the editor fits, with a validation error showing', async ({ page }, info) => {
  await openPreset(page, 'pinned-eagain');
  await page.getByRole('button', { name: 'Edit scenario' }).click();
  const ed = page.getByRole('dialog', { name: 'Scenario editor' });
  await expect(ed).toHaveAttribute('data-validation', 'ok');
  await ed.getByLabel('forks').fill('99');
  await expect(ed).toHaveAttribute('data-validation', 'error');
  await expectInside(page, 'Scenario editor');
  for (const label of ['Scenario JSON', 'Memory (PFNs)', 'forks']) {
    const box = await ed.getByLabel(label).boundingBox();
    expect(box!.y + box!.height, label).toBeLessThanOrEqual(768);
  }
  await expect(ed.getByRole('button', { name: 'Apply' })).toBeInViewport();
  await expectNoScroll(page);
  await page.screenshot({ path: info.outputPath('editor-1366x768.png') });
});

test('a bad link: the alert and the default scenario fit', async ({ page }, info) => {
  await openLink(page, '/#s=q1YqU7Iy1FHKS8xNVbJSSklNSyzNKVHSUcpNzc0vqlSyqlYqSMsrBqoxNjQwN6rVUSpOTU0BcmsB!&step=3');
  await expect(page.getByRole('alert')).toBeVisible();
  await idle(page);
  await expectNoScroll(page);
  await page.screenshot({ path: info.outputPath('bad-link-1366x768.png') });
});
