// Pan and zoom of the PFN grid in real Chromium: wheel into single pages and read a PFN label,
// the tooltip names the page under the pointer, a click selects, a drag pans without selecting,
// the keyboard zooms without taking the app's stepping keys, Fit resets; and a migration step
// draws its arrow. Waits on data-* hooks (data-zoom, data-hover-pfn, ...), never on a timer.
import { expect, test, type Locator, type Page } from './fixtures';
import { STATE_CLASSES } from '../src/kernel/classes';
import { openPreset as openPresetLink } from './panels.helpers';

async function openPreset(page: Page, preset: string): Promise<void> {
  await openPresetLink(page, preset);
  await expect(page.getByTestId('app')).toHaveAttribute('data-nr-pfns', '8192');
  await expect(page.getByTestId('pfn-grid')).toHaveAttribute('data-step', '0');
}

/** The page coordinates of a PFN's cell centre, from the painter's hooks (device px → CSS px). */
async function cellCentre(cells: Locator, pfn: number): Promise<{ x: number; y: number }> {
  return cells.evaluate((el: HTMLElement, p: number) => {
    const d = el.dataset;
    const r = el.getBoundingClientRect();
    const dpr = window.devicePixelRatio;
    const cols = Number(d.cols);
    return {
      x: r.left + (Number(d.originX) + ((p % cols) + 0.5) * Number(d.cellPx)) / dpr,
      y: r.top + (Number(d.originY) + (Math.floor(p / cols) + 0.5) * Number(d.rowPx)) / dpr,
    };
  }, pfn);
}

/** One wheel notch in, then wait until the grid has painted the new zoom. */
async function wheelIn(page: Page, cells: Locator): Promise<void> {
  const before = await cells.getAttribute('data-zoom');
  await page.mouse.wheel(0, -200);
  await expect(cells).not.toHaveAttribute('data-zoom', before!);
}

test('wheel zoom down to single pages: PFN labels, tooltip, click to select, drag to pan, Fit', async ({ page }) => {
  await openPreset(page, 'small');
  const grid = page.getByTestId('pfn-grid');
  const cells = page.getByTestId('pfn-cells');
  const tooltip = page.getByTestId('pfn-tooltip');
  await expect(grid).toHaveAttribute('data-fit', 'true');
  await expect(cells).toHaveAttribute('data-labels', '0');

  // Point at PFN 0x1234 and wheel in until every page shows its PFN; the page under the pointer
  // stays under it all the way (the zoom is anchored at the pointer).
  const target = 0x1234;
  const start = await cellCentre(cells, target);
  await page.mouse.move(start.x, start.y);
  await expect(grid).toHaveAttribute('data-hover-pfn', String(target));
  for (let i = 0; i < 40 && (await cells.getAttribute('data-labels')) === '0'; i++) await wheelIn(page, cells);
  expect(Number(await cells.getAttribute('data-labels'))).toBeGreaterThan(0);
  await expect(grid).toHaveAttribute('data-fit', 'false');
  await expect(grid).toHaveAttribute('data-hover-pfn', String(target));

  // The tooltip names the hovered page and, once the worker has read its struct page, its counts.
  await expect(tooltip).toBeVisible();
  await expect(tooltip).toHaveAttribute('data-pfn', String(target));
  await expect(tooltip).toContainText('PFN 0x1234');
  await expect(tooltip).toHaveAttribute('data-loaded', 'true');
  await expect(tooltip).toContainText('refcount');

  // A drawn label is the PFN of the cell it is drawn in: hover that cell, the tooltip agrees.
  const label = (await cells.getAttribute('data-label-sample'))!;
  expect(label).toMatch(/^0x[0-9a-f]+$/);
  const labelled = parseInt(label, 16);
  const there = await cellCentre(cells, labelled);
  await page.mouse.move(there.x, there.y);
  await expect(tooltip).toHaveAttribute('data-pfn', String(labelled));
  await expect(tooltip).toContainText(`PFN 0x${labelled.toString(16)}`);

  // Click selects; the selection is what the rest of the app shows (useSim selectedPfn).
  await page.mouse.click(there.x, there.y);
  await expect(grid).toHaveAttribute('data-selected-pfn', String(labelled));

  // A drag pans by what the pointer moved and does not select.
  const originX = Number(await cells.getAttribute('data-origin-x'));
  await page.mouse.move(there.x, there.y);
  await page.mouse.down();
  await page.mouse.move(there.x - 60, there.y, { steps: 4 });
  await page.mouse.up();
  const dpr = await page.evaluate(() => window.devicePixelRatio);
  await expect.poll(async () => Number(await cells.getAttribute('data-origin-x'))).toBeCloseTo(originX - 60 * dpr, 0);
  await expect(grid).toHaveAttribute('data-selected-pfn', String(labelled));

  // Fit shows the whole memory again.
  await page.getByRole('button', { name: 'Fit' }).click();
  await expect(grid).toHaveAttribute('data-fit', 'true');
  await expect(grid).toHaveAttribute('data-zoom', '1.000');
  await expect(cells).toHaveAttribute('data-labels', '0');
  await expect(grid).toHaveAttribute('data-selected-pfn', String(labelled));
});

