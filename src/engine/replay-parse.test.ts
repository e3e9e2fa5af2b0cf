// The trace reader on small hand-made traces: both line formats, the typed fields, PFNs from
// kprobe pointers and x86-64 PTE values, and one-line errors for every kind of bad input.
import { describe, expect, test } from 'vitest';
import { inferVmemmapBase, pagePfn, parseTrace, ReplayError } from './replay-parse';
import { ptePfn, swpPfn } from './replay-pte';

// Real lines from ../shared/reference/real-kernel/balloon-compact/trace.txt.gz.
const TRACEFS = `# tracer: nop
#
#           TASK-PID     CPU#  |||||  TIMESTAMP  FUNCTION
#              | |         |   |||||     |         |
            init-1       [001] .....    18.973902: mm_compaction_suitable: node=0 zone=DMA32    order=-1 ret=continue
            init-1       [001] .....    18.973905: mm_compaction_begin: zone_start=0x1000 migrate_pfn=0x1000 free_pfn=0x1fe00 zone_end=0x1ffdd, mode=sync
            init-1       [001] .....    18.976241: mm_compaction_isolate_freepages: range=(0x1f000 ~ 0x1f200) nr_scanned=257 nr_taken=31
            init-1       [001] .....    18.975140: mm_migrate_pages_start: mode=MIGRATE_SYNC reason=compaction
            init-1       [001] ...1.    18.981010: set_migration_pte: addr=7ff77233b000, pte=eff9ffffffc3b802 order=0
            init-1       [001] .....    18.981533: folio_migrate: (folio_migrate_flags+0x0/0x180) dst_folio=0xffd400000072afc0 src_folio=0xffd40000000788c0
            init-1       [001] ...1.    18.982418: remove_migration_pte: addr=7ff77233b000, pte=800000001cabf867 order=0
            init-1       [001] .....    18.982768: balloon_migrate: (balloon_page_migrate+0x0/0x30) dst_page=0xffd400000072af80 src_page=0xffd4000000078880 mode=2
            init-1       [001] .....    18.983228: balloon_migrate_ret: (move_to_new_folio+0xd8/0x140 <- balloon_page_migrate) ret=0
            init-1       [001] .....    18.984867: mm_migrate_pages: nr_succeeded=32 nr_failed=3 nr_thp_succeeded=0 nr_thp_failed=0 nr_thp_split=0 mode=MIGRATE_SYNC reason=compaction
            init-1       [001] .....    19.395436: mm_compaction_end: zone_start=0x1000 migrate_pfn=0xb200 free_pfn=0xb200 zone_end=0x1ffdd, mode=sync status=complete
`;

// trace-cmd report: a cpus= header, no flags column, two blanks after the event name; -t adds a TGID column.
const TRACE_CMD = `cpus=2
          <idle>-0     [000]  5678.000001: sched_switch:         prev_comm=swapper/0 prev_pid=0 ==> next_comm=bash next_pid=1546
            bash-1546  [001]  5678.123456: mm_compaction_begin:  zone_start=0x100000 migrate_pfn=0x100000 free_pfn=0x1dfe00 zone_end=0x1e0000, mode=sync
 kworker/u4:2-77    (   77) [000]  5678.123500: mm_compaction_isolate_migratepages: range=(0x100c00 ~ 0x100e00) nr_scanned=512 nr_taken=5
            bash-1546  [001] d..1. 5678.200000: test_pages_isolated:  start_pfn=0x100000 end_pfn=0x100200 fin_pfn=0x100000 ret=fail
`;

