// Replaying a real trace (issue 10) through "Replay trace": a capture's trace.txt.gz over the
// memory shown, stepped to its end with the recorded lines in the trace panel and both scanners
// on the grid; a file that is not a trace refused in one line with the session shown kept. The
// capture lives outside the repository (../shared); without it that test skips.
import { expect, test, type Page } from './fixtures';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { app, consoleErrors, idle } from './panels.helpers';
import { openLink } from './share.helpers';
import { captureTitle, needCapture } from './reference.helpers';
import { dropFile } from './drop.helpers';

const CAPTURE = fileURLToPath(new URL('../../shared/reference/real-kernel/balloon-compact/', import.meta.url));
const TRACE = `${CAPTURE}trace.txt.gz`;
/** The trace's number of events, as its header gives it (`# entries-in-buffer/entries-written: N/N`); read once the capture is known to be there. */
const eventsIn = (trace: string): string => /entries-written: \d+\/(\d+)/.exec(gunzipSync(readFileSync(trace)).toString('utf8'))![1]!;

test(captureTitle('a capture\'s gzipped trace replays as steps with its own lines, ending where its scanners met', TRACE), async ({ page }) => {
  needCapture(TRACE);
  const errors = consoleErrors(page);
  await openLink(page, '/#preset=default');
  await page.getByTestId('replay-file').setInputFiles(TRACE);
  await expect(app(page)).toHaveAttribute('data-step', '0');
  await expect(page.locator('.header')).toContainText('replay of trace.txt.gz');
  await idle(page);
  await page.getByRole('button', { name: 'Run to end' }).click();
  await expect(app(page)).toHaveAttribute('data-step', eventsIn(TRACE));
  await idle(page);
  await expect(page.getByTestId('trace')).toContainText('mm_compaction_end: zone_start=0x1000 migrate_pfn=0xb200 free_pfn=0xb200 zone_end=0x1ffdd, mode=sync status=complete');
  await expect(page.getByLabel('Narration')).toContainText('compaction of DMA32 ends: complete');
  expect(errors).toEqual([]);
});

test('a file that is not a trace is refused in one line and the session shown stays', async ({ page }) => {
  await openLink(page, '/#preset=small');
  const hash = await app(page).getAttribute('data-state-hash');
  await page.getByTestId('replay-file').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('hello, this is not a trace\n') });
  await expect(page.getByRole('alert')).toContainText('notes.txt is not an ftrace text');
  await idle(page);
  await expect(app(page)).toHaveAttribute('data-state-hash', hash!);
});

test(captureTitle('a trace replayed over imported memory keeps the capture named; Edit scenario and Footprint say why they are off', TRACE, `${CAPTURE}before.kpageflags`), async ({ page }) => {
  const capture = CAPTURE;
  needCapture(TRACE, `${capture}before.kpageflags`);
  const errors = consoleErrors(page);
  await openLink(page, '/#preset=default');
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await page.getByTestId('import-input').setInputFiles(['kpageflags', 'kpagecount', 'buddyinfo'].map((k) => `${capture}before.${k}`));
  const match = page.getByTestId('match-panel');
  await expect(match).toBeVisible({ timeout: 60_000 });
  await idle(page);
  await match.getByRole('button', { name: 'Close' }).click();

  await page.getByTestId('replay-file').setInputFiles(TRACE);
  await expect(page.locator('.header')).toContainText('replay of trace.txt.gz', { timeout: 60_000 });
  await idle(page);
  await expect(app(page)).toHaveAttribute('data-nr-pfns', '131072');
  await expect(page.getByTestId('import-name')).toHaveText('before');
  for (const name of ['Edit scenario', 'Footprint']) {
    const button = page.getByRole('button', { name });
    await expect(button).toBeDisabled();
    await expect(button).toHaveAttribute('title', /^A replayed trace is recorded events, not a scenario: /);
  }
  expect(errors).toEqual([]);
});


test(captureTitle('a trace dropped on the page replays as the button does', TRACE), async ({ page }) => {
  needCapture(TRACE);
  const errors = consoleErrors(page);
  await openLink(page, '/#preset=default');
  await dropFile(page, 'trace.txt.gz', readFileSync(TRACE), 'or an ftrace text');
  await expect(page.locator('.header')).toContainText('replay of trace.txt.gz');
  await idle(page);
  await page.getByRole('button', { name: 'Run to end' }).click();
  await expect(app(page)).toHaveAttribute('data-step', eventsIn(TRACE));
  expect(errors).toEqual([]);
});

test('a dropped .txt that is not a trace goes to the replay, which refuses it in one line', async ({ page }) => {
  await openLink(page, '/#preset=small');
  const hash = await app(page).getAttribute('data-state-hash');
  await dropFile(page, 'notes.txt', Buffer.from('hello, this is not a trace\n'), 'or an ftrace text');
  await expect(page.getByRole('alert')).toContainText('notes.txt is not an ftrace text');
  await idle(page);
  await expect(app(page)).toHaveAttribute('data-state-hash', hash!);
});