test('the focused grid zooms with + and 0 and leaves ← → to stepping; a migration step draws its arrow', async ({ page }) => {
  await openPreset(page, 'lru-anon');
  const app = page.getByTestId('app');
  const grid = page.getByTestId('pfn-grid');
  const cells = page.getByTestId('pfn-cells');
  const overlay = page.getByTestId('pfn-overlay');

  await cells.focus();
  await page.keyboard.press('+');
  await expect(grid).toHaveAttribute('data-zoom', '2.000');
  await page.keyboard.press('0');
  await expect(grid).toHaveAttribute('data-fit', 'true');

  // → still steps with the grid focused; step 4 allocates the destination and names both pages.
  for (let n = 1; n <= 4; n++) {
    await page.keyboard.press('ArrowRight');
    await expect(app).toHaveAttribute('data-step', String(n));
    await expect(grid).toHaveAttribute('data-step', String(n));
  }
  await expect(app).toHaveAttribute('data-busy', 'false');
  await expect(overlay).toHaveAttribute('data-arrows', '1');
  await expect(page.getByTestId('pfn-grid')).toHaveAttribute('data-state-hash', (await app.getAttribute('data-state-hash'))!);

  // The destination page, allocated a step ago, is drawn in the colour of the class the tooltip
  // names: frames after the first only redraw the pages that changed, and this one did.
  const dst = 0x1003;
  const at = await cellCentre(cells, dst);
  await page.mouse.move(at.x, at.y);
  for (let i = 0; i < 3; i++) await wheelIn(page, cells);
  const tooltip = page.getByTestId('pfn-tooltip');
  await expect(tooltip).toHaveAttribute('data-pfn', String(dst));
  const label = (await tooltip.locator('.tt-class').textContent())!.trim();
  const cls = STATE_CLASSES.find((c) => c.label === label)!;
  expect(cls, `a state class labelled "${label}"`).toBeTruthy();
  const rgb = await cells.evaluate((el: HTMLCanvasElement, p: number) => {
    const d = el.dataset;
    const cols = Number(d.cols);
    const x = Math.floor(Number(d.originX) + ((p % cols) + 0.5) * Number(d.cellPx));
    const y = Math.floor(Number(d.originY) + (Math.floor(p / cols) + 0.5) * Number(d.rowPx));
    return [...el.getContext('2d')!.getImageData(x, y, 1, 1).data.slice(0, 3)];
  }, dst);
  expect(rgb).toEqual([1, 3, 5].map((i) => parseInt(cls.color.slice(i, i + 2), 16)));
  await page.keyboard.press('ArrowLeft');
  await expect(grid).toHaveAttribute('data-step', '3');
  await expect(overlay).toHaveAttribute('data-arrows', '0');
  await expect(overlay).toHaveAttribute('data-outlines', '1');
});
