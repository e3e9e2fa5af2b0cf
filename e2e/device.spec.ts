// Device migration on the page: the migrate_vma panel follows struct migrate_vma through
// migrate-vma-to-device (src[] as collect filled it, dst[] as the driver allocated it, gone once
// finalize is done), marks the entries migrate-vma-pinned gives up on, and the legend counts the
// device-private pages at the end. Steps are found by their kernel function in the same engine
// run headless (what `npm run sim -- … --trace` prints), so the test follows a path that gains or
// loses steps; what the panel must show at each is written out here.
import { expect, test, type Locator, type Page } from './fixtures';
import { findPreset } from '../src/engine/presets';
import { openSession } from '../src/engine/session';
import { snapshotOf } from '../src/engine/snapshot';
import { runToEnd, allSteps } from '../src/engine/timeline';
import { app, consoleErrors, idle } from './panels.helpers';
import { openLink } from './share.helpers';

interface Run {
  /** steps[n - 1] is step n: its kernel function and result. */
  readonly steps: readonly { readonly fn: string; readonly result: string | null }[];
  /** The Device zone's PFNs, [start, end). */
  readonly device: { readonly start: number; readonly end: number };
}

function run(preset: string): Run {
  const s = openSession(findPreset(preset)!.scenario);
  runToEnd(s.t);
  const device = snapshotOf(s.k).zones.find((z) => z.name === 'Device')!;
  return { steps: allSteps(s.t).map((st) => ({ fn: st.fn, result: st.result ?? null })), device };
}

/** The step number of the first step at or after `from` that `pred` accepts. */
function stepWhere(r: Run, from: number, pred: (fn: string, result: string | null) => boolean): number {
  const i = r.steps.findIndex((st, i) => i + 1 >= from && pred(st.fn, st.result));
  if (i < 0) throw new Error(`no step from ${from} matches`);
  return i + 1;
}

async function openAt(page: Page, preset: string, step: number, fn: string): Promise<void> {
  await openLink(page, `/#preset=${preset}&step=${step}`);
  await expect(app(page)).toHaveAttribute('data-step', String(step));
  await expect(page.getByTestId('narration')).toContainText(`${fn}()`);
}

const hexOf = (n: number): string => `0x${n.toString(16)}`;

/** The flags shown on a src or dst cell, e.g. "VALID|MIGRATE"; '' when the cell shows no page. */
async function flagsOf(cell: Locator): Promise<string> {
  const f = cell.locator('.mv-flags');
  return (await f.count()) === 0 ? '' : ((await f.getAttribute('data-flags')) ?? '');
}

/**
 * Every row's src or dst cell read in one round trip: its flags as flagsOf reads them and the
 * texts of its PFN buttons. A snapshot: read it after an expect has waited for the rows.
 */
async function cellsOf(rows: Locator, testId: 'migrate-vma-src' | 'migrate-vma-dst'): Promise<{ flags: string; buttons: string[] }[]> {
  return rows.evaluateAll(
    (trs, id) =>
      trs.map((tr) => {
        const td = tr.querySelector(`[data-testid="${id}"]`)!;
        return {
          flags: td.querySelector('.mv-flags')?.getAttribute('data-flags') ?? '',
          buttons: [...td.querySelectorAll('button')].map((b) => b.textContent ?? ''),
        };
      }),
    testId,
  );
}

