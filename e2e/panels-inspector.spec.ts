// The page inspector, the charts and the whole page end to end on pinned-eagain: at step 40 the
// refcount check of the FOLL_GET-held page fails with -EAGAIN; "Go to PFN" selects that page and
// the inspector shows its refcount beside what its holders add up to, and its history.
import { expect, test } from './fixtures';
import { app, consoleErrors, expectStep, idle, openPreset } from './panels.helpers';
import { openLink } from './share.helpers';

const PRESET = 'pinned-eagain';

async function toFailedRefcountCheck(page: import('@playwright/test').Page): Promise<string> {
  await openPreset(page, PRESET);
  await page.getByRole('button', { name: 'Run to end' }).click();
  await expect(app(page)).toHaveAttribute('data-done', 'true');
  await idle(page);
  await page.getByRole('slider', { name: 'Timeline' }).fill('40');
  await expectStep(page, 40);
  const narration = page.getByLabel('Narration');
  await expect(narration).toContainText('FOLL_GET');
  await expect(page.getByTestId('step-result')).toHaveText('returns -EAGAIN');
  const src = await narration.getByLabel('Outlined on the grid').locator('li', { hasText: 'source' }).locator('code').textContent();
  expect(src).toMatch(/^0x[0-9a-f]+$/);
  return src!;
}

test('Go to PFN selects a page: refcount beside expected, its holders, mapcount and PTEs, history', async ({ page }) => {
  const errors = consoleErrors(page);
  const src = await toFailedRefcountCheck(page);
  const inspector = page.getByRole('region', { name: 'Page inspector' });
  await inspector.getByLabel('Go to PFN').fill(src);
  await inspector.getByRole('button', { name: 'Go', exact: true }).click();
  await idle(page);
  await expect(inspector).toHaveAttribute('data-pfn', String(parseInt(src, 16)));
  await expect(inspector).toContainText(`PFN ${src}`);
  // refcount 2 = FOLL_GET + isolation: the extra reference that fails migrate_folio().
  await expect(page.getByTestId('inspector-refcount')).toHaveText('2');
  await expect(page.getByTestId('inspector-expected')).toHaveText('(expected from holders: 2)');
  const holders = page.getByTestId('inspector-holders');
  await expect(holders).toContainText('FOLL_GET (get_user_pages)');
  await expect(holders).toContainText('isolation for migration');
  await expect(inspector).toContainText('PG_locked');
  await expect(inspector).toContainText('FOLIO_MAPPING_ANON');
  await expect(inspector).toContainText('(migration entry)');
  await expect(inspector).toContainText('Movable');

  // The selection follows the step: one step back, the page is read again at step 39.
  await page.getByRole('button', { name: 'Step back' }).click();
  await expectStep(page, 39);
  await expect(inspector).not.toContainText('as of step');

  // History: the steps that touched the page; a mark goes to its step.
  const history = page.getByTestId('page-history');
  await expect(history).toContainText('touched by');
  const failed = history.locator('.history-mark.failed').last();
  await expect(failed).toHaveAttribute('aria-label', /^step \d+: \w+, source, failed/);
  const failedStep = Number(await failed.getAttribute('data-step'));
  await failed.click();
  await expectStep(page, failedStep);
  await expect(page.getByTestId('step-result')).toHaveText(/returns -E(AGAIN|BUSY)/);
  const first = history.locator('.history-mark').first();
  const firstStep = Number(await first.getAttribute('data-step'));
  await first.click();
  await expectStep(page, firstStep);

  // Out of range: one line, nothing else changes, and the app goes on.
  await inspector.getByLabel('Go to PFN').fill('0x999999');
  await inspector.getByRole('button', { name: 'Go', exact: true }).click();
  await expect(page.getByRole('alert')).toHaveText(/^Go to PFN: 0x999999 is out of range: this machine has PFNs 0x0–0x1fff/);
  await expect(inspector).toHaveAttribute('data-pfn', String(parseInt(src, 16)));
  await page.getByRole('button', { name: 'Step forward' }).click();
  await expectStep(page, firstStep + 1);
  await expect(page.getByRole('alert')).toHaveCount(0);

  // Break on this PFN: play from step 0 stops at the first step that touches it.
  await inspector.getByRole('button', { name: 'Break on this PFN' }).click();
  await expect(page.getByTestId('breakpoint-list')).toContainText(`PFN ${src}`);
  await page.keyboard.press('Home');
  await expectStep(page, 0);
  await page.getByLabel('Speed').selectOption('1000');
  await page.getByRole('button', { name: 'Play', exact: true }).click();
  await expect(page.getByTestId('breakpoint-hit')).toContainText(`PFN ${src}`);
  await expectStep(page, firstStep);
  expect(errors).toEqual([]);
});

