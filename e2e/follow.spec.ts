// Following the migration (issue 16): the inspector follows the step's source and destination
// side by side with what the step changed, a PFN in the narration pins its page, the grid
// focuses on the step's pages, and Next phase stops on the movable_ops path's own steps.
import { expect, test, type Page } from './fixtures';
import { app, blur, consoleErrors, expectStep, openPreset } from './panels.helpers';
import { openLink } from './share.helpers';

/** The inspector's cell of one field in the column of one role. */
function cell(page: Page, field: string, col: 1 | 2) {
  return page.getByTestId('inspector').locator('tbody tr', { has: page.locator(`th:text-is("${field}")`) }).locator('td').nth(col - 1);
}

test('lru-anon: the inspector follows src and dst with the changed fields; a narration PFN pins; Focus step', async ({ page }) => {
  const errors = consoleErrors(page);
  await openPreset(page, 'lru-anon');
  const inspector = page.getByTestId('inspector');
  const next = page.getByRole('button', { name: 'Next phase' });
  for (const step of [1, 2, 11]) {
    await next.click();
    await expectStep(page, step);
  }
  // The refcount check: both pages, side by side, labelled by role and PFN.
  await expect(inspector).toHaveAttribute('data-mode', 'follow');
  await expect(page.getByTestId('follow-bar')).toContainText("Following step 11's source and destination");
  const heads = inspector.locator('thead th');
  await expect(heads).toHaveCount(2);
  await expect(heads.nth(0)).toHaveText(/^src 0x1c49/);
  await expect(heads.nth(1)).toHaveText(/^dst 0x1003/);
  // Two pages ask for a wider column, but at 1280 px the grid keeps a pixel per PFN of a row.
  await expect(inspector).toHaveAttribute('data-pages', '2');
  expect(await page.locator('.grid-panel canvas').first().evaluate((c) => c.clientWidth)).toBeGreaterThanOrEqual(512 + 60);
  await expect(page.getByTestId('inspector-holders-src')).toContainText('isolation');

  // The copy of the flags: dst's PG_uptodate and PG_dirty set, marked as this step's change.
  for (const step of [12, 14]) {
    await next.click();
    await expectStep(page, step);
  }
  await expect(cell(page, 'flags', 2)).toHaveAttribute('data-changed', 'flags');
  await expect(cell(page, 'flags', 2)).toContainText('PG_uptodate set, PG_dirty set');
  await expect(cell(page, 'flags', 1)).not.toHaveAttribute('data-changed', /./);

  // migrate_folio_move: dst unlocked and its allocation reference dropped.
  for (const step of [16, 17, 18]) {
    await next.click();
    await expectStep(page, step);
  }
  await expect(cell(page, '_refcount', 2)).toHaveAttribute('data-changed', '_refcount');
  await expect(cell(page, '_refcount', 2)).toContainText('was 3 → 2');
  await expect(cell(page, 'flags', 2)).toContainText('PG_locked cleared');

  // Focus step zooms the grid onto the two pages and keeps following; Fit stops it.
  const grid = page.getByTestId('pfn-grid');
  await page.getByRole('button', { name: 'Focus step' }).click();
  await expect(page.getByRole('button', { name: 'Focus step' })).toHaveAttribute('aria-pressed', 'true');
  await expect(grid).toHaveAttribute('data-fit', 'false');
  await page.getByRole('button', { name: 'Fit' }).click();
  await expect(page.getByRole('button', { name: 'Focus step' })).toHaveAttribute('aria-pressed', 'false');
  await expect(grid).toHaveAttribute('data-fit', 'true');

  // A PFN in the sentence pins its page in the inspector and on the grid; "Follow the step" unpins.
  await page.getByLabel('Narration').locator('.narr-text').getByRole('button', { name: '0x1003' }).click();
  await expect(inspector).toHaveAttribute('data-mode', 'pinned');
  await expect(inspector).toHaveAttribute('data-pfn', String(0x1003));
  await expect(grid).toHaveAttribute('data-selected-pfn', String(0x1003));
  await expect(page.getByTestId('follow-bar')).toContainText('Pinned PFN 0x1003');
  await page.getByRole('button', { name: 'Follow the step' }).click();
  await expect(inspector).toHaveAttribute('data-mode', 'follow');
  await expect(heads).toHaveCount(2);
  expect(errors).toEqual([]);
});

test('balloon-race: Shift+→ from step 23 stops at the movable_ops path\'s copy and remap of each page', async ({ page }) => {
  // Steps 7–22 are the two migrators' isolation, one guard a step: each wins one page.
  await openLink(page, '/#preset=balloon-race&step=23');
  await expectStep(page, 23);
  await blur(page);
  const narration = page.getByLabel('Narration');
  const stops: [number, string, string][] = [
    [25, 'isolate', 'migrate_pages()'],
    [26, 'isolate', 'migrate_pages()'],
    [43, 'copy', 'virtballoon_migratepage()'],
    [44, 'copy', 'virtballoon_migratepage()'],
    [47, 'remap', 'migrate_folio_move()'],
    [48, 'remap', 'migrate_folio_move()'],
  ];
  for (const [step, phase, fn] of stops) {
    await page.keyboard.press('Shift+ArrowRight');
    await expectStep(page, step);
    await expect(narration.locator('.phase')).toHaveText(phase);
    await expect(narration.locator('.fn')).toHaveText(fn);
    if (step === 43) {
      // The balloon takes the new page: it becomes PageOffline with the balloon's reference.
      await expect(cell(page, 'page_type', 2)).toContainText('was none → PGTY_offline');
      await expect(cell(page, '_refcount', 2)).toContainText('was 1 → 2');
    }
  }
  await expect(app(page)).toHaveAttribute('data-step', '48');
});
