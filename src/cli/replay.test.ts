// `npm run sim -- --replay FILE` and `--predict FILE`, end to end through the CLI: the recorded
// lines come back with --trace, --summary counts them, gzip is read, bad files fail in one line.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, test } from 'vitest';
import { parseArgs } from './args';
import { needCapture } from '../reference.testkit';
import { sim } from './sim.testkit';

const REAL = fileURLToPath(new URL('../../../shared/reference/real-kernel/', import.meta.url));

const LINES = [
  'init-1       [001] .....    18.973905: mm_compaction_begin: zone_start=0x1000 migrate_pfn=0x1000 free_pfn=0x1fe00 zone_end=0x1ffdd, mode=sync',
  'init-1       [001] .....    18.984867: mm_migrate_pages: nr_succeeded=30 nr_failed=2 nr_thp_succeeded=0 nr_thp_failed=0 nr_thp_split=0 mode=MIGRATE_SYNC reason=compaction',
  'init-1       [001] .....    19.395436: mm_compaction_end: zone_start=0x1000 migrate_pfn=0xb200 free_pfn=0xb200 zone_end=0x1ffdd, mode=sync status=complete',
];

// Each run spawns tsx (~1 s, more on a busy machine).
const SPAWN_TIMEOUT = 60_000;

describe('npm run sim -- --replay', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pfnscope-replay-'));
  const plain = join(dir, 'trace.txt');
  writeFileSync(plain, `# tracer: nop\n${LINES.map((l) => '   ' + l).join('\n')}\n`);
  const gz = join(dir, 'trace.txt.gz');
  writeFileSync(gz, gzipSync(`${LINES.join('\n')}\n`));

  test('parses the options', () => {
    expect(parseArgs(['--replay', 't.txt', '--vmemmap-base', 'ffd4000000000000', '--predict=a.buddyinfo'])).toMatchObject({ replay: 't.txt', vmemmapBase: 0xffd4000000000000n, predict: 'a.buddyinfo' });
    expect(() => parseArgs(['--replay'])).toThrow(/--replay needs an ftrace text file/);
    expect(() => parseArgs(['--vmemmap-base', '0xzz'])).toThrow(/hexadecimal/);
  });

  test('--trace prints the recorded lines and --summary the counts, from text or gzip', () => {
    const r = sim('--replay', plain, '--trace');
    expect(r.code).toBe(0);
    expect(r.out.trimEnd().split('\n')).toEqual(LINES);
    const s = JSON.parse(sim('small', '--replay', gz, '--summary').out) as { steps: number; migrated: number; failed: number; replay: { counts: Record<string, number> } };
    expect(s).toMatchObject({ steps: 3, migrated: 30, failed: 2 });
    expect(s.replay.counts).toEqual({ mm_compaction_begin: 1, mm_migrate_pages: 1, mm_compaction_end: 1 });
  }, SPAWN_TIMEOUT);

  test('a file that is not a trace, or is missing, fails with one line and exit code 2', () => {
    const notTrace = join(dir, 'x.json');
    writeFileSync(notTrace, '{"v":1}');
    for (const file of [notTrace, join(dir, 'missing.txt')]) {
      const r = sim('--replay', file);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(/^pfnscope: (x\.json is not an ftrace text|cannot read trace .*missing\.txt: ENOENT)/);
      expect(r.err.trim().split('\n')).toHaveLength(1);
    }
  }, SPAWN_TIMEOUT);

  needCapture(REAL + 'balloon-compact/trace.txt.gz', REAL + 'balloon-compact/summary.json').test('replays a real capture: the trace\'s own migration totals', () => {
    const s = JSON.parse(sim('--replay', REAL + 'balloon-compact/trace.txt.gz', '--summary').out) as { steps: number; migrated: number; failed: number; replay: { vmemmapBase: string } };
    // The totals, read from the trace text here: one step per event line, and mm_migrate_pages'
    // nr_succeeded / nr_failed summed (the capture's summary.json gives the same sums).
    const events = gunzipSync(readFileSync(REAL + 'balloon-compact/trace.txt.gz')).toString('utf8').split('\n').filter((l) => l.trim() && !l.startsWith('#'));
    const sum = (key: string): number => events.filter((l) => l.includes(' mm_migrate_pages: '))
      .reduce((n, l) => n + Number(new RegExp(`${key}=(\\d+)`).exec(l)![1]), 0);
    const totals = (JSON.parse(readFileSync(REAL + 'balloon-compact/summary.json', 'utf8')) as { mm_migrate_pages_totals: { nr_succeeded: number; nr_failed: number } }).mm_migrate_pages_totals;
    expect({ migrated: sum('nr_succeeded'), failed: sum('nr_failed') }).toEqual({ migrated: totals.nr_succeeded, failed: totals.nr_failed });
    expect(s).toMatchObject({ steps: events.length, migrated: sum('nr_succeeded'), failed: sum('nr_failed'), replay: { vmemmapBase: '0xffd4000000000000' } });
  }, SPAWN_TIMEOUT);
});

describe('npm run sim -- --predict', () => {
  test('prints per zone the simulated and the real free blocks, their difference and the total error', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pfnscope-predict-'));
    const real = join(dir, 'after.buddyinfo');
    const own = sim('small', '--buddyinfo').out;
    // The "real" file: the model's own buddyinfo with DMA32 changed by hand, 10 more order-0
    // blocks and one order-3 block fewer. Simulated − real is then -10 at order 0 and +1 at
    // order 3: Σ|Δ × 2^order| = 10 + 8 = 18 pages, of real free pages = ours + 10 - 8.
    const rows = own.trim().split('\n').map((l) => l.trim().split(/\s+/));
    const dma32 = rows.find((r) => r[3] === 'DMA32')!;
    expect(Number(dma32[4 + 3])).toBeGreaterThan(0);
    dma32[4] = String(Number(dma32[4]) + 10);
    dma32[4 + 3] = String(Number(dma32[4 + 3]) - 1);
    writeFileSync(real, rows.map((r) => r.join(' ')).join('\n') + '\n');
    const ours = rows.flatMap((r) => r.slice(4).map((n, o) => Number(n) * 2 ** o)).reduce((a, b) => a + b, 0) - 10 + 8;
    const r = sim('small', '--predict', real);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/prediction against .*after\.buddyinfo/);
    expect(r.out).toMatch(/^DMA32 Δ +-10 +0 +0 +\+1 +0 +0 +0 +0 +0 +0 +0$/m);
    expect(r.out).toMatch(/^DMA Δ +(0 +){10}0$/m);
    expect(r.out).toContain(`free pages: simulated ${ours}, real ${ours + 2}; Σ|Δ blocks × 2^order| = 18 pages = ${((18 / (ours + 2)) * 100).toFixed(1)} % of the real free pages`);
    // The model's own buddyinfo predicts itself exactly.
    writeFileSync(real, own);
    expect(sim('small', '--predict', real).out).toMatch(/Σ\|Δ blocks × 2\^order\| = 0 pages = 0\.0 % of the real free pages/);
    writeFileSync(real, 'Node 0, zone DMA 1 2\n');
    const bad = sim('small', '--predict', real);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/^pfnscope: .*after\.buddyinfo: buddyinfo line 1: 2 orders/);
  }, SPAWN_TIMEOUT);
});
