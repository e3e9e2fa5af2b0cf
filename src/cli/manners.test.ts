// Unix manners of the CLI: a closed pipe ends the run quietly, --help names every option the
// parser takes, --version is package.json's.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { parseArgs, UsageError, USAGE } from './args';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const MAIN = ['--import', 'tsx', 'src/cli/main.ts'];

/** The options the parser's switch accepts, read from its source: a new case must reach USAGE. */
function parserOptions(): string[] {
  const src = readFileSync(new URL('./args.ts', import.meta.url), 'utf8');
  return [...new Set([...src.matchAll(/case '(-[-a-zA-Z]+)'/g)].map((m) => m[1]!))];
}

describe('--help', () => {
  test('the parser accepts every option read from its source (so the list below is the real one)', () => {
    const opts = parserOptions();
    expect(opts.length).toBeGreaterThan(20);
    for (const o of opts) {
      let err: unknown;
      try {
        parseArgs([o, 'linux-6.18,no-refcount', '--sweep-schedules']);
      } catch (e) {
        err = e;
      }
      // A value it did not like is fine; "unknown option" would mean the regexp read something else.
      if (err) expect((err as Error).message, o).not.toMatch(/unknown option/);
    }
  });
  test.each(parserOptions())('USAGE lists %s', (opt) => {
    expect(USAGE).toMatch(new RegExp(`(^|[\\s,])${opt.replace(/-/g, '\\-')}(?![-a-zA-Z])`, 'm'));
  });
  test('an option missing from the parser is still a usage error', () => {
    expect(() => parseArgs(['--no-such-option'])).toThrow(UsageError);
  });
});

describe('process manners', () => {
  test('--version prints package.json\'s version', { timeout: 120_000 }, () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    const r = spawnSync(process.execPath, [...MAIN, '--version'], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`pfnscope ${pkg.version}\n`);
    expect(parseArgs(['-V']).version).toBe(true);
  });

  test('a reader that closes the pipe after one line: exit 0, nothing on stderr', { timeout: 120_000 }, async () => {
    // balloon-compaction --trace writes about 240,000 lines: far more than a pipe buffer holds,
    // so the CLI is still writing when the reader goes away.
    const child = spawn(process.execPath, [...MAIN, 'balloon-compaction', '--trace'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let first = '';
    let err = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      if (first.includes('\n')) return;
      first += d;
      if (first.includes('\n')) child.stdout.destroy();
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    expect(first.split('\n')[0]).toMatch(/mm_page_free: /);
    expect(err).toBe('');
    expect(code).toBe(0);
  });
});
