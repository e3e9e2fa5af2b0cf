// One browser context and one page per Playwright worker, handed to each test of the specs that
// import `test` from here instead of '@playwright/test'. A fresh context per test cost about 4.8
// CPU-seconds a test on the 2-core CI machine (context with its storage, a new renderer process,
// the app compiled cold); navigating a page that already ran the app costs about 1.1 (docs/testing.md).
// Each test still starts on a fresh document with the project's options: before it, the page
// leaves the previous test's document for a same-origin document served by route (BETWEEN_TESTS:
// the test's first goto is a full load, not a fragment change, and the renderer process stays), localStorage is reset to
// the `storageState` option and the `viewport` and `permissions` options are applied; after it,
// routes, listeners and the test's other pages go. A spec whose tests call page.addInitScript()
// (init scripts cannot be removed), take the context offline or run service workers sets
// `freshContext` and gets a context of its own for each test.
import { test as base, type BrowserContext, type Page, type Route } from '@playwright/test';

export { expect, type Locator, type Page } from '@playwright/test';

/** The page events specs listen to (consoleErrors() and its kind); Playwright's own stay. */
const LISTENED = ['console', 'pageerror', 'dialog', 'download', 'popup', 'request', 'response', 'worker'] as const;

/**
 * A same-origin document that runs no script: where the page waits between tests. It is made up
 * here, not served: a static file such as /favicon.svg would make Chromium ask for /favicon.ico
 * and log its 404 as a console error into the next test. The headers match the server's
 * (vite.config.ts), so the app that follows stays in the same browsing context group and process.
 */
export const BETWEEN_TESTS = '/__between-tests';
const BETWEEN_TESTS_PAGE = {
  contentType: 'text/html',
  headers: { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' },
  body: '<!doctype html><link rel="icon" href="/favicon.svg"><title>between tests</title>',
};

/** Go to BETWEEN_TESTS unless the page is there already. */
async function goBetween(page: Page): Promise<void> {
  if (page.url() !== 'about:blank' && new URL(page.url()).pathname === BETWEEN_TESTS) return;
  const fulfil = (route: Route): Promise<void> => route.fulfill(BETWEEN_TESTS_PAGE);
  await page.route(BETWEEN_TESTS, fulfil);
  await page.goto(BETWEEN_TESTS);
  await page.unroute(BETWEEN_TESTS, fulfil);
}

/**
 * Leave the document the page shows, unless it shows none yet, so that the next goto loads the app
 * afresh (a goto that changes only the fragment would not). Unlike about:blank, a same-origin
 * document keeps the renderer process and its compiled code.
 */
export async function leaveDocument(page: Page): Promise<void> {
  if (page.url() !== 'about:blank') await goBetween(page);
}

interface Shared {
  context: BrowserContext;
  page: Page | null;
}

export const test = base.extend<{ freshContext: boolean }, { shared: Shared }>({
  /**
   * `test.use({ freshContext: true })`: each test gets a context and page of its own, made from the
   * test's options, as '@playwright/test' gives them. For specs that add init scripts, go offline
   * or run service workers; importing this file anyway keeps them in the suite's two workers
   * (another test type would start a worker and a browser of its own, ~4 CPU-seconds each).
   */
  freshContext: [false, { option: true }],

  shared: [
    async ({ browser }, use, workerInfo) => {
      const o = workerInfo.project.use;
      const context = await browser.newContext({ baseURL: o.baseURL, viewport: o.viewport, serviceWorkers: o.serviceWorkers });
      await use({ context, page: null });
      await context.close();
    },
    { scope: 'worker' },
  ],

  context: async ({ shared, freshContext, browser, baseURL, viewport, serviceWorkers, storageState, permissions }, use) => {
    if (!freshContext) return use(shared.context);
    const context = await browser.newContext({ baseURL, viewport, serviceWorkers, storageState, permissions });
    await use(context);
    await context.close();
  },

  page: async ({ shared, freshContext, context: testContext, viewport, permissions, storageState }, use) => {
    if (freshContext) return use(await testContext.newPage());
    const { context } = shared;
    if (!shared.page || shared.page.isClosed()) shared.page = await context.newPage();
    const page = shared.page;
    await goBetween(page);
    const items = typeof storageState === 'object' && storageState ? (storageState.origins.find((o) => o.origin === new URL(page.url()).origin)?.localStorage ?? []) : [];
    await page.evaluate((kv) => {
      localStorage.clear();
      for (const { name, value } of kv) localStorage.setItem(name, value);
    }, items);
    if (viewport && (page.viewportSize()?.width !== viewport.width || page.viewportSize()?.height !== viewport.height)) await page.setViewportSize(viewport);
    if (permissions?.length) await context.grantPermissions(permissions);
    await use(page);
    await page.unrouteAll({ behavior: 'ignoreErrors' });
    for (const type of LISTENED) page.removeAllListeners(type);
    await context.clearPermissions();
    for (const p of context.pages()) if (p !== page) await p.close();
  },
});
