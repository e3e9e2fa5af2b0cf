// The step controls, the timeline and the narration end to end on lru-anon (one anonymous page
// mapped twice, migrated: isolate at steps 1-2, the refcount check at 11, the copy at 12 and 14, the remap at 16-18).
// Buttons and keys move the same way; the narration, the footprint and data-step follow.
import { expect, test } from './fixtures';
import { app, blur, consoleErrors, expectStep, idle, openPreset } from './panels.helpers';

const PRESET = 'lru-anon';
const OF_INTEREST = ['isolate', 'refcount', 'copy', 'remap'];

test('step forward and back with the buttons and the keys: narration, footprint and data-step follow', async ({ page }) => {
  const errors = consoleErrors(page);
  await openPreset(page, PRESET);
  const narration = page.getByLabel('Narration');

  await page.getByRole('button', { name: 'Step forward' }).click();
  await expectStep(page, 1);
  await expect(narration.locator('.phase')).toHaveText('isolate');
  await expect(narration.getByRole('link', { name: 'folio_isolate_lru()' })).toHaveAttribute(
    'href',
    'https://elixir.bootlin.com/linux/v6.18/source/mm/vmscan.c',
  );
  // folio_isolate_lru clears PG_lru and takes the isolation reference: flags and _refcount written.
  await expect(page.getByTestId('footprint-writes')).toContainText('flags');
  await expect(page.getByTestId('footprint-writes')).toContainText('_refcount');
  await expect(narration.getByLabel('Outlined on the grid')).toContainText('source 0x');

  await blur(page);
  await page.keyboard.press('ArrowRight');
  await expectStep(page, 2);
  await expect(narration).toHaveAttribute('data-step-id', '2');
  await page.keyboard.press('ArrowRight');
  await expectStep(page, 3);
  await page.keyboard.press('ArrowLeft');
  await expectStep(page, 2);
  await page.getByRole('button', { name: 'Step back' }).click();
  await expectStep(page, 1);
  await expect(narration.locator('.fn')).toHaveText('folio_isolate_lru()');

  // End runs to the end, Home goes back to step 0.
  await blur(page);
  await page.keyboard.press('End');
  await expect(app(page)).toHaveAttribute('data-done', 'true');
  const last = Number(await app(page).getAttribute('data-frontier'));
  await expectStep(page, last);
  await expect(page.getByTestId('step-counter')).toHaveText(`step ${last} of ${last}`);
  await expect(page.getByRole('button', { name: 'Next phase' })).toBeDisabled();
  await page.keyboard.press('Home');
  await expectStep(page, 0);
  await expect(narration).toContainText('Step 0: memory as lru-anon populated it');
  expect(errors).toEqual([]);
});

test('Previous phase / Next phase and Shift+← / Shift+→ stop only at isolate, refcount, copy and remap steps', async ({ page }) => {
  await openPreset(page, PRESET);
  const phase = page.getByLabel('Narration').locator('.phase');
  const visited: { step: number; phase: string }[] = [];
  for (;;) {
    await page.getByRole('button', { name: 'Next phase' }).click();
    await idle(page);
    const step = Number(await app(page).getAttribute('data-step'));
    if (visited.length > 0 && step <= visited.at(-1)!.step) throw new Error(`Next phase went back to ${step}`);
    if ((await app(page).getAttribute('data-done')) === 'true' && step === Number(await app(page).getAttribute('data-frontier'))) {
      // None left: the end of the timeline.
      break;
    }
    visited.push({ step, phase: (await phase.textContent()) ?? '' });
  }
  expect(visited.map((v) => v.phase).every((p) => OF_INTEREST.includes(p))).toBe(true);
  expect(new Set(visited.map((v) => v.phase))).toEqual(new Set(OF_INTEREST));
  expect(visited.find((v) => v.phase === 'refcount')?.step).toBe(11);

  // Backwards with the keys: the same stops in reverse.
  await blur(page);
  for (const v of [...visited].reverse()) {
    await page.keyboard.press('Shift+ArrowLeft');
    await expectStep(page, v.step);
    await expect(phase).toHaveText(v.phase);
  }
  await page.keyboard.press('Shift+ArrowLeft');
  await expectStep(page, 0);
  await page.keyboard.press('Shift+ArrowRight');
  await expectStep(page, visited[0]!.step);
  await page.getByRole('button', { name: 'Previous phase' }).click();
  await expectStep(page, 0);
});

