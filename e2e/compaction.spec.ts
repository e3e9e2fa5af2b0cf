// Compaction's scanners on the page: the Compaction panel and the grid's overlay follow both
// scanners of compact-memory (DMA, then DMA32) step by step, and both go when compaction ends.
// The overlay is checked by its pixels (the scanner colour on the scanner's cell and along its
// pageblock row), not only by its test hook, so a scanner that is not drawn fails the test.
import { expect, test, type Page } from './fixtures';
import { SCANNER_COLORS } from '../src/ui/scanners';
import { STATE_CLASSES } from '../src/kernel/classes';
import { app, blur, consoleErrors, expectStep, idle, openPreset } from './panels.helpers';
import { openLink } from './share.helpers';

function rgbOf(hex: string): number[] {
  return [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
}

/** RGB(A) `px` within antialiasing distance of RGB `rgb`. */
const near = (px: readonly number[], rgb: readonly number[]): boolean => rgb.every((v, i) => Math.abs(v - px[i]!) <= 6);

interface Ink {
  /** RGBA at the centre of the scanner's cell. */
  readonly cell: number[];
  /** RGBA of the device pixels just above and just below the scanner's row, at a column away from its tag. */
  readonly edges: number[][];
}

/** What the overlay drew at a scanner at `pfn`; the cells canvas's hooks say where each PFN is. */
async function inkAt(page: Page, pfn: number): Promise<Ink> {
  const geo = await page.getByTestId('pfn-cells').evaluate((el: HTMLCanvasElement) => ({
    cols: Number(el.dataset.cols),
    cellPx: Number(el.dataset.cellPx),
    rowPx: Number(el.dataset.rowPx),
    originX: Number(el.dataset.originX),
    originY: Number(el.dataset.originY),
  }));
  return page.getByTestId('pfn-overlay').evaluate(
    (el: HTMLCanvasElement, { pfn, g }) => {
      const ctx = el.getContext('2d')!;
      const px = (x: number, y: number): number[] => [...ctx.getImageData(Math.floor(x), Math.floor(y), 1, 1).data];
      const col = pfn % g.cols;
      const row = Math.floor(pfn / g.cols);
      const top = g.originY + row * g.rowPx;
      // The tag is centred over the scanner's cell: look at the other half of the row.
      const far = g.originX + (col < g.cols / 2 ? g.cols * 0.8 : g.cols * 0.2) * g.cellPx;
      const edges: number[][] = [];
      for (let d = 1; d <= 6; d++) edges.push(px(far, top - d), px(far, top + g.rowPx + d - 1));
      return { cell: px(g.originX + (col + 0.5) * g.cellPx, top + g.rowPx / 2), edges };
    },
    { pfn, g: geo },
  );
}

async function expectScannerDrawn(page: Page, pfn: number, color: string): Promise<void> {
  const ink = await inkAt(page, pfn);
  const rgb = rgbOf(color);
  expect(ink.cell[3], `the marker on PFN ${pfn.toString(16)}'s cell is opaque`).toBe(255);
  expect(near(ink.cell, rgb), `PFN ${pfn.toString(16)}'s cell shows ${color}, got ${ink.cell}`).toBe(true);
  expect(ink.edges.some((p) => p[3] === 255 && near(p, rgb)), `the frame of PFN ${pfn.toString(16)}'s row is ${color}`).toBe(true);
}

/** Opaque overlay pixels of `color`, over the whole canvas. */
async function inkCount(page: Page, color: string): Promise<number> {
  return page.getByTestId('pfn-overlay').evaluate((el: HTMLCanvasElement, rgb) => {
    const d = el.getContext('2d')!.getImageData(0, 0, el.width, el.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) {
      if (d[i + 3] === 255 && Math.abs(d[i]! - rgb[0]!) <= 6 && Math.abs(d[i + 1]! - rgb[1]!) <= 6 && Math.abs(d[i + 2]! - rgb[2]!) <= 6) n++;
    }
    return n;
  }, rgbOf(color));
}

async function stepForwardTo(page: Page, n: number): Promise<void> {
  for (let s = Number(await app(page).getAttribute('data-step')) + 1; s <= n; s++) {
    await page.keyboard.press('ArrowRight');
    await expectStep(page, s);
  }
}

test('compact-memory: the Compaction panel and the grid follow both scanners and go when compaction ends', async ({ page }) => {
  // Three loads and ~29,000 steps computed: it outlasted 90 s with both cores taken by other work.
  test.setTimeout(240_000);
  const errors = consoleErrors(page);
  await openPreset(page, 'compact-memory');
  const status = page.getByTestId('compaction-status');
  const overlay = page.getByTestId('pfn-overlay');
  // Step 0 is memory as populated: no compaction runs yet.
  await expect(status).toHaveCount(0);
  await expect(overlay).toHaveAttribute('data-scanner-marks', '');

  await blur(page);
  await stepForwardTo(page, 1);
  // Step 1: compact_zone() for DMA, the scanners at both ends of the zone.
  await expect(status.getByTestId('compaction-zone')).toHaveText('DMA');
  await expect(status.getByTestId('compaction-migrate-pfn')).toHaveText('0x1'); // ZONE_DMA starts at PFN 1, as on real x86-64
  await expect(status.getByTestId('compaction-free-pfn')).toHaveText('0xe00');

  // Step 10: DMA is done and compact_zone() starts on DMA32.
  await stepForwardTo(page, 10);
  await expect(status.getByTestId('compaction-run')).toHaveCount(1);
  await expect(status.getByTestId('compaction-zone')).toHaveText('DMA32');
  await expect(status.getByTestId('compaction-order')).toHaveText('-1 (compact_memory)');
  await expect(status.getByTestId('compaction-migrate-pfn')).toHaveText('0x1000');
  await expect(status.getByTestId('compaction-free-pfn')).toHaveText('0x7e00');
  await expect(status.getByTestId('compaction-gap')).toHaveText('55 pageblocks');
  await expect(overlay).toHaveAttribute('data-scanner-marks', 'migrate:0x1000 free:0x7e00');
  await expectScannerDrawn(page, 0x1000, SCANNER_COLORS.migrate);
  await expectScannerDrawn(page, 0x7e00, SCANNER_COLORS.free);
  // The same inks are what the end of the test finds none of.
  expect(await inkCount(page, SCANNER_COLORS.migrate)).toBeGreaterThan(0);
  expect(await inkCount(page, SCANNER_COLORS.free)).toBeGreaterThan(0);

  // Two isolate_migratepages_block() steps later the migrate scanner is two pageblocks up, and
  // the grid moved it there.
  await stepForwardTo(page, 12);
  await expect(status.getByTestId('compaction-migrate-pfn')).toHaveText('0x1400');
  await expect(status.getByTestId('compaction-gap')).toHaveText('53 pageblocks');
  await expect(overlay).toHaveAttribute('data-scanner-marks', 'migrate:0x1400 free:0x7e00');
  await expectScannerDrawn(page, 0x1400, SCANNER_COLORS.migrate);

  // Step 300: the free scanner has come down to 0x7678.
  await openLink(page, '/#preset=compact-memory&step=300');
  await expect(status.getByTestId('compaction-migrate-pfn')).toHaveText('0x2430');
  await expect(status.getByTestId('compaction-free-pfn')).toHaveText('0x7678');
  await expect(status.getByTestId('compaction-gap')).toHaveText('41 pageblocks');
  await expectScannerDrawn(page, 0x7678, SCANNER_COLORS.free);
  // Step 400: it is at 0x7516 and holds free blocks for the migration.
  await openLink(page, '/#preset=compact-memory&step=400');
  await expect(status.getByTestId('compaction-free-pfn')).toHaveText('0x7516');
  await expect(status.getByTestId('compaction-gap')).toHaveText('39 pageblocks');
  const held = STATE_CLASSES.find((c) => c.key === 'compact-free')!;
  const entry = page.getByTestId('legend').locator('li[data-class="compact-free"]');
  await expect(entry).toHaveAttribute('title', held.label);
  await expect(entry).toContainText('cc->freepages');
  expect(Number(await entry.getAttribute('data-count'))).toBeGreaterThan(0);

  // The end: compaction of DMA32 has finished, so neither the panel nor the scanners are shown.
  await blur(page);
  await page.keyboard.press('End');
  // The remaining ~28,000 steps are computed first: a slow machine may need longer than the default wait.
  await expect(app(page)).toHaveAttribute('data-done', 'true', { timeout: 60_000 });
  await idle(page);
  expect(await app(page).getAttribute('data-step')).toBe(await app(page).getAttribute('data-frontier'));
  await expect(status).toHaveCount(0);
  await expect(overlay).toHaveAttribute('data-scanner-marks', '');
  expect(await inkCount(page, SCANNER_COLORS.migrate)).toBe(0);
  expect(await inkCount(page, SCANNER_COLORS.free)).toBe(0);
  expect(errors).toEqual([]);
});
