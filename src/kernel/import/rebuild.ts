// importDump(): a real machine's /proc/kpageflags + /proc/kpagecount (and, when given, its
// buddyinfo, pagetypeinfo and zoneinfo) rebuilt into an ordinary Kernel, so that compaction,
// migration and every other path run on it and checkInvariants() holds. The order matters:
//   1. read and check the dumps and texts (one-line ImportError for anything unusable);
//   2. zones and holes (layout.ts), then one pass deciding every PFN's class (scan.ts);
//   3. free blocks from the BUDDY runs (freeblocks.ts) and pageblock types (pageblocks.ts);
//   4. the kernel: kernel pages here, user memory and its mappers (user.ts), and last the free
//      blocks through the buddy's own free path, __free_one_page() (FPI_TO_TAIL, as boot frees
//      memory), so the free lists, nr_free and NR_FREE_PAGES are the allocator's own doing;
//   5. the report: free blocks per order against the given buddyinfo, and what was guessed.
// Like populate(), this is step 0: nothing is journaled, and the state hash is computed at the end.

import { PG, PGTY } from '../flags';
import { createKernel, type Kernel } from '../kernel';
import { setPageRefcount, setPageType } from '../memmap';
import { __free_one_page, FPI_TO_TAIL, prep_compound_page } from '../buddy';
import { balloon_page_insert } from '../balloon';
import { mod_node_page_state, NS } from '../vmstat';
import { rehash } from '../store';
import { get_pfnblock_migratetype, MIGRATE_TYPES, MT, NR_PAGE_ORDERS, PAGEBLOCK_ORDER, set_pageblock_migratetype } from '../zone';
import { countRawClasses, HI, LO, readDumps } from './dump';
import { importLayout } from './layout';
import { parseBuddyinfo, parsePagetypeinfo, parseZoneinfo, type PagetypeZone } from './proctext';
import { C, scanPages, type Scan } from './scan';
import { freeBlocksOf } from './freeblocks';
import { blocksByType, choosePageblockTypes, UNMOVABLE_THRESHOLD, type GivenPagetypes } from './pageblocks';
import { buildUserMemory, MAX_MAP_LEVELS } from './user';
import { choosePcpPages, PCP_TIERS } from './pcpfree';
import { pcp_import_high, pcp_import_page } from '../pcp';
import { NR_CPUS } from '../pcp-state';
import type { DumpFiles, ImportProgress, ImportReport, ImportResult, ZoneFreeReport } from './types';

/** Progress is reported about this often (in PFNs of work). */
const PROGRESS_EVERY = 1 << 16;

/** KPF bits that are plain PG flags on a kernel or reserved page, as [low-half mask, high-half mask, PG bit]. */
const KERNEL_FLAGS: readonly (readonly [number, number, number])[] = [
  [LO.REFERENCED, 0, PG.referenced], [LO.UPTODATE, 0, PG.uptodate], [LO.DIRTY, 0, PG.dirty], [LO.IDLE, 0, PG.idle],
  [0, HI.RESERVED, PG.reserved], [0, HI.OWNER_2, PG.owner_2], [0, HI.OWNER_PRIVATE, PG.owner_priv_1],
  [0, HI.PRIVATE, PG.private], [0, HI.PRIVATE_2, PG.private_2], [0, HI.ARCH, PG.arch_1], [0, HI.ARCH_2, PG.arch_2],
];

function kernelPgFlags(lo: number, hi: number): number {
  let f = 0;
  for (const [l, h, pg] of KERNEL_FLAGS) if (lo & l || hi & h) f |= 1 << pg;
  return f;
}

