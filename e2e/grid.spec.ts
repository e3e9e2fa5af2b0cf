// The first page end to end: the worker populates the default scenario, transfers the view, and
// the canvas shows it with a legend. Waits on the app's data-busy hook, never on a timer.
import { expect, test } from './fixtures';
import { STATE_CLASSES, StateClass } from '../src/kernel/classes';

const reserved = STATE_CLASSES.find((c) => c.id === StateClass.Reserved)!;

function rgbOf(hex: string): [number, number, number] {
  return [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)) as [number, number, number];
}

test('the default scenario PFN grid is drawn from the worker, with a legend', async ({ page }) => {
  const consoleErrors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(e.message));

  await page.goto('/');
  const app = page.getByTestId('app');
  await expect(app).toHaveAttribute('data-busy', 'false');
  await expect(page.getByRole('alert')).toHaveCount(0);

  const nrPfns = Number(await app.getAttribute('data-nr-pfns'));
  expect(nrPfns).toBeGreaterThan(0);
  expect(await app.getAttribute('data-state-hash')).toBeTruthy();
  await expect(page.getByRole('heading', { name: 'pfnscope' })).toBeVisible();
  await expect(page.getByText(`${nrPfns.toLocaleString('en-US')} PFNs`)).toBeVisible();

  // Read the canvas back: distinct colours, and the colour of PFN 0..15. x86 reserves the first
  // 64 KiB (CONFIG_X86_RESERVE_LOW); the real 512 MiB capture has PFN 0-15 PageReserved too.
  // The grid's element says which frame it shows.
  const grid = page.getByTestId('pfn-grid');
  await expect(grid).toHaveAttribute('data-step', (await app.getAttribute('data-step'))!);
  await expect(grid).toHaveAttribute('data-state-hash', (await app.getAttribute('data-state-hash'))!);
  await expect(grid).toHaveAttribute('data-fit', 'true');

  // At the fit, data-origin-x/y and data-cell-px/row-px (device pixels) locate every PFN's cell.
  const pixels = await page.getByTestId('pfn-cells').evaluate((el: HTMLCanvasElement) => {
    const ctx = el.getContext('2d')!;
    const data = ctx.getImageData(0, 0, el.width, el.height).data;
    const colours = new Set<number>();
    for (let i = 0; i < data.length; i += 4) colours.add((data[i]! << 16) | (data[i + 1]! << 8) | data[i + 2]!);
    const cell = Number(el.dataset.cellPx);
    const row = Number(el.dataset.rowPx);
    const cols = Number(el.dataset.cols);
    const at = (pfn: number): number[] => {
      const x = Math.floor(Number(el.dataset.originX) + (pfn % cols) * cell + cell / 2);
      const y = Math.floor(Number(el.dataset.originY) + Math.floor(pfn / cols) * row + row / 2);
      return [...ctx.getImageData(x, y, 1, 1).data.slice(0, 3)];
    };
    // PFN 0 lies below ZONE_DMA's zone_start_pfn (1) and is drawn as a hole.
    return { distinct: colours.size, cellPx: cell, low: [1, 7, 15].map(at) };
  });
  // Whole device pixels when the panel gives 512 columns the room; a narrower one downsamples.
  expect(pixels.cellPx).toBeGreaterThan(0);
  expect(pixels.distinct).toBeGreaterThanOrEqual(3);
  for (const rgb of pixels.low) expect(rgb).toEqual(rgbOf(reserved.color));

  const legend = page.getByTestId('legend');
  await expect(legend.locator('li[data-class="reserved"]')).toHaveAttribute('title', reserved.label);
  await expect(legend.locator('li[data-class="reserved"]')).toContainText('reserved');
  expect(await legend.locator('li').count()).toBeGreaterThanOrEqual(2);
  // The migration overlays are always in the key, greyed at 0.
  await expect(legend.locator('li[data-class="pinned"]')).toHaveAttribute('data-count', /\d+/);

  await page.screenshot({ path: 'test-results/grid-1280x720.png' });
  expect(consoleErrors).toEqual([]);
});
