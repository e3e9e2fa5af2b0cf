// Pageblock migratetypes of an imported machine. kpageflags does not carry them; what does:
// - /proc/pagetypeinfo, when given: how many pageblocks of each type every zone has, and how many
//   free blocks of each order sit on each type's free list. A free block sits on the list of its
//   pageblock's type, so the free blocks found in a pageblock (its "signature") say which lists
//   it can explain. For each non-Movable type, smallest first, blocks are chosen to cover its
//   free lists exactly — highest order first, a block whose signature fits what is still needed,
//   the one holding most unmovable pages among equals — then its remaining count is filled with
//   blocks that hold no free pages, most unmovable pages first; for Unmovable, the blocks boot
//   left Unmovable come first (other types take them last). Everything else is Movable.
//   Boot left a block Unmovable when, with deferred struct page init, it starts with
//   memblock-reserved memory above first_deferred_pfn: kernels before the change that gives every
//   reserved pageblock MIGRATE_MOVABLE (6.18's __init_page_from_nid() does) set the type only in
//   deferred_free_pages(), for blocks whose first page was free, so such a block kept type 0. The
//   6.1 and 6.12 captures' free scanners pass over the memmap's blocks at the top of DMA32. Its
//   reserved pages count as unmovable. On a 6.18 dump such a block may be taken as Unmovable when
//   it is Movable; it holds no free page, so only the free scanner's stride notices.
// - Without it, a rule: a pageblock holding at least UNMOVABLE_THRESHOLD unmovable kernel pages
//   (slab, page tables, unflagged or non-LRU compound allocations, and reserved pages where boot
//   left the block Unmovable, as below) is Unmovable, else Movable
//   (boot marks every block Movable; only fallback allocations of unmovable pages retype one).
//   Reclaimable slab cannot be told from unmovable slab in kpageflags, so no block is Reclaimable.
// A free order-10 block spans two pageblocks: they get one type (__free_one_page retypes the
// buddy's range when blocks of two types merge), so they are chosen together.

import { MAX_PAGE_ORDER, MIGRATE_TYPES, MT, MT_NAMES, NR_PAGE_ORDERS, PAGEBLOCK_NR_PAGES, PAGEBLOCK_ORDER } from '../zone';
import type { ZoneSpec } from '../kernel';
import type { FreeBlocks } from './freeblocks';
import { PAGES_PER_SECTION } from './layout';
const hex = (n: number): string => `0x${n.toString(16)}`;
import { C, isUnmovableClass } from './scan';

/** Unmovable pages (1/16 of a pageblock) that make a block Unmovable when no pagetypeinfo is given. */
export const UNMOVABLE_THRESHOLD = 32;

/** What pagetypeinfo says about one zone (summed over nodes), by model migratetype. */
export interface GivenPagetypes {
  readonly blocks: readonly number[];
  readonly free: readonly (readonly number[])[];
}

interface Unit {
  readonly blocks: number[];
  readonly sig: Int32Array;
  readonly unmov: number;
  readonly freePages: number;
  /** Its pageblocks that boot left Unmovable (see the head comment). */
  readonly bootUnmovable: number;
}

/** The pageblocks /proc/pagetypeinfo counts for a zone: one per pageblock step from zone_start_pfn, if online. */
export function countedBlocks(z: ZoneSpec, hole: Uint8Array): number[] {
  const out: number[] = [];
  for (let pfn = z.start; pfn < z.end; pfn += PAGEBLOCK_NR_PAGES) if (!hole[pfn]) out.push(pfn >> PAGEBLOCK_ORDER);
  return out;
}

/**
 * mm/mm_init.c: defer_init() — with CONFIG_DEFERRED_STRUCT_PAGE_INIT, boot initialises the node's
 * highest zone only up to the first section boundary after one section's worth of pages (holes
 * not counted); from there on, pages are initialised later, the free ranges by deferred_free_pages().
 * The model has one node, so the highest zone is the last. Infinity when that zone is too small.
 */
export function firstDeferredPfn(zones: readonly ZoneSpec[], hole: Uint8Array): number {
  const z = zones[zones.length - 1];
  if (!z) return Infinity;
  let initialised = 0;
  for (let pfn = z.start; pfn < z.end; pfn++) {
    if (hole[pfn]) continue;
    initialised++;
    if (initialised > PAGES_PER_SECTION && (pfn & (PAGES_PER_SECTION - 1)) === 0) return pfn;
  }
  return Infinity;
}

