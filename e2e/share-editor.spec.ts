// The preset gallery and the scenario editor: every preset is listed with its one line and opens
// from there; the editor checks the JSON as it is typed (the worker names the field that is
// wrong), Apply opens an edited scenario, and Export then Import gives back the same scenario.
import { expect, test, type Page } from './fixtures';
import { readFile } from 'node:fs/promises';
import { app, consoleErrors, idle, openPreset } from './panels.helpers';
import { shown } from './share.helpers';

function editor(page: Page) {
  return page.getByRole('dialog', { name: 'Scenario editor' });
}

async function openEditor(page: Page) {
  await page.getByRole('button', { name: 'Edit scenario' }).click();
  const ed = editor(page);
  await expect(ed).toBeVisible();
  await expect(ed).toHaveAttribute('data-validation', 'ok');
  return ed;
}

test('the gallery lists every preset with its one line, and opens one', async ({ page }) => {
  const errors = consoleErrors(page);
  await page.goto('/');
  await idle(page);
  const options = await page.getByLabel('Preset').locator('option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
  await page.getByRole('button', { name: 'Presets' }).click();
  const gallery = page.getByRole('dialog', { name: 'Scenario gallery' });
  const items = gallery.getByRole('listitem');
  await expect(items).toHaveCount(options.length);
  for (const name of options) await expect(gallery.getByRole('button', { name: new RegExp(`^${name} `) })).toBeVisible();
  await expect(gallery.getByRole('button', { name: /^default / })).toHaveAttribute('aria-current', 'true');
  await expect(gallery.getByRole('button', { name: /^lru-anon / })).toContainText('migrate_pages() moves an anonymous page');
  await gallery.getByRole('button', { name: /^lru-anon / }).click();
  await expect(gallery).toHaveCount(0);
  await expect(page.getByLabel('Narration')).toContainText('memory as lru-anon populated it');
  await expect(page.getByLabel('Preset')).toHaveValue('lru-anon');
  // Esc closes it too.
  await page.getByRole('button', { name: 'Presets' }).click();
  await expect(gallery).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(gallery).toHaveCount(0);
  expect(errors).toEqual([]);
});

test('a typo in the JSON is named as the check runs; the form and the JSON edit one scenario', async ({ page }) => {
  await openPreset(page, 'lru-anon');
  const ed = await openEditor(page);
  const json = ed.getByLabel('Scenario JSON');
  await expect(json).toHaveValue(/"name": "lru-anon"/);
  const text = await json.inputValue();

  await json.fill(text.replace('"seed"', '"sed"'));
  await expect(ed).toHaveAttribute('data-validation', 'error');
  await expect(ed.getByRole('status')).toHaveText(/^✗ seed: /);
  await expect(ed.getByRole('button', { name: 'Apply' })).toBeDisabled();

  await json.fill(text.replace('"pfns": 8192', '"pfns": 8000'));
  await expect(ed).toHaveAttribute('data-validation', 'error');
  await expect(ed.getByRole('status')).toHaveText('✗ memory.pfns: must be a multiple of 512 (one pageblock)');

  await json.fill(text.replace('"mode": "sync"', '"mode": "fast"'));
  await expect(ed.getByRole('status')).toHaveText(/^✗ actions\.0[.:]/);

  await json.fill(text.slice(0, -2));
  await expect(ed.getByRole('status')).toContainText('✗ invalid JSON: ');
  await expect(ed.getByLabel('Seed')).toBeDisabled();

  // The form writes the JSON: a knob, an action, and a typo in the form is named the same way.
  await ed.getByRole('button', { name: 'Revert' }).click();
  await expect(json).toHaveValue(text);
  await ed.getByLabel('forks').fill('3');
  await expect(json).toHaveValue(/"populate": \{"processes": 6, "files": 12, "forks": 3\}/);
  await ed.getByLabel('forks').fill('99');
  await expect(ed.getByRole('status')).toHaveText(/^✗ populate\.forks: /);
  await ed.getByLabel('forks').fill('');
  await expect(json).toHaveValue(text);
  await ed.getByLabel(/^Actions/).fill('[{"type": "exit", "process": 0}]');
  await expect(json).toHaveValue(/"actions": \[\n    \{"type": "exit", "process": 0\}\n  \]/);
  await expect(ed).toHaveAttribute('data-validation', 'ok');
  await expect(ed.getByRole('status')).toHaveText('✓ valid: 32 MiB, 8,192 PFNs, 1 action');
  await ed.getByLabel(/^Actions/).fill('[{"type": ');
  await expect(ed).toContainText('actions: not valid JSON yet');
});

test('Apply opens the edited scenario at step 0, and the draft follows the new session', async ({ page }) => {
  const errors = consoleErrors(page);
  await openPreset(page, 'small');
  const before = await shown(page);
  let ed = await openEditor(page);
  await expect(ed.getByRole('button', { name: 'Revert' })).toBeDisabled();
  await ed.getByLabel('Seed').fill('8');
  await ed.getByLabel('Name').fill('small, seed 8');
  await expect(ed.getByRole('button', { name: 'Apply' })).toBeDisabled(); // until the check answers
  await expect(ed).toHaveAttribute('data-validation', 'ok');
  await ed.getByRole('button', { name: 'Apply' }).click();
  await expect(ed).toHaveCount(0);
  await expect(app(page)).not.toHaveAttribute('data-state-hash', before.hash!);
  await idle(page);
  await expect(app(page)).toHaveAttribute('data-step', '0');
  await expect(page.getByLabel('Preset')).toHaveValue('');
  await expect(page.getByLabel('Narration')).toContainText('memory as small, seed 8 populated it');
  await expect(page.locator('.preset-summary')).toHaveText('small, seed 8');
  ed = await openEditor(page);
  await expect(ed.getByLabel('Seed')).toHaveValue('8');
  await expect(ed.getByRole('button', { name: 'Revert' })).toBeDisabled();
  // An unapplied draft survives closing the editor, and goes when another session loads.
  await ed.getByLabel('Seed').fill('9');
  await ed.getByRole('button', { name: 'Close' }).click();
  ed = await openEditor(page);
  await expect(ed.getByLabel('Seed')).toHaveValue('9');
  await ed.getByRole('button', { name: 'Close' }).click();
  await page.getByLabel('Preset').selectOption('small');
  await idle(page);
  ed = await openEditor(page);
  await expect(ed.getByLabel('Seed')).toHaveValue('7');
  expect(errors).toEqual([]);
});

test('Export downloads the scenario; Import reads it back; an invalid file is refused and nothing is lost', async ({ page }, info) => {
  await openPreset(page, 'pin-unpin');
  let ed = await openEditor(page);
  await ed.getByLabel('Seed').fill('11');
  await expect(ed).toHaveAttribute('data-validation', 'ok');
  const edited = await ed.getByLabel('Scenario JSON').inputValue();
  const [download] = await Promise.all([page.waitForEvent('download'), ed.getByRole('button', { name: 'Export' }).click()]);
  expect(download.suggestedFilename()).toBe('pin-unpin.json');
  const file = info.outputPath('pin-unpin.json');
  await download.saveAs(file);
  const exported = await readFile(file, 'utf8');
  expect(exported).toBe(edited + '\n');
  expect(JSON.parse(exported)).toMatchObject({ v: 1, name: 'pin-unpin', seed: 11 });

  await ed.getByRole('button', { name: 'Revert' }).click();
  await expect(ed.getByLabel('Seed')).toHaveValue('7');

  // An invalid file: one line naming the file and the field; the draft stays.
  await ed.getByLabel('Import a scenario file').setInputFiles({
    name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from(exported.replace('"seed": 11', '"seed": -1')),
  });
  await expect(page.getByRole('alert')).toHaveText(/^cannot import "broken\.json": seed: /);
  await expect(ed.getByLabel('Seed')).toHaveValue('7');

  await ed.getByLabel('Import a scenario file').setInputFiles(file);
  await expect(ed.getByLabel('Scenario JSON')).toHaveValue(edited);
  await expect(page.getByRole('alert')).toHaveCount(0);
  await expect(ed).toHaveAttribute('data-validation', 'ok');
  const before = await app(page).getAttribute('data-state-hash');
  await ed.getByRole('button', { name: 'Apply' }).click();
  await expect(app(page)).not.toHaveAttribute('data-state-hash', before!);
  await idle(page);
  ed = await openEditor(page);
  await expect(ed.getByLabel('Scenario JSON')).toHaveValue(edited);
});
