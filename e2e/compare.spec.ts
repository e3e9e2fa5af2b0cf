// The compare view: a scenario under two designs side by side, stepped in lockstep and aligned on
// the same phase, differences marked, shareable by URL. Step numbers of the race presets change as
// the model grows finer: the tests find moments by function and phase, never by step number.
import { expect, leaveDocument, test, type Page } from './fixtures';
import { app, consoleErrors } from './panels.helpers';

// Each pane populates and runs its own session: generous waits on a busy machine, no sleeps.
test.setTimeout(180_000);
const WAIT = { timeout: 60_000 };

const LINK = '/#preset=balloon-race&compare=linux-6.18,no-refcount';

const compare = (page: Page) => page.getByTestId('compare');
const panes = (page: Page) => page.getByTestId('compare-pane');

async function compareIdle(page: Page): Promise<void> {
  await expect(compare(page)).toHaveAttribute('data-busy', 'false', WAIT);
}

async function idle(page: Page): Promise<void> {
  await expect(app(page)).toHaveAttribute('data-busy', 'false', WAIT);
}

/** Each pane's design, step and function (null at a step 0 or a moment the design lacks). */
async function paneState(page: Page) {
  return panes(page).evaluateAll((els) =>
    els.map((el) => ({
      design: el.getAttribute('data-design'),
      step: Number(el.getAttribute('data-step')),
      shown: Number(el.querySelector('[data-testid=pane-step] strong')?.textContent),
      fn: el.querySelector('[data-testid=pane-fn]')?.textContent ?? null,
      fnMarked: el.querySelector('[data-testid=pane-fn]')?.classList.contains('diff') ?? false,
      phase: el.querySelector('.pane-narr .phase')?.textContent ?? null,
      absent: el.querySelector('[data-testid=absent-badge]') !== null,
    })),
  );
}

test('a compare link opens two panes; Next phase aligns them; the marked difference and the URL survive a reload', async ({ page }) => {
  const errors = consoleErrors(page);
  await page.goto(LINK);
  await compareIdle(page);
  await expect(panes(page)).toHaveCount(2);
  await expect(page.getByRole('article', { name: /^linux-6\.18: step 0 of \d+$/ })).toBeVisible();
  await expect(page.getByRole('article', { name: /^no-refcount: step 0 of \d+$/ })).toBeVisible();

  // Next phase until the linux-6.18 pane shows the core's isolation of a movable_ops page at a
  // moment where a page's state differs between the panes (a race shows each guard as its own
  // isolate step: the first ones only take a reference, the page reads the same in both).
  const differs = async (): Promise<boolean> => (await panes(page).first().getByTestId('diff-pages').count()) > 0;
  let st = await paneState(page);
  for (let i = 0; i < 40 && (st[0]!.fn !== 'isolate_movable_ops_page()' || !(await differs())); i++) {
    await page.keyboard.press('Shift+ArrowRight');
    await compareIdle(page);
    st = await paneState(page);
  }
  expect(st[0]!.fn).toBe('isolate_movable_ops_page()');
  // Aligned on the same phase: where both panes have the moment they show the same phase, and
  // each pane says its own step.
  for (const p of st) expect(p.shown).toBe(p.step);
  if (st[1]!.absent) {
    // no-refcount has no such moment here: it says so, and the other pane says it is the only one.
    await expect(panes(page).first().getByTestId('only-badge')).toHaveText('only in linux-6.18');
  } else {
    expect(st[1]!.phase).toBe(st[0]!.phase);
    // no-refcount cannot take the page through isolate_movable_ops_page(): the function is marked.
    expect(st[1]!.fn).not.toBe(st[0]!.fn);
    expect([st[0]!.fnMarked, st[1]!.fnMarked]).toEqual([true, true]);
  }
  // The pages whose state differs are listed (and ringed on the grids).
  await expect(panes(page).first().getByTestId('diff-pages')).toContainText(/pages? differ/);

  // The address bar holds the view; reloading it gives the same view.
  await expect.poll(() => decodeURIComponent(new URL(page.url()).hash)).toBe(`#preset=balloon-race&compare=linux-6.18,no-refcount&steps=${st[0]!.step},${st[1]!.step}`);
  const url = page.url();
  await leaveDocument(page);
  await page.goto(url);
  await compareIdle(page);
  expect(await paneState(page)).toEqual(st);

  // → steps both panes by one; Esc goes back to the app, as it was, with its own link.
  await page.keyboard.press('ArrowRight');
  await compareIdle(page);
  expect((await paneState(page)).map((p) => p.step)).toEqual(st.map((p) => p.step + 1));
  await page.keyboard.press('Escape');
  await expect(compare(page)).toHaveCount(0);
  await idle(page);
  await expect(app(page)).toHaveAttribute('data-step', '0');
  await expect.poll(() => new URL(page.url()).hash).toBe('#preset=balloon-race&step=0');
  expect(errors).toEqual([]);
});

test('the header\'s Compare opens the session under its own design and another', async ({ page }) => {
  await page.goto('/#preset=balloon-race&step=0');
  await idle(page);
  await page.getByRole('button', { name: 'Compare' }).click();
  await compareIdle(page);
  await expect(panes(page)).toHaveCount(2);
  await expect(panes(page).first()).toHaveAttribute('data-design', 'linux-6.18');
  await expect(panes(page).nth(1)).not.toHaveAttribute('data-design', 'linux-6.18');
});

test('a broken compare link: one line naming what is wrong, and the app stays usable', async ({ page }) => {
  await page.goto('/#preset=balloon-race&compare=linux-6.18,nope');
  const alert = page.getByRole('alert');
  await expect(alert).toHaveCount(1, WAIT);
  await expect(alert).toHaveText(/^cannot open the compare link: compare= names no known design: "nope" \(designs: linux-6\.18, /);
  await expect(compare(page)).toHaveCount(0);
  await idle(page);
  await page.keyboard.press('ArrowRight');
  await idle(page);
  await expect(app(page)).toHaveAttribute('data-step', '1');
});
