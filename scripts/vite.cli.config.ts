// The installable CLI: src/cli/main.ts bundled with everything it imports (zod, fflate and the
// kernel/engine code) into one ES module, dist-cli/pfnscope.js, that runs on Node alone — no tsx,
// no TypeScript and no dependencies at run time. `npm pack` builds it (prepack); `npm run sim`
// stays the development entry.
import { chmodSync } from 'node:fs';
import { join } from 'node:path';
import { defineConfig } from 'vite';

export default defineConfig({
  // npm makes a bin executable when it installs it; this makes dist-cli/pfnscope.js runnable in place.
  plugins: [{ name: 'pfnscope-executable', writeBundle(opts) { chmodSync(join(opts.dir ?? 'dist-cli', 'pfnscope.js'), 0o755); } }],
  // No public/ copy and no .env lookups: the CLI has no web assets.
  publicDir: false,
  ssr: { noExternal: true, target: 'node' },
  build: {
    ssr: 'src/cli/main.ts',
    outDir: 'dist-cli',
    emptyOutDir: true,
    target: 'node20',
    minify: false,
    sourcemap: false,
    rollupOptions: {
      output: { entryFileNames: 'pfnscope.js', banner: '#!/usr/bin/env node', format: 'es', codeSplitting: false },
    },
  },
});
