// The balloon device panel: balloon_dev_info's pages list and isolated_pages and the driver's
// balloon_lock follow the step, in both directions, and a PFN on the list opens in the inspector.
import { expect, test } from './fixtures';
import { app, consoleErrors, expectStep, idle } from './panels.helpers';
import { openLink } from './share.helpers';

test('balloon-migrate: the device panel follows inflate, isolation and stepping back', async ({ page }, info) => {
  const errors = consoleErrors(page);
  await openLink(page, '/#preset=balloon-migrate&step=26');
  const dev = page.getByTestId('balloon-device');
  // Step 26 is inside fill_balloon(): all 16 pages allocated without the lock, nine of them
  // enqueued so far with balloon_lock held.
  await expect(dev.getByTestId('balloon-pages').locator('.count')).toHaveText('9');
  await expect(dev.getByTestId('balloon-lock')).toHaveText('held');
  await expect(dev.getByTestId('balloon-isolated')).toHaveText('0');

  await openLink(page, '/#preset=balloon-migrate&step=41');
  // Six pages isolated by isolate_movable_ops_page(): off the list, counted in isolated_pages.
  await expect(dev.getByTestId('balloon-isolated')).toHaveText('6');
  await expect(dev.getByTestId('balloon-pages').locator('.count')).toHaveText('10');
  await expect(dev.getByTestId('balloon-lock')).toHaveText('free');
  await page.screenshot({ path: info.outputPath('balloon-device.png') });

  await page.getByRole('button', { name: 'Step back' }).click();
  await expectStep(page, 40);
  await expect(dev.getByTestId('balloon-isolated')).toHaveText('5');
  await expect(dev.getByTestId('balloon-pages').locator('.count')).toHaveText('11');

  const first = dev.getByTestId('balloon-pages').getByRole('button').first();
  const pfn = parseInt((await first.textContent())!, 16);
  await first.click();
  await expect(page.getByTestId('inspector')).toHaveAttribute('data-pfn', String(pfn));
  await idle(page);
  await expect(page.getByTestId('inspector')).toContainText('offline');
  expect(errors).toEqual([]);
});

test('a scenario without the balloon shows no balloon panel', async ({ page }) => {
  await openLink(page, '/#preset=buddy-split-merge&step=3');
  await expect(app(page)).toHaveAttribute('data-step', '3');
  await expect(page.getByTestId('balloon-device')).toHaveCount(0);
});

test('Footprint: the variants side by side, from the session shown; Escape closes it', async ({ page }, info) => {
  const errors = consoleErrors(page);
  await openLink(page, '/#preset=balloon-migrate&step=41');
  await page.getByRole('button', { name: 'Footprint' }).click();
  const panel = page.getByTestId('footprint-panel');
  const table = panel.getByTestId('footprint-table');
  await expect(panel).toHaveAttribute('data-done', 'true');
  await expect(table.locator('thead th')).toHaveText(['field', 'linux-6.18', 'linux-6.12', 'no-refcount', 'pfn-array', 'linux-7.0', 'pgtable-movable', 'converged', 'offline-alloc', 'offline-migrate']);
  await expect(table.locator('thead th[aria-current="true"]')).toHaveText('linux-6.18');
  await expect(panel.getByTestId('footprint-pages')).toHaveText(['16', '16', '16', '16', '16', '16', '16', '16', '16']);
  // src[] + dst[] for the 16 balloon pages: 8 B each per entry; lists reuse page->lru.
  await expect(panel.getByTestId('footprint-tracking')).toHaveText(['0 B (page->lru)', '0 B (page->lru)', '256 B (16 entries)', '256 B (16 entries)', '0 B (page->lru)', '0 B (page->lru)', '256 B (16 entries)', '0 B (page->lru)', '0 B (page->lru)']);
  await expect(panel.getByTestId('footprint-atomics')).toHaveText(['6', '6', '0', '6', '6', '6', '6', '0', '0']);
  await expect(table.locator('td[data-variant="no-refcount"][data-field="_refcount"]')).toHaveText('1 / 0');
  // Cells unlike mainline's are marked: the no-refcount design's _refcount, never 6.18's own.
  await expect(table.locator('td[data-variant="no-refcount"][data-field="_refcount"]')).toHaveClass('differs');
  await expect(table.locator('td[data-variant="linux-6.18"].differs')).toHaveCount(0);
  // While the page was PageOffline: the no-refcount design touches neither _refcount nor lru (the
  // read above is the allocator's bad-page check of the freed page); 6.18 does 4 of its 6 atomics
  // there, 6.12 2 (balloon_page_delete() ends PageOffline during the migration).
  await panel.getByRole('button', { name: 'split by page state' }).click();
  await expect(table).toHaveAttribute('data-split', 'state');
  await expect(table.locator('td[data-variant="no-refcount"][data-part="_refcount/offline"]')).toHaveText('·');
  await expect(table.locator('td[data-variant="no-refcount"][data-part="lru/offline"]')).toHaveText('·');
  await expect(table.locator('td[data-variant="no-refcount"][data-part="page_type/offline"]')).not.toHaveText('·');
  await expect(table.locator('td[data-part="atomics/offline"]')).toHaveText(['4', '2', '0', '4', '4', '4', '4', '0', '0']);
  await page.screenshot({ path: info.outputPath('footprint.png') });
  await expect(table.locator('td[data-variant="no-refcount"][data-part="lru/buddy"]')).toHaveText('4 / 3');
  // The session is untouched: still step 41.
  await expect(app(page)).toHaveAttribute('data-step', '41');
  await page.keyboard.press('Escape');
  await expect(panel).toHaveCount(0);

  // Another scenario: the table is asked for again, and says when nothing migrated.
  await openLink(page, '/#preset=buddy-split-merge&step=0');
  await page.getByRole('button', { name: 'Footprint' }).click();
  await expect(panel.getByTestId('footprint-pages')).toHaveText(['0', '0', '0', '0', '0', '0', '0', '0', '0']);
  await expect(panel).toContainText('migrates no page');
  expect(errors).toEqual([]);
});

test('no-refcount: a frozen page isolated by test-and-set is counted as isolated and is no refcount error', async ({ page }) => {
  const errors = consoleErrors(page);
  // Step 37: the migrator's test-and-set of PG_movable_ops_isolated on 0x1262 succeeds.
  await openLink(page, '/#preset=balloon-migrate-no-refcount&step=37&pfn=4706');
  await expect(page.getByLabel('Narration')).toContainText('test-and-set of PG_movable_ops_isolated on 0x1262 succeeds');
  const dev = page.getByTestId('balloon-device');
  await expect(dev).toContainText('PG_movable_ops_isolated');
  await expect(dev.getByTestId('balloon-isolated')).toHaveText('1');
  await idle(page);
  await expect(page.getByTestId('inspector-refcount')).toHaveText('0');
  await expect(page.getByTestId('inspector-expected')).toHaveText('(expected from holders: 0)');
  await expect(page.getByTestId('inspector-holders')).toContainText("the balloon's PFN array, with no reference (frozen)");
  await expect(page.getByTestId('inspector-refcount')).not.toHaveClass(/mismatch/);
  expect(errors).toEqual([]);
});