describe('reading a trace', () => {
  test('the tracefs format: every kept event typed, kprobe pointers as PFNs with the given vmemmap_base', () => {
    const t = parseTrace(TRACEFS, 'trace.txt', { vmemmapBase: 0xffd4000000000000n });
    expect(t.events.map((e) => e.kind)).toEqual([
      'compaction-note', 'compaction-begin', 'compaction-isolate', 'migrate-start', 'migration-pte', 'kprobe-migrate', 'migration-pte',
      'kprobe-migrate', 'kprobe-ret', 'migrate-pages', 'compaction-end',
    ]);
    expect(t.vmemmapFrom).toBe('option');
    const e = t.events;
    expect(e[1]).toMatchObject({ task: 'init-1', cpu: 1, ts: 18.973905, zoneStart: 0x1000, migratePfn: 0x1000, freePfn: 0x1fe00, zoneEnd: 0x1ffdd, mode: 'sync' });
    expect(e[2]).toMatchObject({ scanner: 'free', start: 0x1f000, end: 0x1f200, nrScanned: 257, nrTaken: 31 });
    expect(e[5]).toMatchObject({ func: 'folio_migrate_flags', srcPfn: 0x1e23, dstPfn: 0x1cabf }); // migrations.csv row 0: 7715 → 117439
    expect(e[7]).toMatchObject({ func: 'balloon_page_migrate', srcPfn: 7714, dstPfn: 117438 });
    expect(e[8]).toMatchObject({ kind: 'kprobe-ret', func: 'balloon_page_migrate', ret: 0 });
    expect(e[9]).toMatchObject({ nrSucceeded: 32, nrFailed: 3, nrSplit: 0, mode: 'MIGRATE_SYNC', reason: 'compaction' });
    expect(e[10]).toMatchObject({ kind: 'compaction-end', migratePfn: 0xb200, freePfn: 0xb200, status: 'complete' });
    expect(e[0]!.raw).toBe('init-1       [001] .....    18.973902: mm_compaction_suitable: node=0 zone=DMA32    order=-1 ret=continue');
  });

  test('the PTE values of the migration PTE events give the old and the new PFN (x86-64)', () => {
    expect(swpPfn(0xeff9ffffffc3b802n)).toBe(0x1e23);
    expect(ptePfn(0x800000001cabf867n)).toBe(0x1cabf);
    expect(ptePfn(0x1cabf000n)).toBeNull(); // not present
    const t = parseTrace(TRACEFS, 'trace.txt');
    expect(t.events.filter((e) => e.kind === 'migration-pte').map((e) => e.kind === 'migration-pte' && e.pfn)).toEqual([0x1e23, 0x1cabf]);
  });

  test('vmemmap_base is inferred when votes agree, and not from a single pair', () => {
    const one = parseTrace(TRACEFS, 'trace.txt');
    expect(one.vmemmapFrom).toBe('none'); // one folio_migrate → remove pair is not enough
    expect(one.events.find((e) => e.kind === 'kprobe-migrate')).toMatchObject({ srcPfn: null, dstPfn: null });
    const lines = TRACEFS.split('\n').slice(8, 11).join('\n') + '\n';
    expect(inferVmemmapBase(parseTrace(lines.repeat(3), 't').events)).toBe(0xffd4000000000000n);
    expect(pagePfn(0xffd4000000000040n, 0xffd4000000000000n)).toBe(1);
    expect(pagePfn(0xffd4000000000020n, 0xffd4000000000000n)).toBeNull();
  });

  test('trace-cmd report lines: no flags column, a TGID column, other events counted and dropped', () => {
    const t = parseTrace(TRACE_CMD, 'report.txt');
    expect(t.events.map((e) => [e.task, e.kind])).toEqual([
      ['bash-1546', 'compaction-begin'], ['kworker/u4:2-77', 'compaction-isolate'], ['bash-1546', 'pages-isolated'],
    ]);
    expect(t.ignored).toEqual({ sched_switch: 1 });
    expect(t.events[2]).toMatchObject({ start: 0x100000, end: 0x100200, ok: false });
  });

  test('two CPUs written apart play in time order, each CPU in its own order', () => {
    // Hand-written, in trace-cmd report's format: CPU 0's lines, then CPU 1's (as per_cpu/cpuN/trace
    // one after another). CPU 0's second event is stamped before its first: its order stays.
    const twoCpus = `cpus=2
    kcompactd0-40    [000]  100.000100: mm_compaction_isolate_migratepages: range=(0x1000 ~ 0x1200) nr_scanned=512 nr_taken=3
    kcompactd0-40    [000]  100.000050: mm_compaction_isolate_freepages: range=(0x9000 ~ 0x9200) nr_scanned=20 nr_taken=3
    kcompactd0-40    [000]  100.000300: mm_compaction_migratepages: nr_migrated=3 nr_failed=0
          bash-900   [001]  100.000070: mm_migrate_pages_start: mode=MIGRATE_SYNC reason=compaction
          bash-900   [001]  100.000200: mm_migrate_pages: nr_succeeded=1 nr_failed=0 nr_thp_succeeded=0 nr_thp_failed=0 nr_thp_split=0 mode=MIGRATE_SYNC reason=compaction
          bash-900   [001]  100.000300: mm_compaction_suitable: node=0 zone=Normal   order=9 ret=continue
`;
    const t = parseTrace(twoCpus, 'two-cpus.txt');
    // Oldest head first: 70 (cpu 1) < 100 (cpu 0); then cpu 0's 100 and its 50; 200; the tie at 300 by line.
    expect(t.events.map((e) => [e.cpu, e.kind, e.line])).toEqual([
      [1, 'migrate-start', 5], [0, 'compaction-isolate', 2], [0, 'compaction-isolate', 3],
      [1, 'migrate-pages', 6], [0, 'compaction-migratepages', 4], [1, 'compaction-note', 7],
    ]);
  });

  test('a text the kernel already merged keeps its order', () => {
    const t = parseTrace(TRACE_CMD, 'report.txt');
    expect(t.events.map((e) => e.line)).toEqual([3, 4, 5]);
  });

  test('lost events are counted', () => {
    const t = parseTrace(`CPU:1 [LOST 12 EVENTS]\n${TRACEFS}`, 'pipe.txt');
    expect(t.lost).toBe(12);
  });
});

describe('bad input is refused in one line', () => {
  const cases: [string, string, RegExp][] = [
    ['an empty file', '', /is empty/],
    ['binary data', 'GZ\0\0\x01trace', /not an ftrace text.*binary/],
    ['JSON', '{"v": 1, "memory": {"pfns": 131072}}', /not an ftrace text: no "TASK-PID/],
    ['no migrate or compaction event', '  bash-1 [000] ..... 1.000000: sched_switch: prev_comm=bash prev_pid=1\n', /no migrate or compaction events.*1 sched_switch/],
    ['a line cut short inside a field', TRACEFS.replace('free_pfn=0x1fe00 zone_end=0x1ffdd, mode=sync', 'free_pfn=0x'), /line 6 \(mm_compaction_begin\) has no free_pfn=|free_pfn=0x is not/],
    ['a line cut short before its event', TRACEFS + '            init-1       [001] .....    19.39', /line 16 is not a trace line \(cut short\?\)/],
    ['a range cut short', TRACEFS.replace('range=(0x1f000 ~ 0x1f200)', 'range=(0x1f000'), /range=\(0x1f000 is not "\(0xSTART ~ 0xEND\)"/],
  ];
  test.each(cases)('%s', (_what, text, message) => {
    let err: unknown;
    try {
      parseTrace(text, 'trace.txt');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ReplayError);
    const m = (err as Error).message;
    expect(m).toMatch(message);
    expect(m).not.toContain('\n');
    expect(m.length).toBeLessThan(200);
  });
});
