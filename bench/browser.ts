// `npm run bench`, browser part: the built app in real Chromium at 1 Mi PFNs. Frames per second
// while dragging the grid around, while wheel-zooming in and out, and while playing a migration,
// each from requestAnimationFrame intervals over a few seconds; the cold load's first painted
// frame; and the JS shipped, gzipped. Never part of `npm test`: the machine is shared and noisy.
//
// Input is synthesized inside the page, one event per animation frame (a mousedown then
// mousemoves on window, as d3-zoom listens; or wheel events on the canvas), so the figure is the
// app's own cost and not the round trips of driving the mouse over CDP. Main-thread time per
// frame comes from Chromium's own counters (CDP Performance.getMetrics, TaskDuration).
import { chromium, type Browser, type Page } from '@playwright/test';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build, preview } from 'vite';
import { findPreset } from '../src/engine/presets';
import { formatFigure, median, verdict, type Figure } from './report';
import { IMPORT_NAME, IMPORT_PFNS, withImportDump, type ImportDump } from './import-dump';

const OUT_DIR = 'dist-bench';
const HOST = '127.0.0.1';
const MI = 1 << 20;
const SECONDS = 3;

/** CHROMIUM_PATH ("bundled" = Playwright's own), /usr/bin/chromium, Playwright's bundled one; null if none. */
function browserPath(): string | undefined | null {
  const env = process.env.CHROMIUM_PATH;
  if (env && env !== 'bundled') return existsSync(env) ? env : null;
  if (!env && existsSync('/usr/bin/chromium')) return '/usr/bin/chromium';
  return existsSync(chromium.executablePath()) ? undefined : null;
}

/** The large-4g machine with something to play: migrate_pages() over a 64 Ki-PFN range (as bench/run.ts). */
function playScenario(): object {
  const base = findPreset('large-4g')!.scenario;
  return { ...base, name: 'large-4g-migrate', actions: [{ type: 'migrate', range: { start: 0x20000, end: 0x30000 }, mode: 'sync' }] };
}

/**
 * The in-page driver, as source text: tsx would wrap named functions in the bench's own helpers,
 * which do not exist in the page. Resolves with the rAF timestamps.
 */
const DRIVER = `function drive(kind, ms) {
  return new Promise(function (resolve) {
    var c = document.querySelector('[data-testid=pfn-cells]');
    var r = c.getBoundingClientRect();
    var cx = r.left + r.width / 2, cy = r.top + r.height / 2;
    function mouse(type, x, y, target) {
      target.dispatchEvent(new MouseEvent(type, { bubbles: true, cancelable: true, view: window, clientX: x, clientY: y, button: 0, buttons: 1 }));
    }
    var stamps = [], i = 0;
    if (kind === 'drag') mouse('mousedown', cx, cy, c);
    function tick(t) {
      stamps.push(t);
      i++;
      if (kind === 'drag') mouse('mousemove', cx + Math.sin(i / 25) * 160, cy + Math.cos(i / 40) * 120, window);
      if (kind === 'wheel') {
        var dir = Math.sin(i / 30) > 0 ? -1 : 1;
        c.dispatchEvent(new WheelEvent('wheel', { bubbles: true, cancelable: true, clientX: cx + Math.sin(i / 17) * 80, clientY: cy, deltaY: 60 * dir, deltaMode: 0, view: window }));
      }
      if (t - stamps[0] < ms) requestAnimationFrame(tick);
      else {
        if (kind === 'drag') mouse('mouseup', cx, cy, window);
        resolve(stamps);
      }
    }
    requestAnimationFrame(tick);
  });
}`;

interface Run {
  readonly fps: number;
  readonly p95: number;
  readonly dropped: number;
  readonly frames: number;
  readonly mainMs: number;
}

/** rAF intervals over `ms` while `kind` input is synthesized, one event per frame. */
async function measure(page: Page, kind: 'drag' | 'wheel' | 'none', ms: number): Promise<Run> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const task = async (): Promise<number> =>
    ((await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'TaskDuration')?.value ?? 0) * 1000;
  const t0 = await task();
  const times = (await page.evaluate(`(${DRIVER})(${JSON.stringify(kind)}, ${ms})`)) as number[];
  const t1 = await task();
  await cdp.detach();
  const iv = times.slice(1).map((t, i) => t - times[i]!);
  const sorted = [...iv].sort((a, b) => a - b);
  const span = times.at(-1)! - times[0]!;
  return {
    fps: Math.round((iv.length / span) * 1000),
    p95: sorted[Math.floor(sorted.length * 0.95)] ?? 0,
    dropped: iv.filter((d) => d > 1.5 * (1000 / 60)).length,
    frames: iv.length,
    mainMs: (t1 - t0) / Math.max(1, iv.length),
  };
}

