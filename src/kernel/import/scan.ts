// One pass over the dump that decides what each PFN becomes in the rebuilt kernel: its class and,
// for a large folio, its order. Large folios are found from KPF_COMPOUND_HEAD followed by
// KPF_COMPOUND_TAIL pages; their flags come from the head, as stable_page_flags() reads a
// folio's flags from its head (so THP tails show LRU too). Per-PFN results go into typed arrays;
// nothing is allocated per page.

import { LO as KPF_LO, HI as KPF_HI } from './dump';

// The KPF masks as module-local objects: the loops below read several per PFN, and a transpiled
// import (tsx, vitest) is a getter call that V8 does not always inline (measured: 0.7 s of 6 Mi PFNs).
const LO = { ...KPF_LO };
const HI = { ...KPF_HI };

/** What a PFN is rebuilt as. Tails of a large folio carry their head's class. */
export const C = {
  HOLE: 0,
  RESERVED: 1,
  FREE: 2,
  BALLOON: 3,
  SLAB: 4,
  PGTABLE: 5,
  /** An allocation without flags (or with flags that say nothing about its owner), or a non-LRU compound page. */
  KERNEL: 6,
  HUGETLB: 7,
  ANON: 8,
  SHMEM: 9,
  FILE: 10,
  RAMFS: 11,
} as const;

export const isUserClass = (c: number): boolean => c >= C.ANON;
/** Pages that pin their pageblock for the migratetype rule: kernel allocations nobody migrates. */
export const isUnmovableClass = (c: number): boolean => c === C.SLAB || c === C.PGTABLE || c === C.KERNEL;

export interface Scan {
  readonly cls: Uint8Array;
  /** Folio order at the head of a large folio, 0 elsewhere. */
  readonly ord: Uint8Array;
  /** What the scan had to decide, counted (for the report's ambiguities). */
  readonly n: {
    flags0: number;
    /** Pages of compound kernel allocations (COMPOUND_HEAD/TAIL, nothing else naming an owner). */
    kernelCompound: number;
    otherKernel: number;
    orphanTails: number;
    oddCompounds: number;
    anonNoLru: number;
    kernelMapped: number;
    locked: number;
    writeback: number;
    /** User pages with PG_private_2 (PG_fscache: a write to the cache in flight). */
    fscache: number;
    swapcache: number;
    ksm: number;
    hwpoison: number;
    gigantic: number;
    hugetlb: number;
    balloon61: number;
    balloonIsolated: number;
    lruNoLru: number;
  };
}

/** The class of a page (or of a folio, from its head's flags) by the rebuild's rules. */
function classOf(lo: number, hi: number): number {
  if (hi & HI.RESERVED) return C.RESERVED;
  if (lo & LO.BUDDY) return C.FREE;
  if (lo & LO.OFFLINE) return C.BALLOON;
  if (lo & LO.SLAB) return C.SLAB;
  if (lo & LO.PGTABLE) return C.PGTABLE;
  if (lo & LO.HUGE) return C.HUGETLB;
  if (lo & LO.ANON) return C.ANON;
  if (lo & LO.LRU) {
    if (lo & LO.SWAPBACKED) return C.SHMEM; // shmem/tmpfs (SHM_LOCKed or mlocked ones stay unevictable)
    // Unevictable, not swap-backed and not mlocked: a ramfs page (mapping_set_unevictable()).
    if (lo & LO.UNEVICTABLE && !(hi & HI.MLOCKED)) return C.RAMFS;
    return C.FILE;
  }
  return C.KERNEL;
}

const floorLog2 = (n: number): number => 31 - Math.clz32(n);

