// e2e in real Chromium against the production build (vite build + preview). Two workers (E2E_WORKERS
// to change it): most of a test is waiting on a browser, so two at a time on the 2-core CI machine
// keep both cores busy; no two spec files share a port, a file or a download. Browser choice, in order:
// 1. $CHROMIUM_PATH ("bundled" forces Playwright's own), 2. /usr/bin/chromium (Debian's apt
// package; Playwright 1.65 downloads no browser at install), 3. Playwright's bundled browser.
// With none of them we stop here with the three ways to get one, instead of a launch error later.
import { chromium, defineConfig } from '@playwright/test';
import { existsSync } from 'node:fs';

const HOW_TO_GET_A_BROWSER =
  'Install a browser for the e2e tests in one of three ways: Debian/Ubuntu `apt-get install chromium` ' +
  '(gives /usr/bin/chromium), set CHROMIUM_PATH=/path/to/chromium, or run `npx playwright install chromium`.';

/** The executable to launch, or undefined for Playwright's bundled browser. */
function chromiumExecutable(): string | undefined {
  const env = process.env.CHROMIUM_PATH;
  if (env && env !== 'bundled') {
    if (!existsSync(env)) throw new Error(`CHROMIUM_PATH=${env} does not exist. ${HOW_TO_GET_A_BROWSER}`);
    return env;
  }
  if (!env && existsSync('/usr/bin/chromium')) return '/usr/bin/chromium';
  // `npx playwright install chromium` installs this browser and the headless shell used for headless runs.
  const bundled = chromium.executablePath();
  if (!existsSync(bundled)) {
    const looked = env === 'bundled' ? bundled : `/usr/bin/chromium and ${bundled}`;
    throw new Error(`No Chromium found (looked for ${looked}). ${HOW_TO_GET_A_BROWSER}`);
  }
  return undefined;
}

const PORT = Number(process.env.E2E_PORT ?? 4173);
const HOST = '127.0.0.1';

export default defineConfig({
  testDir: 'e2e',
  outputDir: 'test-results',
  workers: Number(process.env.E2E_WORKERS ?? 2),
  // Waits are on conditions, never on timers, so a longer limit costs nothing when a test passes;
  // Playwright's default (5 s per expect, 30 s per test) failed tests on a machine whose two cores
  // other processes were using (a worker populating a scenario, a step computed, took longer).
  timeout: 120_000,
  expect: { timeout: 30_000 },
  forbidOnly: !!process.env.CI,
  reporter: process.env.CI ? 'line' : 'list',
  use: {
    baseURL: `http://${HOST}:${PORT}`,
    // Viewport only: devices['Desktop Chrome'] would claim a Windows Chrome UA that is not the browser driven.
    viewport: { width: 1280, height: 720 },
    // The built site registers a service worker (public/sw.js); it would serve requests that
    // page.route() then never sees. Only e2e/deploy.spec.ts, which tests it, allows it.
    serviceWorkers: 'block',
    // Every test is a returning visitor (the first visit's hint seen, ui/teach/firstVisit.ts), so a
    // page with no link opens the default scenario; teach.spec.ts clears this for the first visit.
    storageState: { cookies: [], origins: [{ origin: `http://${HOST}:${PORT}`, localStorage: [{ name: 'pfnscope.hintSeen', value: '1' }] }] },
    launchOptions: {
      executablePath: chromiumExecutable(),
      // Debian's chromium looks up accounts.google.com ~3×/s even under Playwright; this makes it 0 lookups.
      // EXCLUDE localhost is needed or http://localhost fails with ERR_NAME_NOT_RESOLVED.
      args: [
        `--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE ${HOST} , EXCLUDE localhost`,
        // A test's page lives seconds: V8 optimizing its hot code in background threads for a long
        // life (Maglev, Turbofan) cost ~1.1 CPU-s per page load, more than the page ran. Efficiency
        // mode tiers up later and on fewer threads: 20-23 % less CPU over a run of eight pages.
        '--js-flags=--efficiency-mode=true',
      ],
    },
  },
  webServer: {
    // npx, not bare `vite`: Playwright started outside npm has no node_modules/.bin on PATH.
    command: process.env.E2E_DEV
      ? `npx vite --port ${PORT} --strictPort --host ${HOST}`
      : `npx vite build && npx vite preview --port ${PORT} --strictPort --host ${HOST}`,
    url: `http://${HOST}:${PORT}`,
    // Only when asked (E2E_REUSE=1): a server left on the port may serve a stale build.
    reuseExistingServer: process.env.E2E_REUSE === '1',
    timeout: 120_000,
  },
});
