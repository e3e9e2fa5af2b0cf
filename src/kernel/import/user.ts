// User memory of an imported machine: anonymous folios, page cache (file, shmem/tmpfs, ramfs) and
// hugetlb folios, with the mappings that make rmap find them. kpagecount is the mapcount, not the
// refcount, and the dump does not say who maps a page; so the rebuild synthesizes mappers, one
// process per mapcount level: process i ("imported-i") maps every page whose mapcount is at least
// i. Each kind of memory is laid out in its own index space, folios sorted by their highest
// mapcount, so the level-i VMA is the prefix [0, end_i) of it (levels above 1 shrink fast), and
// all level VMAs share one anon_vma (as forked processes do) or one address_space. The rebuilt
// refcounts are exactly the holders the invariants count: one per PTE, one per page-cache page,
// one for buffer heads (PG_private); a hugetlb folio holds one per huge entry.

import { PG, PGTY } from '../flags';
import { pageZone, type Kernel } from '../kernel';
import { NO_LINK, setPageFlags, setPageIndex, setPageMapping, setPagePrivate, setPageRefcount, setPageType } from '../memmap';
import { prep_compound_page } from '../buddy';
import { LRU, NR_LRU_LISTS } from '../lru';
import { listAdd } from '../list';
import { put } from '../store';
import { swap_alloc } from '../swap_state';
import { mod_node_page_state, mod_zone_page_state, NS, ZS } from '../vmstat';
import { HLIST, HPG, HS, HUGETLB_ORDER } from '../hugetlb-state';
import {
  anonMapping, createAddressSpace, createAnonVma, createMm, createVma, fileMapping, mkPte, PTE_DIRTY, PTE_EXCLUSIVE, PTE_WRITE, PTE_YOUNG,
  type AddressSpace, type AnonVma, type MmStruct, type Vma,
} from '../vm';
import { HI as KPF_HI, LO as KPF_LO } from './dump';
import { C as SCAN_C, type Scan } from './scan';

// Module-local copies of the constants the per-folio code reads: an import is a getter call
// under tsx and vitest, which V8 does not always inline (0.7 s of a 6 Mi-PFN import, measured).
const LO = { ...KPF_LO };
const HI = { ...KPF_HI };
const PGB = { ...PG };
const LRUS = { ...LRU };
const C = { ...SCAN_C };

/** The most mapping levels (synthetic processes); pages mapped more often get this many PTEs. */
export const MAX_MAP_LEVELS = 512;
/** The first process's heap gets this much room past its pages (at least), for `fault` actions. */
const HEAP_HEADROOM = 4096;

const KINDS = [C.ANON, C.HUGETLB, C.SHMEM, C.FILE, C.RAMFS] as const;
type Kind = (typeof KINDS)[number];
/**
 * Folios are laid out per group: a kind, and whether they are mlocked (KPF_MLOCKED). Mlocked
 * folios get index spaces (and address spaces) of their own, mapped by VM_LOCKED VMAs, so the
 * rebuilt state is what mlock() leaves: PG_mlocked, unevictable, mlock_count = locked mappings.
 */
interface Group { readonly c: Kind; readonly locked: boolean }
const GROUPS: readonly Group[] = [
  ...KINDS.map((c) => ({ c, locked: false })),
  ...([C.ANON, C.SHMEM, C.FILE, C.RAMFS] as const).map((c) => ({ c, locked: true })),
];
const groupOf = (c: Kind, hi: number): number => GROUPS.findIndex((g) => g.c === c && g.locked === (c !== C.HUGETLB && (hi & HI.MLOCKED) !== 0));
const SPACE: Partial<Record<Kind, { name: string; kind: AddressSpace['kind'] }>> = {
  [C.SHMEM]: { name: '/imported/shmem', kind: 'shmem' },
  [C.FILE]: { name: '/imported/file', kind: 'file' },
  [C.RAMFS]: { name: '/imported/ramfs', kind: 'ramfs' },
};

