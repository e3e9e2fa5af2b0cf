// /proc views in the kernel's exact formats: stable_page_flags() per page (fs/proc/page.c),
// buddyinfo (frag_show_print) and pagetypeinfo (pagetypeinfo_show*) in mm/vmstat.c. Formats are
// checked byte for byte against the real captures in ../shared/reference/real-kernel/.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { KPF, PG } from './flags';
import { createKernel, defaultLayout, freeSlot, pageZone, type Kernel, type MemoryLayout } from './kernel';
import { listAddTail } from './list';
import { setPageFlag, setPageMapping } from './memmap';
import { buddyinfo, dumpKpage, freePageMap, kpagecount, pagetypeinfo, stable_page_flags, zoneinfo } from './procfs';
import { pcpPlace, zonePcpPages } from './pcp';
import { DEFAULT_POPULATE, boot, populate } from './populate';
import { MIGRATE_TYPES, MT, MT_NAMES, NR_PAGE_ORDERS, PAGEBLOCK_NR_PAGES, PB_MIGRATE_ISOLATE, setPageblockBits } from './zone';
import { put } from './store';
import { __alloc_pages, GFP_HIGHUSER_MOVABLE } from './buddy';
import { alloc_slab_page } from './kalloc';
import { do_anonymous_page, do_read_fault, filemap_read_folio } from './memory';
import { folio_activate } from './lru';
import { alignedBlocksOfRun, createTestWorld, oneBlockKernel } from './testkit';
import { needCapture, REFERENCE } from '../reference.testkit';

const kpf = (...bits: number[]): bigint => bits.reduce((a, b) => a | (1n << BigInt(b)), 0n);
const flagsOf = (k: Kernel, pfn: number): bigint => stable_page_flags(k, pfn, freePageMap(k));

