// The trace as ftrace would print it: which tracepoints fire where (include/trace/events/kmem.h,
// migrate.h, compaction.h in 6.18), the values they print, and the flags column, checked against
// the kernel source and the real captures in ../shared/reference.

import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, test } from 'vitest';
import { findPreset } from './presets';
import { openSession } from './session';
import { allSteps, runToEnd, type Step } from './timeline';
import { traceLines } from './trace';
import { needCapture, REFERENCE } from '../reference.testkit';

const runs = new Map<string, { steps: Step[]; lines: string[] }>();
function traceOf(name: string): { steps: Step[]; lines: string[] } {
  let r = runs.get(name);
  if (!r) {
    const s = openSession(findPreset(name)!.scenario, { recordAll: true });
    runToEnd(s.t);
    const steps = allSteps(s.t);
    runs.set(name, (r = { steps, lines: steps.flatMap(traceLines) }));
  }
  return r;
}

/** `TASK-PID [CPU] FLAGS TIMESTAMP: EVENT: FIELDS` → its parts. */
function parse(line: string): { task: string; flags: string; event: string; fields: string } {
  const m = /^\s*(\S+) +\[\d+\] (\S{5}) +[\d.]+: ([a-z_0-9]+): ?(.*)$/.exec(line);
  if (!m) throw new Error(`not an ftrace line: ${line}`);
  return { task: m[1]!, flags: m[2]!, event: m[3]!, fields: m[4]! };
}

const events = (lines: string[], event: string): ReturnType<typeof parse>[] => lines.map(parse).filter((l) => l.event === event);

/** The swap type of a swap PTE: its top 5 bits (arch/x86/include/asm/pgtable_64.h). */
const swpType = (pte: string): number => Number(BigInt('0x' + pte) >> 59n);
/** The offset of a swap PTE, the L1TF inversion undone (__swp_offset()). */
const swpOffset = (pte: string): bigint => ((~BigInt('0x' + pte) & ((1n << 64n) - 1n)) << 5n & ((1n << 64n) - 1n)) >> 14n;

describe('mm_page_alloc and mm_page_free fire on every allocation and free, as __alloc_frozen_pages_noprof() and __free_pages_prepare() fire them', () => {
  test('lru-anon: the migration target allocation prints mm_page_alloc with its PFN', () => {
    const { steps, lines } = traceOf('lru-anon');
    const dst = steps.find((x) => x.fn === 'alloc_migration_target')!.pfns[1]!.pfn;
    const allocs = events(lines, 'mm_page_alloc');
    expect(allocs.map((l) => l.fields)).toEqual([expect.stringMatching(new RegExp(`^page=[0-9a-f]{16} pfn=0x${dst.toString(16)} order=0 migratetype=1 gfp_flags=GFP_HIGHUSER_MOVABLE$`))]);
  });

  test('balloon-inflate: one mm_page_alloc per page the balloon takes, one mm_page_free per page it gives back', () => {
    const { lines } = traceOf('balloon-inflate');
    expect(events(lines, 'mm_page_alloc')).toHaveLength(32);
    expect(events(lines, 'mm_page_free')).toHaveLength(8);
  });

  test('fault-exit: the fault allocations print mm_page_alloc too', () => {
    const { steps, lines } = traceOf('fault-exit');
    const faults = steps.filter((x) => x.phase === 'fault' && x.pfns.some((p) => p.role === 'allocated'));
    expect(faults.length).toBeGreaterThan(0);
    expect(events(lines, 'mm_page_alloc').length).toBeGreaterThanOrEqual(faults.length);
  });

  test('compact-memory: each migrated source page prints mm_page_free (compaction does not silence the tracepoint)', { timeout: 120_000 }, () => {
    const { steps, lines } = traceOf('compact-memory');
    const migrated = steps.filter((x) => x.fn === 'migrate_folio_done').length;
    expect(migrated).toBeGreaterThan(0);
    expect(events(lines, 'mm_page_free').length).toBeGreaterThanOrEqual(migrated);
    // compaction_alloc() takes pages the free scanner isolated: no mm_page_alloc for them.
    expect(events(lines, 'mm_page_alloc')).toHaveLength(0);
  });
});