/** KPF bits of a folio's head that are plain PG flags here (the rest are set by the paths that own them). */
function pgFlagsOf(lo: number, hi: number, kind: Kind): number {
  let f = 0;
  const set = (cond: number, pg: number): void => {
    if (cond) f |= 1 << pg;
  };
  set(lo & LO.REFERENCED, PGB.referenced);
  set(lo & LO.UPTODATE, PGB.uptodate);
  set(lo & LO.ACTIVE, PGB.active);
  set(lo & LO.RECLAIM, PGB.reclaim);
  set(lo & LO.SWAPBACKED, PGB.swapbacked);
  set(lo & LO.UNEVICTABLE, PGB.unevictable);
  set(lo & LO.IDLE, PGB.idle);
  set(hi & HI.MLOCKED, PGB.mlocked);
  // PG_private_2 (PG_fscache) marks a cache write in flight, transient like writeback: not rebuilt.
  set(hi & HI.ARCH, PGB.arch_1);
  set(hi & HI.ARCH_2, PGB.arch_2);
  // PG_owner_priv_1 is PG_swapcache on a swap-backed folio: buildFolio() sets it with the cache.
  if (!(lo & LO.SWAPBACKED)) set(hi & HI.OWNER_PRIVATE, PGB.owner_priv_1);
  if (kind !== C.ANON) set(hi & HI.OWNER_2, PGB.owner_2); // PG_mappedtodisk; on anon pages it is per page (below)
  // Anon folios are swap-backed but for lazyfree ones (MADV_FREE clears it; they sit on the file LRU).
  if (kind === C.SHMEM || (kind === C.ANON && !(lo & LO.LRU && !(lo & LO.SWAPBACKED)))) f |= 1 << PGB.swapbacked;
  if (kind === C.RAMFS) f |= 1 << PGB.unevictable;
  if (kind !== C.FILE && lo & LO.DIRTY) f |= 1 << PGB.dirty; // file folios: folio_mark_dirty() counts them
  if (kind === C.HUGETLB) f &= (1 << PGB.uptodate) | (1 << PGB.dirty) | (1 << PGB.referenced);
  return f;
}

export interface UserStats {
  processes: number;
  anonFolios: number;
  anonForcedMapped: number;
  /** Pages of KPF_SWAPCACHE anon folios, rebuilt in the swap cache (unmapped ones stay unmapped). */
  swapcachePages: number;
  /** Pages of KPF_MLOCKED folios, rebuilt mlocked under VM_LOCKED VMAs. */
  mlockedPages: number;
  clampedPages: number;
  spaces: { name: string; pages: number }[];
  hugetlbMapped: number;
  hugetlbFree: number;
}

interface Layout {
  /** Folio heads of this kind in index order. */
  readonly heads: Int32Array;
  /** Index (page offset, aligned to the folio) of each, parallel to heads. */
  readonly index: Int32Array;
  /** end[L] = index-space length covering every folio mapped at least L times (end[0] = all). */
  readonly end: Int32Array;
  readonly size: number;
}

/** Folios of one kind sorted by (highest mapcount, order) descending, laid out in an index space. */
function layOut(heads: number[], level: Uint16Array, ord: Uint8Array, maxLevel: number, unit: number): Layout {
  const KEYS = (maxLevel + 1) * 32;
  const key = (h: number): number => (maxLevel - level[h]!) * 32 + (31 - ord[h]!);
  const start = new Int32Array(KEYS + 1);
  for (const h of heads) start[key(h) + 1]!++;
  for (let i = 0; i < KEYS; i++) start[i + 1]! += start[i]!;
  const sorted = new Int32Array(heads.length);
  for (const h of heads) sorted[start[key(h)]!++] = h;
  const index = new Int32Array(heads.length);
  const end = new Int32Array(maxLevel + 2);
  let cur = 0;
  for (let i = 0; i < sorted.length; i++) {
    const h = sorted[i]!;
    const nr = unit === 1 ? 1 << ord[h]! : 1;
    cur = Math.ceil(cur / nr) * nr;
    index[i] = cur * unit;
    cur += nr;
    end[level[h]!] = cur; // the last folio of its level so far: levels are visited from the top
  }
  // A level's VMA covers every folio mapped at least that often: the end of the lowest such level.
  for (let l = maxLevel - 1; l >= 0; l--) end[l] = Math.max(end[l]!, end[l + 1]!);
  for (let l = 0; l <= maxLevel; l++) end[l] = end[l]! * unit;
  return { heads: sorted, index, end, size: cur * unit };
}

