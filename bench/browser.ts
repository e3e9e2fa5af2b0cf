// `npm run bench`, browser part: the built app in real Chromium at 1 Mi PFNs. Frames per second
// while dragging the grid around, while wheel-zooming in and out, and while playing a migration,
// each from requestAnimationFrame intervals over a few seconds; the cold load's first painted
// frame; and the JS shipped, gzipped. Never part of `npm test`: the machine is shared and noisy.
//
// Input is synthesized inside the page, one event per animation frame (a mousedown then
// mousemoves on window, as d3-zoom listens; or wheel events on the canvas), so the figure is the
// app's own cost and not the round trips of driving the mouse over CDP. Main-thread time per
// frame comes from Chromium's own counters (CDP Performance.getMetrics, TaskDuration).
import { chromium, type Browser, type CDPSession, type Page } from '@playwright/test';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build, preview } from 'vite';
import { findPreset } from '../src/engine/presets';
import { formatFigure, median, verdict, type Figure } from './report';
import { IMPORT_NAME, IMPORT_PFNS, withImportDump, type ImportDump } from './import-dump';
import { T } from './targets';

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

// --- Run to end, and the 24 GiB compaction (bench/targets.ts) ---------------------------------
//
// Timed inside the page, from the input event to the first animation frame after React shows
// the end (data-done="true", data-step = data-frontier, data-busy="false" on the app root: the
// grid is painted before those attributes change, simClient.ts), so CDP round trips and
// Playwright's polling are not in the figures. Keys and slider input are dispatched in the page as
// the browser would (keyboard.ts listens on window; the slider's React onChange on `input`).

/** In-page helpers, as source text (tsx would wrap named functions in helpers the page lacks). */
const END_DRIVER = `window.__bench = {
  attrs: function () {
    var a = document.querySelector('[data-testid=app]');
    return { step: a.getAttribute('data-step'), frontier: a.getAttribute('data-frontier'), done: a.getAttribute('data-done'), busy: a.getAttribute('data-busy') };
  },
  atEnd: function () {
    var x = window.__bench.attrs();
    return x.done === 'true' && x.step === x.frontier && x.busy === 'false';
  },
  /** Resolves at the first animation frame after ok() holds (checked on every attribute change), or after timeoutMs. */
  until: function (ok, timeoutMs) {
    return new Promise(function (resolve) {
      var a = document.querySelector('[data-testid=app]');
      var timer = 0;
      var obs = new MutationObserver(check);
      function check() {
        var alert = document.querySelector('[role=alert]');
        if (alert && alert.textContent) { finish({ error: alert.textContent }); return; }
        if (ok()) finish({});
      }
      function finish(r) {
        obs.disconnect();
        clearTimeout(timer);
        requestAnimationFrame(function () { r.at = performance.now(); resolve(r); });
      }
      obs.observe(a, { attributes: true });
      timer = setTimeout(function () { obs.disconnect(); resolve({ error: 'timed out', at: performance.now() }); }, timeoutMs);
      check();
    });
  },
  /** Press End (run to the end) and wait for the end's frame. */
  runToEnd: function (timeoutMs) {
    var before = window.__bench.attrs();
    var t0 = performance.now();
    document.body.dispatchEvent(new KeyboardEvent('keydown', { key: 'End', bubbles: true, cancelable: true }));
    return window.__bench.until(window.__bench.atEnd, timeoutMs).then(function (r) {
      return { error: r.error, ms: r.at - t0, pressedAt: t0, before: before, after: window.__bench.attrs() };
    });
  },
  /** Move the Timeline slider to step v (as a drag does) and wait for that step's frame. */
  seek: function (v, timeoutMs) {
    var input = document.querySelector('input[type=range][aria-label=Timeline]');
    if (!input) return Promise.resolve({ error: 'no Timeline slider (input[type=range][aria-label=Timeline])' });
    var setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set;
    var t0 = performance.now();
    setter.call(input, String(v));
    input.dispatchEvent(new Event('input', { bubbles: true }));
    return window.__bench.until(function () {
      var x = window.__bench.attrs();
      return x.step === String(v) && x.busy === 'false';
    }, timeoutMs).then(function (r) { return { error: r.error, ms: r.at - t0 }; });
  },
  /** Once the import's first paint is measured, press End; resolves with the whole run's times. */
  importThenEnd: function (timeoutMs) {
    return new Promise(function (resolve) {
      var started = false;
      function go() {
        var m = performance.getEntriesByName('pfnscope:import-first-paint');
        if (started || m.length === 0) return;
        started = true;
        po.disconnect();
        clearInterval(poll);
        var first = m[m.length - 1];
        window.__bench.runToEnd(timeoutMs).then(function (r) {
          resolve({ error: r.error, importMs: first.duration, runMs: r.ms, totalMs: r.pressedAt + r.ms - first.startTime, before: r.before, after: r.after });
        });
      }
      var po = new PerformanceObserver(go);
      po.observe({ type: 'measure' });
      // The error line instead of a first paint: the import failed.
      var poll = setInterval(function () {
        var alert = document.querySelector('[role=alert]');
        if (!started && alert && alert.textContent) { started = true; po.disconnect(); clearInterval(poll); resolve({ error: alert.textContent }); }
        go();
      }, 50);
    });
  },
};`;

