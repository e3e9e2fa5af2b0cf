// The built site registers its service worker (public/sw.js) on an ordinary page, and not on a
// `?test` page (automation with debug hooks; src/ui/offline.ts says why). What the page asks for
// is recorded by a stand-in for navigator.serviceWorker.register() installed before any script
// runs, so no worker is really installed and the rest of the suite keeps blocking them.
import { expect, test, type Page } from './fixtures';
import { app } from './panels.helpers';

// The suite blocks service workers (playwright.config.ts), which hides navigator.serviceWorker.
test.use({ serviceWorkers: 'allow', freshContext: true });

declare global {
  interface Window { __swRegistered?: string[] }
}

/** Open `url` with register() recording its script instead of installing it; what was asked for. */
async function registrations(page: Page, url: string): Promise<string[]> {
  await page.addInitScript(() => {
    window.__swRegistered = [];
    const sw = navigator.serviceWorker;
    sw.register = (script: string | URL) => {
      window.__swRegistered!.push(String(script));
      return new Promise<ServiceWorkerRegistration>(() => undefined);
    };
  });
  // main.tsx registers once the grid's first frame is marked (a PerformanceObserver callback):
  // after that mark and two animation frames, what it was going to register it has.
  await page.goto(url);
  await expect(app(page)).toHaveCount(1);
  await page.waitForFunction(() => performance.getEntriesByName('pfnscope:first-frame').length > 0, undefined, { timeout: 60_000 });
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  return page.evaluate(() => window.__swRegistered ?? []);
}

test('an ordinary page of the built site registers ./sw.js', async ({ page }) => {
  expect(await registrations(page, '/#preset=small')).toEqual(['./sw.js']);
});

test('a ?test page registers no service worker', async ({ page }) => {
  expect(await registrations(page, '/?test#preset=small')).toEqual([]);
  // It is the test page: its debug hooks are there.
  expect(await page.evaluate(() => typeof window.__pfnscope?.crash)).toBe('function');
});
