// Choosing pageblock migratetypes on import: where boot (defer_init, deferred_free_pages) left
// reserved blocks Unmovable, and what the real captures' free scanners show of it.

import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, test } from 'vitest';
import { PGTY } from '../flags';
import type { ZoneSpec } from '../kernel';
import { get_pfnblock_migratetype, MIGRATE_TYPES, MT, NR_PAGE_ORDERS, PAGEBLOCK_ORDER } from '../zone';
import { freeBlocksOf } from './freeblocks';
import { PAGES_PER_SECTION } from './layout';
import { choosePageblockTypes, firstDeferredPfn, type GivenPagetypes } from './pageblocks';
import { importDump } from './rebuild';
import { C } from './scan';
import { captureSet, REFERENCE } from '../../reference.testkit';

const zones: ZoneSpec[] = [{ name: 'DMA', start: 0, end: 0x1000 }, { name: 'DMA32', start: 0x1000, end: 0x20000 }];

describe('defer_init(): where boot stops initialising the highest zone', () => {
  test('the first section boundary after one section of its pages; holes do not count', () => {
    expect(firstDeferredPfn(zones, new Uint8Array(0x20000))).toBe(0x10000);
    const hole = new Uint8Array(0x20000);
    hole.fill(1, 0x8000, 0x10000);
    expect(firstDeferredPfn(zones, hole)).toBe(0x18000);
    expect(firstDeferredPfn([{ name: 'DMA32', start: 0x1000, end: 0x8000 }], new Uint8Array(0x8000))).toBe(Infinity);
  });
});

describe('pageblocks wholly reserved by memblock', () => {
  // Two reserved pageblocks without free pages, one initialised at boot (below first_deferred_pfn)
  // and one deferred; pagetypeinfo counts one Unmovable block.
  const nr = 0x20000;
  const cls = new Uint8Array(nr).fill(C.ANON);
  const low = 0x2000, high = 0x1f400;
  cls.fill(C.RESERVED, low, low + 512);
  cls.fill(C.RESERVED, high, high + 512);
  const free = freeBlocksOf(cls, zones);
  const none = (): number[][] => Array.from({ length: MIGRATE_TYPES }, () => new Array<number>(NR_PAGE_ORDERS).fill(0));
  const blocks = (unmov: number, recl: number): number[] => {
    const b = new Array<number>(MIGRATE_TYPES).fill(0);
    b[MT.UNMOVABLE] = unmov;
    b[MT.RECLAIMABLE] = recl;
    b[MT.MOVABLE] = 0xf8 - unmov - recl;
    return b;
  };

  test('the deferred one is the Unmovable block: deferred_free_pages() never typed it', () => {
    const given: (GivenPagetypes | null)[] = [null, { blocks: blocks(1, 0), free: none() }];
    const { mt, notes } = choosePageblockTypes(nr >> PAGEBLOCK_ORDER, zones, new Uint8Array(nr), cls, free, given);
    expect(mt[high >> PAGEBLOCK_ORDER]).toBe(MT.UNMOVABLE);
    expect(mt[low >> PAGEBLOCK_ORDER]).toBe(MT.MOVABLE);
    expect(notes.filter((n) => n.startsWith('zone DMA32'))).toEqual(['zone DMA32: 1 pageblock starting with reserved memory above first_deferred_pfn 0x10000 taken as Unmovable (boot left them so before 6.18\'s __init_page_from_nid())']);
  });

  test('another type takes it last: boot left it Unmovable, not Reclaimable', () => {
    const given: (GivenPagetypes | null)[] = [null, { blocks: blocks(0, 1), free: none() }];
    const { mt } = choosePageblockTypes(nr >> PAGEBLOCK_ORDER, zones, new Uint8Array(nr), cls, free, given);
    expect(mt[high >> PAGEBLOCK_ORDER]).toBe(MT.MOVABLE);
    expect(mt.filter((t) => t === MT.RECLAIMABLE).length).toBe(1);
  });
});

// The real free scanners (6.1 and 6.12 guests, compact_memory): isolate_freepages() calls
// isolate_freepages_block() — one mm_compaction_isolate_freepages line — for every pageblock it
// finds suitable, from the top of DMA32 down. A block passed over between two traced ones was
// unsuitable: not Movable, or starting with a free block of pageblock order.
const REF = REFERENCE;
const SET = captureSet(['real-kernel', 'real-kernel-6.12'].flatMap((f) => ['fragmented-compact', 'balloon-compact'].map((c) => `${f}/${c}`)), 'trace.txt.gz');
const CAPTURES = SET.dirs;

SET.describe('the imported pageblock types against the real free scanner', () => {
  test.each(CAPTURES)('%s: every pageblock of DMA32 the real free scanner passed over is unsuitable here too, and every one it scanned is suitable', (name) => {
    const dir = `${REF}${name}/`;
    const text = (f: string): string => readFileSync(dir + f, 'utf8');
    const { k } = importDump({
      name, kpageflags: readFileSync(dir + 'before.kpageflags'), kpagecount: readFileSync(dir + 'before.kpagecount'),
      buddyinfo: text('before.buddyinfo'), pagetypeinfo: text('before.pagetypeinfo'), zoneinfo: text('before.zoneinfo'),
    });
    const trace = gunzipSync(readFileSync(dir + 'trace.txt.gz')).toString().split('\n');
    const begins = trace.map((l, i) => (l.includes('mm_compaction_begin:') ? i : -1)).filter((i) => i >= 0);
    expect(begins.length).toBe(2);
    // Every pageblock the DMA32 run's free scanner went through, down to where the scanners met.
    const scanned = trace.slice(begins[1]).map((l) => /mm_compaction_isolate_freepages: range=\((0x[0-9a-f]+) ~/.exec(l)?.[1]).filter((x) => x !== undefined).map((x) => Number(x) >> PAGEBLOCK_ORDER);
    const top = (k.zones[1]!.end - 1) >> PAGEBLOCK_ORDER;
    const suitable = (b: number): boolean => {
      const pfn = b << PAGEBLOCK_ORDER;
      const bigFree = k.mem.pageType.a[pfn] === PGTY.buddy && k.mem.private_.a[pfn]! >= PAGEBLOCK_ORDER; // suitable_migration_target()
      return !bigFree && get_pfnblock_migratetype(k, pfn) === MT.MOVABLE;
    };
    const wrong: string[] = [];
    for (let b = top; b >= scanned[scanned.length - 1]!; b--) {
      const real = scanned.includes(b);
      if (real !== suitable(b)) wrong.push(`${(b << PAGEBLOCK_ORDER).toString(16)}: real ${real ? 'scanned' : 'passed over'}`);
    }
    expect(wrong).toEqual([]);
  }, 120_000);
});
