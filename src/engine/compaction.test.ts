// Compaction presets end to end: the balloon-compaction preset against the real capture it
// mirrors (../shared/reference/real-kernel/balloon-compact: a Linux 6.1 guest, compact_memory with
// a virtio balloon), and the invariants and scanner rules at every compaction step.

import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, test } from 'vitest';
import { checkInvariants } from '../kernel/invariants';
import { balloonPages } from '../kernel/balloon';
import { PGTY } from '../kernel/flags';
import { folio_mapcount, page_folio } from '../kernel/folio';
import { NS, VM_EVENT } from '../kernel/vmstat';
import { freeBlocks } from '../kernel/testkit';
import { findPreset } from './presets';
import { checkSteps } from './steps.testkit';
import { parseScenario } from './scenario';
import { fragmentation_score_node } from '../kernel/compaction';
import { openSession } from './session';
import { runToEnd, seek, type Step, allSteps } from './timeline';
import { needCapture, REFERENCE } from '../reference.testkit';

// compact-blocked-by-pins' machine (presets.ts MEDIUM).
const MEDIUM_MEMORY = { memory: { pfns: 16384 }, seed: 3 } as const;

const REAL = REFERENCE + 'real-kernel/balloon-compact/';
const capture = needCapture(REAL + 'trace.txt.gz', REAL + 'migrations.csv', REAL + 'after.vmstat');
const haveReal = capture.have;

const hexOf = (line: string, key: string): number => parseInt(new RegExp(`${key}=0x([0-9a-f]+)`).exec(line)![1]!, 16);
const numOf = (line: string, key: string): number => Number(new RegExp(`${key}=(\\d+)`).exec(line)![1]);
const rangeOf = (line: string): [number, number] => {
  const m = /range=\(0x([0-9a-f]+) ~ 0x([0-9a-f]+)\)/.exec(line)!;
  return [parseInt(m[1]!, 16), parseInt(m[2]!, 16)];
};

/** The facts the real trace shows about a compact_memory run, computed from event text only. */
function compactionFacts(events: readonly string[]) {
  const of = (name: string): string[] => events.filter((l) => l.startsWith(`${name}: `));
  const ends = of('mm_compaction_end');
  const migrate = of('mm_migrate_pages');
  // Per zone (between a begin and its end): the migrate scanner's ranges go up, one pageblock at
  // most each; the free scanner's go down.
  let migrateUp = true, freeDown = true, withinBlock = true, firstAtZoneStart = true;
  let lastMigrate = -1, lastFree = 0x7fffffff, zoneStart = -1, firstInZone = false;
  for (const l of events) {
    if (l.startsWith('mm_compaction_begin: ')) {
      zoneStart = hexOf(l, 'zone_start');
      lastMigrate = -1;
      lastFree = 0x7fffffff;
      firstInZone = true;
    } else if (l.startsWith('mm_compaction_isolate_migratepages: ')) {
      const [s, e] = rangeOf(l);
      if (firstInZone && s !== zoneStart) firstAtZoneStart = false;
      firstInZone = false;
      if (s < lastMigrate) migrateUp = false;
      if (e > s && s >> 9 !== (e - 1) >> 9) withinBlock = false;
      lastMigrate = s;
    } else if (l.startsWith('mm_compaction_isolate_freepages: ')) {
      const [s] = rangeOf(l);
      if (s >> 9 > lastFree >> 9) freeDown = false;
      lastFree = s;
    }
  }
  return {
    zones: of('mm_compaction_begin').length,
    endsComplete: ends.every((l) => l.endsWith('status=complete')),
    scannersMet: ends.every((l) => hexOf(l, 'free_pfn') >> 9 <= hexOf(l, 'migrate_pfn') >> 9),
    allCompactionSync: migrate.length > 0 && migrate.every((l) => l.includes('mode=MIGRATE_SYNC reason=compaction')),
    succeeded: migrate.reduce((n, l) => n + numOf(l, 'nr_succeeded'), 0),
    batches: migrate.length,
    migrateUp, freeDown, withinBlock, firstAtZoneStart,
  };
}