describe('stable_page_flags', () => {
  it('an anon THP tail reads COMPOUND_TAIL plus the head\'s flags, LRU and THP included', () => {
    const w = createTestWorld();
    const folio = do_anonymous_page(w.k, w.procs[0]!.heap, 0, 4);
    const common = [KPF.MMAP, KPF.ANON, KPF.THP, KPF.LRU, KPF.UPTODATE, KPF.SWAPBACKED, KPF.OWNER_2];
    expect(flagsOf(w.k, folio)).toBe(kpf(KPF.COMPOUND_HEAD, ...common));
    for (const i of [1, 7, 15]) expect(flagsOf(w.k, folio + i)).toBe(kpf(KPF.COMPOUND_TAIL, ...common));
    folio_activate(w.k, pageZone(w.k, folio), folio);
    expect(flagsOf(w.k, folio + 9)).toBe(kpf(KPF.COMPOUND_TAIL, KPF.ACTIVE, ...common));
  });

  it('a large page-cache folio is THP (large_rmappable) but not ANON; one mapped page makes every page MMAP', () => {
    const w = createTestWorld();
    const folio = filemap_read_folio(w.k, w.files[0]!, 8, 2);
    expect(flagsOf(w.k, folio + 1)).toBe(kpf(KPF.COMPOUND_TAIL, KPF.THP, KPF.LRU, KPF.UPTODATE));
    do_read_fault(w.k, w.procs[0]!.fmap, 10);
    expect(flagsOf(w.k, folio + 1)).toBe(kpf(KPF.COMPOUND_TAIL, KPF.THP, KPF.LRU, KPF.UPTODATE, KPF.MMAP));
  });

  it('KPF_THP follows PG_large_rmappable in page[1], not the mapping: a large folio out of the cache stays THP', () => {
    const w = createTestWorld();
    const folio = filemap_read_folio(w.k, w.files[0]!, 8, 2);
    setPageMapping(w.k, folio, 0); // as after truncation, while someone still holds it
    expect(flagsOf(w.k, folio + 2) & kpf(KPF.THP)).toBe(kpf(KPF.THP));
    const slab = alloc_slab_page(w.k, 2, false); // compound but not rmappable
    expect(flagsOf(w.k, slab + 1) & kpf(KPF.THP)).toBe(0n);
  });

  it('every page of a free block reads BUDDY, not only the head', () => {
    const k = oneBlockKernel();
    const free = freePageMap(k);
    for (let p = 0; p < 1024; p++) expect(stable_page_flags(k, p, free)).toBe(kpf(KPF.BUDDY));
    const pfn = __alloc_pages(k, GFP_HIGHUSER_MOVABLE, 0);
    const after = freePageMap(k);
    expect(stable_page_flags(k, pfn, after)).toBe(0n);
    expect(stable_page_flags(k, 1023, after)).toBe(kpf(KPF.BUDDY)); // tail of the order-9 block at 512
  });

  it('a slab folio reads SLAB on the head and on its tails', () => {
    const k = oneBlockKernel();
    const s = alloc_slab_page(k, 1, false);
    expect(flagsOf(k, s)).toBe(kpf(KPF.SLAB, KPF.COMPOUND_HEAD));
    expect(flagsOf(k, s + 1)).toBe(kpf(KPF.SLAB, KPF.COMPOUND_TAIL));
    const s0 = alloc_slab_page(k, 0, true);
    expect(flagsOf(k, s0)).toBe(kpf(KPF.SLAB));
  });

  it('a page-table page reads PGTABLE', () => {
    const w = createTestWorld();
    const heap = w.procs[0]!.heap;
    do_anonymous_page(w.k, heap, 0);
    expect(flagsOf(w.k, heap.ptPages.a[0]!)).toBe(kpf(KPF.PGTABLE));
  });

  it('a memblock-reserved page reads RESERVED only', () => {
    const k = boot(defaultLayout(8192));
    expect(flagsOf(k, 0)).toBe(kpf(KPF.RESERVED));
    expect(flagsOf(k, 8191)).toBe(kpf(KPF.RESERVED));
  });

  it('a hole reads 0 (6.18 writes 0 for a PFN with no online page; no NOPAGE), whatever its memmap holds', () => {
    const layout: MemoryLayout = { nrPfns: 2048, zones: [{ name: 'DMA32', start: 0, end: 2048 }], holes: [{ start: 1024, end: 1536 }] };
    const k = boot(layout);
    setPageFlag(k, 1100, PG.reserved);
    setPageFlag(k, 1100, PG.lru);
    expect(flagsOf(k, 1100)).toBe(0n);
    expect(flagsOf(k, 1023)).toBe(kpf(KPF.BUDDY)); // the order-9 block [512,1024) before the hole
    expect(flagsOf(k, 1536)).toBe(kpf(KPF.BUDDY));
    expect(kpagecount(k, 1100)).toBe(0);
  });
});

describe('kpagecount', () => {
  it('is the per-page mapcount: 2 for a page two processes map, 1 for each page of a mapped mTHP, 0 for typed and free pages', () => {
    const w = createTestWorld();
    const page = do_read_fault(w.k, w.procs[0]!.fmap, 5);
    do_read_fault(w.k, w.procs[2]!.fmap, 5);
    expect(kpagecount(w.k, page)).toBe(2);
    const thp = do_anonymous_page(w.k, w.procs[1]!.heap, 0, 4);
    expect(kpagecount(w.k, thp + 3)).toBe(1);
    expect(kpagecount(w.k, w.procs[1]!.heap.ptPages.a[0]!)).toBe(0);
    expect(kpagecount(w.k, freePageMap(w.k).indexOf(1))).toBe(0);
    const dump = dumpKpage(w.k);
    expect(new DataView(dump.kpagecount.buffer).getBigUint64(page * 8, true)).toBe(2n);
  });
});

// ---------------------------------------------------------------------------------------------
// Formats against the real captures.

