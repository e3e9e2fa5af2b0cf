/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// Cross-origin isolation gives performance.now() 5 µs resolution instead of 100 µs (toolchain.md §4.12).
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  plugins: [react()],
  worker: { format: 'es' },
  // PFNSCOPE_OUTDIR lets two e2e runs build side by side without overwriting each other's dist/.
  build: { outDir: process.env.PFNSCOPE_OUTDIR ?? 'dist' },
  server: { port: 5173, strictPort: true, host: '127.0.0.1', headers: isolation },
  preview: { port: 4173, strictPort: true, host: '127.0.0.1', headers: isolation },
  // CI shares two cores with whatever else runs: no test may fail for the machine's speed, so the
  // default 5 s limit (hit by CLI tests that spawn Node) gives way to a generous one.
  test: { include: ['src/**/*.test.ts'], environment: 'node', testTimeout: 300_000, hookTimeout: 300_000 },
});