export function scanPages(flags: Uint32Array, count: Uint32Array, hole: Uint8Array, nrPfns: number): Scan {
  const nr = hole.length;
  const cls = new Uint8Array(nr);
  const ord = new Uint8Array(nr);
  const n: Scan['n'] = {
    flags0: 0, kernelCompound: 0, otherKernel: 0, orphanTails: 0, oddCompounds: 0, anonNoLru: 0, kernelMapped: 0, locked: 0, writeback: 0, fscache: 0,
    swapcache: 0, ksm: 0, hwpoison: 0, gigantic: 0, hugetlb: 0, balloon61: 0, balloonIsolated: 0, lruNoLru: 0,
  };
  const count1 = (lo: number, hi: number, c: number, pages: number): void => {
    if (lo & LO.LOCKED) n.locked += pages;
    if (lo & LO.WRITEBACK) n.writeback += pages;
    if (hi & HI.PRIVATE_2 && c >= C.ANON) n.fscache += pages;
    if (lo & LO.SWAPCACHE) n.swapcache += pages;
    if (lo & LO.KSM) n.ksm += pages;
    if (lo & LO.HWPOISON) n.hwpoison += pages;
    if (c === C.BALLOON) {
      if (!(lo & LO.UPTODATE)) n.balloon61 += pages; // 6.1: no PG_movable_ops (it shares PG_uptodate in 6.18)
      if (lo & LO.RECLAIM) n.balloonIsolated += pages; // PG_movable_ops_isolated (PG_reclaim)
    }
    if (c === C.ANON && !(lo & LO.LRU)) n.anonNoLru += pages;
    if (c === C.KERNEL) {
      if (lo === 0 && hi === 0) n.flags0 += pages;
      else if (pages > 1) n.kernelCompound += pages;
      else n.otherKernel += pages;
    }
  };
  for (let p = 0; p < nr;) {
    if (hole[p]) {
      cls[p++] = C.HOLE;
      continue;
    }
    const lo = flags[2 * p]!;
    const hi = flags[2 * p + 1]!;
    if (lo & LO.COMPOUND_HEAD && !(lo & LO.BUDDY)) {
      let e = p + 1;
      while (e < nrPfns && !hole[e] && (flags[2 * e]! & (LO.COMPOUND_TAIL | LO.COMPOUND_HEAD)) === LO.COMPOUND_TAIL) e++;
      // A folio is a naturally aligned power of two; a run that is not one was read while it
      // changed (the dump is not atomic): keep the largest aligned folio, the rest are loose tails.
      let o = floorLog2(e - p);
      while (o > 0 && p & ((1 << o) - 1)) o--;
      if (1 << o !== e - p) n.oddCompounds++;
      let c = classOf(lo, hi);
      if (c === C.HUGETLB) {
        if (o !== 9) {
          n.gigantic += 1 << o; // only the 2 MiB hstate is modelled
          c = C.KERNEL;
        } else n.hugetlb++;
      }
      if (c === C.RESERVED) {
        // PG_reserved on a compound page (memory reserved as one block): reserved pages, one by one.
        cls.fill(C.RESERVED, p, e);
        p = e;
        continue;
      }
      if (c === C.FREE || c === C.BALLOON || c === C.PGTABLE) c = C.KERNEL; // compound pages of these do not exist
      cls.fill(c, p, p + (1 << o));
      ord[p] = o;
      count1(lo, hi, c, 1 << o);
      if (c === C.KERNEL || c === C.SLAB) for (let i = p; i < p + (1 << o); i++) if (count[2 * i]! > 0) n.kernelMapped++;
      p += 1 << o;
      continue;
    }
    let c = classOf(lo, hi);
    if (lo & LO.COMPOUND_TAIL) {
      n.orphanTails++;
      if (c === C.HUGETLB) c = C.KERNEL;
    } else if (c === C.HUGETLB) c = C.KERNEL; // HUGE on a page that is no compound head
    cls[p] = c;
    count1(lo, hi, c, 1);
    if ((c === C.KERNEL || c === C.RESERVED || c === C.SLAB || c === C.PGTABLE || c === C.BALLOON) && count[2 * p]! > 0) n.kernelMapped++;
    p++;
  }
  return { cls, ord, n };
}
