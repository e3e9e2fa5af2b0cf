// The grid's 1-byte view (kernel/view.ts: buildView, and classOf for the incremental update)
// against the straightforward builder kept in kernel/view-reference.testkit.ts, PFN by PFN, at
// steps of presets that between them show every class: pcp pages, lru_add batch folios, mlocked,
// the swap cache, balloon and zsmalloc pages, device-private memory, isolated, locked, pinned and
// migrating folios, compaction's free blocks, isolated and offlined pageblocks, holes. A class
// changed in the fast builder, or a state it reads differently, fails here.

import { describe, expect, test } from 'vitest';
import { StateClass, STATE_CLASSES } from '../kernel/classes';
import { PG, PGTY } from '../kernel/flags';
import { dmirror_devmem_alloc_page } from '../kernel/device';
import { type Kernel, type MemoryLayout } from '../kernel/kernel';
import { encodeCompoundHead } from '../kernel/memmap';
import { addHolder, HOLD } from '../kernel/pins';
import { populate } from '../kernel/populate';
import { buildView, classOf, heldFolios } from '../kernel/view';
import { referenceView } from '../kernel/view-reference.testkit';
import { MT, set_pageblock_migratetype } from '../kernel/zone';
import { findPreset } from './presets';
import { parseScenario, populateSpecOf } from './scenario';
import { openSession } from './session';
import { runToEnd, seek } from './timeline';

/** Steps checked per preset, spread over its timeline, besides step 0 and the last. */
const SAMPLES = 16;

/** The first PFN where the two views differ, as a readable line; '' when they agree. */
function firstDifference(k: Kernel, got: Uint8Array, want: Uint8Array, what: string): string {
  for (let p = 0; p < want.length; p++) {
    if (got[p] !== want[p]) return `${what}: pfn ${p} is ${STATE_CLASSES[got[p]!]?.key} (want ${STATE_CLASSES[want[p]!]?.key}), flags 0x${k.mem.flags.a[p]!.toString(16)}, type 0x${k.mem.pageType.a[p]!.toString(16)}`;
  }
  return '';
}

/**
 * The fast builder (and, with `one`, classOf() at every PFN) against the reference on the
 * kernel's current state; adds the classes it shows to `seen`.
 */
function check(k: Kernel, where: string, seen: Set<number>, one = true): void {
  const want = referenceView(k);
  const got = new Uint8Array(k.mem.nr).fill(0xee);
  buildView(k, got);
  expect(firstDifference(k, got, want, `buildView, ${where}`)).toBe('');
  for (const c of want) seen.add(c);
  if (!one) return;
  const held = heldFolios(k);
  const each = new Uint8Array(k.mem.nr);
  for (let p = 0; p < each.length; p++) each[p] = classOf(k, p, held);
  expect(firstDifference(k, each, want, `classOf, ${where}`)).toBe('');
}

function checkTimeline(scenario: unknown, name: string, seen: Set<number>): void {
  const s = openSession(parseScenario(scenario));
  const total = runToEnd(s.t);
  const at = new Set([0, total]);
  for (let i = 1; i <= SAMPLES; i++) at.add(Math.round((i * total) / (SAMPLES + 1)));
  // classOf() (the incremental update's) at every other sample: it is the slower of the two.
  [...at].sort((a, b) => a - b).forEach((n, i) => {
    seek(s.t, n);
    check(s.k, `${name} step ${n}`, seen, i % 2 === 0 || n === total);
  });
}

// Short timelines where they show the class: offline-range (22 k steps) is the one with
// offlined and MIGRATE_ISOLATE blocks and a pinned page in one run.
const PRESETS_CHECKED = [
  'lru-add-batch', 'lru-mlocked', 'pinned-eagain', 'balloon-race', 'balloon-migrate-6.12', 'balloon-migrate-no-refcount',
  'zsmalloc', 'migrate-vma-to-device', 'hugetlb', 'offline-range',
];