/**
 * Build every user folio of the scan into k, with its mappers. Runs before journaling. `tick` is
 * told the share of user pages done, about every 64 Ki pages.
 */
export function buildUserMemory(k: Kernel, flags: Uint32Array, count: Uint32Array, scan: Scan, tick: (frac: number) => void = () => {}): UserStats {
  const { cls, ord } = scan;
  const nr = cls.length;
  const level = new Uint16Array(nr);
  const byGroup: number[][] = GROUPS.map(() => []);
  const stats: UserStats = { processes: 0, anonFolios: 0, anonForcedMapped: 0, swapcachePages: 0, mlockedPages: 0, clampedPages: 0, spaces: [], hugetlbMapped: 0, hugetlbFree: 0 };
  let maxLevel = 1;
  let userPages = 0;
  for (let p = 0; p < nr;) {
    const c = cls[p]!;
    const n = 1 << ord[p]!;
    if (c >= C.ANON || c === C.HUGETLB) {
      let m = 0;
      if (c === C.HUGETLB) m = count[2 * p]!; // every page of it reads the entire mapcount
      else for (let i = p; i < p + n; i++) m = Math.max(m, count[2 * i]!);
      if (m > MAX_MAP_LEVELS) {
        stats.clampedPages += n;
        m = MAX_MAP_LEVELS;
      }
      const swapcache = c === C.ANON && (flags[2 * p]! & LO.SWAPCACHE) !== 0;
      if (swapcache) stats.swapcachePages += n;
      if (c === C.ANON && m === 0) {
        // Being unmapped: mapped once here. A swap-cache folio is kept alive by the cache and
        // is rebuilt unmapped; its place in the layout stays (the level-1 slot has no PTE).
        if (!swapcache) stats.anonForcedMapped += n;
        m = 1;
      }
      level[p] = m;
      userPages += n;
      maxLevel = Math.max(maxLevel, m);
      const g = groupOf(c as Kind, flags[2 * p + 1]!);
      if (GROUPS[g]!.locked) stats.mlockedPages += n;
      byGroup[g]!.push(p);
    }
    p += n;
  }
  stats.processes = maxLevel;

  const layouts = GROUPS.map((g, i) => layOut(byGroup[i]!, level, ord, maxLevel, g.c === C.HUGETLB ? 1 << HUGETLB_ORDER : 1));
  const heap = GROUPS.findIndex((g) => g.c === C.ANON && !g.locked);

  // Address spaces for the page cache, and one mm per mapping level.
  const spaces: (AddressSpace | undefined)[] = GROUPS.map((g, i) => {
    const l = layouts[i]!;
    const sp = SPACE[g.c];
    if (!sp || l.heads.length === 0) return undefined;
    const name = g.locked ? `${sp.name}-mlocked` : sp.name;
    stats.spaces.push({ name, pages: l.size });
    return createAddressSpace(k, name, sp.kind, l.size);
  });
  const anonVma = createAnonVma(k);
  const hugeAnonVma: AnonVma | null = layouts[GROUPS.findIndex((g) => g.c === C.HUGETLB)]!.end[1]! > 0 ? createAnonVma(k) : null;
  // Where each group sits in every process's address space (in pages): 1 GiB apart, 2 MiB aligned.
  const base: number[] = [];
  let va = 0x10000;
  const anonRoom = (l: number): number => (l === 1 ? Math.max(HEAP_HEADROOM, Math.ceil(layouts[heap]!.end[1]! / 8 / 512) * 512) : 0);
  const room = (g: number, l: number): number => (g === heap ? anonRoom(l) : 0);
  GROUPS.forEach((_, g) => {
    base[g] = va;
    const size = layouts[g]!.end[1]! + room(g, 1);
    if (size > 0 || !GROUPS[g]!.locked) va = Math.ceil((va + size) / 0x40000) * 0x40000 + 0x40000;
  });
  const vmas: Vma[][] = GROUPS.map(() => []);
  for (let l = 1; l <= maxLevel; l++) {
    const mm: MmStruct = createMm(k, 1000 + l, `imported-${l}`);
    GROUPS.forEach(({ c, locked }, g) => {
      const nrPages = layouts[g]!.end[l]! + room(g, l);
      if (nrPages === 0) return;
      const start = base[g]!;
      const space = spaces[g];
      vmas[g]![l] = createVma(k, {
        mm, start, nrPages,
        pgoff: space ? 0 : start, // anon: the linear page index, as do_anonymous_page() has it
        anonVma: c === C.ANON ? anonVma : c === C.HUGETLB ? hugeAnonVma! : undefined,
        file: space,
        writable: c !== C.FILE,
        hugetlb: c === C.HUGETLB,
        locked, // every mapper of an mlocked folio is taken to have mlock()ed it
      });
    });
  }

  const bulk = newBulk(k);
  let done = 0, next = 1 << 16;
  for (let g = 0; g < GROUPS.length; g++) {
    const c = GROUPS[g]!.c;
    const l = layouts[g]!;
    const v = vmas[g]!, space = spaces[g], at = base[g]!;
    for (let i = 0; i < l.heads.length; i++) {
      const h = l.heads[i]!;
      if ((done += 1 << ord[h]!) >= next) {
        tick(done / userPages);
        next += 1 << 16;
      }
      if (c === C.HUGETLB) buildHugetlb(k, h, l.index[i]!, level[h]!, flags, v, hugeAnonVma, at, stats);
      else buildFolio(bulk, c, h, l.index[i]!, ord[h]!, flags, count, v, anonVma, space, at);
    }
    if (c === C.ANON) stats.anonFolios += l.heads.length;
  }
  finishBulk(bulk);
  put(k.st, k.hugetlb.counters, HS.MAX_HUGE_PAGES, k.hugetlb.counters.a[HS.NR_HUGE_PAGES]!);
  return stats;
}

