// The 1-byte-per-PFN view: the state class of every PFN, derived from the struct pages alone
// (plus the free lists' pageblock types), the way a kernel developer would classify a page
// reading its flags, type and mapping. Free pages are found by walking buddy heads, since only
// the head of a free block is PageBuddy.
//
// buildView() runs every frame over 1 Mi PFNs (design.md: 8 ms for the whole frame), so it is one
// pass over the typed arrays: the flag bits and page types are module constants (no property of an
// imported object is read per PFN; under Vite's module runner each such read was a getter call),
// who holds which folio is looked up in a sorted array walked alongside the PFNs rather than in
// Sets, shmem mappings in a table built once per view, and the classification itself is a
// function of plain numbers.
// view-reference.testkit.ts keeps the straightforward builder; view.test.ts compares the two.

import { StateClass } from './classes';
import { PG, PGTY } from './flags';
import { pfnValid, ramEnd, type Kernel } from './kernel';
import { MAX_PAGE_ORDER, MT, PAGEBLOCK_ORDER, PB_MIGRATE_ISOLATE, PB_MT_MASK, PB_OFFLINE } from './zone';
import { MAPPING_FLAGS } from './vm';
import { GUP_PIN_COUNTING_BIAS, HOLD } from './pins';
import { isolatedFreeBlocks } from './compaction-state';

const FREE_BY_MT = [StateClass.FreeUnmovable, StateClass.FreeMovable, StateClass.FreeReclaimable, StateClass.FreeHighAtomic, StateClass.FreeIsolate];

const HEAD = 1 << PG.head;
const LOCKED = 1 << PG.locked;
const RESERVED = 1 << PG.reserved;
const LRU = 1 << PG.lru;
const UNEVICTABLE = 1 << PG.unevictable;
const ACTIVE = 1 << PG.active;
const RECLAIM = 1 << PG.reclaim;
const TY_BUDDY = PGTY.buddy;
const TY_SLAB = PGTY.slab;
const TY_TABLE = PGTY.table;
const TY_OFFLINE = PGTY.offline;
const TY_ZSMALLOC = PGTY.zsmalloc;
const TY_HUGETLB = PGTY.hugetlb;
const PIN_BIAS = GUP_PIN_COUNTING_BIAS;
const ANON_BITS = MAPPING_FLAGS;
const PB_ORDER = PAGEBLOCK_ORDER;
const PB_ISOLATE = PB_MIGRATE_ISOLATE;
const PB_MT = PB_MT_MASK;
const PB_OFF = PB_OFFLINE;
const MT_ISOLATE = MT.ISOLATE;
const HOLD_PIN = HOLD.FOLL_PIN;
const HOLD_ISOLATED = HOLD.ISOLATED;
const HOLD_MIGRATE_NEW = HOLD.MIGRATE_NEW;

// The classes as module numbers too: the classification ran 1.5× slower reading the imported
// enum's properties per PFN.
const C_HOLE = StateClass.Hole, C_PCP = StateClass.PcpFree;
const C_DEVFREE = StateClass.DeviceFree, C_MIGRATING = StateClass.Migrating, C_DEVPRIV = StateClass.DevicePrivate, C_RESERVED = StateClass.Reserved;
const C_LOCKED = StateClass.Locked, C_PINNED = StateClass.Pinned, C_SLAB = StateClass.Slab, C_TABLE = StateClass.PageTable, C_ISOLATED = StateClass.Isolated;
const C_OFFLINE = StateClass.Offline, C_ZS = StateClass.Zsmalloc, C_HUGETLB = StateClass.Hugetlb, C_UNEVICTABLE = StateClass.Unevictable;
const C_ANON = StateClass.Anon, C_ANON_ACTIVE = StateClass.AnonActive, C_SHMEM = StateClass.Shmem, C_FILE = StateClass.File, C_FILE_ACTIVE = StateClass.FileActive, C_KERNEL = StateClass.Kernel;

/** Who holds a folio, as bits: the holders that change its class. */
const BY_PIN = 1, BY_ISOLATION = 2, BY_MIGRATION = 4;