const REAL = REFERENCE + 'real-kernel/';
const realFile = (scenario: string, name: string): string => `${REAL}${scenario}/${name}`;
const capture = needCapture(realFile('fragmented-compact', 'before.buddyinfo'), realFile('fragmented-compact', 'before.pagetypeinfo'));

/** printf("%<w>lu"): right-aligned in w columns, wider numbers overflow. */
const num = (w: number): string => `(?:${Array.from({ length: w - 1 }, (_, i) => `${' '.repeat(w - 1 - i)}\\d{${i + 1}}`).join('|')}|\\d{${w},})`;
/** printf("%<w>s") of one of the kernel's names. */
const name = (w: number, names: readonly string[]): string => `(?:${names.map((n) => ' '.repeat(Math.max(0, w - n.length)) + n).join('|')})`;
const ZONES = ['DMA', 'DMA32', 'Normal', 'Movable', 'Device'];

// Line shapes read off the real files (before.buddyinfo, before.pagetypeinfo).
const SHAPES = {
  buddy: new RegExp(`^Node \\d+, zone ${name(8, ZONES)} (?:${num(6)} ){11}$`),
  free: new RegExp(`^Node ${num(4)}, zone ${name(8, ZONES)}, type ${name(12, MT_NAMES)} (?:>?${num(6)} ){11}$`),
  blocks: new RegExp(`^Node \\d+, zone ${name(8, ZONES)} (?:${num(12)} ){5}$`),
};
const lineKind = (line: string): string =>
  SHAPES.buddy.test(line) ? 'buddy' : SHAPES.free.test(line) ? 'free' : SHAPES.blocks.test(line) ? 'blocks' : line;

function parseBuddyinfo(text: string): { zone: string; counts: number[] }[] {
  return text.trimEnd().split('\n').map((l) => {
    const m = /^Node \d+, zone +(\S+) +(.*)$/.exec(l)!;
    return { zone: m[1]!, counts: m[2]!.trim().split(/ +/).map(Number) };
  });
}

/** Buddyinfo rebuilt from kpageflags: BUDDY runs split into maximal aligned power-of-two blocks. */
function buddyinfoFromKpageflags(kpageflags: Uint8Array, zones: readonly { start: number; end: number }[]): number[][] {
  const dv = new DataView(kpageflags.buffer, kpageflags.byteOffset, kpageflags.byteLength);
  const nr = kpageflags.byteLength / 8;
  const isBuddy = (p: number): boolean => (dv.getUint32(p * 8, true) & (1 << KPF.BUDDY)) !== 0;
  return zones.map((z) => {
    const counts = new Array<number>(NR_PAGE_ORDERS).fill(0);
    for (let p = z.start; p < Math.min(z.end, nr);) {
      if (!isBuddy(p)) {
        p++;
        continue;
      }
      let e = p;
      while (e < z.end && isBuddy(e)) e++;
      alignedBlocksOfRun(p, e, (_, o) => counts[o]!++);
      p = e;
    }
    return counts;
  });
}

