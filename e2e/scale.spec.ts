// Long runs in the browser: the progress line of a long computation with Cancel and Esc, the
// zoomable timeline with its span lanes, and Previous / Next span ([ / ]). Expected spans come
// from the same engine run in Node. Every wait is on the app's data-* hooks or on what the page
// shows, never on a timer: a faster or slower machine changes how long a wait lasts, not what
// it sees (the long run below takes ~15 s here; Cancel comes at its first progress message).
import { expect, test, type Page } from './fixtures';
import { findPreset } from '../src/engine/presets';
import { parseScenario } from '../src/engine/scenario';
import { openSession } from '../src/engine/session';
import { encodeScenario } from '../src/engine/share';
import { spansIn } from '../src/engine/spans';
import { frontier, runToEnd } from '../src/engine/timeline';
import { app, blur, consoleErrors, expectStep, idle, openPreset } from './panels.helpers';

/**
 * balloon-compaction scaled to 4 GiB: ~1.1 M steps, whose first actions (madvise, punch-hole,
 * balloon inflate over 1 Mi PFNs) alone compute for seconds. The preset itself is computed whole by
 * the worker's look-ahead right after it loads, so its Run to end has nothing left to do.
 */
// The balloon-compaction preset at 8× its size (4 GiB, the balloon 8× larger too).
const PRESET = findPreset('balloon-compaction')!.scenario;
const LONG_RUN = parseScenario({
  ...PRESET,
  name: 'balloon-compaction-4g',
  memory: { pfns: 1 << 20 },
  actions: (PRESET.actions ?? []).map((a) => (a.type === 'balloon' && a.op === 'inflate' ? { ...a, pages: a.pages * 8 } : a)),
});

/** SPAN_LEVEL_NAMES indices. */
const FOLIO = 6;
const MIGRATE_PAGES = 3;

/** Each preset's whole run in Node, computed once for the tests of this file (~29,000 steps for compact-memory). */
const runs = new Map<string, ReturnType<typeof openSession>>();

/** The first steps of a level's spans over a preset's whole run, as the worker records them. */
function spanStarts(preset: string, level: number): number[] {
  let s = runs.get(preset);
  if (!s) {
    s = openSession(findPreset(preset)!.scenario);
    runToEnd(s.t);
    runs.set(preset, s);
  }
  return spansIn(s.t.spans, level, 0, frontier(s.t), Infinity).map((x) => x.start);
}

async function num(page: Page, attr: string): Promise<number> {
  return Number(await app(page).getAttribute(attr));
}

/** Run to end, and wait for the progress line to show steps computed (a number above 0). */
async function startLongRun(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Run to end' }).click();
  const bar = page.getByTestId('job-progress');
  await expect(bar).toContainText(/Computing steps \(run to end\): [1-9][\d,]*\b.*steps\/s, [\d.,]+( [kMG])? pages migrated/, { timeout: 60_000 });
  await expect(bar.getByRole('progressbar', { name: 'Steps computed' })).toBeVisible();
}

/** The progress line is gone and the session stopped short of the end: step = frontier, not done. */
async function stoppedShort(page: Page): Promise<number> {
  await expect(page.getByTestId('job-progress')).toHaveCount(0);
  await idle(page);
  await expect(app(page)).toHaveAttribute('data-done', 'false');
  const last = await num(page, 'data-frontier');
  expect(last).toBeGreaterThan(0);
  await expectStep(page, last);
  await expect(page.getByTestId('step-counter')).toHaveText(`step ${last} of ${last}+`);
  return last;
}

