// The page frame array (mem_map): one simulated struct page per PFN, as a struct of typed
// arrays. Only the fields migration uses are kept (34 bytes per PFN, against the kernel's 64):
//   flags (PG_* bits)            Int32   word 0
//   lru prev/next (PFN links)    Int32×2 words 1–2; a tail page keeps compound_head in lru.next
//   mapping (handle, bit 0=anon) Int32   word 3
//   index                        Int32   word 4
//   private                      Int32   word 5 (buddy order when PageBuddy)
//   _mapcount / page_type        Int32 + Uint8 (word 6a; kept apart so a typed page's mapcount reads -1)
//   _refcount                    Int32   word 6b
//   order (folio order, head)    Uint8   (the kernel keeps it in page[1]'s flags)
// Columns are carved from one ArrayBuffer at staggered offsets: same-length power-of-two columns
// that all start page-aligned alias in the CPU caches (toolchain.md §4.13: 3× on sequential scans).

import { addStore, put, type Store, type Stores } from './store';
import { PG, PGTY } from './flags';

/** struct page fields, as bits of a step's footprint. */
export const F = {
  flags: 1 << 0,
  lru: 1 << 1,
  compound_head: 1 << 2,
  mapping: 1 << 3,
  index: 1 << 4,
  private: 1 << 5,
  _mapcount: 1 << 6,
  page_type: 1 << 7,
  _refcount: 1 << 8,
  order: 1 << 9,
} as const;
export type FieldName = keyof typeof F;

export function footprintFields(mask: number): FieldName[] {
  return (Object.keys(F) as FieldName[]).filter((k) => mask & F[k]);
}

/** lru.next value of a tail page: the kernel sets bit 0 of the head pointer; we encode -(head+2). */
export const encodeCompoundHead = (head: number): number => -(head + 2);
export const NO_LINK = -1;

export interface Footprint {
  reads: number;
  writes: number;
  /**
   * Per page, while a step runs: flat triples (pfn, reads, writes) for the first MAX_TOUCHED
   * pages touched, so a step can say which fields of its source and of its destination it used.
   */
  touched: number[];
  /**
   * Collect `touched` (and so the per-page footprint and after values of a step): on while the
   * engine records steps someone may look at, off in fast-forward, which keeps only the counts.
   */
  track: boolean;
  /**
   * Add to `counts`: on while the engine computes new steps, off while it re-executes steps it
   * counted the first time (those counts went nowhere), which also spares classifying the page
   * (footprintState) on every field access.
   */
  count: boolean;
  /**
   * Running totals per FP_STATES state s: reads of field i at counts[2 * NR_FIELDS * s + i], writes
   * at counts[2 * NR_FIELDS * s + NR_FIELDS + i] (i = bit index of F). The engine points it at the
   * running action's totals; the footprint table divides them.
   */
  counts: Float64Array;
}

export const MAX_TOUCHED = 64;
export const FIELD_NAMES = Object.keys(F) as FieldName[];
export const NR_FIELDS = FIELD_NAMES.length;
/** Bit index of a field (F values are single bits). */
export const fieldIndex = (f: number): number => 31 - Math.clz32(f);

/**
 * What a page was when one of its fields was touched, so the footprint can tell the migration of
 * a balloon page apart from the allocator's work on the pages it allocates and frees:
 * offline  — PageOffline (a balloon page), isolated or not;
 * isolated — taken for migration and not PageOffline: an LRU folio off its LRU (PG_lru clear, a
 *            mapping and a reference: on a migration list), or a PageZsmalloc page with
 *            PG_movable_ops_isolated;
 * buddy    — free in the page allocator: PageBuddy (the head of a free block), or on a per-CPU
 *            list (an order-0..3 page freed to pcp->lists, not PageBuddy but just as free);
 * other    — anything else: in use, or between the allocator and its user.
 * A tail page counts as its folio. A write that moves a page into or out of one of the first three
 * (the write of PageOffline, of PageBuddy, the clearing of PG_lru) counts in that one.
 */
export const FP_STATES = ['offline', 'isolated', 'buddy', 'other'] as const;
export type FpState = (typeof FP_STATES)[number];
const S_OFFLINE = 0;
const S_ISOLATED = 1;
const S_BUDDY = 2;
const S_OTHER = 3;
/**
 * After the field counts, Footprint.counts holds the atomics and locks the compare table shows:
 * at FP_FLAG_BITS + s, single-bit writes of page->flags made while the page was in state s (each
 * SetPageX/ClearPageX and the write half of a test-and-set/clear is an atomic bit RMW in the
 * kernel; the model does not tell the non-atomic __SetPageX apart, so those count too); at
 * FP_LOCKS + i, acquisitions of LOCK_NAMES[i].
 */