test('the Timeline slider seeks, and carries markers for the action, the phases and failures', async ({ page }) => {
  await openPreset(page, 'pinned-eagain');
  await page.getByRole('button', { name: 'Run to end' }).click();
  await expect(app(page)).toHaveAttribute('data-done', 'true');
  await idle(page);
  const slider = page.getByRole('slider', { name: 'Timeline' });
  const frontier = await app(page).getAttribute('data-frontier');
  await expect(slider).toHaveAttribute('max', frontier!);
  await slider.fill('40');
  await expectStep(page, 40);
  await expect(page.getByLabel('Narration').locator('.phase')).toHaveText('refcount');
  // The refcount check read the source page's _refcount: the footprint says so page by page.
  await expect(page.getByTestId('footprint-src')).toContainText('_refcount');
  await expect(page.getByTestId('step-result')).toHaveText('returns -EAGAIN');
  await expect(slider).toHaveValue('40');
  // Keys on the focused slider move it (and the step), not the page's shortcuts.
  await slider.focus();
  await page.keyboard.press('ArrowRight');
  await expectStep(page, 41);

  const marks = page.getByTestId('timeline-marks');
  for (const kind of ['action', 'isolate', 'refcount', 'copy', 'remap', 'fail']) {
    await expect(marks.locator(`path[data-kind="${kind}"]`)).toHaveAttribute('d', /^M\d+ /);
  }
  // The 10 failed tries of the FOLL_GET page and the FOLL_PIN page's -EBUSY/-EAGAIN: many failure marks.
  const fails = await marks.locator('path[data-kind="fail"]').getAttribute('d');
  expect(fails!.match(/M/g)!.length).toBeGreaterThanOrEqual(20);
});

test('Play plays, Pause pauses, and a phase breakpoint stops play at the refcount check', async ({ page }) => {
  await openPreset(page, PRESET);
  const play = page.getByRole('button', { name: 'Play', exact: true });
  await page.getByLabel('Speed').selectOption('2');
  await play.click();
  await expect(page.getByRole('button', { name: 'Pause' })).toBeVisible();
  await page.getByRole('button', { name: 'Pause' }).click();
  await expect(play).toBeEnabled();
  await idle(page);
  const paused = Number(await app(page).getAttribute('data-step'));
  expect(paused).toBeLessThan(11);

  // Break on the refcount phase, then play fast: play stops at step 11, not at the end.
  const bp = page.getByRole('region', { name: 'Breakpoints' });
  await bp.getByLabel('Break on').selectOption('phase');
  await bp.getByLabel('Phase').selectOption('refcount');
  await bp.getByRole('button', { name: 'Add breakpoint' }).click();
  await expect(bp.getByTestId('breakpoint-list')).toContainText('phase refcount');
  await page.getByLabel('Speed').selectOption('1000');
  await play.click();
  await expect(page.getByTestId('breakpoint-hit')).toHaveText('stopped at breakpoint: phase refcount');
  await expectStep(page, 11);
  await expect(play).toBeEnabled();
  await expect(page.getByLabel('Narration').locator('.phase')).toHaveText('refcount');

  // A function breakpoint, suggested from the functions seen; remove the phase one.
  await bp.getByLabel('Break on').selectOption('fn');
  await bp.getByLabel('Kernel function').fill('remove_migration_pte');
  await bp.getByRole('button', { name: 'Add breakpoint' }).click();
  await bp.getByRole('button', { name: 'Remove breakpoint phase refcount' }).click();
  await expect(bp.getByTestId('breakpoint-list')).not.toContainText('phase refcount');
  await play.click();
  await expect(page.getByTestId('breakpoint-hit')).toHaveText('stopped at breakpoint: function remove_migration_pte');
  await expect(page.getByLabel('Narration').locator('.fn')).toHaveText('remove_migration_pte()');
});

test('? shows the keyboard shortcuts and Esc or Close dismisses them', async ({ page }) => {
  await openPreset(page, PRESET);
  await blur(page);
  await page.keyboard.press('?');
  const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(help).toBeVisible();
  await expect(help).toContainText('Shift+→');
  await expect(help).toContainText('previous / next isolate, refcount check, copy or remap step');
  await page.keyboard.press('Escape');
  await expect(help).toHaveCount(0);
  await page.getByRole('button', { name: 'Keyboard shortcuts' }).click();
  await expect(help).toBeVisible();
  await help.getByRole('button', { name: 'Close' }).click();
  await expect(help).toHaveCount(0);
  // The shortcuts still work with the panel gone.
  await blur(page);
  await page.keyboard.press('ArrowRight');
  await expectStep(page, 1);
});

test('a click on a trace line goes to its step', async ({ page }) => {
  await openPreset(page, PRESET);
  for (let n = 1; n <= 6; n++) {
    await page.getByRole('button', { name: 'Step forward' }).click();
    await expectStep(page, n);
  }
  const trace = page.getByTestId('trace');
  await trace.locator('.line[data-step="3"]').first().click();
  await expectStep(page, 3);
  await expect(trace.locator('.current')).toContainText(' 3.000000: ');
});