// Scratch reused by every build (the worker builds a view per frame): held folios sorted by PFN,
// and which address spaces are shmem.
let heldPfn = new Int32Array(64);
let heldBits = new Uint8Array(64);
let heldKeys = new Float64Array(64);
let shmemScratch = new Uint8Array(64);
const compactScratch = new Map<number, number>();

/** Fill `out` (length nrPfns) with the StateClass of every PFN. */
export function buildView(k: Kernel, out: Uint8Array): void {
  const f = k.mem.flags.a, t = k.mem.pageType.a, next = k.mem.lruNext.a, ord = k.mem.order.a, priv = k.mem.private_.a;
  const ref = k.mem.refcount.a, mapping = k.mem.mapping.a, pb = k.pageblock.a, pcp = k.pcp.where.a;
  const nr = k.mem.nr;
  const deviceStart = ramEnd(k.layout);
  const nh = sortHeld(k);
  const hp = heldPfn, hb = heldBits;
  const nsp = shmemTable(k);
  const shmem = shmemScratch;
  let cur = 0, lastHead = -1;
  for (let pfn = 0; pfn < nr;) {
    // The run of valid PFNs from here (up to the next hole), or the hole here (pfnValid()).
    let end = nr, holeEnd = pfn >= k.layout.nrPfns ? nr : -1;
    for (const h of k.layout.holes) {
      if (pfn >= h.start && pfn < h.end) holeEnd = Math.max(holeEnd, h.end);
      else if (h.start > pfn && h.start < end) end = h.start;
    }
    if (holeEnd >= 0) {
      const e = Math.min(nr, holeEnd);
      out.fill(C_HOLE, pfn, e);
      pfn = e;
      continue;
    }
    while (pfn < end) {
      const ty = t[pfn]!;
      if (ty === TY_BUDDY) {
        const n = 1 << priv[pfn]!;
        const b = pb[pfn >> PB_ORDER]!;
        out.fill(FREE_BY_MT[b & PB_ISOLATE ? MT_ISOLATE : b & PB_MT] ?? StateClass.FreeMovable, pfn, pfn + n);
        pfn += n;
        continue;
      }
      if (pcp[pfn] !== 0) {
        out[pfn++] = C_PCP;
        continue;
      }
      const nx = next[pfn]!;
      const head = nx <= -2 ? -nx - 2 : pfn;
      let held = 0;
      if (nh !== 0) {
        // Heads come in PFN order (a tail met before its head, rarely, restarts the walk).
        if (head < lastHead) cur = 0;
        lastHead = head;
        while (cur < nh && hp[cur]! < head) cur++;
        if (cur < nh && hp[cur] === head) held = hb[cur]!;
      }
      const fl = f[head]!;
      const c = folioClass(fl, t[head]!, mapping[head]!, ref[head]!, held, head >= deviceStart, shmem, nsp);
      out[pfn] = c;
      pfn++;
      // Tails share the head's class: fill the rest of a large folio at once.
      if (head === pfn - 1 && fl & HEAD) {
        const e = Math.min(nr, head + (1 << ord[head]!));
        out.fill(c, pfn, e);
        pfn = e;
      }
    }
  }
  // Rare states that the struct page alone does not tell, drawn over the loop's answer: blocks
  // compaction holds off the free lists, and offlined pageblocks.
  for (const [pfn, order] of compactFreeBlocks(k, compactScratch)) out.fill(StateClass.CompactFree, pfn, pfn + (1 << order));
  for (let b = 0; b < pb.length; b++) if (pb[b]! & PB_OFF) out.fill(StateClass.Offlined, b << 9, (b + 1) << 9);
}

/**
 * The pin table's FOLL_PIN, isolation and migration holds, merged per PFN and sorted, in the
 * scratch arrays; returns their count. (An entry with no PFN, below 0, never matches a folio.)
 */