test('a long Run to end shows its progress, and Cancel, Esc or a step stop it where it got to', async ({ page }) => {
  test.setTimeout(240_000);
  const errors = consoleErrors(page);
  await page.goto(`/#s=${encodeScenario(LONG_RUN)}`);
  // Populating 1 Mi PFNs takes a few seconds before the first frame.
  await expect(page.getByLabel('Narration')).toContainText('memory as balloon-compaction-4g populated it', { timeout: 60_000 });
  await idle(page);

  // Cancel: the bar goes, the session stays at the last step computed, and stepping works on.
  await startLongRun(page);
  await page.getByTestId('job-progress').getByRole('button', { name: 'Cancel' }).click();
  const first = await stoppedShort(page);
  await blur(page);
  await page.keyboard.press('ArrowRight');
  await expectStep(page, first + 1);
  await page.keyboard.press('ArrowLeft');
  await expectStep(page, first);

  // Esc cancels too (focus on the Run to end button, no panel open).
  await startLongRun(page);
  await page.keyboard.press('Escape');
  const second = await stoppedShort(page);
  expect(second).toBeGreaterThan(first);

  // A step key while it computes makes way: the job stops and the step is taken from where it got.
  await startLongRun(page);
  await blur(page);
  await page.keyboard.press('ArrowLeft');
  await expect(page.getByTestId('job-progress')).toHaveCount(0);
  await idle(page);
  const third = await num(page, 'data-frontier');
  expect(third).toBeGreaterThan(second);
  await expectStep(page, third - 1);
  expect(errors).toEqual([]);
});