interface EndRun {
  readonly error?: string;
  readonly ms: number;
  readonly before: { step: string; frontier: string; done: string };
  readonly after: { step: string; frontier: string; done: string };
}

/** balloon-compaction from its link, idle, then End: key press to the end's frame. */
async function balloonRun(browser: Browser, url: string): Promise<EndRun> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  try {
    const page = await context.newPage();
    await page.goto(`${url}?test#preset=balloon-compaction`);
    await page.waitForSelector('[data-testid=app][data-busy=false][data-step="0"]');
    await page.evaluate(END_DRIVER);
    const r = (await page.evaluate('window.__bench.runToEnd(120000)')) as EndRun;
    if (r.error) throw new Error(`balloon-compaction Run to end: ${r.error}`);
    return r;
  } finally {
    await context.close();
  }
}

/**
 * The sim worker's heap through the DevTools protocol: a browser-level CDP session attaches to the
 * worker target (non-flat, messages through Target.sendMessageToTarget) and asks
 * Runtime.getHeapUsage, whose usedSize is the JS heap in use and backingStorageSize the array
 * buffers' backing stores. (performance.memory and measureUserAgentSpecificMemory are not
 * there for a worker; Performance.getMetrics is not served by worker targets.)
 */
class WorkerHeap {
  private id = 1;
  private readonly pending = new Map<number, (m: { result?: Record<string, number>; error?: { message: string } }) => void>();
  private constructor(private readonly cdp: CDPSession, private readonly sessionId: string) {
    cdp.on('Target.receivedMessageFromTarget', (e) => {
      if (e.sessionId !== this.sessionId) return;
      const m = JSON.parse(e.message) as { id?: number; result?: Record<string, number>; error?: { message: string } };
      if (m.id !== undefined) {
        this.pending.get(m.id)?.(m);
        this.pending.delete(m.id);
      }
    });
  }

  /** The sim worker of the page at `pageUrl` (its browser context's one). */
  static async attach(browser: Browser, pageUrl: string): Promise<WorkerHeap> {
    const cdp = await browser.newBrowserCDPSession();
    const { targetInfos } = await cdp.send('Target.getTargets');
    const page = targetInfos.find((x) => x.type === 'page' && x.url.startsWith(pageUrl));
    const workers = targetInfos.filter((x) => x.type === 'worker' && x.url.includes('sim.worker') && (!page || x.browserContextId === page.browserContextId));
    if (workers.length !== 1) throw new Error(`${workers.length} sim worker targets for ${pageUrl}`);
    const { sessionId } = await cdp.send('Target.attachToTarget', { targetId: workers[0]!.targetId, flatten: false });
    return new WorkerHeap(cdp, sessionId);
  }

  private async call(method: string): Promise<Record<string, number>> {
    const i = this.id++;
    const answer = new Promise<{ result?: Record<string, number>; error?: { message: string } }>((res) => this.pending.set(i, res));
    await this.cdp.send('Target.sendMessageToTarget', { sessionId: this.sessionId, message: JSON.stringify({ id: i, method }) });
    const m = await answer;
    if (!m.result) throw new Error(`${method}: ${m.error?.message}`);
    return m.result;
  }

  /** JS heap in use and array buffers, bytes. */
  async usage(): Promise<{ heap: number; buffers: number }> {
    const r = await this.call('Runtime.getHeapUsage');
    if (r.backingStorageSize === undefined) throw new Error('Runtime.getHeapUsage has no backingStorageSize in this Chromium');
    return { heap: r.usedSize!, buffers: r.backingStorageSize };
  }

  /** A full garbage collection in the worker (HeapProfiler.collectGarbage), then usage(). */
  async liveUsage(): Promise<{ heap: number; buffers: number }> {
    await this.call('HeapProfiler.collectGarbage');
    return this.usage();
  }