function sortHeld(k: Kernel): number {
  const n = k.pins.n.a[0]!;
  const pfns = k.pins.pfn.a, kinds = k.pins.kind.a;
  let m = 0;
  for (let i = 0; i < n; i++) if (heldBit(kinds[i]!) !== 0 && pfns[i]! >= 0) m++;
  if (m === 0) return 0;
  if (heldPfn.length < m) {
    heldPfn = new Int32Array(m * 2);
    heldBits = new Uint8Array(m * 2);
    heldKeys = new Float64Array(m * 2);
  }
  // Sort (pfn, bit) pairs packed in one number: PFNs are below 2^31, so pfn * 8 + bit is exact.
  const keys = heldKeys.subarray(0, m);
  m = 0;
  for (let i = 0; i < n; i++) {
    const bit = heldBit(kinds[i]!);
    if (bit !== 0 && pfns[i]! >= 0) keys[m++] = pfns[i]! * 8 + bit;
  }
  keys.sort();
  let u = -1;
  for (let i = 0; i < m; i++) {
    const bit = keys[i]! % 8;
    const pfn = (keys[i]! - bit) / 8;
    if (u >= 0 && heldPfn[u] === pfn) heldBits[u]! |= bit;
    else {
      heldPfn[++u] = pfn;
      heldBits[u] = bit;
    }
  }
  return u + 1;
}

function heldBit(kind: number): number {
  return kind === HOLD_PIN ? BY_PIN : kind === HOLD_ISOLATED ? BY_ISOLATION : kind === HOLD_MIGRATE_NEW ? BY_MIGRATION : 0;
}

/** 1 at an address space's id when it is shmem, in the scratch table; returns the table's length. */
function shmemTable(k: Kernel): number {
  if (shmemScratch.length < k.vm.spaces.length) shmemScratch = new Uint8Array(k.vm.spaces.length * 2);
  return fillShmem(k, shmemScratch);
}

/** 1 at each shmem address space's id in `table` (long enough); returns how many ids there are. */
function fillShmem(k: Kernel, table: Uint8Array): number {
  const spaces = k.vm.spaces;
  for (let i = 0; i < spaces.length; i++) table[i] = spaces[i]?.kind === 'shmem' ? 1 : 0;
  return spaces.length;
}

/** The blocks compaction holds off the free lists, pfn → order, in `into` (cleared first). */
function compactFreeBlocks(k: Kernel, into: Map<number, number>): Map<number, number> {
  into.clear();
  for (const b of isolatedFreeBlocks(k)) into.set(b.pfn, b.order);
  return into;
}

/**
 * The class of an allocated folio's pages, from its head's flags, page type, mapping and
 * refcount, who holds it (BY_* bits) and whether it is device memory. Overlays (under migration,
 * locked, pinned, isolated) come before the base class.
 */
function folioClass(fl: number, ty: number, map: number, rc: number, held: number, device: boolean, shmem: Uint8Array, nsp: number): StateClass {
  if (device) {
    if (rc === 0 && map === 0) return C_DEVFREE;
    if (held & BY_MIGRATION || fl & LOCKED) return C_MIGRATING;
    return C_DEVPRIV;
  }
  if (fl & RESERVED) return C_RESERVED;
  if (held & BY_MIGRATION || (fl & LOCKED && held & BY_ISOLATION)) return C_MIGRATING;
  if (fl & LOCKED) return C_LOCKED;
  if (held & BY_PIN || (!(fl & HEAD) && rc >= PIN_BIAS)) return C_PINNED;
  switch (ty) {
    case TY_SLAB: return C_SLAB;
    case TY_TABLE: return C_TABLE;
    // PG_reclaim on a movable_ops page is the isolation flag (6.18 PG_movable_ops_isolated, 6.12
    // PG_isolated): a migrator has it, so it is drawn as isolated for migration.
    case TY_OFFLINE: return fl & RECLAIM ? C_ISOLATED : C_OFFLINE;
    case TY_ZSMALLOC: return fl & RECLAIM ? C_ISOLATED : C_ZS;
    // An isolated hugetlb folio is off hugepage_activelist; its flags alone do not say it is isolated.
    case TY_HUGETLB: return held & BY_ISOLATION ? C_ISOLATED : C_HUGETLB;
  }
  if (map !== 0) {
    if (!(fl & LRU)) return C_ISOLATED; // user folio off the LRU: someone isolated it
    if (fl & UNEVICTABLE) return C_UNEVICTABLE;
    const active = (fl & ACTIVE) !== 0;
    if ((map & ANON_BITS) === 1) return active ? C_ANON_ACTIVE : C_ANON;
    const id = (map >> 2) - 1;
    if (id >= 0 && id < nsp && shmem[id] === 1) return C_SHMEM;
    return active ? C_FILE_ACTIVE : C_FILE;
  }
  return fl & UNEVICTABLE ? C_UNEVICTABLE : C_KERNEL;
}