test('the timeline zooms into compact-memory with the wheel: span lanes, hover names a folio, a click goes to its start', async ({ page }) => {
  const errors = consoleErrors(page);
  const folios = new Set(spanStarts('compact-memory', FOLIO));
  await openPreset(page, 'compact-memory');
  await page.getByRole('button', { name: 'Run to end' }).click();
  await expect(app(page)).toHaveAttribute('data-done', 'true');
  await idle(page);
  const last = await num(page, 'data-frontier');
  // 1280×720 starts with the lanes closed (they would squeeze the grid): open them.
  const toggle = page.getByRole('button', { name: 'Span lanes' });
  await expect(toggle).toHaveAttribute('aria-expanded', 'false');
  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-expanded', 'true');
  const lanes = page.getByTestId('span-lanes');
  const lane = (name: string) => lanes.getByRole('listitem').and(page.locator(`[data-level="${name}"]`));

  // The whole run: a lane per level, the compaction run and the folios in view.
  await expect(lanes).toHaveAttribute('data-from', '0');
  await expect(lanes).toHaveAttribute('data-to', String(last));
  for (const name of ['action', 'compaction run', 'migrate_pages()', 'folio']) await expect(lane(name)).toHaveText(name);
  await expect(lane('folio')).not.toHaveAttribute('data-in-view', '0');
  await expect(page.getByTestId('timeline-brush')).toBeHidden();

  // Wheel up over the lanes, a fifth of the way in: zoom in around the pointer.
  const canvas = page.getByTestId('span-canvas');
  const box = (await canvas.boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.2, box.y + 4);
  for (let i = 0; i < 6; i++) await page.mouse.wheel(0, -300);
  await expect.poll(async () => Number(await lanes.getAttribute('data-to')) - Number(await lanes.getAttribute('data-from'))).toBeLessThan(last / 10);
  const from = Number(await lanes.getAttribute('data-from'));
  expect(from).toBeGreaterThan(0);
  await expect(page.getByTestId('timeline-brush')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Whole run' })).toBeEnabled();
  // The worker answered the new range: folios in view, fewer than the whole run has.
  await expect.poll(async () => Number(await lane('folio').getAttribute('data-in-view'))).toBeGreaterThan(0);
  expect(Number(await lane('folio').getAttribute('data-in-view'))).toBeLessThan(folios.size);

  // Hover along the folio lane until the tooltip names a folio, then click it.
  const folioRow = (await lanes.getByRole('listitem').evaluateAll((li) => li.findIndex((e) => e.getAttribute('data-level') === 'folio'))) - 2;
  const y = box.y + 15 + 7 + folioRow * 12 + 5; // lanes.ts: RULER_H + MARKS_H + row * LANE_H, mid-bar
  const tip = page.getByTestId('span-tip');
  let named: RegExpMatchArray | null = null;
  let x = box.x + 2;
  for (; x < box.x + box.width && !named; x += 3) {
    await page.mouse.move(x, y);
    named = ((await tip.isVisible()) ? await tip.textContent() : '')!.match(/^folio: steps (\d+)–(\d+)$/);
  }
  expect(named, 'a folio under the pointer somewhere in the zoomed lane').not.toBeNull();
  const start = Number(named![1]);
  expect(folios.has(start)).toBe(true);
  await page.mouse.click(x - 3, y);
  await expectStep(page, start);
  await expect(page.getByTestId('step-counter')).toHaveText(`step ${start} of ${last}`);

  // S zooms back out (the keys are global), and Whole run shows everything again.
  const width = async (): Promise<number> => Number(await lanes.getAttribute('data-to')) - Number(await lanes.getAttribute('data-from'));
  const zoomed = await width();
  await blur(page);
  await page.keyboard.press('s');
  await expect.poll(width).toBeGreaterThan(zoomed);
  await page.getByRole('button', { name: 'Whole run' }).click();
  await expect(lanes).toHaveAttribute('data-from', '0');
  await expect(lanes).toHaveAttribute('data-to', String(last));
  await expect(page.getByTestId('timeline-brush')).toBeHidden();
  expect(errors).toEqual([]);
});

test('] and [ go to the next and previous folio start; the level select changes what they move by', async ({ page }) => {
  const folios = spanStarts('compact-memory', FOLIO);
  const calls = spanStarts('compact-memory', MIGRATE_PAGES);
  await openPreset(page, 'compact-memory');
  // Every span is known once the run is computed: [ from inside a span the worker has not closed
  // yet (at the frontier) would go to the one before it.
  await page.getByRole('button', { name: 'Run to end' }).click();
  await expect(app(page)).toHaveAttribute('data-done', 'true', { timeout: 60_000 });
  await blur(page);
  await page.keyboard.press('Home');
  await expectStep(page, 0);
  await expect(page.getByLabel('Span level')).toHaveValue('6'); // folio
  await blur(page);
  await page.keyboard.press(']');
  await expectStep(page, folios[0]!);
  await page.keyboard.press(']');
  await expectStep(page, folios[1]!);
  await page.keyboard.press(']');
  await expectStep(page, folios[2]!);
  await page.keyboard.press('[');
  await expectStep(page, folios[1]!);
  // From inside a folio, [ goes to that folio's own start.
  await page.getByRole('slider', { name: 'Timeline' }).fill(String(folios[1]! + 2));
  await expectStep(page, folios[1]! + 2);
  await blur(page);
  await page.keyboard.press('[');
  await expectStep(page, folios[1]!);
  await page.getByRole('button', { name: 'Previous folio' }).click();
  await expectStep(page, folios[0]!);

  // Failure: ▶ stops at a step whose result is an error.
  await page.getByLabel('Span level').selectOption({ label: 'failure' });
  await page.getByRole('button', { name: 'Next failure' }).click();
  await idle(page);
  expect(await num(page, 'data-step')).toBeGreaterThan(folios[0]!);
  await expect(page.getByTestId('step-result')).toHaveText(/^returns -E[A-Z]+$/);
  // [ right after choosing in the select moves by the new level (the select does not keep it).
  await page.getByLabel('Span level').selectOption({ label: 'migrate_pages()' });
  const before = await num(page, 'data-step');
  await page.keyboard.press('[');
  await idle(page);
  const call = await num(page, 'data-step');
  expect(call).toBeLessThan(before);
  expect(call).toBe(calls.filter((c) => c < before).at(-1));
  await expect(page.getByLabel('Narration').locator('.fn')).toHaveText('migrate_pages()');
});