  /** Sample every `everyMs` until stopped; the peak of heap + buffers. */
  sample(everyMs: number): { stop(): Promise<{ peak: number; at: { heap: number; buffers: number }; samples: number }> } {
    let running = true;
    let peak = 0;
    let at = { heap: 0, buffers: 0 };
    let samples = 0;
    const loop = (async () => {
      while (running) {
        const t0 = performance.now();
        const u = await this.usage();
        samples++;
        if (u.heap + u.buffers > peak) {
          peak = u.heap + u.buffers;
          at = u;
        }
        await new Promise((r) => setTimeout(r, Math.max(0, everyMs - (performance.now() - t0))));
      }
    })();
    return {
      stop: async () => {
        running = false;
        await loop;
        return { peak, at, samples };
      },
    };
  }

  async detach(): Promise<void> {
    await this.cdp.detach();
  }
}

interface CompactRun {
  readonly importMs: number;
  readonly runMs: number;
  readonly totalMs: number;
  readonly wall: number;
  readonly steps: number;
  readonly peak: number;
  readonly peakAt: { heap: number; buffers: number };
  readonly end: { heap: number; buffers: number };
  /** After the seeks (re-execution journals again the segments it passes). */
  readonly afterSeeks: { heap: number; buffers: number };
  /** The same after a full GC in the worker: what stays live. */
  readonly afterSeeksLive: { heap: number; buffers: number };
  /** The peak of the samples taken during the seeks. */
  readonly seekPeak: number;
  readonly samples: number;
  readonly seeks: { step: number; ms: number }[];
  readonly seekError: string | null;
  readonly seekSpent: number;
}

/** The worker's heap is sampled this often during the 24 GiB import and run (each sample is a CDP round trip into the worker). */
const SAMPLE_MS = 1000;

/** Seeks stop being started once they have taken this long (one into a dropped journal re-executes for many seconds). */
const SEEK_BUDGET_MS = 90_000;

/**
 * The 6.5 Mi-PFN dump imported with "then compact every zone on it" checked, End pressed as soon
 * as the import's first frame is painted, until the end's frame; the worker's heap sampled all the
 * while; then random seeks with the Timeline slider.
 */
async function compactRun(browser: Browser, url: string, dump: ImportDump): Promise<CompactRun> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  try {
    const page = await context.newPage();
    await page.goto(`${url}?test`);
    await page.waitForSelector('[data-testid=app][data-busy=false]');
    await page.evaluate(END_DRIVER);
    const heap = await WorkerHeap.attach(browser, url);
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await page.getByTestId('import-panel').waitFor();
    await page.getByLabel(/then compact every zone/).check();
    const sampler = heap.sample(SAMPLE_MS);
    const t0 = performance.now();
    const ended = page.evaluate('window.__bench.importThenEnd(600000)') as Promise<{ error?: string; importMs: number; runMs: number; totalMs: number; after: { step: string } }>;
    await page.getByTestId('import-input').setInputFiles([`${dump.prefix}.kpageflags`, `${dump.prefix}.kpagecount`]);
    const r = await ended;
    const wall = performance.now() - t0;
    const { peak, at, samples } = await sampler.stop();
    if (r.error) throw new Error(`browser import + Run to end: ${r.error}`);
    const nr = await page.getByTestId('app').getAttribute('data-nr-pfns');
    if (nr !== String(IMPORT_PFNS)) throw new Error(`browser import: the page shows ${nr} PFNs, expected ${IMPORT_PFNS}`);
    const end = await heap.usage();
    const seekSampler = heap.sample(SAMPLE_MS);
    const steps = Number(r.after.step);

    // Random seeks with the slider (the match report over the grid closed first, as a person would).
    await page.keyboard.press('Escape');
    const seeks: { step: number; ms: number }[] = [];
    let seekError: string | null = null;
    let spent = 0;
    let x = 13;
    while (seeks.length < 10 && spent < SEEK_BUDGET_MS) {
      x = (x * 1103515245 + 12345) >>> 0;
      const step = x % (steps + 1);
      const q = (await page.evaluate(`window.__bench.seek(${step}, 180000)`)) as { error?: string; ms: number };
      if (q.error) {
        seekError = `seek to ${step}: ${q.error}${q.ms ? ` after ${q.ms.toFixed(0)} ms` : ''}`;
        break;
      }
      seeks.push({ step, ms: q.ms });
      spent += q.ms;
    }
    const seekSamples = await seekSampler.stop();
    const afterSeeks = await heap.usage();
    const afterSeeksLive = await heap.liveUsage();
    await heap.detach();
    return {
      importMs: r.importMs, runMs: r.runMs, totalMs: r.totalMs, wall, steps, peak, peakAt: at, end, afterSeeks, afterSeeksLive, seekPeak: Math.max(seekSamples.peak, afterSeeks.heap + afterSeeks.buffers),
      samples: samples + seekSamples.samples, seeks, seekError, seekSpent: spent,
    };
  } finally {
    await context.close();
  }
}