describe('migration entries as 6.18 x86-64 encodes them, with CONFIG_DEVICE_PRIVATE, MIGRATION, MEMORY_FAILURE and PTE markers', () => {
  test('set_migration_pte prints SWP_MIGRATION_READ/READ_EXCLUSIVE/WRITE = 25/26/27 (MAX_SWAPFILES 24)', () => {
    for (const name of ['lru-anon', 'race']) {
      const sets = events(traceOf(name).lines, 'set_migration_pte');
      expect(sets.length).toBeGreaterThan(0);
      for (const l of sets) expect([25, 26, 27]).toContain(swpType(/pte=([0-9a-f]+)/.exec(l.fields)![1]!));
    }
  });

  test('a device-private destination: remove_migration_pte prints the SWP_DEVICE_WRITE/READ entry (28/29) whose offset is the device PFN', () => {
    const { steps } = traceOf('migrate-vma-to-device');
    const removes = steps.filter((x) => x.fn === 'remove_migration_pte' && x.pfns.some((p) => p.role === 'dst'));
    expect(removes.length).toBeGreaterThan(0);
    for (const st of removes) {
      const dst = st.pfns.find((p) => p.role === 'dst')!.pfn;
      const pte = /pte=([0-9a-f]+)/.exec(st.trace[0]!)![1]!;
      expect(BigInt('0x' + pte) & 1n).toBe(0n); // not present
      expect([28, 29]).toContain(swpType(pte));
      expect(swpOffset(pte)).toBe(BigInt(dst));
    }
  });
});

