// Scenarios the random-scenario fuzzing of issue 15 found to end in an internal failure (a "BUG"
// thrown by the kernel model) or a leak only checkInvariants() sees. Each stays here as it was
// found, run to the end, with the kernel's expected outcome.

import { describe, expect, test } from 'vitest';
import { checkInvariants } from '../kernel/invariants';
import { checkSteps } from './steps.testkit';
import { PG } from '../kernel/flags';
import { HS, hugetlbCounter } from '../kernel/hugetlb-state';
import { parseScenario } from './scenario';
import { inspectPage } from '../kernel/inspect';
import { node_page_state, NS } from '../kernel/vmstat';
import { openSession } from './session';
import { allSteps, runToEnd, seek } from './timeline';

function runScenario(json: unknown, variant?: 'linux-6.18' | 'linux-6.12' | 'no-refcount' | 'pfn-array'): ReturnType<typeof openSession> {
  const sc = parseScenario(json);
  const s = openSession(variant ? { ...sc, variant } : sc);
  runToEnd(s.t);
  return s;
}

describe('writeback and MADV_DONTNEED', () => {
  test('an anonymous folio under writeback is in the swap cache: MADV_DONTNEED only unmaps it; it is freed by reclaim after the I/O ends', () => {
    const base = [
      { type: 'writeback', process: 0, page: 5, state: 'start' },
      { type: 'madvise', advice: 'dontneed', fraction: 1 },
    ];
    const s = runScenario({ v: 1, memory: { pfns: 4096 }, seed: 1, actions: base });
    const steps = allSteps(s.t);
    const alloc = steps.find((x) => x.fn === 'folio_alloc_swap')!;
    expect(alloc.result).toBe('0');
    const pfn = alloc.pfns[0]!.pfn;
    expect(steps.find((x) => x.fn === 'folio_start_writeback')!.result).toBe('0');
    // Unmapped by MADV_DONTNEED, still held by the swap cache alone, still under writeback.
    const f = s.k.mem.flags.a[pfn]!;
    expect(f & (1 << PG.writeback)).not.toBe(0);
    expect(f & (1 << PG.swapbacked) && f & (1 << PG.owner_priv_1)).toBeTruthy();
    expect(s.k.mem.mapcount.a[pfn]).toBe(-1);
    expect(s.k.mem.refcount.a[pfn]).toBe(1);
    expect(s.k.swap.table.a[s.k.mem.private_.a[pfn]!]).toBe(pfn);
    expect(node_page_state(s.k, NS.NR_SWAPCACHE)).toBe(1);
    expect(inspectPage(s.k, pfn).holders.map((h) => h.what)).toEqual([expect.stringMatching(/^swap cache/)]);
    expect(checkInvariants(s.k)).toEqual([]);

    // The I/O ends: clean, unmapped, still in the swap cache; reclaim then frees it.
    const s2 = runScenario({ v: 1, memory: { pfns: 4096 }, seed: 1, actions: [...base,
      { type: 'writeback', pfn, state: 'end' },
    ] });
    expect(s2.k.mem.refcount.a[pfn]).toBe(1);
    expect(s2.k.mem.flags.a[pfn]! & (1 << PG.writeback)).toBe(0);
    expect(checkInvariants(s2.k)).toEqual([]);
    const s3 = runScenario({ v: 1, memory: { pfns: 4096 }, seed: 1, actions: [...base,
      { type: 'writeback', pfn, state: 'end' },
      { type: 'reclaim', pages: 4096 }, // clean page cache goes first, then the swap cache
    ] });
    const rec = allSteps(s3.t).find((x) => x.fn === '__remove_mapping' && x.pfns[0]!.pfn === pfn)!;
    expect(rec.text).toMatch(/swap-cache folio/);
    expect(s3.k.mem.refcount.a[pfn]).toBe(0);
    expect(s3.k.swap.table.a.every((v) => v === -1)).toBe(true);
    expect(node_page_state(s3.k, NS.NR_SWAPCACHE)).toBe(0);
    expect(checkInvariants(s3.k)).toEqual([]);
  });

  test('a swap-cache folio not under writeback leaves the cache when its last mapping is zapped (free_swap_cache)', () => {
    const s = runScenario({ v: 1, memory: { pfns: 4096 }, seed: 1, actions: [
      { type: 'writeback', process: 0, page: 5, state: 'start' },
      { type: 'writeback', process: 0, page: 5, state: 'end' },
      { type: 'madvise', advice: 'dontneed', fraction: 1 },
    ] });
    const pfn = allSteps(s.t).find((x) => x.fn === 'folio_alloc_swap')!.pfns[0]!.pfn;
    expect(s.k.mem.refcount.a[pfn]).toBe(0);
    expect(node_page_state(s.k, NS.NR_SWAPCACHE)).toBe(0);
    expect(checkInvariants(s.k)).toEqual([]);
  });

  test('a file folio under writeback stays in the page cache when the process exits, and stays under writeback', () => {
    const s = runScenario({ v: 1, memory: { pfns: 8192 }, seed: 7, populate: { processes: 6, files: 12 }, actions: [
      { type: 'writeback', process: 2, page: 0, file: true, state: 'start' },
      { type: 'exit', process: 2 },
    ] });
    const wb = allSteps(s.t).find((x) => x.fn === 'folio_start_writeback')!;
    expect(wb.result).toBe('0');
    const pfn = wb.pfns[0]!.pfn;
    expect(s.k.mem.flags.a[pfn]! & (1 << PG.writeback)).not.toBe(0);
    expect(s.k.mem.refcount.a[pfn]).toBeGreaterThan(0);
    expect(checkInvariants(s.k)).toEqual([]);
  });
});

