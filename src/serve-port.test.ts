// `npm run preview` moves to another port when 4173 is taken and prints it (vite.config.ts, as
// `npm run dev` does: e2e/deploy.spec.ts), while the e2e webServer (playwright.config.ts), which
// passes --strictPort, keeps to its exact port and stops rather than test another server. Both
// run vite preview for real, on a throwaway dist folder (PFNSCOPE_OUTDIR) holding one page.

import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const PAGE = '<!doctype html><title>pfnscope preview probe</title>';
let dist = '';
let blocker: Server;

beforeAll(async () => {
  dist = mkdtempSync(join(tmpdir(), 'pfnscope-preview-'));
  writeFileSync(join(dist, 'index.html'), PAGE);
  // Take 4173 (if another program already holds it, it is taken all the same).
  blocker = createServer();
  await new Promise<void>((ok) => blocker.once('error', () => ok()).listen(4173, '127.0.0.1', ok));
});
afterAll(() => {
  blocker.close();
  rmSync(dist, { recursive: true, force: true });
});

/**
 * Run `cmd` in its own process group until it prints a Local: URL (then `use` it while it serves)
 * or exits; what it printed, the URL if any, the exit code if it exited.
 */
async function serve(cmd: string, args: string[], use: (url: string) => Promise<void> = async () => undefined): Promise<{ url?: string; exit?: number | null; out: string }> {
  const child = spawn(cmd, args, { cwd: ROOT, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, PFNSCOPE_OUTDIR: dist } });
  let out = '';
  try {
    const r = await new Promise<{ url?: string; exit?: number | null }>((ok) => {
      const read = (b: Buffer): void => {
        out += b.toString();
        // eslint-disable-next-line no-control-regex
        const m = /Local:\s+(http:\/\/\S+)/.exec(out.replace(/\x1b\[[0-9;]*m/g, ''));
        if (m) ok({ url: m[1]! });
      };
      child.stdout.on('data', read);
      child.stderr.on('data', read);
      child.once('exit', (code) => ok({ exit: code }));
    });
    if (r.url) await use(r.url);
    return { ...r, out };
  } finally {
    if (child.exitCode === null) process.kill(-child.pid!, 'SIGTERM'); // npm, its shell and vite: the whole group
  }
}

describe('the preview server\'s port', () => {
  test('npm run preview moves to another port when 4173 is taken, and says which', async () => {
    const r = await serve('npm', ['run', 'preview'], async (url) => {
      expect(new URL(url).port).not.toBe('4173');
      const res = await fetch(url);
      expect(res.status).toBe(200);
      expect(await res.text()).toBe(PAGE);
    });
    expect(r.url, r.out).toBeDefined();
  }, 120_000);

  test('the e2e webServer\'s preview keeps to its port: with --strictPort and the port taken, it stops and names the port', async () => {
    const config = readFileSync(join(ROOT, 'playwright.config.ts'), 'utf8');
    expect(config).toContain('npx vite preview --port ${PORT} --strictPort --host ${HOST}');
    expect(config).toContain('npx vite --port ${PORT} --strictPort --host ${HOST}');
    const r = await serve(process.execPath, [join(ROOT, 'node_modules/vite/bin/vite.js'), 'preview', '--port', '4173', '--strictPort', '--host', '127.0.0.1']);
    expect(r.url, r.out).toBeUndefined();
    expect(r.exit).not.toBe(0);
    expect(r.out).toContain('Port 4173 is already in use');
  }, 120_000);
});
