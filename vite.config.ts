/// <reference types="vitest/config" />
import { defineConfig, type Plugin } from 'vite';
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

export default defineConfig({
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
  test: {
    include: ['src/**/*.test.ts'], environment: 'node', testTimeout: 300_000, hookTimeout: 300_000,
    maxWorkers: Math.max(2, availableParallelism() - 1),
  },
});
