// A page that teaches from the first second: a first visit (no link, nothing remembered) opens
// lru-anon at step 0 with the hint, which goes at the first step and stays gone; the gallery and
// the picker group the presets; the tour walks the refcount story's stops, each on a step of its
// phase, and Esc ends it. Waits are on the app's hooks (data-busy, data-step, data-tour-*).
import { expect, test } from './fixtures';
import { encodeScenario } from '../src/engine/share';
import { app, blur, consoleErrors, expectStep, idle } from './panels.helpers';
import { openLink } from './share.helpers';

test.describe('a first visit', () => {
  test.use({ storageState: { cookies: [], origins: [] } });

  test('opens lru-anon at step 0 with the hint; → steps and the hint goes for good; the gallery shows the groups', async ({ page }) => {
    const errors = consoleErrors(page);
    await page.goto('/');
    await idle(page);
    await expect(page.getByLabel('Preset')).toHaveValue('lru-anon');
    await expect(app(page)).toHaveAttribute('data-step', '0');
    const hint = page.getByTestId('first-hint');
    await expect(hint).toContainText('to step through a migration');
    await page.keyboard.press('ArrowRight');
    await expectStep(page, 1);
    await expect(hint).toHaveCount(0);

    // The gallery's headings are the picker's optgroups, each preset under one with its line.
    const groups = await page.getByLabel('Preset').locator('optgroup').evaluateAll((gs) => gs.map((g) => (g as HTMLOptGroupElement).label));
    expect(groups).toEqual(expect.arrayContaining(['The allocator', 'Migrating LRU folios', 'Failures', 'Balloon and the design variants', 'Compaction', 'Device memory', 'hugetlb', 'Machines']));
    await page.getByRole('button', { name: 'Presets' }).click();
    const gallery = page.getByRole('dialog', { name: 'Scenario gallery' });
    await expect(gallery.getByRole('heading', { level: 3 })).toHaveText(groups);
    const lru = gallery.getByRole('region', { name: 'Migrating LRU folios' });
    await expect(lru.getByRole('button', { name: /^lru-anon / })).toContainText('both PTEs become migration entries');
    await expect(gallery.getByRole('button', { name: 'Import' })).toBeVisible();
    await page.keyboard.press('Escape');

    // Remembered: a later visit with no link opens the default scenario, without the hint.
    await openLink(page, '/');
    await expect(page.getByLabel('Preset')).toHaveValue('default');
    await expect(hint).toHaveCount(0);
    expect(errors).toEqual([]);
  });
});

test('the tour asks before replacing a custom scenario, then walks isolate → unmap → refcount → copy → remap → free; Esc ends it', async ({ page }) => {
  const errors = consoleErrors(page);
  await openLink(page, `/#s=${encodeScenario({ v: 1, name: 'mine', memory: { pfns: 4096 }, seed: 2 })}`);
  await page.getByRole('button', { name: 'Tour', exact: true }).click();
  const tour = page.getByTestId('tour');
  await expect(tour).toContainText('replaces the scenario "mine"');
  await tour.getByRole('button', { name: 'Cancel' }).click();
  await expect(tour).toHaveCount(0);
  await expect(page.getByLabel('Preset')).toHaveValue('');

  await page.getByRole('button', { name: 'Tour', exact: true }).click();
  await tour.getByRole('button', { name: 'Load lru-anon' }).click();
  const phases = ['isolate', 'unmap', 'refcount', 'copy', 'remap', 'free'];
  for (const [i, phase] of phases.entries()) {
    if (i > 0) await tour.getByRole('button', { name: 'Next' }).click();
    await expect(tour).toHaveAttribute('data-tour-stop', String(i));
    await expect(tour).toHaveAttribute('data-tour-ready', 'true');
    await idle(page);
    // The step shown is one of that phase (the worker's step, not the tour's plan), and the card names it.
    await expect(tour).toHaveAttribute('data-step-phase', phase);
    const step = await app(page).getAttribute('data-step');
    await expect(tour).toContainText(`step ${step} · phase ${phase}`);
    const fn = /· (\w+)\(\)/.exec((await tour.locator('.tour-where').textContent()) ?? '')?.[1];
    expect(fn, `stop ${i}`).toBeTruthy();
    await expect(page.getByLabel('Narration')).toContainText(`${fn}()`);
  }
  await expect(tour.getByRole('button', { name: 'Finish' })).toBeVisible();
  // The numbers are the inspector's: at the free stop the source's refcount has reached 0.
  await expect(tour).toContainText('→ 0');
  await expect(page.getByTestId('inspector-refcount')).toHaveText('0');
  await tour.getByRole('button', { name: 'Back' }).click();
  await expect(tour).toHaveAttribute('data-tour-stop', '4');
  await expect(tour).toHaveAttribute('data-tour-ready', 'true');
  await expect(page.getByTestId('inspector-refcount')).toBeVisible();
  await blur(page);
  await page.keyboard.press('Escape');
  await expect(tour).toHaveCount(0);
  await idle(page);
  expect(errors).toEqual([]);
});
