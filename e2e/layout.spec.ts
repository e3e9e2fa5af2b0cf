// Every size of screen: at a phone (390×844), a small window (800×600) and a laptop (1280×720) the
// page does not scroll sideways, the grid keeps a usable width, Share stays in the header, the
// legend stays out of the grid and the controls, the narration's text is either whole or scrolls
// with a visible "more", and (at 1280×720) the charts keep their height whatever the narration's
// length. One test resizes one loaded preset, so it loads once. Saves a light and a dark
// screenshot at each size for a person to look at.
import { expect, test, type Locator, type Page } from './fixtures';
import { expectStep } from './panels.helpers';

type Box = { readonly x: number; readonly y: number; readonly width: number; readonly height: number };

async function box(l: Locator): Promise<Box> {
  const b = await l.boundingBox();
  expect(b, String(l)).not.toBeNull();
  return b!;
}

const overlaps = (a: Box, b: Box): boolean =>
  a.x < b.x + b.width - 0.5 && b.x < a.x + a.width - 0.5 && a.y < b.y + b.height - 0.5 && b.y < a.y + a.height - 0.5;

/** Below 1100 px the side panels are tabs: show the one named (a no-op where there are no tabs). */
async function showPanel(page: Page, name: string): Promise<void> {
  const tab = page.getByRole('navigation', { name: 'Panels' }).getByRole('button', { name, exact: true });
  if (await tab.isVisible()) await tab.click();
}

async function expectWhole(page: Page, w: number, h: number): Promise<void> {
  const size = await page.evaluate(() => ({ w: document.documentElement.scrollWidth, h: document.documentElement.scrollHeight }));
  expect(size, 'the page scrolls').toEqual({ w, h });
  await expect(page.getByRole('button', { name: 'Share' })).toBeInViewport({ ratio: 1 });
  await expect(page.getByRole('button', { name: /Step forward/ })).toBeInViewport({ ratio: 1 });
}

/** The narration shows all of its text, or scrolls inside its box with "more" showing. */
async function expectNarrationReadable(page: Page): Promise<void> {
  await showPanel(page, 'Step');
  const scroller = page.getByTestId('narration-box');
  const { scroll, client } = await scroller.evaluate((e) => ({ scroll: e.scrollHeight, client: e.clientHeight }));
  expect(client, 'the narration box is too small to read').toBeGreaterThanOrEqual(90);
  // 2 px of slack, as MoreBox has: a fractional line height rounds scrollHeight up.
  if (scroll > client + 2) {
    const more = scroller.getByRole('button', { name: /more/ });
    await expect(more).toBeVisible();
    await more.click();
    await expect(scroller).toHaveAttribute('data-more', 'false');
  }
}

/** The legend stays in its own box, clear of the grid and the controls. */
async function expectLegendClear(page: Page): Promise<void> {
  await showPanel(page, 'Key');
  const legend = await box(page.locator('.footer'));
  const entries = page.locator('.legend-box li');
  const last = await box(entries.last());
  expect(last.y + last.height, 'the legend runs out of its box').toBeLessThanOrEqual(legend.y + legend.height + 0.5);
  expect(last.x + last.width).toBeLessThanOrEqual(legend.x + legend.width + 0.5);
  expect(overlaps(legend, await box(page.locator('.grid-panel'))), 'legend over the grid').toBe(false);
  expect(overlaps(legend, await box(page.getByRole('toolbar', { name: 'Step controls' }))), 'legend over the controls').toBe(false);
}

/** Each chart's key is inside its chart: none is cut at the bottom. */
async function expectChartKeysWhole(page: Page): Promise<void> {
  await showPanel(page, 'Charts');
  const charts = page.locator('.chart');
  await expect(charts.first()).toBeVisible();
  for (const chart of await charts.all()) {
    const cut = await chart.evaluate((e) => e.scrollHeight - e.clientHeight);
    expect(cut, `a chart's key is cut: ${await chart.locator('.title').textContent()}`).toBeLessThanOrEqual(1);
  }
}

const SIZES = [
  { w: 390, h: 844, minGrid: 300 },
  { w: 800, h: 600, minGrid: 400 },
  { w: 1280, h: 720, minGrid: 600 },
] as const;

