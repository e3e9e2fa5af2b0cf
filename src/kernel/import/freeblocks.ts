// Free buddy blocks from runs of KPF_BUDDY pages. Since 6.1 (and still in 6.18) every page of a
// free block reads BUDDY — stable_page_flags() sets it for PageBuddy heads and for any page
// is_free_buddy_page() finds inside a free block — so a run of BUDDY pages is a sequence of free
// blocks whose boundaries the dump does not show. The allocator's own invariants fix them: a
// block is naturally aligned and a power of two up to MAX_PAGE_ORDER, never crosses a zone
// boundary, and two free buddies of one order would have merged (__free_one_page), so each run
// splits into maximal aligned blocks from its start, and that split is the only one possible.

import { MAX_PAGE_ORDER } from '../zone';
import type { ZoneSpec } from '../kernel';
import { C } from './scan';

export interface FreeBlocks {
  readonly n: number;
  readonly pfn: Int32Array;
  readonly order: Uint8Array;
  /** Model zone index of each block. */
  readonly zone: Uint8Array;
  /** BUDDY pages in no zone (the kernel has none): rebuilt as kernel pages. */
  readonly outside: number;
}

/**
 * Split every run of free pages (cls C.FREE) into maximal naturally aligned blocks, zone by zone.
 * BUDDY pages outside every zone (which the kernel cannot have) become C.KERNEL in `cls`.
 */
export function freeBlocksOf(cls: Uint8Array, zones: readonly ZoneSpec[]): FreeBlocks {
  let cap = 1024;
  let pfn = new Int32Array(cap);
  let order = new Uint8Array(cap);
  let zone = new Uint8Array(cap);
  let n = 0;
  const push = (p: number, o: number, z: number): void => {
    if (n === cap) {
      cap *= 2;
      const a = new Int32Array(cap); a.set(pfn); pfn = a;
      const b = new Uint8Array(cap); b.set(order); order = b;
      const c = new Uint8Array(cap); c.set(zone); zone = c;
    }
    pfn[n] = p;
    order[n] = o;
    zone[n++] = z;
  };
  zones.forEach((z, zi) => {
    for (let p = z.start; p < z.end;) {
      if (cls[p] !== C.FREE) {
        p++;
        continue;
      }
      let e = p;
      while (e < z.end && cls[e] === C.FREE) e++;
      // Greedy from the run's start: the largest aligned block that fits is the only one two
      // unmerged buddies could not have formed.
      for (let q = p; q < e;) {
        let o = Math.min(MAX_PAGE_ORDER, 31 - Math.clz32(e - q));
        while (o > 0 && q & ((1 << o) - 1)) o--;
        push(q, o, zi);
        q += 1 << o;
      }
      p = e;
    }
  });
  let outside = 0;
  const gaps: [number, number][] = [];
  let from = 0;
  for (const z of [...zones].sort((a, b) => a.start - b.start)) {
    gaps.push([from, z.start]);
    from = z.end;
  }
  gaps.push([from, cls.length]);
  for (const [start, end] of gaps) {
    for (let p = start; p < end; p++) {
      if (cls[p] !== C.FREE) continue;
      cls[p] = C.KERNEL;
      outside++;
    }
  }
  return { n, pfn, order, zone, outside };
}
