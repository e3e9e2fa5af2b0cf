// `npm pack` makes an installable CLI: the tarball installed into an empty folder, with no
// network, gives a `pfnscope` command that runs the built JavaScript on Node alone and prints
// what the in-repo CLI (run.ts over src/, in-process) prints.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, test } from 'vitest';
import { sim } from './sim.testkit';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'pfnscope-pack-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function run(cmd: string, args: readonly string[], cwd: string): { code: number | null; out: string; err: string } {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', timeout: 240_000, maxBuffer: 64 << 20 });
  return { code: r.status, out: r.stdout, err: r.stderr + (r.error ? String(r.error) : '') };
}

test('the packed tarball installs offline and its pfnscope prints what the in-repo CLI prints', { timeout: 300_000 }, () => {
  const pack = run('npm', ['pack', '--pack-destination', tmp, '--silent'], ROOT);
  expect(pack.code, pack.err).toBe(0);
  const tgz = readdirSync(tmp).filter((f) => f.endsWith('.tgz'));
  expect(tgz).toHaveLength(1);

  const app = join(tmp, 'app');
  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), '{"name":"pfnscope-install-check","private":true}\n');
  const install = run('npm', ['install', '--offline', '--no-audit', '--no-fund', join(tmp, tgz[0]!)], app);
  expect(install.code, install.err).toBe(0);
  // Nothing but the package itself: no tsx, no TypeScript, no dependencies at run time.
  expect(readdirSync(join(app, 'node_modules')).filter((f) => !f.startsWith('.'))).toEqual(['pfnscope']);
  const installed = join(app, 'node_modules', 'pfnscope');
  expect(readdirSync(join(installed, 'dist-cli'))).toEqual(['pfnscope.js']);
  const manifest = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as { bin: Record<string, string>; dependencies?: object };
  expect(manifest.bin).toEqual({ pfnscope: 'dist-cli/pfnscope.js' });
  expect(manifest.dependencies).toBeUndefined();

  const bin = join(app, 'node_modules', '.bin', 'pfnscope');
  for (const args of [['--list-presets'], ['compact-memory', '--until', '50', '--buddyinfo'], ['--version']]) {
    const packed = run(bin, args, app);
    // The in-repo CLI in-process (sim.testkit.ts: run.ts, as main.ts runs it), not a tsx process
    // per call: the packed command is the process under test here.
    const dev = sim(...args);
    expect(packed.err, args.join(' ')).toBe('');
    expect(packed.code).toBe(0);
    expect(dev.code).toBe(0);
    expect(packed.out.length).toBeGreaterThan(10);
    expect(packed.out, args.join(' ')).toBe(dev.out);
  }
  // Bad input keeps its one line and exit 2 in the built CLI too.
  const bad = run(bin, ['--bogus'], app);
  expect(bad.code).toBe(2);
  expect(bad.err).toBe('pfnscope: unknown option --bogus (try --help)\n');
});
