// The code panel follows the step: on lru-anon's refcount check (step 11) it outlines
// migrate_folio() with the refcount comparison lit and links its 6.18 line on elixir; one step on,
// the lit line is another (folio_mc_copy's copy loop).
import { expect, test } from './fixtures';
import { KERNEL_LINES } from '../src/ui/code/kernel-lines.gen';
import { OUTLINES } from '../src/ui/code/outlines';
import { expectStep } from './panels.helpers';
import { openLink } from './share.helpers';

test('the code panel lights the line of the current step and links it on elixir', async ({ page }) => {
  await openLink(page, '/#preset=lru-anon&step=11');
  await expectStep(page, 11);
  await expect(page.getByTestId('trace')).toBeVisible(); // the trace is the default tab
  await page.getByTestId('tab-code').click();
  const panel = page.getByTestId('code-panel');
  await expect(panel).toHaveAttribute('data-fn', 'migrate_folio');
  const lit = panel.locator('[aria-current="step"]');
  await expect(lit).toHaveCount(1);
  await expect(lit).toContainText('refcount');
  const litIndex = OUTLINES.migrate_folio!.stops[0]!.line;
  const line = KERNEL_LINES.migrate_folio!.lines[litIndex]!;
  await expect(lit).toContainText(String(line));
  await expect(page.getByTestId('code-link')).toHaveAttribute('href', `https://elixir.bootlin.com/linux/v6.18/source/mm/migrate.c#L${line}`);
  await expect(page.getByTestId('code-link')).toHaveText(`mm/migrate.c:${line}`);
  const before = await lit.textContent();

  await page.getByRole('button', { name: /Step forward/ }).click();
  await expectStep(page, 12);
  await expect(panel).toHaveAttribute('data-fn', 'folio_mc_copy');
  await expect(lit).toHaveCount(1);
  await expect(lit).not.toHaveText(before!);
  await expect(page.getByTestId('code-link')).toHaveAttribute('href', /mm\/util\.c#L\d+$/);
});
