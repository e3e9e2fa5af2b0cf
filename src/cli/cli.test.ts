import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { parseArgs, UsageError } from './args';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function sim(...args: string[]): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { cwd: ROOT, encoding: 'utf8' });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

describe('argument parsing', () => {
  test('defaults to the default preset and no views', () => {
    expect(parseArgs([])).toMatchObject({ source: 'default', buddyinfo: false, pagetypeinfo: false, summary: false });
  });
  test('takes a source and the view flags in any order', () => {
    expect(parseArgs(['--summary', 'small', '--buddyinfo'])).toMatchObject({ source: 'small', buddyinfo: true, summary: true });
  });
  test('an unknown option or two sources is a usage error', () => {
    expect(() => parseArgs(['--frobnicate'])).toThrow(UsageError);
    expect(() => parseArgs(['a.json', 'b.json'])).toThrow(/more than one SOURCE/);
  });
});

describe('npm run sim', () => {
  test('prints /proc/buddyinfo and a summary whose free areas match it', () => {
    const r = sim('small', '--buddyinfo', '--summary');
    expect(r.code).toBe(0);
    const lines = r.out.trimEnd().split('\n');
    const summary = JSON.parse(lines.pop()!) as { freeArea: Record<string, number[]>; classes: Record<string, number>; stateHash: string };
    expect(lines).toHaveLength(2);
    for (const line of lines) {
      const m = /^Node 0, zone +(\w+) ((?: +\d+ ){11})$/.exec(line);
      expect(m, line).not.toBeNull();
      expect(line.slice(0, 22)).toMatch(/^Node 0, zone [ A-Za-z0-9]{8} $/);
      expect(m![2]!.trim().split(/ +/).map(Number)).toEqual(summary.freeArea[m![1]!]);
    }
    expect(Object.values(summary.classes).reduce((a, b) => a + b, 0)).toBe(8192);
    expect(summary.stateHash).toMatch(/^[0-9a-f]{16}$/);
  });

  test('the same scenario from a file gives the same state hash as the preset', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pfnscope-cli-'));
    const file = join(dir, 's.json');
    writeFileSync(file, JSON.stringify({ v: 1, name: 'small', memory: { pfns: 8192 }, seed: 7, populate: { processes: 6, files: 12 } }));
    const a = JSON.parse(sim(file, '--summary').out) as { stateHash: string };
    const b = JSON.parse(sim('small', '--summary').out) as { stateHash: string };
    expect(a.stateHash).toBe(b.stateHash);
  });

  test.each([
    [['nope'], /^pfnscope: unknown preset "nope"/],
    [['--bogus'], /^pfnscope: unknown option --bogus/],
    [['/nonexistent/x.json'], /^pfnscope: cannot read scenario file \/nonexistent\/x\.json: ENOENT/],
  ])('bad input %j: one line on stderr, exit 2', (args, message) => {
    const r = sim(...args);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
    expect(r.err.trimEnd().split('\n')).toHaveLength(1);
    expect(r.out).toBe('');
  });

  test('a malformed scenario file names the field', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pfnscope-cli-'));
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ v: 1, memory: { pfns: 1000 }, seed: 1 }));
    const r = sim(file);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/memory\.pfns: at least 2048 PFNs/);
  });
});