test('the charts draw the series with the current step marked', async ({ page }) => {
  await openPreset(page, PRESET);
  await page.getByRole('button', { name: 'Run to end' }).click();
  await expect(app(page)).toHaveAttribute('data-done', 'true');
  await idle(page);
  const charts = page.getByRole('region', { name: 'Charts' });
  const last = await app(page).getAttribute('data-step');
  await expect(charts).toHaveAttribute('data-step', last!);
  await expect(charts.locator('svg[data-chart="order"] g.plot path')).toHaveCount(11);
  await expect(charts.locator('svg[data-chart="migratetype"] g.plot path')).toHaveCount(5);
  await expect(charts.locator('[data-readout="migrations"]')).toHaveText('2 ok · 2 failed');
  const cursorAt = async () => Number(await charts.locator('svg[data-chart="big"] line.cursor').getAttribute('x1'));
  const atEnd = await cursorAt();
  await page.getByRole('slider', { name: 'Timeline' }).fill('40');
  await expectStep(page, 40);
  await expect(charts).toHaveAttribute('data-step', '40');
  expect(await cursorAt()).toBeLessThan(atEnd);
  await expect(charts.locator('[data-readout="migrations"]')).toHaveText('0 ok · 0 failed');
});

test.describe('at 1366×768', () => {
  test.use({ viewport: { width: 1366, height: 768 } });

  test('the whole app fits without scrolling, with a page selected at the failed refcount check', async ({ page }, info) => {
    const src = await toFailedRefcountCheck(page);
    await page.getByLabel('Go to PFN').fill(src);
    await page.getByRole('button', { name: 'Go', exact: true }).click();
    await idle(page);
    await expect(page.getByTestId('inspector-holders')).toContainText('FOLL_GET');
    const size = await page.evaluate(() => ({
      w: document.documentElement.scrollWidth,
      h: document.documentElement.scrollHeight,
    }));
    expect(size).toEqual({ w: 1366, h: 768 });
    for (const name of ['Narration', 'Charts', 'Page inspector', 'Trace', 'Step controls']) {
      const box = await page.getByLabel(name, { exact: true }).first().boundingBox();
      expect(box, name).not.toBeNull();
      expect(box!.y + box!.height, name).toBeLessThanOrEqual(768);
      expect(box!.x + box!.width, name).toBeLessThanOrEqual(1366);
    }
    await page.screenshot({ path: info.outputPath('app-1366x768.png') });
  });
});

test('a folio folio_isolate_lru() just took names the migration list it is threaded on', async ({ page }) => {
  const errors = consoleErrors(page);
  await openLink(page, '/#preset=lru-anon&step=1&pfn=7241');
  const inspector = page.getByRole('region', { name: 'Page inspector' });
  await expect(inspector).toHaveAttribute('data-pfn', '7241');
  await idle(page);
  await expect(page.getByTestId('inspector-list')).toContainText('pagelist: the folios do_pages_move() hands to migrate_pages()');
  await expect(inspector).not.toContainText('not on a list');
  expect(errors).toEqual([]);
});