describe('the flags column and the lines the engine adds', () => {
  const REAL = REFERENCE;
  const real = (dir: string): Map<string, Set<string>> => {
    const byEvent = new Map<string, Set<string>>();
    for (const line of gunzipSync(readFileSync(REAL + dir + '/trace.txt.gz')).toString('utf8').split('\n')) {
      if (line.startsWith('#') || !line.trim()) continue;
      const l = parse(line);
      if (!byEvent.has(l.event)) byEvent.set(l.event, new Set());
      byEvent.get(l.event)!.add(l.flags);
    }
    return byEvent;
  };

  needCapture('real-kernel/fragmented-compact/trace.txt.gz', 'real-kernel-6.12/fragmented-compact/trace.txt.gz').test('every event the real captures print carries the flags they print (set/remove_migration_pte under the PTE lock: ...1.)', () => {
    // The tracepoint lines only: each step's function line (remove_migration_pte: [pfn=...]) is the engine's.
    const ours = [...traceOf('lru-anon').steps, ...traceOf('compact-memory').steps].flatMap((st) => traceLines(st).slice(0, st.trace.length)).map(parse);
    for (const dir of ['real-kernel/fragmented-compact', 'real-kernel-6.12/fragmented-compact']) {
      const theirs = real(dir);
      let compared = 0;
      for (const l of ours) {
        const flags = theirs.get(l.event);
        if (!flags) continue;
        compared++;
        // need-resched (.N...) is chance; the other columns say what the code holds.
        expect([...flags].map((f) => f[0] + f.slice(2)), `${dir}: ${l.event}`).toContain(l.flags[0] + l.flags.slice(2));
      }
      expect(compared).toBeGreaterThan(100);
    }
    expect(ours.filter((l) => l.event === 'set_migration_pte').every((l) => l.flags === '...1.')).toBe(true);
  }, 120_000);

  needCapture('real-kernel-6.12/fragmented-compact/trace.txt.gz').test('the columns line up as in a real trace file: task-pid, [CPU] at column 25, the timestamp right-aligned', () => {
    const realLine = gunzipSync(readFileSync(REAL + 'real-kernel-6.12/fragmented-compact/trace.txt.gz')).toString('utf8').split('\n').find((l) => l.includes('mm_compaction_begin'))!;
    const ours = events(traceOf('compact-memory').lines, 'mm_compaction_begin')[0]!;
    const line = traceOf('compact-memory').lines.find((l) => l.includes('mm_compaction_begin'))!;
    expect(ours.task).toBe('compact-1000');
    for (const l of [realLine, line]) {
      expect(l.indexOf('[000]')).toBe(25);
      expect(l.indexOf(': mm_compaction_begin')).toBe(realLine.indexOf(': mm_compaction_begin'));
    }
  }, 120_000);

  needCapture('real-kernel/fragmented-compact/trace.txt.gz', 'real-kernel/balloon-compact/trace.txt.gz', 'real-kernel-6.12/fragmented-compact/trace.txt.gz').test('PTE values carry x86 soft-dirty as the real captures do: 0x867 for a dirty writable page, _PAGE_SWP_SOFT_DIRTY in its migration entry', () => {
    const DIRS = ['real-kernel/fragmented-compact', 'real-kernel/balloon-compact', 'real-kernel-6.12/fragmented-compact'];
    const low = (event: string, mask: bigint): Set<bigint> => new Set(DIRS.flatMap((dir) => gunzipSync(readFileSync(REAL + dir + '/trace.txt.gz')).toString('utf8').split('\n')
      .filter((l) => l.includes(` ${event}: `)).map((l) => BigInt('0x' + /pte=([0-9a-f]+)/.exec(l)![1]) & mask)));
    const theirsPresent = low('remove_migration_pte', 0xfffn);
    const theirsSwap = low('set_migration_pte', 0x3n);
    let n = 0;
    for (const name of ['lru-anon', 'race', 'compact-memory']) {
      for (const l of traceOf(name).steps.flatMap((st) => st.trace)) {
        const m = /^(set|remove)_migration_pte: .*pte=([0-9a-f]+)/.exec(l);
        if (!m) continue;
        n++;
        if (m[1] === 'remove') expect(theirsPresent, l).toContain(BigInt('0x' + m[2]) & 0xfffn);
        else expect(theirsSwap, l).toContain(BigInt('0x' + m[2]) & 0x3n);
      }
    }
    expect(n).toBeGreaterThan(10);
    const restore = traceOf('race').steps.flatMap((st) => st.trace).find((l) => l.startsWith('remove_migration_pte:'))!;
    expect(restore).toMatch(/pte=8[0-9a-f]*867 /);
  }, 120_000);

  test('the end of a task is no kernel function: no line named after the task', () => {
    const { steps, lines } = traceOf('balloon-inflate');
    expect(steps.some((x) => x.file === '' && x.fn === x.task)).toBe(true);
    for (const l of lines.map(parse)) expect(l.event).not.toBe(l.task);
  });

  test('the DMA zone starts at PFN 1, as real kernels print it (zone_start=0x1)', () => {
    const begins = events(traceOf('compact-memory').lines, 'mm_compaction_begin');
    expect(begins[0]!.fields).toMatch(/^zone_start=0x1 migrate_pfn=0x1 /);
  }, 120_000);
});

describe('narration names tasks as the trace does', () => {
  // A step's text names its task the way the trace's TASK-PID column does (the task name).
  const WHO = /(?<![\w-])[a-z][a-z0-9]*(?:-[a-z][a-z0-9]*)*-1\d{3}(?![\w-])/g;
  test.each(['balloon-migrate', 'balloon-lock-eagain', 'zsmalloc', 'migrate-process', 'hugetlb', 'migrate-vma-to-device', 'device-fault-back', 'contig-range', 'race'])(
    '%s: every task named in a step text is a task of the run, and a text that starts with a task names its own',
    (name) => {
      const { steps } = traceOf(name);
      const tasks = new Set(steps.map((x) => x.task));
      for (const st of steps) {
        for (const who of st.text.match(WHO) ?? []) expect(tasks, `step ${st.id}: ${st.text}`).toContain(who);
        const lead = /^([a-z0-9-]+-\d{4}): /.exec(st.text);
        if (lead) expect(lead[1], `step ${st.id}: ${st.text}`).toBe(st.task);
      }
    },
  );
});
