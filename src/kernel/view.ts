// The 1-byte-per-PFN view: the state class of every PFN, derived from the struct pages alone
// (plus the free lists' pageblock types), the way a kernel developer would classify a page
// reading its flags, type and mapping. Free pages are found by walking buddy heads, since only
// the head of a free block is PageBuddy.

import { StateClass } from './classes';
import { PG, PGTY } from './flags';
import { pfnValid, ramEnd, type Kernel } from './kernel';
import { get_pfnblock_migratetype, MAX_PAGE_ORDER, MT, PB_OFFLINE } from './zone';
import { mappingId, mappingIsAnon } from './vm';
import { GUP_PIN_COUNTING_BIAS, HOLD } from './pins';
import { isolatedFreeBlocks } from './compaction-state';

const FREE_BY_MT = [StateClass.FreeUnmovable, StateClass.FreeMovable, StateClass.FreeReclaimable, StateClass.FreeHighAtomic, StateClass.FreeIsolate];

/** Fill `out` (length nrPfns) with the StateClass of every PFN. */
export function buildView(k: Kernel, out: Uint8Array): void {
  const { flags, pageType, lruNext, order, private_ } = k.mem;
  const f = flags.a, t = pageType.a, next = lruNext.a, ord = order.a, priv = private_.a;
  const nr = k.mem.nr;
  const held = heldFolios(k);
  const pcp = k.pcp.where.a;
  for (let pfn = 0; pfn < nr;) {
    if (!pfnValid(k, pfn)) {
      out[pfn++] = StateClass.Hole;
      continue;
    }
    if (t[pfn] === PGTY.buddy) {
      const n = 1 << priv[pfn]!;
      out.fill(FREE_BY_MT[get_pfnblock_migratetype(k, pfn)] ?? StateClass.FreeMovable, pfn, pfn + n);
      pfn += n;
      continue;
    }
    if (pcp[pfn]) {
      out[pfn++] = StateClass.PcpFree;
      continue;
    }
    const head = next[pfn]! <= -2 ? -next[pfn]! - 2 : pfn;
    const c = usedClass(k, head, held);
    out[pfn] = c;
    pfn++;
    // Tails share the head's class: fill the rest of a large folio at once.
    if (head === pfn - 1 && f[head]! & (1 << PG.head)) {
      const end = Math.min(nr, head + (1 << ord[head]!));
      out.fill(c, pfn, end);
      pfn = end;
    }
  }
  // Rare states that the struct page alone does not tell, drawn over the loop's answer: blocks
  // compaction holds off the free lists, and offlined pageblocks.
  for (const [pfn, order] of held.compactFree) out.fill(StateClass.CompactFree, pfn, pfn + (1 << order));
  const pb = k.pageblock.a;
  for (let b = 0; b < pb.length; b++) if (pb[b]! & PB_OFFLINE) out.fill(StateClass.Offlined, b << 9, (b + 1) << 9);
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
}

export function heldFolios(k: Kernel): HeldFolios {
  const held: HeldFolios = { pinned: new Set(), isolated: new Set(), migrating: new Set(), compactFree: new Map(), deviceStart: ramEnd(k.layout) };
  for (const b of isolatedFreeBlocks(k)) held.compactFree.set(b.pfn, b.order);
  for (let i = 0; i < k.pins.n.a[0]!; i++) {
    const p = k.pins.pfn.a[i]!;
    const kind = k.pins.kind.a[i]!;
    if (kind === HOLD.FOLL_PIN) held.pinned.add(p);
    else if (kind === HOLD.ISOLATED) held.isolated.add(p);
    else if (kind === HOLD.MIGRATE_NEW) held.migrating.add(p);
  }
  return held;
}