describe('buddyinfo and pagetypeinfo formats', () => {
  it('boot(8192) frees every unreserved range in maximal aligned blocks (hand-worked buddyinfo)', () => {
    // Reserved: [0,0x100) and the memmap tail [8029,8192). DMA: 0x100..0x1000 = 256+512+3×1024.
    // DMA32: 0x1000..8029 = 3×1024 + 512 + 256 + 64 + 16 + 8 + 4 + 1.
    expect(buddyinfo(boot(defaultLayout(8192)))).toBe(
      'Node 0, zone      DMA      0      0      0      0      0      0      0      0      1      1      3 \n' +
      'Node 0, zone    DMA32      1      0      1      1      1      0      1      0      1      1      3 \n');
  });

  it('pagetypeinfo counts no pageblock inside a hole', () => {
    const layout: MemoryLayout = { nrPfns: 2048, zones: [{ name: 'DMA32', start: 0, end: 2048 }], holes: [{ start: 1024, end: 1536 }] };
    const last = pagetypeinfo(boot(layout)).split('\n').at(-2);
    expect(last).toBe('Node 0, zone    DMA32            0            3            0            0            0 ');
  });

  it('a free list of 100000 or more blocks prints as ">100000", one entry less prints plainly', () => {
    // mm/vmstat.c stops walking when ++freecount reaches 100000 and prints "%s%6lu" with ">".
    const k = createKernel(defaultLayout(262144));
    for (let p = 0; p < 100000; p++) listAddTail(k, k.freeLists, freeSlot(1, 0, MT.MOVABLE), p);
    for (let p = 100000; p < 199999; p++) listAddTail(k, k.freeLists, freeSlot(1, 1, MT.MOVABLE), p);
    const line = pagetypeinfo(k).split('\n').find((l) => l.includes('DMA32, type      Movable'))!;
    expect(line).toBe('Node    0, zone    DMA32, type      Movable >100000  99999      0      0      0      0      0      0      0      0      0 ');
  });

  it('our populated kernel\'s buddyinfo lines have the kernel\'s shape', () => {
    const k = populate(DEFAULT_POPULATE); // 131072 PFNs: zones DMA and DMA32, like the captures
    const ours = buddyinfo(k).split('\n');
    for (const l of ours.slice(0, -1)) expect(lineKind(l), JSON.stringify(l)).toBe('buddy');
    expect(ours.at(-1)).toBe('');
  });

  capture.test('our populated kernel\'s pagetypeinfo has the same shapes as the real file, line for line', () => {
    const ours = pagetypeinfo(populate(DEFAULT_POPULATE)).split('\n');
    const real = readFileSync(realFile('fragmented-compact', 'before.pagetypeinfo'), 'utf8').split('\n');
    expect(ours.map(lineKind)).toEqual(real.map(lineKind));
  });
});

capture.describe('real captures (Linux 6.1 guest, fragmented-compact)', () => {
  const realBuddy = (): string => readFileSync(realFile('fragmented-compact', 'before.buddyinfo'), 'utf8');
  const realPti = (): string => readFileSync(realFile('fragmented-compact', 'before.pagetypeinfo'), 'utf8');

  it('every real buddyinfo and pagetypeinfo line has one of the line shapes the tests use', () => {
    for (const l of realBuddy().split('\n').slice(0, -1)) expect(lineKind(l), JSON.stringify(l)).toBe('buddy');
    const kinds = realPti().split('\n').map(lineKind);
    expect(kinds.filter((x) => x === 'free')).toHaveLength(10);
    expect(kinds.filter((x) => x === 'blocks')).toHaveLength(2);
  });

  it('a real buddyinfo re-rendered from its parsed counts through our frag_show_print is byte-identical', () => {
    const real = realBuddy();
    const k = createKernel(defaultLayout(8192)); // zones DMA and DMA32, like the guest
    parseBuddyinfo(real).forEach(({ zone, counts }, z) => {
      expect(k.zones[z]!.name).toBe(zone);
      counts.forEach((c, o) => put(k.st, k.nrFree, z * NR_PAGE_ORDERS + o, c));
    });
    expect(buddyinfo(k)).toBe(real);
  });

  it('the real pagetypeinfo re-rendered from free lists of the same lengths and the same block types is byte-identical', () => {
    const real = realPti();
    const k = createKernel(defaultLayout(131072)); // DMA: 8 pageblocks, DMA32: 248, as in the guest
    const lines = real.split('\n');
    let pfn = 0;
    for (const l of lines) {
      const m = /^Node +0, zone +(\S+), type +(\S+) +(.*)$/.exec(l);
      if (!m) continue;
      const z = k.zones.findIndex((x) => x.name === m[1]);
      const mt = MT_NAMES.indexOf(m[2] as (typeof MT_NAMES)[number]);
      m[3]!.trim().split(/ +/).map(Number).forEach((n, o) => {
        for (let i = 0; i < n; i++) listAddTail(k, k.freeLists, freeSlot(z, o, mt), pfn++);
      });
    }
    for (const l of lines.slice(lines.findIndex((x) => x.startsWith('Number of blocks')) + 1)) {
      const m = /^Node 0, zone +(\S+) +(.*)$/.exec(l);
      if (!m) continue;
      const z = k.zones.find((x) => x.name === m[1])!;
      const counts = m[2]!.trim().split(/ +/).map(Number);
      // Every pageblock the zone touches: DMA starts at PFN 1 and still counts 8.
      expect(counts.reduce((a, b) => a + b, 0)).toBe(Math.ceil(z.end / PAGEBLOCK_NR_PAGES) - Math.floor(z.start / PAGEBLOCK_NR_PAGES));
      let block = z.start;
      counts.forEach((n, mt) => {
        for (let i = 0; i < n; i++, block += PAGEBLOCK_NR_PAGES) {
          setPageblockBits(k, block, mt === MT.ISOLATE ? MT.MOVABLE | PB_MIGRATE_ISOLATE : mt);
        }
      });
    }
    expect(MIGRATE_TYPES).toBe(5); // no CMA column, as on the guest
    expect(pagetypeinfo(k)).toBe(real);
  });

  it.each([
    ['fragmented-compact', 'before'], ['fragmented-compact', 'after'], ['balloon-compact', 'before'], ['balloon-compact', 'after'],
  ])('%s/%s: buddyinfo is rebuilt exactly from kpageflags BUDDY runs split into maximal aligned blocks', (scenario, when) => {
    const flags = readFileSync(realFile(scenario, `${when}.kpageflags`));
    const zones = [{ start: 0, end: 0x1000 }, { start: 0x1000, end: 0x20000 }];
    const rebuilt = buddyinfoFromKpageflags(new Uint8Array(flags.buffer, flags.byteOffset, flags.byteLength), zones);
    expect(rebuilt).toEqual(parseBuddyinfo(readFileSync(realFile(scenario, `${when}.buddyinfo`), 'utf8')).map((z) => z.counts));
  });
});

