// Flags-0 pages split into free pages on per-CPU lists (as many as zoneinfo's pagesets count, per
// CPU) and kernel allocations, by pcpfree.ts's rule.

import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { importDump } from './rebuild';
import { choosePcpPages } from './pcpfree';
import { parseZoneinfo } from './proctext';
import { C } from './scan';
import { checkInvariants } from '../invariants';
import { pcpCount, pcpPlace, zonePcpPages } from '../pcp';
import { NR_CPUS } from '../pcp-state';
import { MT, PAGEBLOCK_NR_PAGES } from '../zone';
import type { DumpFiles } from './types';
import { captureSet, REAL_CAPTURES, REFERENCE } from '../../reference.testkit';

const SET = captureSet(REAL_CAPTURES, 'before.zoneinfo');
const CAPTURES = SET.dirs;

function before(dir: string): DumpFiles {
  const p = `${REFERENCE}${dir}/before`;
  const text = (ext: string): string | undefined => (existsSync(p + ext) ? readFileSync(p + ext, 'utf8') : undefined);
  return {
    name: `${dir}/before`, kpageflags: new Uint8Array(readFileSync(p + '.kpageflags')), kpagecount: new Uint8Array(readFileSync(p + '.kpagecount')),
    buddyinfo: text('.buddyinfo'), pagetypeinfo: text('.pagetypeinfo'), zoneinfo: text('.zoneinfo'),
  };
}

describe('choosePcpPages', () => {
  // One zone of two pageblocks: block 0 Movable, block 1 Unmovable, every page slab but flags-0
  // kernel pages at 10 (buddy 11 free), 20 and 30 (buddies allocated) and 600 (buddy 601 free).
  const nr = 2 * PAGEBLOCK_NR_PAGES;
  const fixture = () => {
    const cls = new Uint8Array(nr).fill(C.SLAB);
    const flags = new Uint32Array(2 * nr).fill(1);
    const count = new Uint32Array(2 * nr);
    for (const p of [10, 20, 30, 600]) { cls[p] = C.KERNEL; flags[2 * p] = 0; flags[2 * p + 1] = 0; }
    cls[11] = C.FREE;
    cls[601] = C.FREE;
    return { cls, flags, count };
  };
  const mt = Uint8Array.from([MT.MOVABLE, MT.UNMOVABLE]);
  const zones = [{ name: 'DMA32' as const, start: 0, end: nr }];

  test('a page among allocated memory comes first; one in a pageblock holding free memory next; one beside a free buddy last', () => {
    const f = fixture();
    f.cls[11] = C.SLAB; // block 0 holds no free memory now; 10's buddy is allocated
    expect(Array.from(choosePcpPages(f.flags, f.count, f.cls, mt, zones, [[2, 2]]).pfn)).toEqual([10, 20, 30, 600]);
    const g = fixture();
    const r = choosePcpPages(g.flags, g.count, g.cls, mt, zones, [[2, 2]]);
    expect(Array.from(r.pfn)).toEqual([20, 30, 10, 600]);
    expect(Array.from(r.cpu)).toEqual([0, 0, 1, 1]); // zoneinfo's per-CPU counts, filled in order
    expect(r.byTier[0]).toEqual([0, 0, 2, 0, 0, 2]);
  });

  test('no more pages than zoneinfo counts, and none without zoneinfo counts; a mapped flags-0 page is never free', () => {
    const f = fixture();
    expect(Array.from(choosePcpPages(f.flags, f.count, f.cls, mt, zones, [[1]]).pfn)).toEqual([20]);
    expect(choosePcpPages(f.flags, f.count, f.cls, mt, zones, [[]]).pfn.length).toBe(0);
    f.count[2 * 20] = 1;
    expect(Array.from(choosePcpPages(f.flags, f.count, f.cls, mt, zones, [[1]]).pfn)).toEqual([30]);
  });
});

SET.describe('importing the real captures\' per-CPU pages', () => {
  test.each(CAPTURES)('%s/before: each CPU\'s lists hold zoneinfo\'s count, of pages that read flags 0, and every invariant holds', (dir) => {
    const f = before(dir);
    const r = importDump(f);
    const zi = parseZoneinfo(f.zoneinfo!);
    const raw = new Uint32Array(f.kpageflags.buffer, f.kpageflags.byteOffset, f.kpageflags.byteLength / 4);
    let total = 0;
    for (const z of r.k.zones) {
      const want = new Array<number>(NR_CPUS).fill(0);
      for (const e of zi.filter((x) => x.zone === z.name)) e.pcpCpus.forEach((c, cpu) => (want[cpu % NR_CPUS]! += c));
      expect(Array.from({ length: NR_CPUS }, (_, cpu) => pcpCount(r.k, z.idx, cpu)), z.name).toEqual(want);
      total += zonePcpPages(r.k, z.idx);
    }
    expect(total).toBeGreaterThan(0);
    let onLists = 0;
    for (let p = 0; p < r.k.mem.nr; p++) {
      if (!pcpPlace(r.k, p)) continue;
      onLists++;
      expect(raw[2 * p] === 0 && raw[2 * p + 1] === 0, `pfn ${p.toString(16)}`).toBe(true);
      expect(r.k.mem.refcount.a[p]).toBe(0);
    }
    expect(onLists).toBe(total);
    expect(r.report.ambiguities.join(' ')).toMatch(new RegExp(`${total} flags-0 pages are rebuilt free on those lists`));
    expect(checkInvariants(r.k)).toEqual([]);
  }, 120_000);
});
