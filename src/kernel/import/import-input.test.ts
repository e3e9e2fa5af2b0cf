// Importing dumps made here: bad input refused in one line, the /proc text parsers, holes, and a
// round trip — populate a kernel (THP, page cache, forks, hugetlb, a balloon), dump it as
// /proc/kpageflags and /proc/kpagecount would (6.18: balloon pages read OFFLINE|UPTODATE, holes 0),
// import the dump, and get the same memory back.

import { describe, expect, test } from 'vitest';
import { importDump } from './rebuild';
import { MAX_IMPORT_PFNS, countRawClasses, rawClassOf, RAW_CLASSES } from './dump';
import { parseBuddyinfo, parsePagetypeinfo, parseZoneinfo } from './proctext';
import { ImportError, type DumpFiles } from './types';
import { KPF, PGTY } from '../flags';
import { checkInvariants } from '../invariants';
import { pfnValid } from '../kernel';
import { dumpKpage } from '../procfs';
import { DEFAULT_POPULATE, populate } from '../populate';
import { NS, node_page_state } from '../vmstat';
import { HS } from '../hugetlb-state';
import { stateHash } from '../store';
import { balloon_inflate } from '../balloon';

const u64s = (values: readonly bigint[]): Uint8Array => {
  const b = new Uint8Array(values.length * 8);
  const dv = new DataView(b.buffer);
  values.forEach((v, i) => dv.setBigUint64(i * 8, v, true));
  return b;
};
const bit = (n: number): bigint => 1n << BigInt(n);
const dump = (flags: readonly bigint[], counts?: readonly bigint[], extra: Partial<DumpFiles> = {}): DumpFiles => ({
  name: 'test', kpageflags: u64s(flags), kpagecount: u64s(counts ?? flags.map(() => 0n)), ...extra,
});

/** The one-line ImportError importDump throws for `f`. */
function refusal(f: DumpFiles): string {
  try {
    importDump(f);
  } catch (e) {
    expect(e).toBeInstanceOf(ImportError);
    const msg = (e as Error).message;
    expect(msg).not.toContain('\n');
    return msg;
  }
  throw new Error('importDump accepted it');
}