describe('kpageflags of our state', () => {
  it('rebuilding buddyinfo from our kpageflags dump gives our buddyinfo, as on the real kernel', () => {
    const k = populate({ ...DEFAULT_POPULATE, seed: 7 });
    const rebuilt = buddyinfoFromKpageflags(dumpKpage(k).kpageflags, k.zones);
    expect(rebuilt).toEqual(parseBuddyinfo(buddyinfo(k)).map((z) => z.counts));
    expect(rebuilt[1]!.reduce((a, b) => a + b, 0)).toBeGreaterThan(100); // a fragmented state, not a trivial one
  });
});

describe('zoneinfo pagesets', () => {
  it('prints each CPU\'s count, high and batch in zoneinfo_show_print()\'s layout, and kpageflags reads a pcp page as 0', () => {
    const k = populate({ ...DEFAULT_POPULATE, seed: 3, nrPfns: 8192 });
    const text = zoneinfo(k);
    const m = [...text.matchAll(/ {4}cpu: (\d+)\n {14}count: (\d+)\n {14}high: {2}(\d+)\n {14}batch: (\d+)\n/g)];
    expect(m.map((x) => Number(x[1]))).toEqual([0, 1, 0, 1]); // DMA and DMA32, two CPUs each
    const counts = m.map((x) => Number(x[2]));
    expect(counts[0]! + counts[1]!).toBe(zonePcpPages(k, 0));
    expect(counts[2]! + counts[3]!).toBe(zonePcpPages(k, 1));
    let pcpPfn = -1;
    for (let p = 0; p < k.mem.nr && pcpPfn < 0; p++) if (pcpPlace(k, p)) pcpPfn = p;
    expect(pcpPfn).toBeGreaterThanOrEqual(0);
    expect(stable_page_flags(k, pcpPfn, freePageMap(k))).toBe(0n);
  });
});