function runLine(r: Run): string {
  return `p95 frame ${r.p95.toFixed(1)} ms, ${r.dropped}/${r.frames} frames late, main thread ${r.mainMs.toFixed(1)} ms/frame`;
}

/**
 * Gzipped bytes (level 9) of the JS files `fetched` (names in OUT_DIR/assets) and of every chunk
 * they import statically (a worker's own imports are not in the page's resource timing), and of
 * all the build's JS.
 */
function jsShipped(fetched: readonly string[]): { first: number; firstFiles: [string, number][]; all: number; nrAll: number } {
  const assets = join(OUT_DIR, 'assets');
  const gz = (f: string): number => gzipSync(readFileSync(join(assets, f)), { level: 9 }).length;
  const seen = new Set<string>();
  const todo = [...fetched];
  while (todo.length > 0) {
    const f = todo.pop()!;
    if (seen.has(f) || !existsSync(join(assets, f))) continue;
    seen.add(f);
    // Static imports only: `import"./x.js"`, `from"./x.js"` (an import("./x.js") has a parenthesis).
    for (const m of readFileSync(join(assets, f), 'utf8').matchAll(/(?:from|import)\s*["']\.\/([^"']+\.js)["']/g)) todo.push(m[1]!);
  }
  if (seen.size === 0) throw new Error(`the cold load fetched none of the build's JS (${fetched.join(', ') || 'nothing'})`);
  const firstFiles = [...seen].sort().map((f): [string, number] => [f, gz(f)]);
  const js = readdirSync(assets).filter((f) => f.endsWith('.js'));
  return { first: firstFiles.reduce((n, [, b]) => n + b, 0), firstFiles, all: js.reduce((n, f) => n + gz(f), 0), nrAll: js.length };
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

  const server = await preview({ logLevel: 'warn', build: { outDir: OUT_DIR }, preview: { host: HOST, port: 4181, strictPort: false } });
  const url = server.resolvedUrls?.local[0] ?? `http://${HOST}:4181/`;
  const browser = await chromium.launch({
    executablePath: exe,
    args: [`--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE ${HOST} , EXCLUDE localhost`],
  });
  try {
    // Cold load: a fresh context (empty cache) per load, navigation start to the grid's first frame.
    // The first one also names the JS it fetched before that frame (the page's resource timing,
    // which includes the sim worker's script).
    const loads: number[] = [];
    let fetched: string[] = [];
    for (let i = 0; i < 7; i++) {
      const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
      const p = await context.newPage();
      await p.goto(url);
      await p.waitForFunction(() => performance.getEntriesByName('pfnscope:first-frame').length > 0);
      const r = await p.evaluate(() => {
        const at = performance.getEntriesByName('pfnscope:first-frame')[0]!.startTime;
        return { at, js: performance.getEntriesByType('resource').filter((e) => e.startTime <= at && new URL(e.name).pathname.endsWith('.js')).map((e) => new URL(e.name).pathname) };
      });
      loads.push(r.at);
      if (i === 0) fetched = r.js.map((f) => f.slice(f.lastIndexOf('/') + 1));
      await context.close();
    }
    const shipped = jsShipped(fetched);
    figures.push({
      what: 'JS shipped, gzipped (cold load, first frame)',
      value: shipped.first / 1024, unit: 'KiB', target: 200, better: 'lower',
      note: `what a cold load of the default page fetches before its first frame, and the chunks those import statically: ${shipped.firstFiles.map(([f, b]) => `${f} ${(b / 1024).toFixed(1)}`).join(', ')} KiB`,
    });
    figures.push({ what: 'JS of the whole build, gzipped', value: shipped.all / 1024, unit: 'KiB', note: `${shipped.nrAll} chunks, every part loaded on first use and the compare worker included` });
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

    // Run to end of balloon-compaction (design.md: <= 1 s), from its link, End pressed once idle.
    try {
      const runs: EndRun[] = [];
      for (let i = 0; i < 3; i++) runs.push(await balloonRun(browser, url));
      const mid = [...runs].sort((a, b) => a.ms - b.ms)[1]!;
      figures.push({
        what: 'balloon-compaction Run to end, browser',
        value: mid.ms,
        unit: 'ms',
        target: T.balloonRunMs,
        better: 'lower',
        note: `median of ${runs.length}, fresh page each (${runs.map((r) => r.ms.toFixed(0)).join(', ')} ms): End key → the end's frame (step ${mid.after.step}); ` +
          `when End was pressed the look-ahead had computed ${runs.map((r) => `${r.before.frontier}${r.before.done === 'true' ? '' : '+'}`).join(', ')} steps`,
      });
    } catch (e) {
      figures.push({ what: 'balloon-compaction Run to end, browser', value: NaN, unit: 'ms', target: T.balloonRunMs, better: 'lower', note: `not measured: ${(e as Error).message.split('\n')[0]}` });
    }

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

      // compact_memory on it (design.md: <= 15 s and <= 2 GiB in the browser; then seek anywhere <= 200 ms).
      const MIB = 1 << 20;
      try {
        const c = await compactRun(browser, url, dump);
        figures.push({
          what: 'compact_memory 24 GiB import + Run to end, browser',
          value: c.totalMs,
          unit: 'ms',
          target: T.browserCompactMs,
          better: 'lower',
          note: `one run, fresh page: file input change → import's first paint ${c.importMs.toFixed(0)} ms, then End pressed in the page → the end's frame ${c.runMs.toFixed(0)} ms (step ${c.steps}); ${(c.wall / 1000).toFixed(1)} s wall from setInputFiles`,
        });
        figures.push({
          what: 'worker JS heap + array buffers, 24 GiB session',
          value: Math.max(c.peak, c.seekPeak) / MIB,
          unit: 'MiB',
          target: T.browserWorkerMiB,
          better: 'lower',
          note: `peak of ${c.samples} samples every ${SAMPLE_MS} ms or slower (CDP Runtime.getHeapUsage on the worker target: usedSize + backingStorageSize), over the import, Run to end and the seeks below; ` +
            `during import + run ${(c.peak / MIB).toFixed(0)} MiB (heap ${(c.peakAt.heap / MIB).toFixed(0)} + buffers ${(c.peakAt.buffers / MIB).toFixed(0)}), at the end heap ${(c.end.heap / MIB).toFixed(0)} + buffers ${(c.end.buffers / MIB).toFixed(0)}; ` +
            `during the seeks ${(c.seekPeak / MIB).toFixed(0)} MiB, after them heap ${(c.afterSeeks.heap / MIB).toFixed(0)} + buffers ${(c.afterSeeks.buffers / MIB).toFixed(0)}, live after a full GC heap ${(c.afterSeeksLive.heap / MIB).toFixed(0)} + buffers ${(c.afterSeeksLive.buffers / MIB).toFixed(0)} MiB`,
        });
        const worst = c.seeks.reduce((a, q) => (q.ms > a.ms ? q : a), c.seeks[0] ?? { step: -1, ms: NaN });
        figures.push({
          what: 'seek to any step of the 24 GiB run, browser',
          value: c.seekError ? NaN : worst.ms,
          unit: 'ms',
          target: T.seekAnyMs,
          better: 'lower',
          note: c.seekError
            ? `not measured: ${c.seekError} (after ${c.seeks.length} seeks: ${c.seeks.map((q) => q.ms.toFixed(0)).join(', ')} ms)`
            : `worst of ${c.seeks.length} random seeks${c.seeks.length < 10 ? ` (stopped after ${(c.seekSpent / 1000).toFixed(0)} s of seeking)` : ''}, Timeline slider input → that step's frame, to step ${worst.step}; ` +
              `median ${median(c.seeks.map((q) => q.ms)).toFixed(0)} ms; all: ${c.seeks.map((q) => q.ms.toFixed(0)).join(', ')} ms`,
        });
      } catch (e) {
        const why = `not measured: ${(e as Error).message.split('\n')[0]}`;
        figures.push({ what: 'compact_memory 24 GiB import + Run to end, browser', value: NaN, unit: 'ms', target: T.browserCompactMs, better: 'lower', note: why });
        figures.push({ what: 'worker JS heap + array buffers, 24 GiB session', value: NaN, unit: 'MiB', target: T.browserWorkerMiB, better: 'lower', note: why });
        figures.push({ what: 'seek to any step of the 24 GiB run, browser', value: NaN, unit: 'ms', target: T.seekAnyMs, better: 'lower', note: why });
      }
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