/**
 * What the kernel functions that make a user folio would do — filemap_add_folio() (the cache's
 * references, mapping, index, i_pages, NR_FILE_PAGES / NR_SHMEM), folio_mark_dirty(),
 * folio_attach_private(), the rmap and PTEs, folio_add_lru() — done as a bulk load: straight
 * into the columns before journaling and hashing (where put() writes the same values), counters
 * summed and LRU lists linked once at the end. A million folios through the per-field
 * accessors took 2-4 s of a 6 Mi-PFN import; this takes a fraction of that.
 */
interface Bulk {
  readonly k: Kernel;
  anonMapped: number;
  fileMapped: number;
  filePages: number;
  shmem: number;
  fileDirty: number;
  swapcache: number;
  /** Folio heads per LRU list, in list order, and pages per (zone, list). */
  readonly lru: number[][];
  readonly lruPages: Float64Array;
  /** NR_MLOCK per zone. */
  readonly mlockPages: Float64Array;
}

function newBulk(k: Kernel): Bulk {
  if (k.st.j.on || k.st.hashing) throw new Error('imported folios are loaded before journaling and hashing');
  return {
    k, anonMapped: 0, fileMapped: 0, filePages: 0, shmem: 0, fileDirty: 0, swapcache: 0,
    lru: Array.from({ length: NR_LRU_LISTS }, () => []), lruPages: new Float64Array(k.zones.length * NR_LRU_LISTS),
    mlockPages: new Float64Array(k.zones.length),
  };
}

