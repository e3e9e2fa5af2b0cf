// Deploy (issue 18): `npm run build` makes a dist/ that works from any sub-path of a plain static
// server and offline once loaded, and `npm run dev` moves to another port when 5173 is taken. The
// spec builds its own dist/ and serves it under /some/path/ with e2e/static-server.ts (no vite
// preview, no special headers), so nothing here depends on the suite's preview server.
import { expect, test, type Page } from './fixtures';
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { captureTitle, needCapture } from './reference.helpers';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { app, consoleErrors, idle } from './panels.helpers';
import { serveStatic, type StaticServer } from './static-server';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const MOUNT = '/some/path/';
const CAPTURE = fileURLToPath(new URL('../../shared/reference/real-kernel/balloon-compact/', import.meta.url));
const IMPORT_FILES = ['kpageflags', 'kpagecount', 'buddyinfo', 'pagetypeinfo', 'zoneinfo'].map((k) => `${CAPTURE}before.${k}`);
const WAIT = { timeout: 60_000 };

// Building and populating sessions take seconds on a busy machine: generous limits, no sleeps.
test.setTimeout(180_000);
// The rest of the suite blocks service workers (playwright.config.ts); these tests are about one.
test.use({ serviceWorkers: 'allow', freshContext: true });

let dist = '';
let server: StaticServer;

test.beforeAll(async () => {
  test.setTimeout(300_000);
  dist = mkdtempSync(join(tmpdir(), 'pfnscope-deploy-'));
  await promisify(execFile)('npm', ['run', 'build', '--', '--outDir', dist, '--emptyOutDir'], { cwd: ROOT, timeout: 240_000 });
  server = await serveStatic(dist, MOUNT);
});

test.afterAll(async () => {
  await server?.close();
  if (dist) rmSync(dist, { recursive: true, force: true });
});

/** A returning visitor (no first-visit hint), on this server's origin. */
test.beforeEach(async ({ page }) => {
  await page.addInitScript(() => {
    if (location.protocol === 'http:') localStorage.setItem('pfnscope.hintSeen', '1');
  });
});

async function open(page: Page, url: string): Promise<void> {
  await page.goto('about:blank');
  await page.goto(url);
  await expect(app(page)).toHaveAttribute('data-state-hash', /.+/, WAIT);
  await expect(app(page)).toHaveAttribute('data-busy', 'false', WAIT);
}

test('under /some/path/ of a plain static server: a preset, a share link, Share and a compare link', async ({ page }) => {
  const errors = consoleErrors(page);
  await open(page, server.url);
  await page.getByLabel('Preset').selectOption('lru-anon');
  await expect(page.getByLabel('Narration')).toContainText('memory as lru-anon populated it', WAIT);
  await idle(page);
  // The address bar follows the state within the sub-path.
  await expect.poll(() => page.url()).toMatch(new RegExp(`^${server.url}#preset=lru-anon`));

  await open(page, `${server.url}#preset=lru-anon&step=5`);
  await expect(app(page)).toHaveAttribute('data-step', '5');
  // Share's link keeps the sub-path: copied (the status holds it) or, with the clipboard refused,
  // shown in a field to copy by hand.
  await page.getByRole('button', { name: 'Share', exact: true }).click();
  const copied = page.locator('.share-status[data-url]');
  const field = page.getByLabel('Link to this state');
  await expect(copied.or(field)).toBeVisible();
  const link = (await copied.count()) ? await copied.getAttribute('data-url') : await field.inputValue();
  expect(link).toMatch(new RegExp(`^${server.url}#preset=lru-anon&step=5`));

  // The compare view's worker loads from the sub-path too.
  await page.goto('about:blank');
  await page.goto(`${server.url}#preset=balloon-race&compare=linux-6.18,no-refcount`);
  await expect(page.getByTestId('compare-pane')).toHaveCount(2, WAIT);
  await expect(page.getByTestId('compare')).toHaveAttribute('data-busy', 'false', WAIT);
  expect(errors).toEqual([]);
});

test(captureTitle('under /some/path/: an import through the file picker', `${CAPTURE}before.kpageflags`), async ({ page }) => {
  needCapture(`${CAPTURE}before.kpageflags`);
  const errors = consoleErrors(page);
  await open(page, `${server.url}#preset=default`);
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await page.getByTestId('import-input').setInputFiles(IMPORT_FILES);
  await expect(page.getByTestId('match-panel')).toBeVisible(WAIT);
  await expect(page.getByTestId('import-name')).toHaveText('before');
  await expect(app(page)).toHaveAttribute('data-nr-pfns', '131072');
  expect(errors).toEqual([]);
});

test('offline once loaded: with the server gone and the network off, a reload opens a share link', async ({ page, context }) => {
  const errors = consoleErrors(page);
  await open(page, `${server.url}#preset=lru-anon&step=5`);
  // The worker is in control once it has cached every built file (its install waits for that).
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, WAIT);
  const scope = await page.evaluate(async () => (await navigator.serviceWorker.ready).scope);
  expect(scope).toBe(server.url);

  const hash = await app(page).getAttribute('data-state-hash');
  // Both: the server closed (so nothing can come from it) and the browser offline.
  await server.close();
  await context.setOffline(true);
  try {
    await page.reload();
    await expect(app(page)).toHaveAttribute('data-step', '5', WAIT);
    await expect(app(page)).toHaveAttribute('data-state-hash', hash!, WAIT);
    await idle(page);
    // Another preset, as a fresh link, still offline.
    await open(page, `${server.url}#preset=balloon-compaction&step=1`);
    await expect(app(page)).toHaveAttribute('data-step', '1');
    // The compare worker, never loaded in this browser before, comes from the install's cache.
    await page.goto('about:blank');
    await page.goto(`${server.url}#preset=balloon-race&compare=linux-6.18,no-refcount`);
    await expect(page.getByTestId('compare-pane')).toHaveCount(2, WAIT);
    await expect(page.getByTestId('compare')).toHaveAttribute('data-busy', 'false', WAIT);
  } finally {
    await context.setOffline(false);
    server = await serveStatic(dist, MOUNT);
  }
  expect(errors).toEqual([]);
});

test('npm run dev moves to another port when 5173 is taken, and says which', async () => {
  // Take 5173 (if another program already holds it, it is taken all the same).
  const blocker = createServer();
  await new Promise<void>((ok) => blocker.once('error', () => ok()).listen(5173, '127.0.0.1', ok));
  const dev = spawn('npm', ['run', 'dev'], { cwd: ROOT, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    let out = '';
    const url = await new Promise<string>((ok, fail) => {
      const read = (b: Buffer): void => {
        out += b.toString();
        // eslint-disable-next-line no-control-regex
        const m = /Local:\s+(http:\/\/\S+)/.exec(out.replace(/\x1b\[[0-9;]*m/g, ''));
        if (m) ok(m[1]!);
      };
      dev.stdout.on('data', read);
      dev.stderr.on('data', read);
      dev.once('exit', (code) => fail(new Error(`npm run dev exited (${code}): ${out}`)));
    });
    expect(new URL(url).port).not.toBe('5173');
    expect((await fetch(url)).status).toBe(200);
  } finally {
    if (dev.exitCode === null) process.kill(-dev.pid!, 'SIGTERM'); // npm, its shell and vite: the whole group
    blocker.close();
  }
});