/**
 * Folios whose class depends on who holds them: FOLL_PIN holders (a large folio's pin cannot be
 * told from its refcount), and folios under migration — a new folio migrate_pages() still holds,
 * or an isolated source it has locked.
 */
export interface HeldFolios {
  readonly pinned: Set<number>;
  readonly isolated: Set<number>;
  readonly migrating: Set<number>;
  /** Blocks compaction's free scanner holds (and a block captured for direct compaction): pfn → order. */
  readonly compactFree: Map<number, number>;
  /** The first ZONE_DEVICE PFN (device memory sits above RAM); the PFN count when there is none. */
  readonly deviceStart: number;
  /** 1 at the id of each shmem address space. */
  readonly shmem: Uint8Array;
}

export function heldFolios(k: Kernel): HeldFolios {
  const shmem = new Uint8Array(k.vm.spaces.length);
  fillShmem(k, shmem);
  const held: HeldFolios = { pinned: new Set(), isolated: new Set(), migrating: new Set(), compactFree: compactFreeBlocks(k, new Map()), deviceStart: ramEnd(k.layout), shmem };
  for (let i = 0; i < k.pins.n.a[0]!; i++) {
    const p = k.pins.pfn.a[i]!;
    const kind = k.pins.kind.a[i]!;
    if (kind === HOLD_PIN) held.pinned.add(p);
    else if (kind === HOLD_ISOLATED) held.isolated.add(p);
    else if (kind === HOLD_MIGRATE_NEW) held.migrating.add(p);
  }
  return held;
}

/**
 * The class of one PFN (what buildView would write there). Finding a free block means probing
 * the naturally aligned head at each order, as the kernel's is_free_buddy_page() does.
 */
export function classOf(k: Kernel, pfn: number, held: HeldFolios): StateClass {
  if (!pfnValid(k, pfn)) return StateClass.Hole;
  if (k.pageblock.a[pfn >> 9]! & PB_OFF) return StateClass.Offlined;
  const t = k.mem.pageType.a, priv = k.mem.private_.a;
  for (const [head, order] of held.compactFree) if (pfn >= head && pfn < head + (1 << order)) return StateClass.CompactFree;
  for (let o = 0; o <= MAX_PAGE_ORDER; o++) {
    const head = pfn & ~((1 << o) - 1);
    if (t[head] === TY_BUDDY && priv[head]! >= o) {
      const b = k.pageblock.a[head >> PB_ORDER]!;
      return FREE_BY_MT[b & PB_ISOLATE ? MT_ISOLATE : b & PB_MT] ?? StateClass.FreeMovable;
    }
  }
  if (k.pcp.where.a[pfn]) return StateClass.PcpFree;
  const next = k.mem.lruNext.a[pfn]!;
  const head = next <= -2 ? -next - 2 : pfn;
  const by = (held.pinned.has(head) ? BY_PIN : 0) | (held.isolated.has(head) ? BY_ISOLATION : 0) | (held.migrating.has(head) ? BY_MIGRATION : 0);
  return folioClass(k.mem.flags.a[head]!, t[head]!, k.mem.mapping.a[head]!, k.mem.refcount.a[head]!, by, head >= held.deviceStart, held.shmem, held.shmem.length);
}

/** Pages per class, indexed by StateClass. */
export function countClasses(view: Uint8Array, nrClasses: number): number[] {
  const counts = new Array<number>(nrClasses).fill(0);
  for (let i = 0; i < view.length; i++) counts[view[i]!]!++;
  return counts;
}

export { MT };