test('phone, 800 px and 1280×720: no sideways scroll, a usable grid, the header, legend, narration and charts fit', async ({ page }, info) => {
  test.setTimeout(240_000); // three window sizes, seven screenshots
  // Step 15 has the longest narration of lru-anon (footprint rows for source and destination).
  await page.goto('/#preset=lru-anon&step=15');
  await expectStep(page, 15);
  for (const { w, h, minGrid } of SIZES) {
    await page.setViewportSize({ width: w, height: h });
    await expectWhole(page, w, h);
    const grid = await box(page.locator('.pfn-grid'));
    expect(grid.width, `grid width at ${w}×${h}`).toBeGreaterThanOrEqual(minGrid);
    expect(grid.height, `grid height at ${w}×${h}`).toBeGreaterThanOrEqual(200);
    if (w < 600) {
      // Within the thumb's reach: the lower half of the screen.
      const forward = await box(page.getByRole('button', { name: /Step forward/ }));
      expect(forward.y).toBeGreaterThan(h / 2);
      // A tapped page opens the Page tab: its struct page is what the tap asked for.
      await showPanel(page, 'Step');
      const canvas = page.locator('.grid-panel canvas').first();
      const c = await box(canvas);
      await canvas.click({ position: { x: c.width / 2, y: c.height / 3 } });
      await expect(page.locator('.panel-tabs button[data-tab="page"]')).toHaveAttribute('aria-pressed', 'true');
      await expect(page.getByTestId('inspector')).toHaveAttribute('data-mode', 'pinned');
      await page.getByRole('button', { name: 'Follow the step' }).click();
    }
    await expectNarrationReadable(page);
    await expectChartKeysWhole(page);
    await expectLegendClear(page);
    await showPanel(page, 'Step');
    await expectWhole(page, w, h);
    await page.screenshot({ path: info.outputPath(`layout-${w}x${h}.png`) });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: info.outputPath(`layout-${w}x${h}-dark.png`) });
    await page.emulateMedia({ colorScheme: 'light' });
  }
  // The trace still follows its last line after the window changed size under it.
  const trace = page.getByTestId('trace');
  await page.getByRole('button', { name: /Step forward/ }).click();
  await expectStep(page, 16);
  expect(await trace.evaluate((e) => e.scrollHeight - e.scrollTop - e.clientHeight)).toBeLessThan(4);
  // The charts keep their height as the narration grows and shrinks from step to step.
  const heights = new Set<number>();
  for (const step of [14, 0, 6, 15]) {
    await page.getByRole('slider', { name: 'Timeline' }).fill(String(step));
    await expectStep(page, step);
    heights.add(Math.round((await box(page.locator('.charts'))).height));
  }
  expect([...heights], 'the charts jump with the narration').toHaveLength(1);
  // The next step's narration is read from its first line, wherever "more" left the last one.
  const scroller = page.getByTestId('narration-box');
  await scroller.getByRole('button', { name: /more/ }).click();
  await expect(scroller).toHaveAttribute('data-more', 'false');
  expect(await scroller.evaluate((e) => e.scrollTop)).toBeGreaterThan(0);
  await page.getByRole('button', { name: /Step back/ }).click();
  await expectStep(page, 14);
  expect(await scroller.evaluate((e) => e.scrollTop)).toBe(0);
  // A phone held sideways: the page scrolls down instead of squeezing the grid to ~100 px.
  await page.setViewportSize({ width: 844, height: 390 });
  expect((await box(page.locator('.grid-panel canvas').first())).height, 'grid height at 844×390').toBeGreaterThanOrEqual(200);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBe(844);
  await page.screenshot({ path: info.outputPath('layout-844x390.png') });
});

test('a touch screen is told the gestures, a mouse the wheel and keys', async ({ browser, page }) => {
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });
  try {
    const touch = await phone.newPage();
    await touch.goto('/#preset=lru-anon');
    await expect(touch.getByText('pinch to zoom, drag to pan, tap a page to inspect it')).toBeVisible();
    await expect(touch.getByText(/scroll or/)).toBeHidden();
  } finally {
    await phone.close();
  }
  await page.goto('/#preset=lru-anon');
  await expect(page.getByText(/scroll or/)).toBeVisible();
  await expect(page.getByText('pinch to zoom, drag to pan, tap a page to inspect it')).toBeHidden();
});