describe('balloon-compaction against the real capture balloon-compact', () => {
  const s = openSession(findPreset('balloon-compaction')!.scenario, { recordAll: true });
  runToEnd(s.t);
  const compact = allSteps(s.t).filter((x) => x.task.startsWith('compact-'));
  const ours = compactionFacts(compact.flatMap((x) => x.trace));
  const realEvents = haveReal
    ? gunzipSync(readFileSync(REAL + 'trace.txt.gz')).toString('utf8').split('\n')
      .map((l) => /^\s*\S+\s+\[\d+\]\s+\S+\s+[\d.]+: (.*)$/.exec(l)?.[1]).filter((l): l is string => l !== undefined)
    : [];

  capture.test('the same qualitative run: per zone one begin/end, complete with the scanners met, migrate scanner up a pageblock at a time, free scanner down, every batch MIGRATE_SYNC reason=compaction', () => {
    const real = compactionFacts(realEvents);
    // Both machines have two populated zones (DMA and DMA32) and compact_memory visits both.
    expect(real.zones).toBe(2);
    for (const facts of [real, ours]) {
      expect(facts).toMatchObject({
        zones: 2, endsComplete: true, scannersMet: true, allCompactionSync: true,
        migrateUp: true, freeDown: true, withinBlock: true, firstAtZoneStart: true,
      });
    }
    // The real vmstat agrees with its trace, as ours does with our counters.
    const vmstat = readFileSync(REAL + 'after.vmstat', 'utf8');
    expect(Number(/^pgmigrate_success (\d+)$/m.exec(vmstat)![1])).toBe(real.succeeded);
    expect(s.k.events.a[VM_EVENT.PGMIGRATE_SUCCESS]).toBe(ours.succeeded);
    // The preset mirrors the capture's workload: the amount of work is of the same size
    // (real: 13784 pages in 79 batches).
    expect(ours.succeeded / real.succeeded).toBeGreaterThan(0.5);
    expect(ours.succeeded / real.succeeded).toBeLessThan(2);
    expect(ours.batches / real.batches).toBeGreaterThan(0.5);
    expect(ours.batches / real.batches).toBeLessThan(2);
  });

  capture.test('balloon pages move through balloon_page_migrate, every one upward, and stay PageOffline: the balloon keeps its size', () => {
    // Real: the balloon_migrate kprobe fired for thousands of pages, always returning 0, and
    // migrations.csv (src/dst PFNs from the kprobes) moves every page to a higher PFN.
    const realRet = realEvents.filter((l) => l.startsWith('balloon_migrate_ret: '));
    expect(realRet.length).toBeGreaterThan(1000);
    expect(realRet.every((l) => l.endsWith(' ret=0'))).toBe(true);
    const rows = readFileSync(REAL + 'migrations.csv', 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
    expect(rows.every((r) => Number(r[4]) > Number(r[3]))).toBe(true);
    const realBalloon = rows.filter((r) => r[2] === 'balloon').length;
    // Ours: virtballoon_migratepage succeeded as often as the balloon_migrate counter says; the
    // compaction_alloc destination of every migrated page lies above its source.
    const moved = compact.filter((x) => x.fn === 'virtballoon_migratepage' && x.result === '0');
    expect(moved.length).toBe(s.k.events.a[VM_EVENT.BALLOON_MIGRATE]);
    expect(moved.length / realBalloon).toBeGreaterThan(0.5);
    expect(moved.length / realBalloon).toBeLessThan(2);
    const dests = compact.filter((x) => x.fn === 'compaction_alloc');
    expect(dests.length).toBeGreaterThan(1000);
    expect(dests.every((x) => x.pfns[1]!.pfn > x.pfns[0]!.pfn)).toBe(true);
    // Every balloon page is still PageOffline on the balloon list: 49152 before and after.
    expect(s.k.nstat.a[NS.NR_BALLOON_PAGES]).toBe(49152);
    const pages = balloonPages(s.k);
    expect(pages).toHaveLength(49152);
    expect(pages.every((p) => s.k.mem.pageType.a[p] === PGTY.offline)).toBe(true);
    expect(checkInvariants(s.k)).toEqual([]);
  });

  test('ramfs folios fail to migrate (no migrate_folio, dirty: -EBUSY) and stay, as the capture\'s 660 ramfs pages did', () => {
    const busy = compact.filter((x) => x.fn === 'fallback_migrate_folio');
    expect(busy.length).toBeGreaterThan(0);
    expect(busy.every((x) => /ramfs/.test(x.text) && /-EBUSY/.test(x.text))).toBe(true);
  });
});

describe.each([['compact-for-thp', 1], ['balloon-compaction-no-refcount', 1], ['compact-blocked-by-pins', 10]] as const)('%s', (name, every) => {
  const s = openSession(findPreset(name)!.scenario, { recordAll: true });
  const before = freeBlocks(s.k, 1).filter((b) => b.order >= 9).length;
  runToEnd(s.t);
  const steps = allSteps(s.t);

  test(`invariants hold at every ${every > 1 ? `${every}th ` : ''}step but the mid-operation ones, and the migrate scanner stays below the free scanner`, () => {
    expect(checkSteps(s, every)).toBeGreaterThan(3);
    const scans = steps.filter((x) => x.fn === 'isolate_migratepages_block' || x.fn === 'isolate_freepages_block');
    expect(scans.length).toBeGreaterThan(0);
    // Within one compact_zone run, every migrate-scanner range starts below every later
    // free-scanner range's end (they never cross; they meet).
    let migrateAt = -1;
    for (const x of steps) {
      if (x.fn === 'compact_zone' && x.phase === 'scan') migrateAt = -1;
      if (x.fn === 'isolate_migratepages_block') migrateAt = x.pfns[0]!.pfn;
      if (x.fn === 'isolate_freepages_block' && migrateAt >= 0) expect(x.pfns[0]!.pfn >> 9).toBeGreaterThan(migrateAt >> 9);
    }
  }, 120_000);

  test('each zone compacted ends with a result, and free blocks of order >= 9 do not decrease', () => {
    const ends = steps.filter((x: Step) => x.fn === 'compact_zone' && x.phase === 'done');
    expect(ends.length).toBeGreaterThan(0);
    expect(ends.every((x) => ['complete', 'success', 'partial_skipped'].includes(x.result!))).toBe(true);
    expect(freeBlocks(s.k, 1).filter((b) => b.order >= 9).length).toBeGreaterThanOrEqual(before - (name === 'compact-for-thp' ? 64 : 0));
  });
});

describe('what the presets show', () => {
  test('compact-for-thp: the order-9 request fails on the free lists, compaction captures a block of exactly order 9, and the allocation gets it', () => {
    const s = openSession(findPreset('compact-for-thp')!.scenario, { recordAll: true });
    runToEnd(s.t);
    const last = allSteps(s.t).filter((x) => x.action === 1);
    expect(last[0]!.fn).toBe('__alloc_pages_slowpath');
    const cap = last.find((x) => x.fn === 'compaction_capture')!;
    expect(cap).toBeDefined();
    const got = last[last.length - 1]!;
    expect(got.fn).toBe('__alloc_pages');
    expect(got.result).toBe('0x' + cap.pfns[0]!.pfn.toString(16));
    expect(s.k.mem.refcount.a[cap.pfns[0]!.pfn]).toBe(1);
    // Order 9 > PAGE_ALLOC_COSTLY_ORDER: the free scanner first searches the free lists
    // (fast_isolate_freepages), async direct compaction of a movable request.
    expect(last.some((x) => x.trace.some((l) => l.startsWith('mm_compaction_fast_isolate_freepages: ')))).toBe(true);
    expect(last.flatMap((x) => x.trace).find((l) => l.startsWith('mm_compaction_begin'))).toMatch(/mode=async$/);
    expect(checkInvariants(s.k)).toEqual([]);
  });

  test('compact-blocked-by-pins: every pinned folio is skipped as pinned and is still at its PFN afterwards', () => {
    const s = openSession(findPreset('compact-blocked-by-pins')!.scenario, { recordAll: true });
    runToEnd(s.t);
    const pinned = allSteps(s.t).filter((x) => x.fn === 'pin_user_pages' && x.result === '1').map((x) => x.pfns[0]!.pfn);
    expect(pinned.length).toBeGreaterThanOrEqual(3);
    expect(allSteps(s.t).some((x) => x.fn === 'isolate_migratepages_block' && /refcount - 1 > mapcount: pinned/.test(x.text))).toBe(true);
    const folios = pinned.map((p) => page_folio(s.k, p));
    for (const f of folios) expect(s.k.mem.refcount.a[f]).toBeGreaterThan(1);
    const moved = new Set(allSteps(s.t).filter((x) => x.fn === 'compaction_alloc').map((x) => x.pfns[0]!.pfn));
    for (const f of folios) expect(moved.has(f)).toBe(false);
  });

  // FOLL_PIN adds 1024, far above any mapcount, so only a FOLL_GET pin (+1) sits right at the
  // boundary of isolate_migratepages_block()'s check: refcount (with compaction's own reference)
  // - 1 = mapcount + 1 > mapcount. A check loosened by one lets this folio through to migration.
  test('a FOLL_GET pin (+1) is enough: the folio is skipped as pinned at isolation and never reaches migrate_pages', () => {
    const s = openSession(parseScenario({ v: 1, ...MEDIUM_MEMORY, actions: [{ type: 'pin', process: 0, page: 20, kind: 'get' }, { type: 'compact', zone: 'DMA32' }] }));
    runToEnd(s.t);
    const steps = allSteps(s.t);
    const get = steps.find((x) => x.fn === 'get_user_pages')!;
    const folio = page_folio(s.k, get.pfns[0]!.pfn);
    const mc = folio_mapcount(s.k, folio);
    // Nobody else holds it: one reference per mapping, then FOLL_GET's 1.
    expect(get.text).toContain(`refcount ${mc} → ${mc + 1}`);
    const skip = steps.filter((x) => x.fn === 'isolate_migratepages_block' && x.text.includes(`0x${folio.toString(16)}: refcount`));
    expect(skip).toHaveLength(1);
    expect(skip[0]!.text).toContain(`anon folios with extra references (refcount - 1 > mapcount: pinned) (e.g. 0x${folio.toString(16)}: refcount ${mc + 1} + our 1, mapcount ${mc})`);
    expect(steps.some((x) => x.fn !== 'get_user_pages' && x.pfns.some((p) => p.pfn === folio && p.role === 'src'))).toBe(false);
    expect(s.k.mem.refcount.a[folio]).toBe(mc + 1);
  });

  test('balloon-compaction-no-refcount: 6.18 compaction cannot isolate the frozen balloon pages (refcount 0) and says so', () => {
    const s = openSession(findPreset('balloon-compaction-no-refcount')!.scenario, { recordAll: true });
    runToEnd(s.t);
    expect(allSteps(s.t).some((x) => x.fn === 'isolate_migratepages_block' && /movable_ops pages not isolated: its refcount is 0/.test(x.text))).toBe(true);
    expect(allSteps(s.t).some((x) => x.fn === 'virtballoon_migratepage')).toBe(false);
  });
});

describe('proactive compaction (kcompactd, vm.compaction_proactiveness)', () => {
  const run = (proactiveness?: number) => {
    const s = openSession(parseScenario({ v: 1, memory: { pfns: 32768 }, seed: 3, actions: [{ type: 'compact', proactive: true, ...(proactiveness ? { proactiveness } : {}) }] }));
    const before = fragmentation_score_node(s.k);
    runToEnd(s.t);
    return { s, before, after: fragmentation_score_node(s.k) };
  };

  test('at the default proactiveness 20 the node score is below the high mark 90: kcompactd sleeps, nothing moves', () => {
    const { s, before, after } = run();
    expect(before).toBeLessThanOrEqual(90);
    expect(allSteps(s.t)).toHaveLength(1);
    expect(allSteps(s.t)[0]!.result).toBe('false');
    expect(after).toBe(before);
  });

  test('at proactiveness 90 (marks 10/15) the zones are compacted in MIGRATE_SYNC_LIGHT and the score drops', () => {
    const { s, before, after } = run(90);
    expect(before).toBeGreaterThan(15);
    expect(allSteps(s.t)[0]!.result).toBe('true');
    const batches = allSteps(s.t).flatMap((x) => x.trace).filter((l) => l.startsWith('mm_migrate_pages:'));
    expect(batches.length).toBeGreaterThan(0);
    expect(batches.every((l) => l.includes('mode=MIGRATE_SYNC_LIGHT reason=compaction'))).toBe(true);
    expect(after).toBeLessThan(before);
  });
});