export const FP_FLAG_BITS = FP_STATES.length * 2 * NR_FIELDS;
/**
 * The locks the model really takes (or finds free where the kernel's trylock would take it):
 * the page lock is PG_locked going from clear to set; balloon_lock is vb->balloon_lock, counted by
 * countLock() where a path takes it. Append a lock a new design takes; its path calls countLock().
 */
export const LOCK_NAMES = ['page lock', 'balloon_lock'] as const;
export type LockName = (typeof LOCK_NAMES)[number];
export const FP_LOCKS = FP_FLAG_BITS + FP_STATES.length;
/** Footprint.counts length: reads then writes of every field, per state; flag bit writes per state; locks. */
export const FP_COUNTS = FP_LOCKS + LOCK_NAMES.length;

/** The state of `pfn` for the footprint (raw reads: classifying is not kernel code). */
export function footprintState(m: Memmap, pfn: number): number {
  const next = m.lruNext.a[pfn]!;
  const p = next <= -2 ? -next - 2 : pfn;
  const t = m.pageType.a[p]!;
  if (t === PGTY.offline) return S_OFFLINE;
  if (t === PGTY.buddy || m.onPcpList?.(p)) return S_BUDDY;
  const f = m.flags.a[p]!;
  if (t === PGTY.zsmalloc) return f & (1 << PG.reclaim) ? S_ISOLATED : S_OTHER; // PG_movable_ops_isolated
  if (t === PGTY.none && !(f & (1 << PG.lru)) && m.mapping.a[p] !== 0 && m.refcount.a[p]! > 0) return S_ISOLATED;
  return S_OTHER;
}

export function newFootprint(): Footprint {
  return { reads: 0, writes: 0, touched: [], track: true, count: true, counts: new Float64Array(FP_COUNTS) };
}

function touch(fp: Footprint, pfn: number, r: number, w: number): void {
  const t = fp.touched;
  for (let i = 0; i < t.length; i += 3) {
    if (t[i] === pfn) {
      t[i + 1]! |= r;
      t[i + 2]! |= w;
      return;
    }
  }
  if (t.length < 3 * MAX_TOUCHED) t.push(pfn, r, w);
}

export interface Memmap {
  readonly nr: number;
  readonly flags: Store & { a: Int32Array };
  readonly lruPrev: Store & { a: Int32Array };
  readonly lruNext: Store & { a: Int32Array };
  readonly mapping: Store & { a: Int32Array };
  readonly index: Store & { a: Int32Array };
  readonly private_: Store & { a: Int32Array };
  readonly mapcount: Store & { a: Int32Array };
  readonly refcount: Store & { a: Int32Array };
  readonly pageType: Store & { a: Uint8Array };
  readonly order: Store & { a: Uint8Array };
  /** Set by the engine while a step runs; null when fast-forwarding. */
  fp: Footprint | null;
  /** Is this PFN on a per-CPU free list (pcp.ts)? Set by createKernel; classification only. */
  onPcpList?: (pfn: number) => boolean;
}

export const MEMMAP_BYTES_PER_PFN = 8 * 4 + 2;

export function createMemmap(st: Stores, nr: number): Memmap {
  const pad = 64; // bytes of stagger between columns
  const i32Cols = 8;
  const bytes = i32Cols * (nr * 4 + pad * 2) + 2 * (nr + pad * 2) + 64;
  const buf = new ArrayBuffer(bytes);
  let off = 0;
  let col = 0;
  const i32 = (): Int32Array => {
    off += (col++ * 16) % pad + 16; // stagger, 4-byte aligned
    off = (off + 3) & ~3;
    const a = new Int32Array(buf, off, nr);
    off += nr * 4 + pad;
    return a;
  };
  const u8 = (): Uint8Array => {
    off += (col++ * 16) % pad + 16;
    const a = new Uint8Array(buf, off, nr);
    off += nr + pad;
    return a;
  };
  const mm: Memmap = {
    nr,
    flags: addStore(st, 'page.flags', i32()),
    lruPrev: addStore(st, 'page.lru.prev', i32().fill(NO_LINK), NO_LINK),
    lruNext: addStore(st, 'page.lru.next', i32().fill(NO_LINK), NO_LINK),
    mapping: addStore(st, 'page.mapping', i32()),
    index: addStore(st, 'page.index', i32()),
    private_: addStore(st, 'page.private', i32()),
    mapcount: addStore(st, 'page._mapcount', i32().fill(-1), -1),
    refcount: addStore(st, 'page._refcount', i32()),
    pageType: addStore(st, 'page.page_type', u8().fill(PGTY.none), PGTY.none),
    order: addStore(st, 'page.order', u8()),
    fp: null,
    onPcpList: undefined, // set by createKernel; here, so that a kernel's copy has this literal's shape (clone.ts)
  };
  return mm;
}