// Kernel pages: reserved, slab, page tables, balloon pages and other allocations. Each holds one
// reference (its allocation's, or the balloon's), which is what the invariants expect of them.
// Reserved and plain kernel pages, millions of them, are written straight into the memmap's
// columns: a bulk load before journaling and hashing, when put() would do the same writes.
function buildKernelPages(k: Kernel, flags: Uint32Array, scan: Scan, tick: (done: number) => void): void {
  if (k.st.j.on || k.st.hashing) throw new Error('imported pages are loaded before journaling and hashing');
  const { cls, ord } = scan;
  const fa = k.mem.flags.a, ra = k.mem.refcount.a;
  const { RESERVED, KERNEL } = C;
  let slab = 0, pgtable = 0, balloon = 0;
  for (let p = 0; p < cls.length;) {
    if ((p & (PROGRESS_EVERY - 1)) === 0) tick(p);
    const c = cls[p]!;
    const o = ord[p]!;
    const n = 1 << o;
    if (c === RESERVED || c === KERNEL) {
      const lo = flags[2 * p]!, hi = flags[2 * p + 1]!;
      fa[p] = lo === 0 && hi === 0 ? 0 : kernelPgFlags(lo, hi);
      ra[p] = 1; // the allocation's reference (memblock's, for a reserved page)
      if (o) prep_compound_page(k, p, o);
      p += n;
      continue;
    }
    switch (c) {
      case C.SLAB:
        setPageRefcount(k, p, 1);
        if (n > 1) prep_compound_page(k, p, ord[p]!);
        setPageType(k, p, PGTY.slab); // __folio_set_slab(): a folio-level type on the head
        slab += n;
        break;
      case C.PGTABLE:
        setPageRefcount(k, p, 1);
        setPageType(k, p, PGTY.table);
        pgtable++;
        break;
      case C.BALLOON:
        // The virtio balloon's page as 6.18 keeps it: PageOffline + PG_movable_ops, private = the
        // balloon_dev_info, on its pages list, one reference (the balloon's): compaction moves it.
        setPageRefcount(k, p, 1);
        balloon_page_insert(k, p);
        balloon++;
        break;
      default:
        break; // holes; free pages (last); user memory (user.ts)
    }
    p += n;
  }
  mod_node_page_state(k, NS.NR_SLAB, slab);
  mod_node_page_state(k, NS.NR_PAGETABLE, pgtable);
  mod_node_page_state(k, NS.NR_BALLOON_PAGES, balloon);
}

/** pagetypeinfo of each model zone, nodes summed; CMA and isolated blocks count as Movable (see ambiguities). */
function givenPagetypes(zones: readonly { name: string }[], pti: readonly PagetypeZone[]): (GivenPagetypes | null)[] {
  return zones.map((z) => {
    const rows = pti.filter((r) => r.zone === z.name);
    if (rows.length === 0) return null;
    const blocks = new Array<number>(MIGRATE_TYPES).fill(0);
    const free = Array.from({ length: MIGRATE_TYPES }, () => new Array<number>(NR_PAGE_ORDERS).fill(0));
    for (const r of rows) {
      for (let t = 0; t < MIGRATE_TYPES; t++) {
        const to = t === MT.ISOLATE ? MT.MOVABLE : t; // the isolating task is not in the dump to finish or undo it
        blocks[to]! += r.blocks[t]!;
        for (let o = 0; o < NR_PAGE_ORDERS; o++) free[to]![o]! += r.free[t]![o]!;
      }
      blocks[MT.MOVABLE]! += r.cmaBlocks;
    }
    return { blocks, free };
  });
}

const sum = (a: readonly number[]): number => a.reduce((s, x) => s + x, 0);
const pagesOf = (a: readonly number[]): number => a.reduce((s, x, o) => s + x * (1 << o), 0);