test('migrate-vma-to-device: the migrate_vma panel shows src[] after collect, device PFNs in dst[] after the driver allocates, and goes after finalize', async ({ page }) => {
  const errors = consoleErrors(page);
  const r = run('migrate-vma-to-device');
  const panel = page.getByTestId('migrate-vma');
  const rows = panel.getByTestId('migrate-vma-row');

  // Step 0: nothing in progress.
  await openLink(page, '/#preset=migrate-vma-to-device&step=0');
  await expect(panel).toHaveCount(0);

  // The last collect step of the first migrate_vma_setup(): src[0..15] are collected, dst[] is empty.
  const setup = stepWhere(r, 1, (fn) => fn === 'migrate_vma_setup');
  const collected = stepWhere(r, setup + 1, (fn) => fn !== 'migrate_vma_collect_pmd') - 1;
  expect(collected - setup, 'collect takes one step per entry').toBe(16);
  await openAt(page, 'migrate-vma-to-device', collected, 'migrate_vma_collect_pmd');
  await expect(panel.getByTestId('migrate-vma-kind')).toHaveText('migrate_vma_setup()');
  await expect(panel.getByTestId('migrate-vma-npages')).toHaveText('16');
  await expect(panel.getByTestId('migrate-vma-cpages')).toHaveText('16');
  await expect(rows).toHaveCount(16);
  const start = Number(await panel.getByTestId('migrate-vma-start').textContent());
  // Whole columns at once (one round trip each, not one per row): a list of 16 texts checks
  // every row, in order.
  const sixteen = <T,>(f: (i: number) => T): T[] => Array.from({ length: 16 }, (_, i) => f(i));
  await expect(rows.locator('.mv-at')).toHaveText(sixteen((i) => hexOf(start + i * 4096)));
  const src = await cellsOf(rows, 'migrate-vma-src');
  for (let i = 0; i < 16; i++) expect(src[i]!.flags, `src[${i}]`).toMatch(/^VALID\|MIGRATE/);
  await expect(rows.getByTestId('migrate-vma-src').locator('[data-flag="VALID"]')).toHaveText(sixteen(() => 'V'));
  await expect(rows.getByTestId('migrate-vma-src').locator('[data-flag="MIGRATE"]')).toHaveText(sixteen(() => 'M'));
  await expect(rows.getByTestId('migrate-vma-dst')).toHaveText(sixteen(() => '0'));
  await expect(panel.getByTestId('migrate-vma-not-migrating')).toHaveCount(0);
  // The step collected src[15]: its row is marked, and scrolled into the table's view.
  await expect(rows.nth(15)).toHaveClass(/\bcurrent\b/);
  await expect(rows.nth(15)).toBeInViewport();

  // A PFN in the table opens its page in the inspector.
  const src0 = (await rows.nth(0).getByTestId('migrate-vma-src').getByRole('button').textContent())!;
  await rows.nth(0).getByTestId('migrate-vma-src').getByRole('button').click();
  await idle(page);
  await expect(page.getByTestId('inspector')).toHaveAttribute('data-pfn', String(Number(src0)));

  // The driver's last allocation for this range (before migrate_vma_pages()): every dst[i] is a
  // device page, and src[] is as setup left it.
  const pages = stepWhere(r, collected, (fn) => fn === 'migrate_vma_pages');
  const allocated = pages - 1;
  expect(r.steps[allocated - 1]!.fn).toBe('dmirror_migrate_alloc_and_copy');
  await openAt(page, 'migrate-vma-to-device', allocated, 'dmirror_migrate_alloc_and_copy');
  await expect(rows).toHaveCount(16);
  const dsts = new Set<number>();
  const [dstCells, srcCells] = [await cellsOf(rows, 'migrate-vma-dst'), await cellsOf(rows, 'migrate-vma-src')];
  expect(dstCells).toHaveLength(16);
  for (let i = 0; i < 16; i++) {
    expect(dstCells[i]!.buttons, `dst[${i}] shows one PFN`).toHaveLength(1);
    const pfn = Number(dstCells[i]!.buttons[0]);
    expect(pfn, `dst[${i}] = ${hexOf(pfn)} is in the Device zone`).toBeGreaterThanOrEqual(r.device.start);
    expect(pfn, `dst[${i}] = ${hexOf(pfn)} is in the Device zone`).toBeLessThan(r.device.end);
    expect(dstCells[i]!.flags, `dst[${i}]`).toMatch(/^VALID/);
    dsts.add(pfn);
    expect(srcCells[i]!.flags, `src[${i}]`).toMatch(/^VALID\|MIGRATE/);
  }
  expect(dsts.size, 'sixteen different device pages').toBe(16);

  // The end: every migrate_vma is finalized, so the panel is gone; the legend counts the device
  // pages in use (16 + 8 + 8, the three ranges' migrated entries) and the pool's free rest.
  await openLink(page, '/#preset=migrate-vma-to-device&step=' + r.steps.length);
  await expect(app(page)).toHaveAttribute('data-done', 'true');
  await expect(panel).toHaveCount(0);
  const legend = page.getByTestId('legend');
  await expect(legend.locator('li[data-class="device-private"]')).toHaveAttribute('data-count', '32');
  await expect(legend.locator('li[data-class="device-private"]')).toContainText('device private');
  const pool = r.device.end - r.device.start;
  await expect(legend.locator('li[data-class="device-free"]')).toHaveAttribute('data-count', String(pool - 32));
  await expect(legend.locator('li[data-class="device-free"]')).toHaveAttribute('title', "device-private, free in the driver's pool");
  expect(errors).toEqual([]);
});