/**
 * Accessors: reads and writes of struct page fields. Writes are journaled via put(); both record
 * the step's footprint when one is being collected.
 */
export interface PageAccess {
  readonly st: Stores;
  readonly mem: Memmap;
}

const r = (k: PageAccess, f: number, pfn: number): void => {
  const fp = k.mem.fp;
  if (fp) {
    fp.reads |= f;
    if (fp.count) fp.counts[2 * NR_FIELDS * footprintState(k.mem, pfn) + fieldIndex(f)]!++;
    if (fp.track) touch(fp, pfn, f, 0);
  }
};
/** The page's state before a write (passed to w() after it): other when nothing is counted. */
const before = (k: PageAccess, pfn: number): number => (k.mem.fp?.count ? footprintState(k.mem, pfn) : S_OTHER);
/** Count a write, made already: in the state the page left or, if that was other, the one it entered. */
const w = (k: PageAccess, f: number, pfn: number, was: number): number => {
  const fp = k.mem.fp;
  if (!fp) return S_OTHER;
  fp.writes |= f;
  if (fp.track) touch(fp, pfn, 0, f);
  if (!fp.count) return S_OTHER;
  const s = was !== S_OTHER ? was : footprintState(k.mem, pfn);
  fp.counts[2 * NR_FIELDS * s + NR_FIELDS + fieldIndex(f)]!++;
  return s;
};

export function pageFlags(k: PageAccess, pfn: number): number {
  r(k, F.flags, pfn);
  return k.mem.flags.a[pfn]!;
}
export function testPageFlag(k: PageAccess, pfn: number, nr: number): boolean {
  r(k, F.flags, pfn);
  return (k.mem.flags.a[pfn]! & (1 << nr)) !== 0;
}
/** Count one bit RMW on page->flags (and a page lock taken) in state `s`, where w() counted the write. */
const bitOp = (k: PageAccess, s: number, locked: boolean): void => {
  const fp = k.mem.fp;
  if (!fp?.count) return;
  fp.counts[FP_FLAG_BITS + s]!++;
  if (locked) fp.counts[FP_LOCKS]!++;
};
export function setPageFlag(k: PageAccess, pfn: number, nr: number): void {
  const was = before(k, pfn);
  const old = k.mem.flags.a[pfn]!;
  put(k.st, k.mem.flags, pfn, old | (1 << nr));
  bitOp(k, w(k, F.flags, pfn, was), nr === PG.locked && !(old & (1 << nr)));
}
export function clearPageFlag(k: PageAccess, pfn: number, nr: number): void {
  const was = before(k, pfn);
  put(k.st, k.mem.flags, pfn, k.mem.flags.a[pfn]! & ~(1 << nr));
  bitOp(k, w(k, F.flags, pfn, was), false);
}
/** A lock other than the page lock taken (LOCK_NAMES): counted for the compare table, no state. */
export function countLock(k: PageAccess, lock: LockName): void {
  const fp = k.mem.fp;
  if (fp?.count) fp.counts[FP_LOCKS + LOCK_NAMES.indexOf(lock)]!++;
}
/** TestClearPageX: atomic test-and-clear, the primitive that makes isolation exclusive. */
export function testClearPageFlag(k: PageAccess, pfn: number, nr: number): boolean {
  const was = testPageFlag(k, pfn, nr);
  if (was) clearPageFlag(k, pfn, nr);
  return was;
}
export function setPageFlags(k: PageAccess, pfn: number, v: number): void {
  const was = before(k, pfn);
  put(k.st, k.mem.flags, pfn, v);
  w(k, F.flags, pfn, was);
}