function buildFolio(
  b: Bulk, c: Kind, head: number, index: number, order: number, flags: Uint32Array, count: Uint32Array,
  vmas: readonly Vma[], anonVma: AnonVma, space: AddressSpace | undefined, start: number,
): void {
  const { k } = b;
  const m = k.mem;
  const fa = m.flags.a, ra = m.refcount.a, mca = m.mapcount.a;
  const lo = flags[2 * head]!;
  const hi = flags[2 * head + 1]!;
  const n = 1 << order;
  let f = pgFlagsOf(lo, hi, c);
  // mlock_folio(): an mlocked folio is on the unevictable LRU (a dump may catch one still in a
  // per-CPU mlock batch; the drain would have moved it).
  if (f & (1 << PGB.mlocked)) {
    f = (f | (1 << PGB.unevictable)) & ~(1 << PGB.active);
    b.mlockPages[pageZone(k, head)]! += n;
  }
  if (order) {
    prep_compound_page(k, head, order);
    if (lo & LO.THP) fa[head + 1] = fa[head + 1]! | (1 << PGB.workingset); // folio_set_large_rmappable()
  }
  let refs = 0;
  if (space) {
    // filemap_add_folio(): nr references, mapping, index, i_pages.
    refs += n;
    m.mapping.a[head] = fileMapping(space.id);
    m.index.a[head] = index;
    space.pages.a.fill(head, index, index + n);
    b.filePages += n;
    if (c === C.SHMEM) b.shmem += n;
    if (c === C.FILE && lo & LO.DIRTY) {
      f |= 1 << PGB.dirty; // folio_mark_dirty(): a file folio counts in NR_FILE_DIRTY
      b.fileDirty += n;
    }
    if (c === C.FILE && hi & HI.PRIVATE) {
      f |= 1 << PGB.private; // folio_attach_private(): buffer heads hold one more reference
      m.private_.a[head] = 1;
      refs++;
    }
  } else {
    m.mapping.a[head] = anonMapping(anonVma.id); // __folio_set_anon()
    m.index.a[head] = start + index; // linear_page_index()
  }
  fa[head] = fa[head]! | f;
  // PTEs: the level-L VMA maps page j when its mapcount is at least L.
  let anyMapped = false;
  for (let j = 0; j < n && !anyMapped; j++) anyMapped = count[2 * (head + j)]! > 0;
  // folio_alloc_swap() → swap_cache_add_folio(): slots, one reference per page, PG_swapcache,
  // folio->swap. KPF_SWAPCACHE is set only on a swap-backed folio (stable_page_flags()).
  const swapcache = c === C.ANON && (lo & LO.SWAPCACHE) !== 0 && (f & (1 << PGB.swapbacked)) !== 0;
  if (swapcache) {
    const entry = swap_alloc(k, n);
    for (let j = 0; j < n; j++) put(k.st, k.swap.table, entry + j, head);
    fa[head] = fa[head]! | (1 << PGB.owner_priv_1);
    m.private_.a[head] = entry;
    refs += n;
    b.swapcache += n;
    anyMapped = true; // an unmapped one is not mapped once here: the cache holds it
  }
  let mapped = 0;
  let maxMc = 0;
  for (let j = 0; j < n; j++) {
    const p = head + j;
    let mc = Math.min(count[2 * p]!, MAX_MAP_LEVELS);
    if (c === C.ANON && !anyMapped) mc = 1;
    if (mc === 0) continue;
    maxMc = Math.max(maxMc, mc);
    mca[p] = mc - 1;
    mapped++;
    refs += mc; // one reference per PTE
    const exclusive = c === C.ANON && mc === 1 && (hi & HI.OWNER_2) !== 0;
    if (exclusive) fa[p] = fa[p]! | (1 << PGB.owner_2); // PG_anon_exclusive, per page
    const bits = c === C.ANON
      ? (exclusive ? PTE_WRITE | PTE_DIRTY | PTE_EXCLUSIVE : 0) | PTE_YOUNG // shared anon pages are COW: read-only
      : c === C.FILE ? PTE_YOUNG : PTE_WRITE | PTE_YOUNG | (lo & LO.DIRTY ? PTE_DIRTY : 0);
    const pte = ((p + 1) << 4) | bits; // mkPte()
    for (let lv = 1; lv <= mc; lv++) vmas[lv]!.pte.a[index + j] = pte;
  }
  ra[head] = refs;
  if (c === C.ANON) b.anonMapped += mapped;
  else b.fileMapped += mapped;
  // folio_add_lru(): every user folio goes on the list its flags select (folio_lru_list()),
  // also one that sat in a per-CPU lru_add batch at dump time.
  fa[head] = fa[head]! | (1 << PGB.lru);
  const ff = fa[head]!;
  const lru = ff & (1 << PGB.unevictable) ? LRUS.UNEVICTABLE
    : (ff & (1 << PGB.swapbacked) ? LRUS.INACTIVE_ANON : LRUS.INACTIVE_FILE) + (ff & (1 << PGB.active) ? 1 : 0);
  // The unevictable LRU is a count, not a list; page->lru holds mlock_count: one per VM_LOCKED
  // VMA mapping the whole folio (every mapper of an mlocked folio here), 0 for ramfs.
  if (lru === LRUS.UNEVICTABLE) k.mem.lruPrev.a[head] = ff & (1 << PGB.mlocked) && vmas[1]?.locked ? maxMc : 0;
  else b.lru[lru]!.push(head);
  b.lruPages[pageZone(k, head) * NR_LRU_LISTS + lru]! += n;
}

