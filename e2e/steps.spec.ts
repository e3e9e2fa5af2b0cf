// Stepping through a preset end to end: the worker steps the engine, the narration names the
// kernel function, the trace panel fills with ftrace lines, and a crashed worker restarts at the
// same step with the same state. Waits on the app's data-* hooks, never on a timer.
import { expect, test, type Page } from './fixtures';
import { openPreset as openPresetLink } from './panels.helpers';

const PRESET = 'buddy-split-merge';

/** The preset by its link, idle at step 0 (panels.helpers.ts); `query` such as `?test`. */
async function openPreset(page: Page, query = ''): Promise<void> {
  await openPresetLink(page, PRESET, query);
}

async function stepForwardTo(page: Page, n: number): Promise<void> {
  await page.getByRole('button', { name: 'Step forward' }).click();
  await expect(page.getByTestId('app')).toHaveAttribute('data-step', String(n));
}

test('stepping through buddy-split-merge narrates expand and traces mm_page_alloc', async ({ page }) => {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  await openPreset(page);
  const app = page.getByTestId('app');
  const narration = page.getByLabel('Narration');

  // The first allocation splits a larger free block: within four steps the narration names
  // expand() and links its file at the modelled kernel version.
  const fns: string[] = [];
  for (let n = 1; n <= 4; n++) {
    await stepForwardTo(page, n);
    const fn = narration.locator('.fn');
    fns.push((await fn.textContent()) ?? '');
    if (fns.at(-1) === 'expand()') {
      const link = narration.getByRole('link', { name: 'expand()' });
      await expect(link).toHaveAttribute('href', 'https://elixir.bootlin.com/linux/v6.18/source/mm/page_alloc.c');
      await expect(link).toHaveAttribute('target', '_blank');
      await expect(link).toHaveAttribute('rel', 'noopener noreferrer');
    }
  }
  expect(fns).toContain('expand()');
  // ...and the allocation returns with an mm_page_alloc tracepoint, once the split is done.
  const trace = page.getByTestId('trace');
  let step = 4;
  while (!(await trace.textContent())?.includes('mm_page_alloc: page=') && step < 12) await stepForwardTo(page, ++step);
  await expect(trace).toContainText('mm_page_alloc: page=');
  await expect(page.getByTestId('step-counter')).toHaveText(new RegExp(`^step ${step} of \\d+\\+?$`));

  await page.getByRole('button', { name: 'Step back' }).click();
  await expect(app).toHaveAttribute('data-step', String(step - 1));
  // Back: the trace is replaced by the trace up to that step.
  await expect(trace.locator('.current')).toContainText(` ${step - 1}.000000: `);
  await expect(trace).not.toContainText(` ${step}.000000: `);

  // Keyboard: → and ← step (focus is on a button, which does not take arrows).
  await page.keyboard.press('ArrowRight');
  await expect(app).toHaveAttribute('data-step', String(step));
  await page.keyboard.press('ArrowLeft');
  await expect(app).toHaveAttribute('data-step', String(step - 1));

  await page.getByRole('button', { name: 'Run to end' }).click();
  await expect(app).toHaveAttribute('data-done', 'true');
  const frontier = await app.getAttribute('data-frontier');
  expect(Number(frontier)).toBeGreaterThan(4);
  await expect(app).toHaveAttribute('data-step', frontier!);
  await expect(page.getByTestId('step-counter')).toHaveText(`step ${frontier} of ${frontier}`);
  await expect(page.getByRole('button', { name: 'Step forward' })).toBeDisabled();
  expect(errors).toEqual([]);
});

test('Play turns into Pause while it plays, pauses, and Space plays on to the end', async ({ page }) => {
  await openPreset(page);
  const app = page.getByTestId('app');
  await page.getByLabel('Speed').selectOption('10');
  await page.getByRole('button', { name: 'Play', exact: true }).click();
  await page.getByRole('button', { name: 'Pause' }).click();
  await expect(page.getByRole('button', { name: 'Play', exact: true })).toBeEnabled();
  await expect(app).toHaveAttribute('data-busy', 'false');
  // Paused before the end (the worker may already know where the end is: its look-ahead after a
  // load computes short runs whole).
  expect(Number(await app.getAttribute('data-step'))).toBeLessThan(Number(await app.getAttribute('data-frontier')));

  // Space plays (with nothing focused that takes Space itself).
  await page.getByLabel('Speed').selectOption('1000');
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.keyboard.press('Space');
  await expect(app).toHaveAttribute('data-done', 'true');
  await expect(page.getByRole('button', { name: 'Play', exact: true })).toBeDisabled();
  await expect(app).toHaveAttribute('data-step', (await app.getAttribute('data-frontier'))!);
});

test('a crashed worker restarts on the same step with the same state', async ({ page }) => {
  await openPreset(page, '?test');
  const app = page.getByTestId('app');
  for (let n = 1; n <= 3; n++) await stepForwardTo(page, n);
  await expect(app).toHaveAttribute('data-busy', 'false');
  const hash = await app.getAttribute('data-state-hash');
  expect(hash).toBeTruthy();

  await page.evaluate(() => window.__pfnscope!.crash());
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('debug-crash');
  await expect(page.getByRole('button', { name: 'Step forward' })).toBeDisabled();
  await alert.getByRole('button', { name: 'Restart' }).click();
  // The alert stays until the new worker's first frame.
  await expect(alert).toHaveCount(0);
  await expect(app).toHaveAttribute('data-busy', 'false');
  await expect(app).toHaveAttribute('data-step', '3');
  await expect(app).toHaveAttribute('data-state-hash', hash!);
  await expect(page.getByLabel('Preset')).toHaveValue(PRESET);
  await stepForwardTo(page, 4);
});