function unitsOf(z: ZoneSpec, zi: number, hole: Uint8Array, cls: Uint8Array, free: FreeBlocks, deferred: number): Unit[] {
  const blocks = countedBlocks(z, hole);
  const unitOf = new Map<number, Unit>();
  const units: Unit[] = [];
  const bootUnmovable = (b: number): boolean => b << PAGEBLOCK_ORDER >= deferred && cls[b << PAGEBLOCK_ORDER] === C.RESERVED;
  const unmovIn = (b: number): number => {
    const boot = bootUnmovable(b);
    let n = 0;
    for (let p = b << PAGEBLOCK_ORDER, e = p + PAGEBLOCK_NR_PAGES; p < e; p++) if (isUnmovableClass(cls[p]!) || (boot && cls[p] === C.RESERVED)) n++;
    return n;
  };
  // Order-10 blocks join their two pageblocks into one unit.
  const joined = new Set<number>();
  for (let i = 0; i < free.n; i++) if (free.zone[i] === zi && free.order[i]! > PAGEBLOCK_ORDER) joined.add(free.pfn[i]! >> PAGEBLOCK_ORDER);
  const counted = new Set(blocks);
  for (const b of blocks) {
    if (unitOf.has(b)) continue;
    const bs = joined.has(b) && counted.has(b + 1) ? [b, b + 1] : [b];
    const u: Unit = {
      blocks: bs, sig: new Int32Array(NR_PAGE_ORDERS), unmov: bs.reduce((s, x) => s + unmovIn(x), 0), freePages: 0,
      bootUnmovable: bs.filter(bootUnmovable).length,
    };
    for (const x of bs) unitOf.set(x, u);
    units.push(u);
  }
  for (let i = 0; i < free.n; i++) {
    if (free.zone[i] !== zi) continue;
    const u = unitOf.get(free.pfn[i]! >> PAGEBLOCK_ORDER);
    if (!u) continue;
    u.sig[free.order[i]!]!++;
    (u as { freePages: number }).freePages += 1 << free.order[i]!;
  }
  return units;
}

export interface PageblockTypes {
  /** Migratetype per pageblock (Movable where nothing says otherwise). */
  readonly mt: Uint8Array;
  readonly notes: string[];
}

/** Choose the migratetype of every pageblock of every zone. `given` is by model zone index, null entries where pagetypeinfo has none. */
export function choosePageblockTypes(
  nrBlocks: number, zones: readonly ZoneSpec[], hole: Uint8Array, cls: Uint8Array, free: FreeBlocks,
  given: readonly (GivenPagetypes | null)[] | null,
): PageblockTypes {
  const mt = new Uint8Array(nrBlocks).fill(MT.MOVABLE);
  const notes: string[] = [];
  const deferred = firstDeferredPfn(zones, hole);
  zones.forEach((z, zi) => {
    const units = unitsOf(z, zi, hole, cls, free, deferred);
    const g = given?.[zi] ?? null;
    if (!g) {
      let n = 0;
      for (const u of units) {
        if (u.unmov < UNMOVABLE_THRESHOLD) continue;
        for (const b of u.blocks) mt[b] = MT.UNMOVABLE;
        n += u.blocks.length;
      }
      if (given) notes.push(`pagetypeinfo has no zone ${z.name}: its pageblocks are typed by the rule (${n} Unmovable)`);
      return;
    }
    const type = new Int8Array(units.length).fill(-1);
    const byOrder: number[][] = Array.from({ length: NR_PAGE_ORDERS }, () => []);
    units.forEach((u, i) => u.sig.forEach((c, o) => c && byOrder[o]!.push(i)));
    const unmet: string[] = [];
    const wanted = [MT.UNMOVABLE, MT.RECLAIMABLE, MT.HIGHATOMIC].filter((t) => g.blocks[t]! > 0).sort((a, b) => g.blocks[a]! - g.blocks[b]!);
    for (const t of wanted) {
      const need = Int32Array.from(g.free[t]!);
      let slots = g.blocks[t]!;
      const take = (i: number): void => {
        type[i] = t;
        slots -= units[i]!.blocks.length;
        units[i]!.sig.forEach((c, o) => (need[o] = need[o]! - c));
      };
      // Phase 1: blocks with free pages, to cover this type's free lists.
      for (;;) {
        if (slots <= 0) break;
        let top = -1;
        for (let o = MAX_PAGE_ORDER; o >= 0; o--) if (need[o]! > 0) { top = o; break; }
        if (top < 0) break;
        let best = -1, bestOver = Infinity, bestUnmov = -1, bestCover = -1;
        for (const i of byOrder[top]!) {
          const u = units[i]!;
          if (type[i] !== -1 || u.blocks.length > slots) continue;
          let over = 0, cover = 0;
          for (let o = 0; o < NR_PAGE_ORDERS; o++) {
            const c = u.sig[o]!, nd = Math.max(0, need[o]!);
            if (c > nd) over += (c - nd) << o;
            cover += Math.min(c, nd) << o;
          }
          if (over < bestOver || (over === bestOver && (u.unmov > bestUnmov || (u.unmov === bestUnmov && cover > bestCover)))) {
            best = i; bestOver = over; bestUnmov = u.unmov; bestCover = cover;
          }
        }
        if (best < 0) {
          unmet.push(`${MT_NAMES[t]} order ${top}: ${need[top]} block(s)`);
          need[top] = 0;
          continue;
        }
        take(best);
      }
      // Phase 2: the rest of this type's pageblocks hold no free pages (else the lists would say so).
      if (slots > 0) {
        const rest = units.map((_, i) => i).filter((i) => type[i] === -1 && units[i]!.blocks.length <= slots);
        const boot = (i: number): number => (t === MT.UNMOVABLE ? -units[i]!.bootUnmovable : units[i]!.bootUnmovable);
        rest.sort((a, b) => (units[a]!.freePages === 0 ? 0 : 1) - (units[b]!.freePages === 0 ? 0 : 1) || boot(a) - boot(b) || units[b]!.unmov - units[a]!.unmov || units[a]!.freePages - units[b]!.freePages);
        for (const i of rest) {
          if (slots <= 0) break;
          if (units[i]!.blocks.length > slots) continue;
          take(i);
        }
      }
      if (slots > 0) unmet.push(`${slots} ${MT_NAMES[t]} pageblock(s) left over`);
    }
    for (let i = 0; i < units.length; i++) if (type[i] === -1) type[i] = MT.MOVABLE;
    const left = refine(units, type, g);
    units.forEach((u, i) => {
      for (const b of u.blocks) mt[b] = type[i]!;
    });
    const boot = units.reduce((n, u, i) => n + (type[i] === MT.UNMOVABLE ? u.bootUnmovable : 0), 0);
    if (boot > 0) notes.push(`zone ${z.name}: ${boot} pageblock${boot === 1 ? '' : 's'} starting with reserved memory above first_deferred_pfn ${hex(deferred)} taken as Unmovable (boot left them so before 6.18's __init_page_from_nid())`);
    if (left > 0) notes.push(`zone ${z.name}: the free lists per type could not be matched exactly (${left} free block${left === 1 ? '' : 's'} on another type's list than pagetypeinfo says${unmet.length ? `; ${unmet.join('; ')}` : ''})`);
  });
  return { mt, notes };
}