describe('free from an earlier action', () => {
  // Seed 132683682: `free from 5` named the balloon pages of a parallel group (its inflate had
  // replaced the alloc member's list); they had been migrated away by action 6, and one of their
  // old PFNs was by then a compaction destination, locked, with refcount 1: freeing it was a
  // "Bad page state … locked".
  const seed132683682 = { v: 1, memory: { pfns: 4096 }, seed: 132683682, populate: { anon: 0.2, file: 0.1, churn: 0.5 }, actions: [
    { type: 'alloc-contig', start: 3072, end: 3584 },
    { type: 'race', pages: [{ from: 0 }], mode: 'sync', reason: 'compaction' },
    { type: 'unpin', from: 1, kind: 'pin' },
    { type: 'race', pages: [{ from: 0 }], mode: 'sync', reason: 'compaction' },
    { type: 'balloon', op: 'deflate', pages: 64 },
    { type: 'parallel', actions: [{ type: 'alloc', order: 8, gfp: 'movable', count: 1, compact: true }, { type: 'balloon', op: 'inflate', pages: 16 }] },
    { type: 'migrate', pages: [{ from: 5 }], mode: 'sync_light', reason: 'compaction' },
    { type: 'parallel', actions: [{ type: 'free', from: 5 }, { type: 'compact', proactive: true }] },
  ] };
  test.each(['linux-6.18', 'linux-6.12', 'pfn-array'] as const)('seed 132683682 under %s: only the alloc member\'s block is freed', (variant) => {
    const s = runScenario(seed132683682, variant);
    const frees = allSteps(s.t).filter((x) => x.fn === '__free_pages' && x.task.startsWith('free-'));
    expect(frees.filter((x) => x.result === '0').length).toBeLessThanOrEqual(1);
    expect(checkInvariants(s.k)).toEqual([]);
  });

  test('a second free of the same allocation is refused, even when its PFN was allocated again', () => {
    const s = runScenario({ v: 1, memory: { pfns: 4096 }, seed: 1, actions: [
      { type: 'alloc', order: 0, gfp: 'unmovable' },
      { type: 'free', from: 0 },
      { type: 'alloc', order: 0, gfp: 'unmovable' },
      { type: 'free', from: 0 },
    ] });
    const frees = allSteps(s.t).filter((x) => x.fn === '__free_pages' && x.result !== undefined);
    expect(frees.map((x) => x.result)).toEqual(['0', '-EINVAL']);
    expect(frees[1]!.text).toMatch(/already freed/);
  });
});

describe('surplus hugetlb folios at populate', () => {
  // map_hugetlb's area was sized for the pool alone (2 × hugepages huge pages), so with
  // hugepages 0 the faults past its end took surplus folios from the buddy and mapped none of
  // them: refcount 1, no holder, and surplus_huge_pages 5 after the process exited.
  const json = (actions: object[]) => ({ v: 1, memory: { pfns: 8192 }, seed: 1, populate: { hugepages: 0, hugetlbOvercommit: 8, hugetlbMapped: 7 }, actions });
  test('every surplus folio faulted in is mapped, and they all go back to the buddy allocator when the process exits', () => {
    const s = openSession(parseScenario(json([{ type: 'exit', process: 0 }])));
    expect(checkInvariants(s.k)).toEqual([]);
    expect(hugetlbCounter(s.k, HS.SURPLUS_HUGE_PAGES)).toBe(7);
    runToEnd(s.t);
    expect(checkInvariants(s.k)).toEqual([]);
    expect([HS.NR_HUGE_PAGES, HS.FREE_HUGE_PAGES, HS.SURPLUS_HUGE_PAGES].map((i) => hugetlbCounter(s.k, i))).toEqual([0, 0, 0]);
  });
});