async function openApp(browser: Browser, url: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  const page = await context.newPage();
  // The preset picker offers large-4g without actions; for Play, its load becomes the same
  // machine with a migration to run (the worker validates the scenario as it would a share link).
  await page.addInitScript(`(function (scenario) {
    var post = Worker.prototype.postMessage;
    Worker.prototype.postMessage = function (msg) {
      var rest = Array.prototype.slice.call(arguments, 1);
      if (msg && msg.type === 'load' && msg.source && msg.source.kind === 'preset' && msg.source.name === 'large-4g') {
        msg = Object.assign({}, msg, { source: { kind: 'scenario', scenario: scenario } });
      }
      return post.apply(this, [msg].concat(rest));
    };
  })(${JSON.stringify(playScenario())})`);
  await page.goto(url);
  await page.waitForSelector('[data-testid=app][data-busy=false]');
  return page;
}

/**
 * One import of the 6.5 Mi-PFN dump in a fresh page: the Import dialog's file input given both
 * files (as a person picking them), then the app's own measure `pfnscope:import-first-paint`,
 * from the change event (ui/import/importFlow.ts marks the start before reading the files) to the
 * first frame of the imported machine painted (ui/state/simClient.ts). Also the wall time from
 * setInputFiles until the page had the measure (CDP round trips and polling included).
 */
async function importRun(browser: Browser, url: string, dump: ImportDump): Promise<{ ms: number; wall: number }> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  try {
    const page = await context.newPage();
    await page.goto(url);
    await page.waitForSelector('[data-testid=app][data-busy=false]');
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await page.getByTestId('import-panel').waitFor();
    const t0 = performance.now();
    await page.getByTestId('import-input').setInputFiles([`${dump.prefix}.kpageflags`, `${dump.prefix}.kpagecount`]);
    // Source text, not a function: tsx would wrap a function's inner names in its own helpers.
    const got = await page.waitForFunction(
      `(function () {
        var m = performance.getEntriesByName('pfnscope:import-first-paint');
        if (m.length > 0) return { ms: m[m.length - 1].duration };
        var a = document.querySelector('[role=alert]');
        return a ? { error: a.textContent } : null;
      })()`,
      null,
      { timeout: 120_000, polling: 20 },
    );
    const wall = performance.now() - t0;
    const r = (await got.jsonValue()) as { ms?: number; error?: string };
    if (r.ms === undefined) throw new Error(`browser import failed: ${r.error}`);
    const app = page.getByTestId('app');
    const nr = await app.getAttribute('data-nr-pfns');
    const name = await page.getByTestId('import-name').textContent();
    if (nr !== String(IMPORT_PFNS) || name !== IMPORT_NAME) throw new Error(`browser import: the page shows ${name} with ${nr} PFNs, expected ${IMPORT_NAME} with ${IMPORT_PFNS}`);
    return { ms: r.ms, wall };
  } finally {
    await context.close();
  }
}

function runLine(r: Run): string {
  return `p95 frame ${r.p95.toFixed(1)} ms, ${r.dropped}/${r.frames} frames late, main thread ${r.mainMs.toFixed(1)} ms/frame`;
}

