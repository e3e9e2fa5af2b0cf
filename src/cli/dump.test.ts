// `--dump-kpage PREFIX` writes the reached state as a real machine's files; `--import PREFIX`
// reads them back to the same free memory.
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { parseArgs } from './args';
import { sim } from './sim.testkit';

const dir = mkdtempSync(join(tmpdir(), 'pfnscope-dump-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Free pages per zone read from buddyinfo text: sum of count << order. */
function freePages(buddyinfo: string): number[] {
  return buddyinfo.trim().split('\n').map((l) => l.replace(/^Node \d+, zone +\S+ /, '').trim().split(/ +/).reduce((s, c, o) => s + Number(c) * 2 ** o, 0));
}

test('--dump-kpage takes a prefix', () => {
  expect(parseArgs(['small', '--dump-kpage', 'x/m'])).toMatchObject({ dumpKpage: 'x/m' });
  expect(() => parseArgs(['--dump-kpage'])).toThrow(/--dump-kpage needs a file prefix/);
});

test('a dump of compact-memory at step 50 re-imports to the same free blocks per order and pageblock types', { timeout: 120_000 }, () => {
  const prefix = join(dir, 'm');
  const run = sim('compact-memory', '--until', '50', '--dump-kpage', prefix, '--buddyinfo', '--pagetypeinfo');
  expect(run.err).toBe('');
  expect(run.code).toBe(0);
  const buddy = readFileSync(prefix + '.buddyinfo', 'utf8');
  expect(run.out).toBe(buddy + readFileSync(prefix + '.pagetypeinfo', 'utf8'));
  expect(readFileSync(prefix + '.zoneinfo', 'utf8')).toMatch(/^Node 0, zone +DMA\n {2}pages free +\d+\n/);

  // The binary files: a u64 per PFN; the pages with KPF_BUDDY (bit 10 in
  // include/uapi/linux/kernel-page-flags.h), read little-endian, are buddyinfo's free pages.
  const flags = readFileSync(prefix + '.kpageflags');
  expect(statSync(prefix + '.kpagecount').size).toBe(flags.length);
  expect(flags.length % 8).toBe(0);
  let buddyPages = 0;
  for (let off = 0; off < flags.length; off += 8) if (flags.readBigUInt64LE(off) & (1n << 10n)) buddyPages++;
  expect(buddyPages).toBeGreaterThan(0);
  expect(buddyPages).toBe(freePages(buddy).reduce((a, b) => a + b, 0));

  const back = sim('--import', prefix, '--buddyinfo', '--pagetypeinfo', '--summary');
  expect(back.err).toBe('');
  expect(back.code).toBe(0);
  const lines = back.out.trimEnd().split('\n');
  const summary = JSON.parse(lines.pop()!) as { import: { pfns: number; freeByOrder: { rebuilt: number[]; given?: number[] }[] } };
  expect(lines.join('\n') + '\n').toBe(run.out); // buddyinfo and pagetypeinfo equal
  expect(summary.import.pfns).toBe(flags.length / 8);
  for (const z of summary.import.freeByOrder) expect(z.rebuilt).toEqual(z.given);
});

test('--dump-kpage into a folder that does not exist: one line, exit 2', { timeout: 120_000 }, () => {
  const r = sim('small', '--dump-kpage', join(dir, 'no/such/m'));
  expect(r.code).toBe(2);
  expect(r.err).toMatch(/^pfnscope: --dump-kpage: cannot write .*no\/such\/m\.kpageflags: ENOENT\n$/);
});