export function pageRefcount(k: PageAccess, pfn: number): number {
  r(k, F._refcount, pfn);
  return k.mem.refcount.a[pfn]!;
}
export function setPageRefcount(k: PageAccess, pfn: number, v: number): void {
  const was = before(k, pfn);
  put(k.st, k.mem.refcount, pfn, v);
  w(k, F._refcount, pfn, was);
}

export function pageMapcountRaw(k: PageAccess, pfn: number): number {
  r(k, F._mapcount, pfn);
  return k.mem.mapcount.a[pfn]!;
}
export function setPageMapcountRaw(k: PageAccess, pfn: number, v: number): void {
  const was = before(k, pfn);
  put(k.st, k.mem.mapcount, pfn, v);
  w(k, F._mapcount, pfn, was);
}

export function pageType(k: PageAccess, pfn: number): number {
  r(k, F.page_type, pfn);
  return k.mem.pageType.a[pfn]!;
}
export function setPageType(k: PageAccess, pfn: number, t: number): void {
  const was = before(k, pfn);
  put(k.st, k.mem.pageType, pfn, t);
  w(k, F.page_type, pfn, was);
}

export function pageMapping(k: PageAccess, pfn: number): number {
  r(k, F.mapping, pfn);
  return k.mem.mapping.a[pfn]!;
}
export function setPageMapping(k: PageAccess, pfn: number, v: number): void {
  const was = before(k, pfn);
  put(k.st, k.mem.mapping, pfn, v);
  w(k, F.mapping, pfn, was);
}

export function pageIndex(k: PageAccess, pfn: number): number {
  r(k, F.index, pfn);
  return k.mem.index.a[pfn]!;
}
export function setPageIndex(k: PageAccess, pfn: number, v: number): void {
  const was = before(k, pfn);
  put(k.st, k.mem.index, pfn, v);
  w(k, F.index, pfn, was);
}

export function pagePrivate(k: PageAccess, pfn: number): number {
  r(k, F.private, pfn);
  return k.mem.private_.a[pfn]!;
}
export function setPagePrivate(k: PageAccess, pfn: number, v: number): void {
  const was = before(k, pfn);
  put(k.st, k.mem.private_, pfn, v);
  w(k, F.private, pfn, was);
}

export function folioOrder(k: PageAccess, pfn: number): number {
  r(k, F.order, pfn);
  return k.mem.order.a[pfn]!;
}
export function setFolioOrder(k: PageAccess, pfn: number, o: number): void {
  const was = before(k, pfn);
  put(k.st, k.mem.order, pfn, o);
  w(k, F.order, pfn, was);
}

export function lruNext(k: PageAccess, pfn: number): number {
  r(k, F.lru, pfn);
  return k.mem.lruNext.a[pfn]!;
}
export function lruPrev(k: PageAccess, pfn: number): number {
  r(k, F.lru, pfn);
  return k.mem.lruPrev.a[pfn]!;
}
export function setLru(k: PageAccess, pfn: number, prev: number, next: number): void {
  const was = before(k, pfn);
  put(k.st, k.mem.lruPrev, pfn, prev);
  put(k.st, k.mem.lruNext, pfn, next);
  w(k, F.lru, pfn, was);
}

// include/linux/page-flags.h: compound_head() — a tail page points at its head from word 1.
export function compound_head(k: PageAccess, pfn: number): number {
  r(k, F.compound_head, pfn);
  const v = k.mem.lruNext.a[pfn]!;
  return v <= -2 ? -v - 2 : pfn;
}
export function PageTail(k: PageAccess, pfn: number): boolean {
  r(k, F.compound_head, pfn);
  return k.mem.lruNext.a[pfn]! <= -2;
}
export function setCompoundHead(k: PageAccess, pfn: number, head: number): void {
  const was = before(k, pfn);
  put(k.st, k.mem.lruPrev, pfn, NO_LINK);
  put(k.st, k.mem.lruNext, pfn, encodeCompoundHead(head));
  w(k, F.compound_head, pfn, was);
}
export function clearCompoundHead(k: PageAccess, pfn: number): void {
  const was = before(k, pfn);
  put(k.st, k.mem.lruNext, pfn, NO_LINK);
  w(k, F.compound_head, pfn, was);
}

/** folio_nr_pages() for a head page. */
export function folio_nr_pages(k: PageAccess, head: number): number {
  return 1 << folioOrder(k, head);
}