/** The class of an allocated folio's pages, from its head. */
function usedClass(k: Kernel, head: number, held: HeldFolios): StateClass {
  const fl = k.mem.flags.a[head]!;
  if (head >= held.deviceStart) {
    if (k.mem.refcount.a[head] === 0 && k.mem.mapping.a[head] === 0) return StateClass.DeviceFree;
    if (held.migrating.has(head) || fl & (1 << PG.locked)) return StateClass.Migrating;
    return StateClass.DevicePrivate;
  }
  if (fl & (1 << PG.reserved)) return StateClass.Reserved;
  if (held.migrating.has(head) || (fl & (1 << PG.locked) && held.isolated.has(head))) return StateClass.Migrating;
  if (fl & (1 << PG.locked)) return StateClass.Locked;
  if (held.pinned.has(head) || (!(fl & (1 << PG.head)) && k.mem.refcount.a[head]! >= GUP_PIN_COUNTING_BIAS)) return StateClass.Pinned;
  // An isolated hugetlb folio is off hugepage_activelist; its flags alone do not say it is isolated.
  if (k.mem.pageType.a[head] === PGTY.hugetlb && held.isolated.has(head)) return StateClass.Isolated;
  return baseClass(k, head, fl, k.mem.pageType.a[head]!, k.mem.mapping.a[head]!);
}

/**
 * The class of one PFN (what buildView would write there). Finding a free block means probing
 * the naturally aligned head at each order, as the kernel's is_free_buddy_page() does.
 */
export function classOf(k: Kernel, pfn: number, held: HeldFolios): StateClass {
  if (!pfnValid(k, pfn)) return StateClass.Hole;
  if (k.pageblock.a[pfn >> 9]! & PB_OFFLINE) return StateClass.Offlined;
  const t = k.mem.pageType.a, priv = k.mem.private_.a;
  for (const [head, order] of held.compactFree) if (pfn >= head && pfn < head + (1 << order)) return StateClass.CompactFree;
  for (let o = 0; o <= MAX_PAGE_ORDER; o++) {
    const head = pfn & ~((1 << o) - 1);
    if (t[head] === PGTY.buddy && priv[head]! >= o) return FREE_BY_MT[get_pfnblock_migratetype(k, head)] ?? StateClass.FreeMovable;
  }
  if (k.pcp.where.a[pfn]) return StateClass.PcpFree;
  const next = k.mem.lruNext.a[pfn]!;
  return usedClass(k, next <= -2 ? -next - 2 : pfn, held);
}

function baseClass(k: Kernel, head: number, fl: number, type: number, map: number): StateClass {
  switch (type) {
    case PGTY.slab: return StateClass.Slab;
    case PGTY.table: return StateClass.PageTable;
    // PG_reclaim on a movable_ops page is the isolation flag (6.18 PG_movable_ops_isolated, 6.12
    // PG_isolated): a migrator has it, so it is drawn as isolated for migration.
    case PGTY.offline: return fl & (1 << PG.reclaim) ? StateClass.Isolated : StateClass.Offline;
    case PGTY.zsmalloc: return fl & (1 << PG.reclaim) ? StateClass.Isolated : StateClass.Zsmalloc;
    case PGTY.hugetlb: return StateClass.Hugetlb;
  }
  const onLru = (fl & (1 << PG.lru)) !== 0;
  if (map !== 0 && !onLru) return StateClass.Isolated; // user folio off the LRU: someone isolated it
  if (fl & (1 << PG.unevictable)) return StateClass.Unevictable;
  if (map !== 0) {
    const active = (fl & (1 << PG.active)) !== 0;
    if (mappingIsAnon(map)) return active ? StateClass.AnonActive : StateClass.Anon;
    if (k.vm.spaces[mappingId(map)]?.kind === 'shmem') return StateClass.Shmem;
    return active ? StateClass.FileActive : StateClass.File;
  }
  return StateClass.Kernel;
}

/** Pages per class, indexed by StateClass. */
export function countClasses(view: Uint8Array, nrClasses: number): number[] {
  const counts = new Array<number>(nrClasses).fill(0);
  for (let i = 0; i < view.length; i++) counts[view[i]!]!++;
  return counts;
}

export { MT };
