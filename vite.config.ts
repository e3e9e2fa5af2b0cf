/// <reference types="vitest/config" />
import { defineConfig, type Plugin, type UserConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { availableParallelism } from 'node:os';

// Cross-origin isolation gives performance.now() 5 µs resolution instead of 100 µs (toolchain.md §4.12).
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/** precache.json: every file the build wrote, which the service worker (public/sw.js) caches on install. */
function precacheList(): Plugin {
  return {
    name: 'pfnscope-precache-list',
    apply: 'build',
    enforce: 'post',
    generateBundle(_options, bundle) {
      const files = Object.keys(bundle).filter((f) => !f.endsWith('.map')).sort();
      this.emitFile({ type: 'asset', fileName: 'precache.json', source: JSON.stringify(files) });
    },
  };
}

/** Test files that replace a module (vi.mock) or load one afresh (vi.resetModules): they need Vite's module runner and a fresh module graph each (see test.projects). */
const MOCKING = ['src/engine/sweep-bug.test.ts', 'src/worker/host.fatal.test.ts', 'src/worker/host.footprint.test.ts', 'src/worker/host.failure.test.ts', 'src/playwright-config.test.ts'];

// Vitest runs with mode 'test': only then is its sequencer loaded (importing vitest/node costs
// every `vite build` and `npm run dev` about a second).
export default defineConfig(async ({ mode }): Promise<UserConfig> => ({
  // Relative base: the built dist/ works from any sub-path (a static host's /some/path/), not only from /.
  base: './',
  plugins: [react(), precacheList()],
  worker: { format: 'es' },
  // PFNSCOPE_OUTDIR lets two e2e runs build side by side without overwriting each other's dist/.
  build: { outDir: process.env.PFNSCOPE_OUTDIR ?? 'dist' },
  // No strictPort: when 5173 (4173) is taken, `npm run dev` (`npm run preview`) takes the next free
  // port and prints it. The e2e webServer passes --strictPort itself, to test the port it was given.
  server: { port: 5173, host: '127.0.0.1', headers: isolation },
  preview: { port: 4173, host: '127.0.0.1', headers: isolation },
  // CI shares two cores with whatever else runs: no test may fail for the machine's speed, so the
  // default 5 s limit (hit by CLI tests that spawn Node) gives way to a generous one. Vitest's
  // default of one worker per core but one leaves a 2-core CI machine one worker: two files at a
  // time took the suite from 435 s to 335 s there (every file is CPU-bound, none waits on I/O).
  // Most files run on Node's own ES modules, with tsx loading the TypeScript (no Vite module
  // runner: it turns every read of an imported name into a getter call, which cost the kernel's
  // hot loops about a quarter of their time), and share a worker's module cache (isolate: false:
  // re-importing the kernel, engine and presets for each of ~140 files cost about 40% of the CPU
  // of the small files). A file that replaces or reloads a module needs the runner and its own
  // module graph: it runs in the isolated project, so a mock cannot reach another file.
  test: {
    environment: 'node', testTimeout: 300_000, hookTimeout: 300_000,
    maxWorkers: Math.max(2, availableParallelism() - 1),
    // Longest files first, from measured durations: a fresh clone has none and orders by size.
    ...(mode === 'test' ? { sequence: { sequencer: (await import('./scripts/vitest-order.ts')).LongestFirst } } : {}),
    projects: [
      {
        extends: true,
        test: {
          name: 'shared', include: ['src/**/*.test.ts'], exclude: MOCKING, isolate: false,
          // A 64 MB young generation (Node 20's default is 16): runs that record steps allocate
          // fast and mostly garbage; scavenging 4× less often cut GC pauses by ~40% on runs of
          // balloon-compaction and compact-memory (1,256-1,402 ms against 2,016-3,120).
          execArgv: ['--import', 'tsx', '--max-semi-space-size=64'], experimental: { viteModuleRunner: false },
          // populated kernels kept and copied across the worker's files (src/vitest.setup.ts)
          setupFiles: ['src/vitest.setup.ts'],
        },
      },
      { extends: true, test: { name: 'isolated', include: MOCKING } },
    ],
  },
}));
