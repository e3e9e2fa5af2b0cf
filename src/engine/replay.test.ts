// Replaying the real traces in ../shared/reference/real-kernel (Linux 6.1 guests, compact_memory):
// the steps against the trace's own counts (summary.json, the capture READMEs), the migrations
// against migrations.csv, the counters against the guest's /proc/vmstat after the run, the
// scanners against the last mm_compaction_end, and the memory left as it was.
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, test } from 'vitest';
import { activeScanners, MAX_CC, SCAN_N } from '../kernel/compaction-state';
import { PG, PGTY } from '../kernel/flags';
import { importDump } from '../kernel/import/rebuild';
import { checkInvariants } from '../kernel/invariants';
import { freePageMap } from '../kernel/procfs';
import { populate } from '../kernel/populate';
import { stateHash } from '../kernel/store';
import { VM_EVENT, VM_EVENT_NAMES } from '../kernel/vmstat';
import { findPreset } from './presets';
import { openReplaySession, REPLAYED } from './replay';
import { parseTrace } from './replay-parse';
import { populateSpecOf } from './scenario';
import { runToEnd, seek, allSteps } from './timeline';
import { traceLines } from './trace';
import { needCapture, REFERENCE } from '../reference.testkit';

const REAL = REFERENCE + 'real-kernel/';
const CAPTURES = ['balloon-compact', 'fragmented-compact'] as const;
const traces = needCapture(...CAPTURES.flatMap((c) => ['trace.txt.gz', 'summary.json', 'after.vmstat', 'migrations.csv'].map((f) => `${REAL}${c}/${f}`)));
const haveReal = traces.have;
const traceAndDump = needCapture(...CAPTURES.flatMap((c) => ['trace.txt.gz', 'before.kpageflags', 'before.kpagecount', 'before.buddyinfo', 'before.pagetypeinfo', 'before.zoneinfo'].map((f) => `${REAL}${c}/${f}`)));

interface Summary {
  readonly vmemmap_base: string;
  readonly trace_event_counts: Record<string, number>;
  readonly mm_migrate_pages_totals: { nr_succeeded: number; nr_failed: number };
  readonly compaction_end: { migrate_pfn: string; free_pfn: string }[];
}

/**
 * The trace counted straight from its text, independently of replay-parse.ts: the event name of
 * each line (`… TIMESTAMP: NAME: fields`, kprobe events included), and nr_succeeded / nr_failed
 * summed over the mm_migrate_pages lines. The oracle the replay's numbers are held to, with
 * summary.json (made by the capture's own scripts) checked against it too.
 */
function countTrace(text: string): { lines: number; counts: Record<string, number>; nr_succeeded: number; nr_failed: number } {
  const counts: Record<string, number> = {};
  let lines = 0;
  let nr_succeeded = 0;
  let nr_failed = 0;
  for (const line of text.split('\n')) {
    if (!line.trim() || line.startsWith('#')) continue;
    const m = /\s\d+\.\d+: ([a-z_]+): (.*)$/.exec(line)!;
    lines++;
    counts[m[1]!] = (counts[m[1]!] ?? 0) + 1;
    if (m[1] === 'mm_migrate_pages') {
      nr_succeeded += Number(/\bnr_succeeded=(\d+)/.exec(m[2]!)![1]);
      nr_failed += Number(/\bnr_failed=(\d+)/.exec(m[2]!)![1]);
    }
  }
  return { lines, counts, nr_succeeded, nr_failed };
}