/** The bulk load's end: counters, and each LRU list linked through page->lru in one pass. */
function finishBulk(b: Bulk): void {
  const { k } = b;
  mod_node_page_state(k, NS.NR_ANON_MAPPED, b.anonMapped);
  mod_node_page_state(k, NS.NR_FILE_MAPPED, b.fileMapped);
  mod_node_page_state(k, NS.NR_FILE_PAGES, b.filePages + b.swapcache);
  mod_node_page_state(k, NS.NR_SWAPCACHE, b.swapcache);
  mod_node_page_state(k, NS.NR_SHMEM, b.shmem);
  mod_node_page_state(k, NS.NR_FILE_DIRTY, b.fileDirty);
  for (let z = 0; z < k.zones.length; z++) {
    mod_zone_page_state(k, z, ZS.NR_MLOCK, b.mlockPages[z]!);
    for (let l = 0; l < NR_LRU_LISTS; l++) mod_zone_page_state(k, z, ZS.NR_ZONE_INACTIVE_ANON + l, b.lruPages[z * NR_LRU_LISTS + l]!);
  }
  const prev = k.mem.lruPrev.a, next = k.mem.lruNext.a, heads = k.lru.heads.a;
  b.lru.forEach((list, l) => {
    if (list.length === 0) return;
    if (heads[2 * l] !== NO_LINK) throw new Error('the LRU lists are built once, from empty');
    for (let i = 0; i < list.length; i++) {
      prev[list[i]!] = i > 0 ? list[i - 1]! : NO_LINK;
      next[list[i]!] = i + 1 < list.length ? list[i + 1]! : NO_LINK;
    }
    put(k.st, k.lru.heads, 2 * l, list[0]!);
    put(k.st, k.lru.heads, 2 * l + 1, list[list.length - 1]!);
  });
}

function buildHugetlb(
  k: Kernel, head: number, index: number, mapcount: number, flags: Uint32Array, vmas: readonly Vma[],
  anonVma: AnonVma | null, start: number, stats: UserStats,
): void {
  const lo = flags[2 * head]!;
  const hi = flags[2 * head + 1]!;
  prep_compound_page(k, head, HUGETLB_ORDER);
  setPageType(k, head, PGTY.hugetlb); // __folio_set_hugetlb()
  setPageFlags(k, head, k.mem.flags.a[head]! | pgFlagsOf(lo, hi, C.HUGETLB));
  const counters = k.hugetlb.counters;
  put(k.st, counters, HS.NR_HUGE_PAGES, counters.a[HS.NR_HUGE_PAGES]! + 1);
  if (mapcount === 0 || !anonVma) {
    // Unmapped: a free pool folio, frozen on hugepage_freelists (an unmapped hugetlbfs page reads the same).
    setPageRefcount(k, head, 0);
    setPagePrivate(k, head, 1 << HPG.freed);
    listAdd(k, k.hugetlb.lists, HLIST.FREE, head);
    put(k.st, counters, HS.FREE_HUGE_PAGES, counters.a[HS.FREE_HUGE_PAGES]! + 1);
    stats.hugetlbFree++;
    return;
  }
  // Mapped whole by `mapcount` huge entries of MAP_HUGETLB areas (hugetlb-fault.ts's model).
  setPageRefcount(k, head, mapcount);
  setPagePrivate(k, head, 1 << HPG.migratable);
  setPageMapping(k, head, anonMapping(anonVma.id));
  setPageIndex(k, head, start + index);
  if (mapcount === 1) setPageFlags(k, head, k.mem.flags.a[head]! | (1 << PG.owner_2)); // PG_anon_exclusive on the head
  put(k.st, k.hugetlb.entireMapcount, head >> HUGETLB_ORDER, mapcount - 1);
  const bits = PTE_YOUNG | (mapcount === 1 ? PTE_WRITE | PTE_DIRTY | PTE_EXCLUSIVE : 0);
  for (let lv = 1; lv <= mapcount; lv++) put(k.st, vmas[lv]!.pte, index, mkPte(head, bits));
  listAdd(k, k.hugetlb.lists, HLIST.ACTIVE, head);
  stats.hugetlbMapped++;
}
