import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { parseArgs, UsageError } from './args';
import { sim } from './sim.testkit';


describe('argument parsing', () => {
  test('defaults to the default preset and no views', () => {
    expect(parseArgs([])).toMatchObject({ source: 'default', buddyinfo: false, pagetypeinfo: false, summary: false });
  });
  test('takes a source and the view flags in any order', () => {
    expect(parseArgs(['--summary', 'small', '--buddyinfo'])).toMatchObject({ source: 'small', buddyinfo: true, summary: true });
  });
  test('takes --until, --seek lists and both option spellings', () => {
    expect(parseArgs(['x.json', '--until', '7', '--seek=3,0,12', '--hash', '--trace'])).toMatchObject({ source: 'x.json', until: 7, seek: [3, 0, 12], hash: true, trace: true });
    expect(() => parseArgs(['--until'])).toThrow(/--until needs a step number/);
    expect(() => parseArgs(['--seek', '1,x'])).toThrow(/--seek needs a step number/);
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

  test('--seek visits steps in order and --hash prints each; the same steps reached directly agree', () => {
    const seekRun = sim('buddy-split-merge', '--seek', '18,3,21,0', '--hash');
    expect(seekRun.code).toBe(0);
    const hashes = seekRun.out.trim().split('\n');
    expect(hashes).toHaveLength(4);
    for (const [i, n] of [18, 3, 21, 0].entries()) {
      const direct = sim('buddy-split-merge', '--until', String(n), '--hash');
      expect(direct.out.trim(), `step ${n}`).toBe(hashes[i]);
    }
  });

  test('--trace prints ftrace-format lines whose timestamp is the step id', () => {
    const r = sim('buddy-split-merge', '--until', '6', '--trace');
    const lines = r.out.trim().split('\n');
    for (const l of lines) expect(l).toMatch(/^ *[a-z]+-\d+ +\[000\] \.{5} +[1-6]\.000000: [a-z_]+: /);
    const allocAt = lines.findIndex((l) => / __alloc_pages: /.test(l));
    expect(lines.some((l) => / mm_page_alloc: page=ffffea[0-9a-f]+ pfn=0x[0-9a-f]+ order=4 migratetype=0 gfp_flags=GFP_KERNEL\|__GFP_COMP$/.test(l))).toBe(true);
    expect(lines[allocAt]).toMatch(/__alloc_pages: ret=0x[0-9a-f]+ \[pfn=0x[0-9a-f]+ refcount=1 mapcount=0\]$/);
    expect(lines[allocAt - 1]).toMatch(/ mm_page_alloc: /);
  });

  test('--summary reports the whole timeline and the migration counters; a share URL opens at its step', () => {
    const sum = JSON.parse(sim('buddy-split-merge', '--summary').out) as { steps: number };
    expect(sum).toMatchObject({ step: sum.steps, migrated: 0, failed: 0 });
    expect(sum.steps).toBeGreaterThan(10);
    const url = JSON.parse(sim('#preset=buddy-split-merge&step=5', '--summary').out) as Record<string, unknown>;
    expect(url).toMatchObject({ steps: sum.steps, step: 5 });
    const lru = JSON.parse(sim('lru-anon', '--summary').out) as Record<string, unknown>;
    expect(lru).toMatchObject({ migrated: 1, failed: 0 });
    const direct = sim('buddy-split-merge', '--until', '5', '--hash').out.trim();
    expect(url.stateHash).toBe(direct);
  });

  test('--footprint counts the refcount atomics per migrated page as the kernel code does them', () => {
    // lru-anon: folio_isolate_lru get, 2× folio_put in try_to_migrate_one, set_page_refcounted on
    // dst, folio_add_lru's folio_get and folios_put (lru_cache_disable() moves the batch at once),
    // 2× folio_get in remove_migration_pte, folio_put(dst), folio_put(src) = 10.
    const anon = sim('lru-anon', '--footprint');
    expect(anon.code).toBe(0);
    expect(anon.out).toMatch(/^linux-6\.18 atomics=10$/m);
    expect(anon.out).toMatch(/^linux-6\.18 _refcount reads=\d+(\.\d+)? writes=10$/m);
    // balloon: isolate_movable_ops_page get, dst refcounted, get_page(dst), put_page(src),
    // folio_put(dst), folio_put(src) = 6.
    expect(sim('balloon-migrate', '--footprint').out).toMatch(/^linux-6\.18 atomics=6$/m);
    const lines = anon.out.trim().split('\n');
    const atomics = lines.indexOf('linux-6.18 atomics=10');
    for (const l of lines.slice(0, atomics)) expect(l).toMatch(/^linux-6\.18 [a-z_]+ reads=[\d.]+ writes=[\d.]+$/);
    // Then the split by what the page was when touched (engine/footprint.test.ts checks the values).
    for (const l of lines.slice(atomics + 1)) expect(l).toMatch(/^linux-6\.18 \[(offline|isolated|buddy|other)\] [a-z_]+ reads=[\d.]+ writes=[\d.]+$/);
    const unknown = sim('lru-anon', '--variant', 'linux-5.4', '--footprint');
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(/variant "linux-5.4" is not modelled yet/);
  });

  test.each([
    [['buddy-split-merge', '--until', '999'], /^pfnscope: step 999 is past the end of the timeline \(\d+ steps\)/],
    [['#s=%%%'], /^pfnscope: the scenario payload is not base64url/],
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