describe('migration for memory failure', () => {
  // reclaim → migrate a process to DMA with reason memory_failure → MADV_DONTNEED → alloc-contig:
  // migrate_folio_done() rightly keeps the source's reference for MR_MEMORY_FAILURE, but nothing
  // then held it: refcount 1 and no holder on every migrated source.
  test('a source migrated for memory_failure is held by page_handle_poison(), never freed and never a leak', () => {
    const s = runScenario({ v: 1, memory: { pfns: 65536 }, seed: 3, actions: [
      { type: 'reclaim', pages: 4000 },
      { type: 'migrate', process: 1, to: 'DMA', reason: 'memory_failure' },
      { type: 'madvise', advice: 'dontneed', fraction: 0.5 },
      { type: 'alloc-contig', start: 8192, end: 16384 },
    ] });
    const done = allSteps(s.t).filter((x) => x.fn === 'migrate_folio_done');
    expect(done.length).toBeGreaterThan(0);
    for (const st of done.slice(0, 50)) expect(s.k.mem.refcount.a[st.pfns[0]!.pfn]).toBe(1);
    expect(checkInvariants(s.k)).toEqual([]);
  }, 120_000);
});

describe('found by the random-scenario property (scenarios.property.test.ts)', () => {
  /** checkInvariants() at step `at` (after the run). */
  function violationsAt(json: unknown, at: number): string[] {
    const s = openSession(parseScenario(json));
    runToEnd(s.t);
    seek(s.t, at);
    return checkInvariants(s.k).map((v) => `${v.rule}: ${v.detail}`);
  }

  test('two isolated pageblocks keep their order-9 free blocks apart (move_freepages_block_isolate moves, never merges)', () => {
    // alloc_contig_range(0x400, 0x800) isolates 0x400 first: the free order-10 block there is split
    // (split_large_buddy) and 0x600 stays movable; isolating 0x600 then only moves its order-9 block.
    const v = violationsAt({ v: 1, memory: { pfns: 8192 }, seed: 1483206587, populate: { anon: 3.142800153926606e-17, file: 4.781648965347437e-233, churn: 1.5e-323, largeAnon: 8.489185524329886e-29, processes: 4, files: 6, forks: 2, hugepages: 0, hugetlbMapped: 0, hugetlbOvercommit: 0 }, variant: 'no-refcount', actions: [
      { type: 'madvise', advice: 'dontneed', fraction: 6.391059004273359e-148 },
      { type: 'madvise', advice: 'dontneed', fraction: 3.4009953614810492e-99, seed: 1667481802 },
      { type: 'alloc-contig', start: 1024, end: 2048 },
    ] }, 3);
    expect(v).toEqual([]);
  });

  test('a folio frozen by another task\'s migration is no leak at a step of a parallel task', () => {
    // Two offline_pages() interleaved: at step 9032 the other task runs while 0x18aa is frozen at
    // refcount 0 under the i_pages lock (folio_ref_freeze), locked and isolated.
    const v = violationsAt({ v: 1, memory: { pfns: 8192, device: 512 }, seed: 272806054, populate: { anon: 8.94555970642078e-187, churn: 7.760192292718814e-97, largeAnon: 4.55866476589651e-289, processes: 5, files: 3, forks: 3, hugepages: 0, hugetlbMapped: 0, hugetlbOvercommit: 1 }, variant: 'pfn-array', actions: [
      { type: 'parallel', actions: [{ type: 'pin', pfn: 2940, kind: 'pin' }, { type: 'offline', start: 6656, end: 7680 }, { type: 'offline', start: 5632, end: 6656 }], schedule: 'round-robin' },
      { type: 'madvise', advice: 'dontneed', fraction: 9.710590045767509e-237, seed: 6 },
      { type: 'migrate-vma', process: 3, start: 1, pages: 27, to: 'device' },
    ] }, 9032);
    expect(v).toEqual([]);
  }, 60_000);
});

