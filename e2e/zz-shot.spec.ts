import { test } from '@playwright/test';
import { openLink } from './share.helpers';

for (const dpr of [1, 2]) {
  test(`shot dpr ${dpr}`, async ({ browser }) => {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 720 }, deviceScaleFactor: dpr });
    const page = await ctx.newPage();
    for (const step of [12, 25, 400]) {
      await openLink(page, `/#preset=compact-memory&step=${step}`);
      await page.screenshot({ path: `/tmp/shots/dpr${dpr}-step${step}.png` });
    }
    await ctx.close();
  });
}