async function main(): Promise<void> {
  const exe = browserPath();
  if (exe === null) {
    console.log('browser bench skipped: no Chromium (set CHROMIUM_PATH, apt-get install chromium, or npx playwright install chromium)');
    return;
  }
  const figures: Figure[] = [];

  process.env.PFNSCOPE_OUTDIR = OUT_DIR;
  await build({ logLevel: 'warn', build: { outDir: OUT_DIR, emptyOutDir: true } });
  const assets = join(OUT_DIR, 'assets');
  const js = readdirSync(assets).filter((f) => f.endsWith('.js'));
  const gz = (f: string): number => gzipSync(readFileSync(join(assets, f)), { level: 9 }).length;
  const worker = js.filter((f) => f.includes('worker')).reduce((s, f) => s + gz(f), 0);
  const page = js.filter((f) => !f.includes('worker')).reduce((s, f) => s + gz(f), 0);
  figures.push({ what: 'JS shipped, gzipped (page + worker)', value: (page + worker) / 1024, unit: 'KiB', target: 200, better: 'lower', note: `page ${(page / 1024).toFixed(1)} KiB, worker ${(worker / 1024).toFixed(1)} KiB` });

  const server = await preview({ logLevel: 'warn', build: { outDir: OUT_DIR }, preview: { host: HOST, port: 4181, strictPort: false } });
  const url = server.resolvedUrls?.local[0] ?? `http://${HOST}:4181/`;
  const browser = await chromium.launch({
    executablePath: exe,
    args: [`--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE ${HOST} , EXCLUDE localhost`],
  });
  try {
    // Cold load: a fresh context (empty cache) per load, navigation start to the grid's first frame.
    const loads: number[] = [];
    for (let i = 0; i < 7; i++) {
      const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
      const p = await context.newPage();
      await p.goto(url);
      await p.waitForFunction(() => performance.getEntriesByName('pfnscope:first-frame').length > 0);
      loads.push(await p.evaluate(() => performance.getEntriesByName('pfnscope:first-frame')[0]!.startTime));
      await context.close();
    }
    figures.push({ what: 'cold load to first grid frame (default)', value: median(loads), unit: 'ms', target: 400, better: 'lower', note: `median of ${loads.length}, fresh cache each; 128 Ki PFNs populated in the worker` });

    const app = await openApp(browser, url);
    await app.getByLabel('Preset').selectOption('large-4g');
    await app.waitForSelector(`[data-testid=app][data-nr-pfns="${MI}"][data-busy=false]`, { timeout: 60_000 });
    const cells = app.getByTestId('pfn-cells');
    await cells.focus();
    for (let i = 0; i < 4; i++) await app.keyboard.press('+'); // ×16: 2.7 px per page
    await app.waitForSelector('[data-testid=pfn-grid][data-zoom="16.000"]');
    const idle = await measure(app, 'none', 1000);
    const drag = await measure(app, 'drag', SECONDS * 1000);
    figures.push({ what: 'grid drag-pan at ×16, 1 Mi PFNs', value: drag.fps, unit: 'fps', target: 60, better: 'higher', note: runLine(drag) });
    const wheel = await measure(app, 'wheel', SECONDS * 1000);
    figures.push({ what: 'grid wheel zoom in/out, 1 Mi PFNs', value: wheel.fps, unit: 'fps', target: 60, better: 'higher', note: runLine(wheel) });
    for (let i = 0; i < 10; i++) await app.keyboard.press('+'); // to the deepest zoom
    await app.waitForSelector('[data-testid=pfn-cells]:not([data-labels="0"])');
    const deep = await measure(app, 'drag', SECONDS * 1000);
    figures.push({ what: 'grid drag-pan, single pages with PFNs', value: deep.fps, unit: 'fps', target: 60, better: 'higher', note: runLine(deep) });

    await app.keyboard.press('0');
    await app.getByLabel('Speed').selectOption('1000');
    const step0 = Number(await app.getByTestId('pfn-grid').getAttribute('data-step'));
    await app.getByRole('button', { name: 'Play', exact: true }).click();
    await app.waitForSelector('[data-testid=pfn-grid]:not([data-step="0"])');
    const play = await measure(app, 'none', SECONDS * 1000);
    const step1 = Number(await app.getByTestId('pfn-grid').getAttribute('data-step'));
    await app.getByRole('button', { name: 'Pause', exact: true }).click();
    figures.push({
      what: 'playing migrate_pages at 1000 st/s, 1 Mi PFNs',
      value: play.fps,
      unit: 'fps',
      target: 60,
      better: 'higher',
      note: `${runLine(play)}; ${step1 - step0} steps shown in ${SECONDS} s; idle page ${idle.fps} fps`,
    });
    await app.context().close();

    // kpageflags import of 6.5 Mi PFNs (design.md: <= 2 s to first paint in the browser).
    await withImportDump(async (dump) => {
      const runs: { ms: number; wall: number }[] = [];
      for (let i = 0; i < 3; i++) runs.push(await importRun(browser, url, dump));
      const mid = [...runs].sort((a, b) => a.ms - b.ms)[1]!;
      figures.push({
        what: 'kpageflags import of 6.5 Mi PFNs, first paint',
        value: mid.ms,
        unit: 'ms',
        target: 2000,
        better: 'lower',
        note: `median of ${runs.length}, fresh page each (${runs.map((r) => r.ms.toFixed(0)).join(', ')} ms): the app's pfnscope:import-first-paint, file input change → files read → worker rebuild + session → first grid frame painted; ` +
          `${mid.wall.toFixed(0)} ms wall from setInputFiles; 2 × ${IMPORT_PFNS / 131072} MiB: ${dump.source}; no zoneinfo`,
      });
    });
  } finally {
    await browser.close();
    await new Promise<void>((resolve) => server.httpServer.close(() => resolve()));
  }

  console.log(`pfnscope browser bench (Chromium, 1366×768, ${SECONDS} s per figure; targets from design.md)`);
  for (const f of figures) console.log(formatFigure(f));
  const misses = figures.filter((f) => !verdict(f)).length;
  console.log(`${figures.length - misses} within target, ${misses} missed`);
}

await main();