/** Rebuild a Kernel from a machine's dumps. Throws ImportError (one line) on unusable input. */
export function importDump(files: DumpFiles, onProgress?: ImportProgress): ImportResult {
  const name = files.name ?? 'dump';
  const { nrPfns, flags, count } = readDumps(files);
  const zi = files.zoneinfo !== undefined ? parseZoneinfo(files.zoneinfo) : null;
  const bi = files.buddyinfo !== undefined ? parseBuddyinfo(files.buddyinfo) : null;
  const pti = files.pagetypeinfo !== undefined ? parsePagetypeinfo(files.pagetypeinfo) : null;
  // Progress: the phases below in proportion to their share of the work (rough, measured).
  const total = nrPfns;
  let last = -1;
  const progress = (frac: number): void => {
    const done = Math.min(total, Math.floor(total * frac));
    if (onProgress && done !== last) onProgress((last = done), total);
  };
  progress(0.05);
  const rawClasses = countRawClasses(flags, nrPfns);
  const lay = importLayout(flags, count, nrPfns, zi);
  const zones = lay.layout.zones;
  const scan = scanPages(flags, count, lay.hole, nrPfns);
  const free = freeBlocksOf(scan.cls, zones);
  progress(0.2);
  const nrBlocks = lay.layout.nrPfns >> PAGEBLOCK_ORDER;
  const given = pti ? givenPagetypes(zones, pti) : null;
  const pb = choosePageblockTypes(nrBlocks, zones, lay.hole, scan.cls, free, given);
  progress(0.25);

  const k = createKernel(lay.layout);
  for (let b = 0; b < nrBlocks; b++) if (pb.mt[b] !== MT.MOVABLE) set_pageblock_migratetype(k, b << PAGEBLOCK_ORDER, pb.mt[b]!);
  buildKernelPages(k, flags, scan, (p) => progress(0.25 + (0.25 * p) / lay.layout.nrPfns));
  progress(0.5);
  const user = buildUserMemory(k, flags, count, scan, (f) => progress(0.5 + 0.35 * f));
  progress(0.85);
  // memblock_free_all()'s way: free ranges go to the buddy allocator at boot (FPI_TO_TAIL).
  // Each block goes to __free_one_page() whole, on its pageblock's list (an order-10 block's two
  // pageblocks have one type); its pages already have refcount 0 and no flags.
  for (let i = 0; i < free.n; i++) {
    if ((i & (PROGRESS_EVERY - 1)) === 0) progress(0.85 + (0.13 * i) / free.n);
    const pfn = free.pfn[i]!;
    __free_one_page(k, pfn, free.zone[i]!, free.order[i]!, get_pfnblock_migratetype(k, pfn), FPI_TO_TAIL);
  }
  // Last, the flags-0 pages chosen as free on per-CPU lists go back on them (pcpfree.ts).
  const pcp = lay.pcpCpus ? choosePcpPages(flags, count, scan.cls, pb.mt, zones, lay.pcpCpus) : null;
  if (pcp) for (let i = 0; i < pcp.pfn.length; i++) pcp_import_page(k, pcp.zone[i]!, pcp.cpu[i]!, pcp.pfn[i]!);
  lay.pcpHigh?.forEach((highs, z) => highs.forEach((h, cpu) => { if (cpu < NR_CPUS) pcp_import_high(k, z, cpu, h); }));
  rehash(k.st);
  progress(1);

  // The report.
  const freeByOrder: ZoneFreeReport[] = zones.map((z, zi2) => {
    const rebuilt = Array.from(k.nrFree.a.subarray(zi2 * NR_PAGE_ORDERS, (zi2 + 1) * NR_PAGE_ORDERS));
    if (!bi) return { zone: z.name, rebuilt, given: null };
    const rows = bi.filter((r) => r.zone === z.name);
    const givenFree = new Array<number>(NR_PAGE_ORDERS).fill(0);
    for (const r of rows) r.free.forEach((c, o) => (givenFree[o]! += c));
    return { zone: z.name, rebuilt, given: givenFree };
  });
  for (const r of bi ?? []) {
    if (!freeByOrder.some((f) => f.zone === r.zone)) {
      const rows = bi!.filter((x) => x.zone === r.zone);
      const g = new Array<number>(NR_PAGE_ORDERS).fill(0);
      for (const x of rows) x.free.forEach((c, o) => (g[o]! += c));
      freeByOrder.push({ zone: r.zone, rebuilt: new Array<number>(NR_PAGE_ORDERS).fill(0), given: g });
    }
  }
  const pageblocks = zones.map((z, zi2) => ({
    zone: z.name,
    rebuilt: blocksByType(pb.mt, z, lay.hole),
    given: given?.[zi2]?.blocks.slice() ?? null,
  }));

  const amb: string[] = [];
  amb.push(lay.zonesFrom === 'zoneinfo'
    ? `zones from zoneinfo: ${zones.map((z) => `${z.name} ${hex(z.start)}..${hex(z.end)}`).join(', ')}`
    : `no zoneinfo: zones from the default x86-64 layout by PFN (${zones.map((z) => `${z.name} ${hex(z.start)}..${hex(z.end)}`).join(', ')})`);
  amb.push(...lay.notes);
  const n = scan.n;
  if (n.flags0) {
    if (!pcp) {
      amb.push(`${n.flags0} pages read flags 0: unflagged kernel allocations or free pages on per-CPU lists; without zoneinfo (whose pagesets count the latter) all are rebuilt as allocated kernel pages (refcount 1)`);
    } else {
      const chosen = pcp.pfn.length;
      const tiers = Array.from({ length: PCP_TIERS }, (_, t) => pcp.byTier.reduce((s2, z) => s2 + z[t]!, 0));
      amb.push(`${n.flags0} pages read flags 0: unflagged kernel allocations or free pages on per-CPU lists. zoneinfo's pagesets held ${sum(pcp.wanted)} pages ` +
        `(${zones.map((z, i) => `${z.name} ${pcp.wanted[i]}`).join(', ')}); ${chosen} flags-0 pages are rebuilt free on those lists (order 0, each CPU's count as zoneinfo has it, on its pageblock's list, where only a drain lets them merge): ` +
        `${tiers[0]} in Movable pageblocks without free memory, ${tiers[1]} in other pageblocks without free memory, ${tiers[2]} in Movable and ${tiers[3]} in other pageblocks holding free memory, ${tiers[5]} whose buddy page is free (lowest PFN first in each), ` +
        `as pcp lists are refilled from blocks whose other pages were handed out, and a flags-0 page beside free memory that compaction leaves in place is a kernel allocation; the other ${n.flags0 - chosen} are rebuilt as allocated kernel pages (refcount 1)` +
        (chosen < sum(pcp.wanted) ? `; the dump has too few flags-0 pages for the other ${sum(pcp.wanted) - chosen}` : ''));
    }
  }
  if (n.kernelCompound) amb.push(`${n.kernelCompound} pages of non-LRU compound allocations (compound pages with no slab, LRU or hugetlb flag): rebuilt as unmovable kernel compound pages`);
  if (n.otherKernel) amb.push(`${n.otherKernel} pages with flags that name no owner (not LRU, slab, page table, buddy, offline, compound): rebuilt as allocated kernel pages`);
  amb.push(pti
    ? `pageblock migratetypes chosen to match pagetypeinfo (its block counts per type, and free blocks per type and order, each free block on its pageblock's list): ${pageblocks.map((p) => `${p.zone} ${p.rebuilt.slice(0, 3).join('/')}${p.given ? ` (given ${p.given.slice(0, 3).join('/')})` : ''}`).join(', ')} Unmovable/Movable/Reclaimable`
    : `no pagetypeinfo: a pageblock holding at least ${UNMOVABLE_THRESHOLD} unmovable kernel pages (slab, page tables, unflagged or non-LRU compound allocations) is Unmovable, every other Movable (no block is Reclaimable: reclaimable slab reads like any slab): ${pageblocks.map((p) => `${p.zone} ${p.rebuilt[MT.UNMOVABLE]} Unmovable of ${sum(p.rebuilt)}`).join(', ')}`);
  amb.push(...pb.notes);
  if (pti?.some((r) => r.cmaBlocks > 0)) amb.push('CMA pageblocks (CONFIG_CMA) are rebuilt as Movable: the model has no CMA migratetype');
  if (pti?.some((r) => r.blocks[MT.ISOLATE]! > 0)) amb.push('isolated pageblocks (an isolation in progress at dump time) are rebuilt as Movable, not isolated');
  const nBalloon = rawClasses['offline(balloon)'];
  if (nBalloon) {
    amb.push(`${nBalloon} PageOffline pages rebuilt as virtio balloon pages in 6.18's design (PageOffline + PG_movable_ops, on balloon_dev_info's list, one reference), so compaction migrates them; kpageflags cannot tell them from other offline memory (virtio-mem, memory never onlined)` +
      (n.balloon61 ? `; ${n.balloon61} read OFFLINE without UPTODATE: a 6.1/6.12 kernel (its balloon had no PG_movable_ops)` : '') +
      (n.balloonIsolated ? `; ${n.balloonIsolated} were isolated for migration at dump time and are put back on the list` : ''));
  }
  const levels = user.processes;
  amb.push(`kpagecount is the mapcount: mapped user pages are mapped by ${levels} synthetic process${levels > 1 ? 'es' : ''} (imported-1…imported-${levels}; process i maps every page mapped at least i times, as forked processes share pages) through one anon_vma and ${user.spaces.length ? user.spaces.map((s) => `${s.name} (${s.pages} pages)`).join(', ') : 'no file'}; unmapped page cache sits in those address_spaces; process 0's heap has room to fault more`);
  if (user.clampedPages) amb.push(`${user.clampedPages} pages mapped more than ${MAX_MAP_LEVELS} times get ${MAX_MAP_LEVELS} mappings`);
  if (user.anonForcedMapped) amb.push(`${user.anonForcedMapped} anonymous pages had mapcount 0 (being unmapped): rebuilt mapped once`);
  if (n.anonNoLru) amb.push(`${n.anonNoLru} anonymous pages were not on an LRU list (a per-CPU lru_add batch, or isolated at dump time): rebuilt on the LRU`);
  if (n.kernelMapped) amb.push(`${n.kernelMapped} kernel or reserved pages had a mapcount (vDSO, the zero page, driver mappings): rebuilt unmapped`);
  if (n.locked || n.writeback || n.fscache) amb.push(`${n.locked} locked, ${n.writeback} writeback and ${n.fscache} PG_private_2 (fscache write) pages at dump time: transient, rebuilt unlocked, not under writeback, without PG_private_2`);
  if (n.swapcache) {
    const other = n.swapcache - user.swapcachePages;
    amb.push(`${n.swapcache} pages were in the swap cache: ${user.swapcachePages} anonymous ones rebuilt in the swap cache of one abstract swap device (type 0, slots allocated in PFN order), each page holding the cache's reference, the unmapped ones left unmapped` +
      (other > 0 ? `; ${other} others (not anonymous: shmem's swap cache is not modelled) rebuilt without it` : ''));
  }
  if (user.mlockedPages) amb.push(`${user.mlockedPages} mlocked pages (KPF_MLOCKED): rebuilt PG_mlocked on the unevictable LRU, mapped by VM_LOCKED areas of their own in every process that maps them (mlock_count = those mappings)`);
  // 6.12's stable_page_flags() tests the mapping's low bits loosely: KPF_KSM on every anon page.
  const anonPages = rawClasses['anon'] ?? 0;
  if (n.ksm) amb.push(n.ksm >= anonPages && anonPages > 0
    ? `KPF_KSM is set on all ${n.ksm} anonymous pages: 6.12's stable_page_flags() reads it loosely (not KSM); rebuilt as plain anonymous pages`
    : `${n.ksm} KSM pages rebuilt as plain anonymous pages`);
  if (n.hwpoison) amb.push(`${n.hwpoison} hwpoisoned pages rebuilt by their other flags`);
  if (n.hugetlb) amb.push(`${n.hugetlb} hugetlb folios (2 MiB): ${user.hugetlbMapped} mapped through MAP_HUGETLB areas of the synthetic processes, ${user.hugetlbFree} unmapped ones on the pool's free list (an unmapped hugetlbfs page reads the same)`);
  if (n.gigantic) amb.push(`${n.gigantic} pages of gigantic hugetlb folios (not 2 MiB; only the 2 MiB hstate is modelled) rebuilt as unmovable kernel compound pages`);
  if (n.orphanTails || n.oddCompounds) amb.push(`${n.oddCompounds} compound runs were not one aligned power-of-two folio and ${n.orphanTails} tail pages had no head (the dump is not atomic): the loose tails are rebuilt as single pages`);
  if (free.outside) amb.push(`${free.outside} BUDDY pages lie outside every zone: rebuilt as kernel pages`);
  for (const f of freeByOrder) {
    if (!f.given) continue;
    const wrong = f.rebuilt.reduce((s, c, o) => s + Math.abs(c - f.given![o]!) * (1 << o), 0);
    if (wrong) amb.push(`zone ${f.zone}: the rebuilt free blocks differ from buddyinfo by ${wrong} pages (rebuilt ${pagesOf(f.rebuilt)} free pages, buddyinfo ${pagesOf(f.given)}): the two files were read at different moments`);
  }

  const report: ImportReport = {
    name,
    pfns: nrPfns,
    zones: zones.map((z) => ({ name: z.name, start: z.start, end: z.end })),
    zonesFrom: lay.zonesFrom,
    freeByOrder,
    rawClasses: Object.fromEntries(Object.entries(rawClasses).filter(([, v]) => v > 0)),
    ambiguities: amb,
    pageblocks,
    pagetypesFrom: pti ? 'pagetypeinfo' : 'rule',
  };
  return { k, report };
}

const hex = (n: number): string => '0x' + n.toString(16);
