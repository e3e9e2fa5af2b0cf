// Counters over the timeline for the charts: free pages per order and per migratetype, free
// blocks of at least pageblock order, and pages migrated / failed. Sampled when the frontier
// advances (the kernel is then at the newest step), at most MAX_SAMPLES points: when full, every
// other sample goes and the stride doubles, so a long timeline keeps an even, bounded sketch.

import type { Kernel } from '../kernel/kernel';
import { freeSlot } from '../kernel/kernel';
import { MIGRATE_TYPES, NR_PAGE_ORDERS, PAGEBLOCK_ORDER } from '../kernel/zone';
import { VM_EVENT } from '../kernel/vmstat';
import type { Timeline } from './timeline';

export const MAX_SAMPLES = 1024;

export interface SeriesPoint {
  readonly step: number;
  /** Free pages (not blocks) at each order 0..10, all zones. */
  readonly freeByOrder: readonly number[];
  /** Free pages on each migratetype's lists (Unmovable, Movable, Reclaimable, HighAtomic, Isolate). */
  readonly freeByType: readonly number[];
  /** Free blocks of order >= pageblock_order: what a THP allocation needs. */
  readonly bigBlocks: number;
  /** pgmigrate_success / pgmigrate_fail so far. */
  readonly migrated: number;
  readonly failed: number;
}

export interface Series {
  readonly points: SeriesPoint[];
  stride: number;
  next: number;
}

export function samplePoint(k: Kernel, step: number): SeriesPoint {
  const freeByOrder = new Array<number>(NR_PAGE_ORDERS).fill(0);
  const freeByType = new Array<number>(MIGRATE_TYPES).fill(0);
  let bigBlocks = 0;
  for (const z of k.zones) {
    for (let o = 0; o < NR_PAGE_ORDERS; o++) {
      const n = k.nrFree.a[z.idx * NR_PAGE_ORDERS + o]!;
      freeByOrder[o]! += n << o;
      if (o >= PAGEBLOCK_ORDER) bigBlocks += n;
      // Blocks per list from the lists' own counts (kernel/list.ts): walking them cost half the
      // worker's time on a 24 GiB run (~700 k order-0 blocks a sample).
      for (let mt = 0; mt < MIGRATE_TYPES; mt++) freeByType[mt]! += k.freeLists.counts!.a[freeSlot(z.idx, o, mt)]! << o;
    }
  }
  return {
    step, freeByOrder, freeByType, bigBlocks,
    migrated: k.events.a[VM_EVENT.PGMIGRATE_SUCCESS]!, failed: k.events.a[VM_EVENT.PGMIGRATE_FAIL]!,
  };
}

/** Start sampling a timeline (from its current state, step 0). */
export function trackSeries(t: Timeline): Series {
  const s: Series = { points: [samplePoint(t.k, 0)], stride: 1, next: 1 };
  t.observers.push((tl) => {
    const step = tl.rec.n;
    // Off the stride, but the run has ended: the frontier is always the series' last point.
    if (step < s.next && !(tl.done && s.points.at(-1)!.step !== step)) return;
    s.points.push(samplePoint(tl.k, step));
    s.next = step + s.stride;
    if (s.points.length > MAX_SAMPLES) {
      const kept = s.points.filter((_, i) => i % 2 === 0 || i === s.points.length - 1);
      s.points.length = 0;
      s.points.push(...kept);
      s.stride *= 2;
    }
  });
  return s;
}
