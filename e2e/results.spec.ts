// Results and comparisons (issue 16): the footprint side panel beside the grid (its variants run
// in the worker's background, so stepping while they run neither stops them nor waits for them,
// and the grid to the panel's left stays clickable), and the result view an imported capture's
// compaction ends on (the real capture lives outside the repository, in ../shared; without it
// that test skips, as import.spec.ts does).
import { expect, test } from './fixtures';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { app, blur, consoleErrors, expectStep, idle } from './panels.helpers';
import { buddyinfo } from './capture.helpers';
import { openLink } from './share.helpers';
import { captureTitle, needCapture } from './reference.helpers';

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
  await expect(panel.locator('thead th[data-state="done"]')).toHaveCount(9);
  await expect(panel.getByTestId('footprint-pages')).toHaveText(['2', '2', '2', '2', '2', '2', '2', '2', '2']);
  // linux-6.18, 6.12, no-refcount, pfn-array, linux-7.0, pgtable-movable, converged, offline-alloc,
  // offline-migrate: the designs that take references pay for the loser's transient +1 too.
  await expect(panel.getByTestId('footprint-atomics')).toHaveText(['8', '8', '0', '8', '8', '8', '8', '0', '0']);
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

const CAPTURE = fileURLToPath(new URL('../../shared/reference/real-kernel/fragmented-compact/', import.meta.url));

test.describe(captureTitle('a real capture', `${CAPTURE}before.kpageflags`), () => {
  needCapture(`${CAPTURE}before.kpageflags`);

  test('import + compaction ends on the result view: before / after / real after, the predict error, migrated', async ({ page }) => {
    test.setTimeout(300_000); // compact_memory over 131,072 imported PFNs runs to its end
    const errors = consoleErrors(page);
    await openLink(page, '/#preset=default');
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await page.getByLabel(/then compact every zone/).check();
    // The before.* capture and, beside it, the real machine's buddyinfo after the same compaction.
    const given = ['kpageflags', 'kpagecount', 'buddyinfo', 'pagetypeinfo', 'zoneinfo'].map((k) => `${CAPTURE}before.${k}`);
    await page.getByTestId('import-input').setInputFiles([...given, `${CAPTURE}after.buddyinfo`]);
    await expect(page.getByTestId('match-panel')).toBeVisible();
    await idle(page);
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('result-button')).toBeVisible();
    await page.getByRole('button', { name: 'Run to end' }).click();

    const view = page.getByTestId('result-panel');
    await expect(view).toHaveAttribute('data-ready', 'true', { timeout: 240_000 });
    await expect(app(page)).toHaveAttribute('data-done', 'true');
    const before = buddyinfo(readFileSync(`${CAPTURE}before.buddyinfo`, 'utf8'));
    const real = buddyinfo(readFileSync(`${CAPTURE}after.buddyinfo`, 'utf8'));
    const row = async (zone: string, kind: string) =>
      (await view.locator(`tr[data-zone="${zone}"][data-row="${kind}"] td[data-order]`).allTextContents()).map((c) => Number(c.replace(/,/g, '')));
    for (const zone of real.keys()) {
      expect(await row(zone, 'before')).toEqual(before.get(zone)); // the rebuild matches this capture exactly
      expect(await row(zone, 'real-after')).toEqual(real.get(zone));
    }
    // Compaction moved the free memory of DMA32 into larger blocks: fewer order-0 blocks after.
    const after = await row('DMA32', 'after');
    expect(after[0]).toBeLessThan(before.get('DMA32')![0]!);
    // --predict's line, over the real free pages of after.buddyinfo.
    const realFree = [...real.values()].reduce((n, z) => n + z.reduce((m, b, o) => m + b * 2 ** o, 0), 0);
    await expect(view.getByTestId('result-error')).toContainText(new RegExp(`free pages: simulated \\d+, real ${realFree}; Σ\\|Δ blocks × 2\\^order\\| = \\d+ pages = \\d+\\.\\d % of the real free pages`));
    await expect(view.getByTestId('result-error')).toContainText('after.buddyinfo');
    const counts = await view.getByTestId('result-counts').textContent();
    expect(Number(/([\d,]+) pages migrated/.exec(counts!)![1]!.replace(/,/g, ''))).toBeGreaterThan(0);
    await expect(view.getByTestId('result-counts')).toContainText(/[\d,]+ failed/);
    // The chart: per order 0..10 a bar for each of the three series.
    const chart = view.getByTestId('result-chart');
    for (const series of ['before', 'after', 'realAfter']) await expect(chart.locator(`rect[data-series="${series}"]`)).toHaveCount(11);

    // Closed, it comes back from the header's Result button after stepping back.
    await view.getByRole('button', { name: 'Close' }).click();
    await expect(view).toHaveCount(0);
    await page.getByRole('button', { name: 'Step back' }).click();
    await idle(page);
    await page.getByTestId('result-button').click();
    await expect(view).toHaveAttribute('data-ready', 'true');
    await expect(view.getByTestId('result-error')).toBeVisible();

    // Another buddyinfo dropped on the page later is the real after from then on (here the
    // capture's own before, as if compaction had done nothing on the real machine).
    const dt = await page.evaluateHandle((text) => {
      const d = new DataTransfer();
      d.items.add(new File([text], 'before.buddyinfo'));
      return d;
    }, readFileSync(`${CAPTURE}before.buddyinfo`, 'utf8'));
    await page.dispatchEvent('.stage', 'drop', { dataTransfer: dt });
    await expect(view.getByTestId('result-error')).toContainText('before.buddyinfo');
    await idle(page);
    expect(await row('DMA32', 'real-after')).toEqual(before.get('DMA32'));
    expect(errors).toEqual([]);
  });
});