describe('bad input is refused with one clear line', () => {
  const ok = new Array<bigint>(1024).fill(bit(KPF.BUDDY));
  test('a file whose size is not a multiple of 8', () => {
    expect(refusal({ name: 'm', kpageflags: new Uint8Array(8 * 1024 + 4).fill(0x80), kpagecount: new Uint8Array(8 * 1024 + 4) })).toMatch(/m\.kpageflags is 8196 bytes, not a multiple of 8/);
  });
  test('two files of different lengths', () => {
    expect(refusal({ name: 'm', kpageflags: u64s(ok), kpagecount: u64s(ok.slice(0, 512).map(() => 0n)) })).toMatch(/1024 PFNs but m\.kpagecount has 512/);
  });
  test('a text file given as a dump', () => {
    const text = new TextEncoder().encode('Node 0, zone      DMA      0      0      0      1      1      1      0      1      3 \n'.repeat(16));
    expect(refusal({ name: 'm', kpageflags: text, kpagecount: text })).toMatch(/m\.kpageflags is a text file \("Node 0, zone DMA/);
  });
  test('an empty file', () => {
    expect(refusal({ name: 'm', kpageflags: new Uint8Array(0), kpagecount: new Uint8Array(0) })).toMatch(/m\.kpageflags is empty/);
  });
  test('flags no kernel sets, and a mapcount no machine has (the two files swapped)', () => {
    expect(refusal(dump([...ok.slice(1), bit(60)]))).toMatch(/kpageflags at PFN 0x3ff .*bits no kernel sets/);
    expect(refusal(dump(ok, ok.map((_, i) => (i === 5 ? bit(KPF.RESERVED) : 0n))))).toMatch(/kpagecount at PFN 0x5 reads 4294967296.*swapped/);
  });
  test('more PFNs than an import may have', () => {
    const big = new Uint8Array((MAX_IMPORT_PFNS + 512) * 8);
    big[4] = 1; // not text
    expect(refusal({ name: 'm', kpageflags: big, kpagecount: big })).toMatch(/imports are limited to 8388608 PFNs \(32 GiB\)/);
  }, 60_000);
  test('/proc texts that do not parse', () => {
    expect(refusal(dump(ok, undefined, { buddyinfo: 'Node 0, zone DMA 1 2 3\n' }))).toMatch(/buddyinfo line 1: 3 orders/);
    expect(refusal(dump(ok, undefined, { buddyinfo: 'hello\n' }))).toMatch(/buddyinfo line 1 does not parse/);
    expect(refusal(dump(ok, undefined, { zoneinfo: 'MemTotal: 1 kB\n' }))).toMatch(/zoneinfo line 1 does not parse/);
    expect(refusal(dump(ok, undefined, { zoneinfo: 'Node 0, zone   Normal\n  pages free 3\n        spanned  4095\n' }))).toMatch(/spans 4095 pages but has no "start_pfn:"/);
    expect(refusal(dump(ok, undefined, { pagetypeinfo: 'Page block order: 10\n' }))).toMatch(/page block order 10/);
    expect(refusal(dump(ok, undefined, { pagetypeinfo: 'Page block order: 9\nPages per block:  512\n' }))).toMatch(/no .*Number of blocks type/);
  });
});

describe('the /proc text parsers', () => {
  test('buddyinfo: one row per node and zone, 11 orders', () => {
    expect(parseBuddyinfo('Node 0, zone      DMA      0      0      0      0      0      1      1      1      0      1      3 \nNode 1, zone   Normal    5 4 3 2 1 0 0 0 0 0 7\n')).toEqual([
      { node: 0, zone: 'DMA', free: [0, 0, 0, 0, 0, 1, 1, 1, 0, 1, 3] },
      { node: 1, zone: 'Normal', free: [5, 4, 3, 2, 1, 0, 0, 0, 0, 0, 7] },
    ]);
  });
  test('pagetypeinfo: free lists per type (">100000" capped) and blocks per type, CMA column kept apart', () => {
    const text = [
      'Page block order: 9', 'Pages per block:  512', '',
      'Free pages count per migrate type at order       0      1      2      3      4      5      6      7      8      9     10 ',
      'Node    0, zone   Normal, type    Unmovable >100000     1      0      0      0      0      0      0      0      0      0 ',
      'Node    0, zone   Normal, type      Movable      2      0      0      0      0      0      0      0      0      0      9 ',
      '', 'Number of blocks type     Unmovable      Movable  Reclaimable   HighAtomic          CMA      Isolate ',
      'Node 0, zone   Normal            3           40            1            0            2            0 ',
    ].join('\n');
    const [z] = parsePagetypeinfo(text);
    expect(z!.free[0]!.slice(0, 2)).toEqual([100000, 1]);
    expect(z!.free[1]![10]).toBe(9);
    expect(z!.blocks).toEqual([3, 40, 1, 0, 0]);
    expect(z!.cmaBlocks).toBe(2);
  });
  test('zoneinfo: start_pfn, spanned, present and the pagesets\' counts per zone', () => {
    const text = 'Node 0, zone      DMA\n  pages free     3808\n        spanned  4095\n        present  3998\n        managed  3840\n  pagesets\n    cpu: 0\n              count: 7\n              high:  60\n    cpu: 1\n              count: 5\n              high:  62\n  start_pfn:           1\nNode 0, zone   Normal\n  pages free     0\n        spanned  0\n        present  0\n        managed  0\n';
    expect(parseZoneinfo(text)).toEqual([
      { node: 0, zone: 'DMA', startPfn: 1, spanned: 4095, present: 3998, managed: 3840, free: -1, pcp: 12, pcpCpus: [7, 5], pcpHigh: [60, 62] },
      { node: 0, zone: 'Normal', startPfn: -1, spanned: 0, present: 0, managed: 0, free: -1, pcp: 0, pcpCpus: [], pcpHigh: [] },
    ]);
  });
});

describe('holes', () => {
  test('6.18: a whole memory section reading 0 is a hole; 6.1: KPF_NOPAGE runs are holes; the rest is memory', () => {
    const SECTION = 1 << 15;
    const flags: bigint[] = [];
    for (let p = 0; p < 3 * SECTION + 1024; p++) {
      if (p >= SECTION && p < 2 * SECTION) flags.push(0n); // an offline section (6.18)
      else if (p >= 3 * SECTION) flags.push(bit(KPF.NOPAGE)); // past the end of RAM (6.1)
      else flags.push(p < 1024 ? bit(KPF.RESERVED) : bit(KPF.BUDDY));
    }
    const { k, report } = importDump(dump(flags));
    expect(k.layout.holes).toEqual([{ start: SECTION, end: 2 * SECTION }, { start: 3 * SECTION, end: 3 * SECTION + 1024 }]);
    expect(pfnValid(k, SECTION + 5)).toBe(false);
    expect(pfnValid(k, 2 * SECTION)).toBe(true);
    expect(report.zonesFrom).toBe('default');
    expect(report.rawClasses).toEqual({ nopage: 1024, reserved: 1024, 'free(buddy)': 2 * SECTION - 1024, 'other-kernel(no flags)': SECTION });
    const free = report.freeByOrder.reduce((s, z) => s + z.rebuilt.reduce((t, c, o) => t + c * (1 << o), 0), 0);
    expect(free).toBe(2 * SECTION - 1024);
    expect(checkInvariants(k)).toEqual([]);
  });
});

/** The classes of every PFN of two dumps, compared; returns the first few PFNs that differ. */
function classDiffs(a: Uint8Array, b: Uint8Array): string[] {
  const x = new Uint32Array(a.buffer, a.byteOffset, a.byteLength / 4);
  const y = new Uint32Array(b.buffer, b.byteOffset, b.byteLength / 4);
  const out: string[] = [];
  for (let p = 0; p < a.byteLength / 8 && out.length < 5; p++) {
    const ca = rawClassOf(x[2 * p]!, x[2 * p + 1]!), cb = rawClassOf(y[2 * p]!, y[2 * p + 1]!);
    if (ca !== cb) out.push(`${p.toString(16)}: ${RAW_CLASSES[ca]} → ${RAW_CLASSES[cb]}`);
  }
  return out;
}

describe('a populated kernel, dumped and imported, comes back the same', () => {
  test('THP and mTHP folios, page cache with buffers, forked (mapcount 2) anon pages and a hugetlb pool', () => {
    const k0 = populate({ ...DEFAULT_POPULATE, nrPfns: 16384, seed: 5, largeAnon: 0.5, forks: 3, hugepages: 4, hugetlbMapped: 2 });
    const d0 = dumpKpage(k0);
    // The dump does have large anon folios (THP tails read LRU from their head) and forked pages.
    const w = new Uint32Array(d0.kpageflags.buffer), c = new Uint32Array(d0.kpagecount.buffer);
    let thpTails = 0, shared = 0;
    for (let p = 0; p < k0.mem.nr; p++) {
      if (w[2 * p]! & (1 << KPF.THP) && w[2 * p]! & (1 << KPF.COMPOUND_TAIL) && w[2 * p]! & (1 << KPF.LRU)) thpTails++;
      if (c[2 * p]! >= 2) shared++;
    }
    expect(thpTails).toBeGreaterThan(500);
    expect(shared).toBeGreaterThan(100);
    const { k, report } = importDump({ name: 'populated', ...d0 });
    expect(checkInvariants(k)).toEqual([]);
    const d1 = dumpKpage(k);
    expect(classDiffs(d0.kpageflags, d1.kpageflags)).toEqual([]);
    // Every flag and every mapcount comes back (the dump is this model's own, so nothing is guessed).
    expect(Buffer.from(d1.kpageflags).equals(Buffer.from(d0.kpageflags))).toBe(true);
    expect(Buffer.from(d1.kpagecount).equals(Buffer.from(d0.kpagecount))).toBe(true);
    // Free blocks: exactly the populated kernel's.
    expect(Array.from(k.nrFree.a)).toEqual(Array.from(k0.nrFree.a));
    for (const item of [NS.NR_ANON_MAPPED, NS.NR_FILE_MAPPED, NS.NR_FILE_PAGES, NS.NR_SHMEM, NS.NR_SLAB, NS.NR_PAGETABLE]) {
      expect(node_page_state(k, item), `node stat ${item}`).toBe(node_page_state(k0, item));
    }
    expect(k.hugetlb.counters.a[HS.NR_HUGE_PAGES]).toBe(4);
    expect(k.hugetlb.counters.a[HS.FREE_HUGE_PAGES]).toBe(2);
    expect(report.ambiguities.join(' ')).toMatch(/4 hugetlb folios \(2 MiB\): 2 mapped .*, 2 unmapped/);
    expect(countRawClasses(new Uint32Array(d1.kpageflags.buffer), k.mem.nr)).toEqual(countRawClasses(new Uint32Array(d0.kpageflags.buffer), k0.mem.nr));
  }, 60_000);

  test('6.18 balloon pages (OFFLINE|UPTODATE) come back on the balloon list with one reference each', () => {
    const k0 = populate({ ...DEFAULT_POPULATE, nrPfns: 8192, seed: 2 });
    for (const step of balloon_inflate(k0, 300)) void step; // the driver's path, run to its end
    const d0 = dumpKpage(k0);
    const { k, report } = importDump({ name: 'ballooned', ...d0 });
    expect(report.rawClasses['offline(balloon)']).toBe(300);
    expect(node_page_state(k, NS.NR_BALLOON_PAGES)).toBe(300);
    let offline = 0;
    for (let p = 0; p < k.mem.nr; p++) if (k.mem.pageType.a[p] === PGTY.offline) offline += k.mem.refcount.a[p] === 1 ? 1 : 1000;
    expect(offline).toBe(300);
    expect(report.ambiguities.join(' ')).not.toMatch(/without UPTODATE/);
    expect(checkInvariants(k)).toEqual([]);
    expect(classDiffs(d0.kpageflags, dumpKpage(k).kpageflags)).toEqual([]);
  }, 60_000);

  test('the import is a pure function of the files: two imports have one state hash', () => {
    const d0 = dumpKpage(populate({ ...DEFAULT_POPULATE, nrPfns: 8192, seed: 9, forks: 2 }));
    expect(stateHash(importDump({ name: 'a', ...d0 }).k.st)).toBe(stateHash(importDump({ name: 'b', ...d0 }).k.st));
  });

  test('progress is reported as PFNs done of the total, rising to the total', () => {
    const d0 = dumpKpage(populate({ ...DEFAULT_POPULATE, nrPfns: 8192 }));
    const seen: [number, number][] = [];
    importDump({ name: 'p', ...d0 }, (done, total) => seen.push([done, total]));
    expect(seen.length).toBeGreaterThan(2);
    expect(seen.every(([, t]) => t === 8192)).toBe(true);
    expect(seen.every(([d], i) => i === 0 || d >= seen[i - 1]![0])).toBe(true);
    expect(seen[seen.length - 1]![0]).toBe(8192);
  });
});
