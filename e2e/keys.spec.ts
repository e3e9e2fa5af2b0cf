// The keyboard after the mouse: stepping keys work whatever header or toolbar control was used
// last (a select keeps only ↑ / ↓, a button no key), Space plays after a click on Step forward,
// and W / S / A / D move the grid while the pointer is over it, else the timeline strip; the
// help panel lists the grid's own keys. Waits on data-* hooks, never on a timer.
import { expect, test } from './fixtures';
import { app, blur, consoleErrors, expectStep, idle } from './panels.helpers';

test('stepping keys after the preset picker and Step forward; WASD on the grid under the pointer, else the timeline', async ({ page }) => {
  const errors = consoleErrors(page);
  await page.goto('/');
  await idle(page);
  const picker = page.getByLabel('Preset');
  await picker.focus();
  await picker.selectOption('lru-anon');
  await expect(page.getByLabel('Narration')).toContainText('memory as lru-anon populated it');
  await idle(page);
  await expect(picker).toBeFocused();
  // → steps (it used to pick the next preset); End and Home too.
  await page.keyboard.press('ArrowRight');
  await expectStep(page, 1);
  await page.keyboard.press('End');
  await expect(app(page)).toHaveAttribute('data-done', 'true');
  await page.keyboard.press('Home');
  await expectStep(page, 0);
  await expect(picker).toHaveValue('lru-anon');

  // Space after a click on Step forward plays (it used to click Step forward again).
  await page.getByLabel('Speed').selectOption('1000');
  await page.getByRole('button', { name: 'Step forward' }).click();
  await expectStep(page, 1);
  await page.keyboard.press('Space');
  await expect(app(page)).toHaveAttribute('data-step', (await app(page).getAttribute('data-frontier'))!);
  await expect(app(page)).toHaveAttribute('data-done', 'true');

  // W / S / A / D with the pointer over the grid: the grid zooms and pans, the timeline stays.
  const grid = page.getByTestId('pfn-grid');
  const cells = page.getByTestId('pfn-cells');
  const brush = page.getByTestId('timeline-brush');
  const box = (await cells.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.keyboard.press('w');
  await expect(grid).toHaveAttribute('data-zoom', '2.000');
  const originX = Number(await cells.getAttribute('data-origin-x'));
  await page.keyboard.press('d');
  await expect.poll(async () => Number(await cells.getAttribute('data-origin-x'))).toBeLessThan(originX);
  await page.keyboard.press('a');
  await expect.poll(async () => Number(await cells.getAttribute('data-origin-x'))).toBeCloseTo(originX, 0);
  await page.keyboard.press('s');
  await expect(grid).toHaveAttribute('data-zoom', '1.000');
  await expect(brush).toBeHidden();
  // Elsewhere they zoom the timeline strip, and leave the grid alone.
  await page.mouse.move(box.x + box.width / 2, 5);
  await blur(page);
  await page.keyboard.press('w');
  await expect(brush).toBeVisible();
  await expect(grid).toHaveAttribute('data-zoom', '1.000');

  // ? lists the grid's own keys beside the app's.
  await page.keyboard.press('?');
  const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  const gridKeys = help.getByRole('table', { name: 'On the grid' });
  for (const text of ['zoom in / out ×2', 'show the whole memory', 'pan up / down', 'clear the selection', 'pan left / right']) {
    await expect(gridKeys).toContainText(text);
  }
  await expect(help.getByRole('table', { name: 'Anywhere but a text field' })).toContainText('over the grid: the grid');
  expect(errors).toEqual([]);
});