// Two finds of the property on other seeds: while migrators race for balloon pages, an isolated
// movable_ops page (refcount 2: the balloon's + the isolation's) was counted as a user folio
// without its owner's reference, and pfn-array destinations had no holder for their allocation
// reference. The checker now keeps a movable_ops page's owner reference while page->private
// names the owner; the pfn-array variant records its destinations as migration targets.
describe('balloon pages mid-race (property finds)', () => {
  const seed7run33 = {"v": 1, "memory": {"pfns": 4096}, "seed": 1256796186, "populate": {"anon": 0.015, "churn": 0.43, "largeAnon": 0.03, "processes": 2, "files": 3, "forks": 2, "hugetlbMapped": 0}, "variant": "linux-6.18", "actions": [{"type": "unpin", "process": 1, "page": 29, "file": true, "kind": "get"}, {"type": "balloon", "op": "inflate", "pages": 32}, {"type": "parallel", "actions": [{"type": "race", "pages": [{"pfn": 3258}, {"from": 0}], "to": "DMA", "mode": "sync_light", "reason": "demotion"}, {"type": "race", "pages": [{"from": 1}, {"process": 7, "page": 10}, {"process": 4, "page": 56}], "to": "DMA", "mode": "async"}], "schedule": [0, 1]}, {"type": "parallel", "actions": [{"type": "fault", "process": 7, "pages": 486}, {"type": "fault", "process": 2, "pages": 1, "order": 2}], "schedule": "round-robin"}]};
  const seed7run69 = {"v": 1, "memory": {"pfns": 2048}, "seed": 4294967277, "populate": {"anon": 0.009, "file": 0.122, "churn": 0.31, "largeAnon": 0, "processes": 4, "files": 9, "forks": 1, "hugepages": 2, "hugetlbMapped": 1, "hugetlbOvercommit": 2}, "variant": "pfn-array", "actions": [{"type": "reclaim", "pages": 511}, {"type": "balloon", "op": "inflate", "pages": 128}, {"type": "race", "range": {"start": 1538, "end": 1792}, "to": "DMA32", "mode": "sync_light", "reason": "longterm_pin"}, {"type": "free", "from": 2}]};
  test('linux-6.18, two parallel races over balloon pages: invariants at every step', () => {
    const s = openSession(parseScenario(seed7run33));
    runToEnd(s.t);
    expect(checkSteps(s)).toBeGreaterThan(100);
  }, 120_000);
  test('pfn-array, a race over a range of balloon pages: invariants at every step', () => {
    const s = openSession(parseScenario(seed7run69));
    runToEnd(s.t);
    expect(checkSteps(s)).toBeGreaterThan(1000);
  }, 300_000);
});

test('a page reference that names no page is skipped in words, not as "pfn 0x-1"', () => {
  const s = openSession(parseScenario({ v: 1, memory: { pfns: 4096 }, seed: 1, actions: [{ type: 'migrate', pages: [{ process: 0, page: 99999 }], mode: 'sync' }] }));
  runToEnd(s.t);
  const skip = allSteps(s.t).find((x) => x.fn === 'isolate_folio_to_list')!;
  expect(skip.text).toMatch(/the page named is not there/);
  expect(allSteps(s.t).some((x) => x.text.includes('0x-'))).toBe(false);
});

// Property find (seed 15, run 37, after the lru_add batches came in): a full batch moved inside a
// fault's folio_add_lru() is reported before the fault sets its PTE, so the step is mid-operation.
test('a full lru_add batch moved in the middle of a fault is a mid-operation step; every other step keeps every invariant', () => {
  const s = openSession(parseScenario({"v":1,"memory":{"pfns":8192},"seed":4294967264,"populate":{"anon":0.078,"file":0.194,"churn":0.71,"largeAnon":0.86,"processes":7,"files":4,"hugetlbOvercommit":1,"mlocked":1},"variant":"linux-6.18","actions":[{"type":"free","pfn":434},{"type":"writeback","process":6,"page":2,"state":"start"},{"type":"zsmalloc","zspages":3,"pagesPerZspage":2},{"type":"parallel","actions":[{"type":"reclaim","pages":226},{"type":"punch-hole","fraction":0.2,"seed":253903746},{"type":"fault","process":6,"pages":257,"order":9}]},{"type":"free","pfn":8135},{"type":"alloc","order":8,"gfp":"unmovable","count":3,"zone":"DMA32","untilFails":true,"compact":true}]}));
  runToEnd(s.t);
  expect(allSteps(s.t).some((x) => x.fn === 'folio_batch_move_lru')).toBe(true);
  expect(checkSteps(s, 3)).toBeGreaterThan(100);
}, 120_000);