/**
 * The greedy choice can pick a block whose free pages another type needed. Swap the types of two
 * blocks (equal size) while that brings the free lists per type and order closer to pagetypeinfo,
 * the block counts per type staying as they are. Returns the free blocks still on a wrong list.
 */
function refine(units: readonly Unit[], type: Int8Array, g: GivenPagetypes): number {
  const cur = Array.from({ length: MIGRATE_TYPES }, () => new Int32Array(NR_PAGE_ORDERS));
  units.forEach((u, i) => u.sig.forEach((c, o) => (cur[type[i]!]![o]! += c)));
  const err = (): number => {
    let e = 0;
    for (let t = 0; t < MIGRATE_TYPES; t++) for (let o = 0; o < NR_PAGE_ORDERS; o++) e += Math.abs(cur[t]![o]! - g.free[t]![o]!);
    return e;
  };
  for (let iter = 0; iter < 1000 && err() > 0; iter++) {
    // One representative per (type, size, signature): the one whose content suits a move best.
    const reps = new Map<string, number>();
    units.forEach((u, i) => {
      const key = `${type[i]}/${u.blocks.length}/${u.sig.join(',')}`;
      const r = reps.get(key);
      if (r === undefined || (type[i] === MT.MOVABLE ? u.unmov > units[r]!.unmov : u.unmov < units[r]!.unmov)) reps.set(key, i);
    });
    const cand = [...reps.values()];
    let best = 0, ba = -1, bb = -1;
    for (const a of cand) {
      const ta = type[a]!;
      if (ta === MT.MOVABLE) continue;
      const sa = units[a]!.sig;
      for (const b of cand) {
        const tb = type[b]!;
        if (tb === ta || units[b]!.blocks.length !== units[a]!.blocks.length) continue;
        const sb = units[b]!.sig;
        let d = 0;
        for (let o = 0; o < NR_PAGE_ORDERS; o++) {
          const x = sb[o]! - sa[o]!;
          if (x === 0) continue;
          const ca = cur[ta]![o]!, cb = cur[tb]![o]!, ga = g.free[ta]![o]!, gb = g.free[tb]![o]!;
          d += Math.abs(ca + x - ga) - Math.abs(ca - ga) + Math.abs(cb - x - gb) - Math.abs(cb - gb);
        }
        if (d < best) { best = d; ba = a; bb = b; }
      }
    }
    if (ba < 0) break;
    const ta = type[ba]!, tb = type[bb]!;
    units[ba]!.sig.forEach((c, o) => { cur[ta]![o]! -= c; cur[tb]![o]! += c; });
    units[bb]!.sig.forEach((c, o) => { cur[tb]![o]! -= c; cur[ta]![o]! += c; });
    type[ba] = tb;
    type[bb] = ta;
  }
  return err() / 2;
}

/** Pageblocks per migratetype of a zone in a per-block type array, counted as pagetypeinfo counts them. */
export function blocksByType(mt: Uint8Array, z: ZoneSpec, hole: Uint8Array): number[] {
  const n = new Array<number>(MIGRATE_TYPES).fill(0);
  for (const b of countedBlocks(z, hole)) n[mt[b]!]!++;
  return n;
}
