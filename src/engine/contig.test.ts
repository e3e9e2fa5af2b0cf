// alloc_contig_range() and offline_pages() (mm/page_alloc.c, mm/memory_hotplug.c,
// mm/page_isolation.c) through their presets: what is isolated, migrated, refused and taken.

import { describe, expect, test } from 'vitest';
import { checkInvariants } from '../kernel/invariants';
import { page_folio } from '../kernel/folio';
import { PGTY } from '../kernel/flags';
import { buildView, countClasses } from '../kernel/view';
import { NR_STATE_CLASSES, StateClass } from '../kernel/classes';
import { get_pfnblock_migratetype, MT, PB_OFFLINE } from '../kernel/zone';
import { findPreset } from './presets';
import { checkSteps } from './steps.testkit';
import { openSession } from './session';
import { runToEnd, seek, allSteps } from './timeline';


function checkAtRest(name: string): void {
  const s = openSession(findPreset(name)!.scenario);
  runToEnd(s.t);
  expect(checkSteps(s, 10)).toBeGreaterThan(3);
}

const blocks = (start: number, end: number): number[] => Array.from({ length: (end - start) >> 9 }, (_, i) => start + i * 512);

describe('contig-range', () => {
  const s = openSession(findPreset('contig-range')!.scenario);
  runToEnd(s.t);
  const of = (a: number) => allSteps(s.t).filter((x) => x.action === a);

  test('the movable range is emptied by migration (reason contig_range) and handed over as 1024 order-0 pages with one reference each', () => {
    const first = of(0);
    expect(first[0]!.fn).toBe('start_isolate_page_range');
    expect(first[first.length - 1]!.result).toBe('0');
    const batches = first.flatMap((x) => x.trace).filter((l) => l.startsWith('mm_migrate_pages:'));
    expect(batches.length).toBeGreaterThan(0);
    expect(batches.every((l) => l.endsWith('mode=MIGRATE_SYNC reason=contig_range'))).toBe(true);
    for (let p = 0x3000; p < 0x3400; p++) {
      expect(s.k.mem.refcount.a[p]).toBe(1);
      expect(s.k.mem.pageType.a[p]).toBe(PGTY.none);
      expect(s.k.mem.mapping.a[p]).toBe(0);
    }
    for (const b of blocks(0x3000, 0x3400)) expect(get_pfnblock_migratetype(s.k, b)).not.toBe(MT.ISOLATE);
  });

  test('a range holding an unmovable page is refused before anything moves, naming the page', () => {
    const second = of(1);
    expect(second).toHaveLength(1);
    expect(second[0]!.result).toBe('-EBUSY');
    expect(second[0]!.text).toMatch(/0x1[89a-f][0-9a-f]{2} is (PG_reserved|a slab page|a page-table page|a kernel allocation)/);
    for (const b of blocks(0x1800, 0x1a00)) expect(get_pfnblock_migratetype(s.k, b)).not.toBe(MT.ISOLATE);
  });

  test('invariants hold at every 10th step (and each operation\'s end) but the mid-operation ones', () => checkAtRest('contig-range'), 120_000);
});

describe('offline-range', () => {
  const s = openSession(findPreset('offline-range')!.scenario);
  runToEnd(s.t);
  const of = (a: number) => allSteps(s.t).filter((x) => x.action === a);

  test('a pinned page cannot be migrated: the retry loop gives up (signal backoff) and the range is back to normal', () => {
    const pinned = page_folio(s.k, of(0)[0]!.pfns[0]!.pfn);
    expect(pinned >= 0x1c00 && pinned < 0x1e00).toBe(true);
    const off = of(1);
    const last = off[off.length - 1]!;
    expect(last.fn).toBe('offline_pages');
    expect(last.result).toBe('-EINTR');
    expect(last.text).toMatch(/signal backoff/);
    expect(off.filter((x) => x.fn === 'migrate_pages' && x.phase === 'done').every((x) => x.trace[0]!.endsWith('reason=memory_hotplug'))).toBe(true);
    expect(s.k.mem.refcount.a[pinned]).toBeGreaterThan(1024);
    for (const b of blocks(0x1c00, 0x1e00)) {
      expect(get_pfnblock_migratetype(s.k, b)).not.toBe(MT.ISOLATE);
      expect(s.k.pageblock.a[b >> 9]! & PB_OFFLINE).toBe(0);
    }
  });

  test('the movable range empties and goes offline: no free page left there, drawn as offlined memory', () => {
    const last = of(2).at(-1)!;
    expect(last.fn).toBe('__offline_isolated_pages');
    expect(last.result).toBe('0');
    for (const b of blocks(0x3800, 0x3c00)) expect(s.k.pageblock.a[b >> 9]! & PB_OFFLINE).toBe(PB_OFFLINE);
    const view = new Uint8Array(s.k.mem.nr);
    buildView(s.k, view);
    expect(countClasses(view, NR_STATE_CLASSES)[StateClass.Offlined]).toBe(1024);
    expect(checkInvariants(s.k)).toEqual([]);
  });

  test('invariants hold at every 10th step (and each operation\'s end) but the mid-operation ones', () => checkAtRest('offline-range'), 120_000);
});