test('migrate-vma-pinned: the pages with extra references lose MIGRATE and read "not migrating", then setup drops them from src[]', async ({ page }) => {
  const errors = consoleErrors(page);
  const r = run('migrate-vma-pinned');
  const panel = page.getByTestId('migrate-vma');
  const rows = panel.getByTestId('migrate-vma-row');
  // The preset pins pages 2 (FOLL_GET) and 5 (FOLL_PIN) of the 8 it migrates.
  const pinned = [2, 5];

  // migrate_device_unmap() gives up on the second pinned page: both have VALID without MIGRATE.
  const first = stepWhere(r, 1, (fn, res) => fn === 'migrate_device_unmap' && res === 'restore');
  const second = stepWhere(r, first + 1, (fn, res) => fn === 'migrate_device_unmap' && res === 'restore');
  await openAt(page, 'migrate-vma-pinned', second, 'migrate_device_unmap');
  await expect(rows).toHaveCount(8);
  await expect(panel.getByTestId('migrate-vma-not-migrating')).toHaveCount(2);
  for (let i = 0; i < 8; i++) {
    const row = rows.nth(i);
    const src = row.getByTestId('migrate-vma-src');
    if (pinned.includes(i)) {
      await expect(row).toHaveClass(/\bnot-migrating\b/);
      await expect(row).toContainText('not migrating');
      expect(await flagsOf(src), `src[${i}]`).toBe('VALID');
      await expect(src.locator('[data-flag="MIGRATE"]')).toHaveCount(0);
    } else {
      await expect(row).not.toContainText('not migrating');
      expect(await flagsOf(src), `src[${i}]`).toMatch(/^VALID\|MIGRATE/);
    }
  }

  // The step right after migrate_vma_setup() returns: as in the kernel, its restore loop has set
  // the two entries to 0 (their PTEs are back) and cpages counts the six left; the driver has
  // allocated for src[0] and skips the zeroed ones.
  const setupReturns = stepWhere(r, second, (fn, res) => fn === 'migrate_vma_setup' && res === '0');
  await openAt(page, 'migrate-vma-pinned', setupReturns + 1, 'dmirror_migrate_alloc_and_copy');
  await expect(panel.getByTestId('migrate-vma-cpages')).toHaveText('6');
  await expect(panel.getByTestId('migrate-vma-not-migrating')).toHaveCount(0);
  for (const i of pinned) {
    await expect(rows.nth(i)).toHaveClass(/\bskipped\b/);
    await expect(rows.nth(i).getByTestId('migrate-vma-src')).toHaveText('0');
    await expect(rows.nth(i).getByTestId('migrate-vma-dst')).toHaveText('0');
  }
  const dst0 = Number(await rows.nth(0).getByTestId('migrate-vma-dst').getByRole('button').textContent());
  expect(dst0).toBeGreaterThanOrEqual(r.device.start);
  expect(dst0).toBeLessThan(r.device.end);
  expect(errors).toEqual([]);
});