function openCapture(name: string) {
  const dir = `${REAL}${name}/`;
  const text = gunzipSync(readFileSync(dir + 'trace.txt.gz')).toString('utf8');
  const summary = JSON.parse(readFileSync(dir + 'summary.json', 'utf8')) as Summary;
  const vmstat = new Map(readFileSync(dir + 'after.vmstat', 'utf8').trim().split('\n').map((l) => l.split(' ') as [string, string]));
  const csv = readFileSync(dir + 'migrations.csv', 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
  const trace = parseTrace(text, `${name}/trace.txt`);
  const scenario = findPreset('default')!.scenario;
  const s = openReplaySession(populate(populateSpecOf(scenario)), trace, scenario);
  return { text, summary, vmstat, csv, trace, s, raw: countTrace(text) };
}

traces.describe('replaying the real traces', () => {
  // The captures are read while the tests are collected: none when ../shared is missing.
  describe.each(haveReal ? CAPTURES : [])('%s', (name) => {
    const c = openCapture(name);
    const { s, summary, trace } = c;
    const base = stateHash(s.k.st);
    const total = runToEnd(s.t);

    test('one step per migrate or compaction event, as many of each kind as the trace has', () => {
      // The capture's summary agrees with the trace's own lines (e.g. balloon-compact: 31,101
      // events, as its header's entries-written says), so either is the count to meet.
      expect(c.raw.counts).toEqual(summary.trace_event_counts);
      expect(c.text).toContain(`# entries-in-buffer/entries-written: ${c.raw.lines}/${c.raw.lines} `);
      expect(trace.counts).toEqual(c.raw.counts);
      expect(trace.ignored).toEqual({});
      const byFn: Record<string, number> = {};
      for (const st of allSteps(s.t)) byFn[st.fn] = (byFn[st.fn] ?? 0) + 1;
      expect(byFn).toEqual(c.raw.counts);
      expect(total).toBe(c.raw.lines);
    });

    test("the trace log shows the recorded lines, each once, in the trace's order", () => {
      const recorded = c.text.split('\n').filter((l) => l && !l.startsWith('#')).map((l) => l.trim());
      const shown = allSteps(s.t).flatMap((st) => traceLines(st));
      expect(shown).toEqual(recorded);
    });

    test("the summed nr_succeeded / nr_failed and the compaction counters equal the guest's own", () => {
      const ev = s.k.events.a;
      // Summed from the trace's mm_migrate_pages lines here; the capture's summary says the same.
      expect({ nr_succeeded: c.raw.nr_succeeded, nr_failed: c.raw.nr_failed }).toEqual(summary.mm_migrate_pages_totals);
      expect({ nr_succeeded: ev[VM_EVENT.PGMIGRATE_SUCCESS], nr_failed: ev[VM_EVENT.PGMIGRATE_FAIL] }).toEqual({ nr_succeeded: c.raw.nr_succeeded, nr_failed: c.raw.nr_failed });
      for (const name of ['pgmigrate_success', 'pgmigrate_fail', 'compact_migrate_scanned', 'compact_free_scanned', 'compact_isolated', 'balloon_migrate'] as const) {
        expect(ev[VM_EVENT_NAMES.indexOf(name)], name).toBe(Number(c.vmstat.get(name)));
      }
      const failed = allSteps(s.t).filter((st) => st.fn === 'mm_migrate_pages' && st.result?.startsWith('nr_failed='));
      expect(failed.reduce((n, st) => n + Number(st.result!.slice('nr_failed='.length)), 0)).toBe(c.raw.nr_failed);
    });

    test('each migration step names the source and destination PFNs of migrations.csv, vmemmap_base inferred', () => {
      expect(trace.vmemmapFrom).toBe('inferred');
      expect('0x' + trace.vmemmapBase!.toString(16)).toBe(summary.vmemmap_base);
      const moves = allSteps(s.t).filter((st) => st.phase === 'copy').map((st) => [st.pfns.find((p) => p.role === 'src')?.pfn, st.pfns.find((p) => p.role === 'dst')?.pfn]);
      expect(moves).toEqual(c.csv.map((r) => [Number(r[3]), Number(r[4])]));
      expect(allSteps(s.t).find((st) => st.phase === 'copy')!.text).toContain(REPLAYED);
    });

    test("the scanners end where the last mm_compaction_end put them, and step 0 has none", () => {
      const last = summary.compaction_end[summary.compaction_end.length - 1]!;
      expect(activeScanners(s.k)).toEqual([{ zone: 1, order: -1, migratePfn: Number(last.migrate_pfn), freePfn: Number(last.free_pfn) }]);
      // Midway the DMA32 compaction runs with its scanners between its start and end.
      const mid = allSteps(s.t).find((st) => st.fn === 'mm_compaction_isolate_freepages' && st.id > total / 2)!;
      seek(s.t, mid.id);
      const [sc] = activeScanners(s.k);
      expect(sc!.migratePfn).toBeLessThanOrEqual(sc!.freePfn);
      expect(sc!.freePfn).toBe(mid.pfns[0]!.pfn);
      seek(s.t, 0);
      expect(activeScanners(s.k)).toEqual([]);
      for (let i = 0; i < MAX_CC * SCAN_N; i++) expect(s.k.compact.scan.a[i], `scan[${i}]`).toBe(0);
      expect(s.k.events.a[VM_EVENT.PGMIGRATE_SUCCESS]).toBe(0);
      expect(stateHash(s.k.st)).toBe(base);
      seek(s.t, total);
    });

    test('the memory itself is not changed: invariants hold and only scanners and counters differ', () => {
      expect(checkInvariants(s.k)).toEqual([]);
      for (const st of [1, Math.floor(total / 3), Math.floor((2 * total) / 3)]) {
        seek(s.t, st);
        expect(checkInvariants(s.k), `step ${st}`).toEqual([]);
      }
      seek(s.t, total);
      // Against the same memory populated afresh, only the scanners and the counters differ.
      const fresh = populate(populateSpecOf(findPreset('default')!.scenario));
      // Stores a timeline adds past populate's (kernel/isolators.ts) are compared with their fill.
      const touched = s.k.st.list.filter((store, i) => store.a.some((v, j) => v !== (fresh.st.list[i] ? fresh.st.list[i]!.a[j] : store.fill))).map((store) => store.name);
      expect(touched.sort()).toEqual(['compact_control.scanners', 'vm_event_states']);
    });
  });
});

traceAndDump.describe('replaying a trace over its capture\'s imported memory', () => {
  test.each(CAPTURES)('%s: each migration starts at a page of its kind and ends at a free page', (name) => {
    const dir = `${REAL}${name}/`;
    const result = importDump({
      name: `${name}/before`, kpageflags: readFileSync(dir + 'before.kpageflags'), kpagecount: readFileSync(dir + 'before.kpagecount'),
      buddyinfo: readFileSync(dir + 'before.buddyinfo', 'utf8'), pagetypeinfo: readFileSync(dir + 'before.pagetypeinfo', 'utf8'), zoneinfo: readFileSync(dir + 'before.zoneinfo', 'utf8'),
    });
    const k = result.k;
    const free = freePageMap(k);
    const trace = parseTrace(gunzipSync(readFileSync(dir + 'trace.txt.gz')).toString('utf8'), `${name}/trace.txt`);
    const s = openReplaySession(k, trace, findPreset('default')!.scenario);
    const total = runToEnd(s.t);
    const moves = allSteps(s.t).filter((st) => st.phase === 'copy');
    // The same two counts read from the raw dump (KPF bits of before.kpageflags, low word) for the
    // rows of migrations.csv, without the import. The capture README: every page of a free buddy
    // block carries KPF_BUDDY. The import's one stated change (its report: "anonymous pages ...
    // not on an LRU list ... rebuilt on the LRU") is taken out: such a source counts as right.
    const kpf = readFileSync(dir + 'before.kpageflags');
    const bitOf = (pfn: number, b: number): boolean => ((kpf.readUInt32LE(pfn * 8) >>> b) & 1) === 1;
    const [LRU, BUDDY, ANON, OFFLINE] = [5, 10, 12, 23]; // include/uapi/linux/kernel-page-flags.h
    const rows = readFileSync(dir + 'migrations.csv', 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
    const rawWrongSrc = rows.filter((r) => (r[2] === 'balloon' ? !bitOf(Number(r[3]), OFFLINE) : !bitOf(Number(r[3]), LRU) && !bitOf(Number(r[3]), ANON))).length;
    const rawNotFree = rows.filter((r) => !bitOf(Number(r[4]), BUDDY)).length;
    expect(moves).toHaveLength(rows.length);
    let wrongSrc = 0;
    let notFree = 0;
    for (const st of moves) {
      const src = st.pfns.find((p) => p.role === 'src')!.pfn;
      const dst = st.pfns.find((p) => p.role === 'dst')!.pfn;
      // The trace's pages where the dump has them: balloon pages PageOffline, LRU folios on the LRU.
      const ok = st.fn === 'balloon_migrate' ? k.mem.pageType.a[src] === PGTY.offline : (k.mem.flags.a[src]! & (1 << PG.lru)) !== 0;
      if (!ok) wrongSrc++;
      if (!free[dst]) notFree++;
    }
    // The dumps and the trace are not one atomic moment (the capture README's caveats): a handful
    // of pages changed in between, as many over the imported memory as in the raw dump.
    expect(wrongSrc, `of ${moves.length}`).toBe(rawWrongSrc);
    expect(notFree, `of ${moves.length}`).toBe(rawNotFree);
    expect(checkInvariants(k)).toEqual([]);
    const last = allSteps(s.t)[total - 1]!;
    expect(last.fn).toBe('mm_compaction_end');
    expect(activeScanners(k)[0]).toMatchObject({ zone: k.zones.findIndex((z) => z.name === 'DMA32') });
  }, 60_000);
});

describe('replaying traces that are not a whole compact_memory run', () => {
  const open = (text: string) => {
    const scenario = findPreset('default')!.scenario;
    const s = openReplaySession(populate(populateSpecOf(scenario)), parseTrace(text, 't.txt'), scenario);
    runToEnd(s.t);
    return s;
  };
  test('a trace that starts inside a compaction gets its scanners from the zone until it says more', () => {
    const s = open('kcompactd0-35 [000] ..... 1.000000: mm_compaction_isolate_migratepages: range=(0x4000 ~ 0x4200) nr_scanned=512 nr_taken=0\n');
    // default: DMA32 is 0x1000..0x20000, so compact_zone() would start the free scanner at 0x1fe00.
    expect(activeScanners(s.k)).toEqual([{ zone: 1, order: -1, migratePfn: 0x4200, freePfn: 0x1fe00 }]);
    expect(allSteps(s.t)[0]!.task).toBe('kcompactd0-35');
  });
  test('two tasks compacting at once get a scanner each', () => {
    const s = open([
      'a-1 [000] ..... 1.0: mm_compaction_begin: zone_start=0x1000 migrate_pfn=0x1000 free_pfn=0x1fe00 zone_end=0x20000, mode=async',
      'b-2 [001] ..... 1.1: mm_compaction_begin: zone_start=0x1000 migrate_pfn=0x8000 free_pfn=0x10000 zone_end=0x20000, mode=sync',
      'a-1 [000] ..... 1.2: mm_compaction_isolate_migratepages: range=(0x1000 ~ 0x1200) nr_scanned=512 nr_taken=2',
    ].join('\n'));
    expect(activeScanners(s.k)).toEqual([
      { zone: 1, order: -1, migratePfn: 0x1200, freePfn: 0x1fe00 },
      { zone: 1, order: -1, migratePfn: 0x8000, freePfn: 0x10000 },
    ]);
    expect(allSteps(s.t).map((st) => st.task)).toEqual(['a-1', 'b-2', 'a-1']);
  });
});