describe('the fast view builder classifies every PFN as the reference does', () => {
  const seen = new Set<number>();

  for (const name of PRESETS_CHECKED) {
    test(name, () => {
      checkTimeline(findPreset(name)!.scenario, name, seen);
    }, 120_000);
  }

  test('a folio in the swap cache (swapped out by writeback, then migrated)', () => {
    checkTimeline({
      v: 1, memory: { pfns: 4096 }, seed: 1, actions: [
        { type: 'writeback', process: 0, page: 5, state: 'start' },
        { type: 'writeback', process: 0, page: 5, state: 'end' },
        { type: 'migrate', process: 0, mode: 'sync', reason: 'syscall_or_cpuset' },
      ],
    }, 'swap cache', seen);
  }, 120_000);

  test('holes, device memory, a HighAtomic pageblock and held folios in every combination (a crafted state)', () => {
    // A machine with a hole in ZONE_DMA32 (as the PCI hole is on a larger one) and 512 device pages.
    const layout: MemoryLayout = {
      nrPfns: 16896,
      zones: [{ name: 'DMA', start: 1, end: 4096 }, { name: 'DMA32', start: 4096, end: 16384 }, { name: 'Device', start: 16384, end: 16896 }],
      holes: [{ start: 8192, end: 9216 }],
    };
    const k = populate(populateSpecOf(parseScenario({ v: 1, memory: { pfns: 16384, device: 512 }, seed: 3, actions: [] })), layout);
    const free = firstPfn(k, (p) => k.mem.pageType.a[p] === PGTY.buddy && p >= 4096);
    set_pageblock_migratetype(k, free, MT.HIGHATOMIC);
    // Holders given out of PFN order, two kinds on one folio, one twice, holders that do not
    // change the class (FOLL_GET, a temporary reference), a holder on a tail page and one with
    // no PFN: the fast builder merges and sorts them itself.
    const small = userFolios(k, false);
    const large = userFolios(k, true);
    expect(small.length).toBeGreaterThan(10);
    expect(large.length).toBeGreaterThan(2);
    const [a, b, c, d, e, f, q] = [small[small.length - 1]!, small[0]!, small[3]!, small[5]!, small[7]!, small[8]!, small[small.length - 2]!];
    const h = large[0]!;
    addHolder(k.st, k.pins, a, HOLD.FOLL_PIN);
    addHolder(k.st, k.pins, b, HOLD.ISOLATED);
    addHolder(k.st, k.pins, b, HOLD.FOLL_PIN);
    addHolder(k.st, k.pins, c, HOLD.MIGRATE_NEW);
    addHolder(k.st, k.pins, d, HOLD.ISOLATED);
    addHolder(k.st, k.pins, a, HOLD.FOLL_PIN);
    addHolder(k.st, k.pins, e, HOLD.FOLL_GET);
    addHolder(k.st, k.pins, f, HOLD.TEMP);
    addHolder(k.st, k.pins, large[1]! + 1, HOLD.FOLL_PIN);
    addHolder(k.st, k.pins, h, HOLD.FOLL_PIN);
    addHolder(k.st, k.pins, -1, HOLD.FOLL_PIN);
    k.mem.flags.a[d]! |= 1 << PG.locked; // locked and isolated: under migration
    k.mem.flags.a[e]! |= 1 << PG.locked; // locked only
    k.mem.flags.a[large[2]!]! |= 1 << PG.reserved;
    // A page that names as its compound head a folio the walk has long passed (no consistent
    // memmap has one; the reference classifies it by that head all the same).
    expect(q).toBeGreaterThan(h + 512);
    k.mem.lruNext.a[q] = encodeCompoundHead(h);
    // PG_unevictable on a page with no mapping.
    const kpage = firstPfn(k, (p) => p > 4096 && k.mem.pageType.a[p] === PGTY.none && k.mem.mapping.a[p] === 0 && k.mem.lruNext.a[p]! > -2 && k.mem.refcount.a[p]! > 0 && k.pcp.where.a[p] === 0 && !(k.mem.flags.a[p]! & ((1 << PG.reserved) | (1 << PG.head))));
    k.mem.flags.a[kpage]! |= 1 << PG.unevictable;
    // Device pages taken by the driver: one held by migrate_pages() as a new folio, one not.
    const dev1 = dmirror_devmem_alloc_page(k), dev2 = dmirror_devmem_alloc_page(k);
    k.mem.flags.a[dev1]! &= ~(1 << PG.locked);
    k.mem.flags.a[dev2]! &= ~(1 << PG.locked);
    addHolder(k.st, k.pins, dev1, HOLD.MIGRATE_NEW);
    const seen1 = new Set<number>();
    check(k, 'crafted', seen1);
    const view = new Uint8Array(k.mem.nr);
    buildView(k, view);
    expect(view.slice(8192, 9216).every((x) => x === StateClass.Hole)).toBe(true);
    expect(view[free]).toBe(StateClass.FreeHighAtomic);
    expect([view[a], view[b], view[c], view[d], view[e], view[h], view[h + 1], view[q], view[large[2]!], view[kpage], view[dev1], view[dev2]]).toEqual([
      StateClass.Pinned, StateClass.Pinned, StateClass.Migrating, StateClass.Migrating, StateClass.Locked, StateClass.Pinned, StateClass.Pinned,
      StateClass.Pinned, StateClass.Reserved, StateClass.Unevictable, StateClass.Migrating, StateClass.DevicePrivate,
    ]);
    for (const cls of seen1) seen.add(cls);
  }, 120_000);

  // Reads what the tests above saw: it answers only for a whole run of this file (with -t it
  // reports the classes the skipped tests would have shown).
  test('between them, the states above show every class', () => {
    const missing = STATE_CLASSES.filter((c) => !seen.has(c.id)).map((c) => c.key);
    expect(missing).toEqual([]);
  });
});

function firstPfn(k: Kernel, ok: (pfn: number) => boolean): number {
  for (let p = 0; p < k.mem.nr; p++) if (ok(p)) return p;
  throw new Error('no such PFN');
}

/** Heads of mapped, LRU folios (large or order 0), in PFN order. */
function userFolios(k: Kernel, large: boolean): number[] {
  const out: number[] = [];
  for (let p = 0; p < k.mem.nr; p++) {
    const fl = k.mem.flags.a[p]!;
    if (k.mem.lruNext.a[p]! <= -2 || k.mem.mapping.a[p] === 0 || !(fl & (1 << PG.lru)) || fl & (1 << PG.locked)) continue;
    if (!!(fl & (1 << PG.head)) === large) out.push(p);
  }
  return out;
}
