// Share links end to end: the address bar follows the step and the selection, Share copies the
// link of what the page shows, and the link opened in a fresh page shows the same step, the same
// selected page and the same state hash. Waits on data-* hooks, never on a timer.
import { expect, test, type Page } from './fixtures';
import { readFileSync } from 'node:fs';
import { app, consoleErrors, expectStep, idle, openPreset } from './panels.helpers';
import { openLink, shown } from './share.helpers';

test.use({ permissions: ['clipboard-read', 'clipboard-write'] });

const PRESET = 'buddy-split-merge';

async function stepTo(page: Page, n: number): Promise<void> {
  const forward = page.getByRole('button', { name: 'Step forward' });
  let at = Number(await app(page).getAttribute('data-step'));
  while (at < n) {
    await forward.click();
    await expectStep(page, ++at);
  }
}

async function select(page: Page, pfn: number): Promise<void> {
  const inspector = page.getByTestId('inspector');
  await inspector.getByLabel('Go to PFN').fill(String(pfn));
  await inspector.getByRole('button', { name: 'Go', exact: true }).click();
  await expect(inspector).toHaveAttribute('data-pfn', String(pfn));
  await idle(page);
}

/** Click Share; the link copied to the clipboard. */
async function share(page: Page): Promise<string> {
  await page.getByRole('button', { name: 'Share' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Link copied' })).toBeVisible();
  return page.evaluate(() => navigator.clipboard.readText());
}

test('open a preset, step to 7, select a page, Share: the link opens the same state in a new page', async ({ page, context }) => {
  const errors = consoleErrors(page);
  await openPreset(page, PRESET);
  await stepTo(page, 7);
  await select(page, 300);
  // The address bar follows (replaceState: the visit stays one history entry).
  await expect.poll(() => new URL(page.url()).hash).toBe(`#preset=${PRESET}&step=7&pfn=300`);
  const historyLength = await page.evaluate(() => history.length);

  const url = await share(page);
  expect(url).toBe(`${new URL(page.url()).origin}/#preset=${PRESET}&step=7&pfn=300`);
  const sender = await shown(page);
  expect(sender).toMatchObject({ step: '7', pfn: '300' });

  const other = await context.newPage();
  const otherErrors = consoleErrors(other);
  await openLink(other, url);
  expect(await shown(other)).toEqual(sender);
  await expect(other.getByTestId('inspector')).toContainText('PFN 0x12c');
  await expect(other.getByLabel('Preset')).toHaveValue(PRESET);
  await expect(other.getByRole('alert')).toHaveCount(0);

  // Stepping on goes on following, without adding history entries.
  await page.getByRole('button', { name: 'Step back' }).click();
  await expectStep(page, 6);
  await expect.poll(() => new URL(page.url()).hash).toBe(`#preset=${PRESET}&step=6&pfn=300`);
  expect(await page.evaluate(() => history.length)).toBe(historyLength);
  expect([...errors, ...otherErrors]).toEqual([]);
});

test('a scenario from the editor shares as #s=<payload> and opens with the same state hash', async ({ page, context }) => {
  await openPreset(page, PRESET);
  await page.getByRole('button', { name: 'Edit scenario' }).click();
  const editor = page.getByRole('dialog', { name: 'Scenario editor' });
  await editor.getByLabel('Seed').fill('42');
  await expect(editor).toHaveAttribute('data-validation', 'ok');
  await editor.getByRole('button', { name: 'Apply' }).click();
  await expect(page.getByLabel('Preset')).toHaveValue('');
  await idle(page);
  await stepTo(page, 5);
  await select(page, 4097);
  const url = await share(page);
  expect(url).toMatch(/\/#s=[A-Za-z0-9_-]+&step=5&pfn=4097$/);
  expect(url.length).toBeLessThan(2000);
  const sender = await shown(page);

  const other = await context.newPage();
  await openLink(other, url);
  expect(await shown(other)).toEqual(sender);
  await expect(other.getByRole('alert')).toHaveCount(0);
});

test('when the clipboard is refused, Share shows the link selected in a read-only field', async ({ page }) => {
  await openPreset(page, 'small');
  // Share reads navigator.clipboard when clicked, so replacing it in the loaded document is enough.
  await page.evaluate(() => {
    Object.defineProperty(navigator, 'clipboard', {
      value: { writeText: () => Promise.reject(new DOMException('Write permission denied.', 'NotAllowedError')) },
    });
  });
  await page.getByRole('button', { name: 'Share' }).click();
  const field = page.getByRole('dialog', { name: 'Share link' }).getByLabel('Link to this state');
  await expect(field).toHaveValue(/\/#preset=small&step=0$/);
  await expect(field).toHaveAttribute('readonly', '');
  await expect(field).toBeFocused();
  expect(await field.evaluate((el: HTMLInputElement) => el.selectionEnd! - el.selectionStart!)).toBe(await field.inputValue().then((v) => v.length));
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog', { name: 'Share link' })).toHaveCount(0);
});

interface Fixture { readonly preset: string; readonly url: string }
const fixtures = (JSON.parse(readFileSync(new URL('../src/engine/fixtures/share-urls-v1.json', import.meta.url), 'utf8')) as { links: Fixture[] }).links;

test('shipped version-1 links still open in the page, at their step with their page selected', async ({ page }) => {
  const errors = consoleErrors(page);
  for (const name of ['buddy-split-merge', 'lru-anon', 'pinned-eagain', 'thp-split']) {
    const f = fixtures.find((x) => x.preset === name)!;
    const link = new URL(f.url);
    const want = new URLSearchParams(link.hash.slice(1));
    await openLink(page, `/${link.hash}`);
    await expect(page.getByRole('alert')).toHaveCount(0);
    expect(await shown(page)).toMatchObject({ step: want.get('step'), pfn: want.get('pfn') });
    await expect(page.getByLabel('Narration')).not.toContainText('populated it');
  }
  expect(errors).toEqual([]);
});
