// Invariants that hold after every kernel operation (design.md): checked in tests after every
// step. Each check recounts from first principles — walking free lists, LRU lists, page tables
// and the page cache — and compares with what the struct pages and counters claim.

import { isolatedFreeBlocks } from './compaction-state';
import { PG, PGTY } from './flags';
import { freeSlot, pfnValid, type Kernel } from './kernel';
import { MAX_PAGE_ORDER, MIGRATE_TYPES, NR_PAGE_ORDERS, PAGEBLOCK_ORDER, PB_OFFLINE, get_pfnblock_migratetype, is_migrate_isolate, migratetype_is_mergeable } from './zone';
import { LRU, NR_LRU_LISTS, LRU_NAMES } from './lru';
import { NR_ZS, NS, ZS, node_page_state, zone_page_state } from './vmstat';
import { hasPageOps, pageOpsOf } from './designs';
import { fileMapping, mappingId, mappingIsAnon, mappingIsFile, ptePfn, ptePresent, pteIsDevicePrivate, pteIsMigration } from './vm';
import { GUP_PIN_COUNTING_BIAS, HOLD, hasHolder } from './pins';
import { NO_LINK } from './memmap';
import { frozenWith, movableOpsOwnedWith, ownerRefWith } from './movable-owner';
import { isolatorEntries } from './isolators';
import { HLIST, HPG, HS, HUGETLB_ORDER } from './hugetlb-state';
import { deferredSplitQueue, folioOnDeferredList, folio_test_partially_mapped } from './deferred-split';
import { NR_CPUS, NR_PCP_LISTS, PCPV, PCPV_N, pcpIndex, pcpSlot } from './pcp-state';
import { PAGEVEC_SIZE } from './fbatch-state';
import { pindex_to_order } from './pcp';

export interface Violation {
  readonly rule: string;
  readonly pfn?: number;
  readonly detail: string;
}

const hex = (n: number): string => '0x' + n.toString(16);

/**
 * The per-PFN recount arrays, kept between calls: the checker runs at every step of long
 * timelines, and allocating thirteen arrays of nr PFNs each time cost more than the checks.
 * scratchFor() clears every array before a call reads it, so nothing carries over.
 */
interface Scratch {
  readonly nr: number;
  /** The block a free, pcp or compaction-held page belongs to, or -1. */
  readonly freeOwner: Int32Array;
  readonly onList: Uint8Array;
  readonly frozen: Uint8Array;
  readonly devFree: Uint8Array;
  readonly ptes: Int32Array;
  readonly cacheRefs: Int32Array;
  readonly swapRefs: Int32Array;
  readonly extra: Int32Array;
  readonly migrating: Uint8Array;
  readonly queued: Uint8Array;
  readonly where: Uint8Array;
  readonly isolated: Uint8Array;
  readonly held: Uint8Array;
}

let scratch: Scratch | null = null;

/** The recount arrays for a kernel of nr PFNs, every one cleared (freeOwner to -1, the rest to 0). */
function scratchFor(nr: number): Scratch {
  const s = scratch;
  if (!s || s.nr !== nr) {
    return (scratch = {
      nr, freeOwner: new Int32Array(nr).fill(-1), onList: new Uint8Array(nr), frozen: new Uint8Array(nr), devFree: new Uint8Array(nr),
      ptes: new Int32Array(nr), cacheRefs: new Int32Array(nr), swapRefs: new Int32Array(nr), extra: new Int32Array(nr),
      migrating: new Uint8Array(nr), queued: new Uint8Array(nr), where: new Uint8Array(nr), isolated: new Uint8Array(nr), held: new Uint8Array(nr),
    });
  }
  s.freeOwner.fill(-1);
  for (const a of [s.onList, s.frozen, s.devFree, s.ptes, s.cacheRefs, s.swapRefs, s.extra, s.migrating, s.queued, s.where, s.isolated, s.held]) a.fill(0);
  return s;
}

/** All invariant violations in the current state (empty = consistent). Stops after `max`. */
export function checkInvariants(k: Kernel, max = 20): Violation[] {
  const out: Violation[] = [];
  const bad = (rule: string, detail: string, pfn?: number): void => {
    if (out.length < max) out.push({ rule, detail, pfn });
  };
  const { flags, pageType, refcount, mapcount, lruNext, order, private_, mapping, index } = k.mem;
  const nr = k.mem.nr;
  const sc = scratchFor(nr);
  // Flag bits, page types and the helpers' one-line rules as locals: the loops below run once per
  // PFN, and under Vite's module runner (the isolated test project) each imported name read there
  // is a call.
  const B_ACTIVE = 1 << PG.active, B_HEAD = 1 << PG.head, B_LOCKED = 1 << PG.locked, B_LRU = 1 << PG.lru, B_MLOCKED = 1 << PG.mlocked;
  const B_OWNER_PRIV_1 = 1 << PG.owner_priv_1, B_PRIVATE = 1 << PG.private, B_RECLAIM = 1 << PG.reclaim;
  const B_SWAPBACKED = 1 << PG.swapbacked, B_UNEVICTABLE = 1 << PG.unevictable, B_UPTODATE = 1 << PG.uptodate;
  const T_BUDDY = PGTY.buddy, T_HUGETLB = PGTY.hugetlb, T_NONE = PGTY.none, T_OFFLINE = PGTY.offline, T_SLAB = PGTY.slab, T_TABLE = PGTY.table;
  const PB_ORDER = PAGEBLOCK_ORDER, PB_OFF = PB_OFFLINE;
  // pageZone(): the zone of a PFN by its pageblock; isZoneDevice(): that zone is 'Device'.
  const blockZone = k.blockZone;
  const devZone = new Uint8Array(256);
  k.zones.forEach((z, i) => void (z.name === 'Device' && (devZone[i] = 1)));
  // pfnValid(), whose hole walk is needed only when the layout has holes.
  const nrPfns = k.layout.nrPfns;
  const noHoles = k.layout.holes.length === 0;

  // 1. Free blocks: walk every free list; each block marks its pages as free exactly once.
  const freeOwner = sc.freeOwner;
  const nrFree = new Int32Array(k.zones.length * NR_PAGE_ORDERS);
  const freePages = new Float64Array(k.zones.length);
  const freeBlocksPages = new Float64Array(k.zones.length);
  const onList = sc.onList; // how many lists a PFN's lru links are on
  for (const z of k.zones) {
    for (let o = 0; o < NR_PAGE_ORDERS; o++) {
      for (let mt = 0; mt < MIGRATE_TYPES; mt++) {
        let prev = NO_LINK;
        let listLen = 0;
        for (let p = k.freeLists.heads.a[2 * freeSlot(z.idx, o, mt)]!; p !== NO_LINK; p = lruNext.a[p]!) {
          listLen++;
          if (k.mem.lruPrev.a[p] !== prev) bad('free list links', `lru.prev of ${hex(p)} is ${hex(k.mem.lruPrev.a[p]!)}, expected ${hex(prev)}`, p);
          prev = p;
          if (onList[p]) { bad('one list', `${hex(p)} is on more than one list`, p); break; }
          onList[p] = 1;
          if (pageType.a[p] !== T_BUDDY || private_.a[p] !== o) bad('buddy head', `${hex(p)} on the order-${o} list is not PageBuddy of order ${o}`, p);
          if (p & ((1 << o) - 1)) bad('alignment', `order-${o} block at ${hex(p)} is not naturally aligned`, p);
          if (blockZone[p >> PB_ORDER]! !== z.idx || p + (1 << o) > z.end) bad('zone', `block ${hex(p)} order ${o} is not inside zone ${z.name}`, p);
          const pbMt = get_pfnblock_migratetype(k, p);
          if (pbMt !== mt) bad('free list type', `block ${hex(p)} is on the ${mt} list but its pageblock is type ${pbMt}`, p);
          if (refcount.a[p] !== 0) bad('refcount', `free block ${hex(p)} has refcount ${refcount.a[p]}`, p);
          for (let i = p; i < p + (1 << o); i++) {
            if (freeOwner[i] !== -1) bad('exactly one state', `${hex(i)} is in two free blocks`, i);
            freeOwner[i] = p;
          }
          nrFree[z.idx * NR_PAGE_ORDERS + o]!++;
          if (!is_migrate_isolate(mt)) {
            freePages[z.idx] = freePages[z.idx]! + (1 << o);
            if (o >= PAGEBLOCK_ORDER) freeBlocksPages[z.idx] = freeBlocksPages[z.idx]! + (1 << o);
          }
        }
        if (k.freeLists.heads.a[2 * freeSlot(z.idx, o, mt) + 1] !== prev) bad('free list tail', `tail of ${z.name} order ${o} type ${mt} is wrong`);
        if (k.freeLists.counts && k.freeLists.counts.a[freeSlot(z.idx, o, mt)] !== listLen) bad('free list count', `${z.name} order ${o} type ${mt} counts ${k.freeLists.counts.a[freeSlot(z.idx, o, mt)]} blocks, its list has ${listLen}`);
      }
    }
  }
  // 1b. Blocks compaction's free scanner holds (off the free lists, refcount 0, no type).
  for (const { pfn: p, order: o } of isolatedFreeBlocks(k)) {
    if (pageType.a[p] !== T_NONE || refcount.a[p] !== 0) bad('compaction free page', `${hex(p)} held by compaction is not a plain page with refcount 0`, p);
    if (p & ((1 << o) - 1)) bad('alignment', `compaction's order-${o} block at ${hex(p)} is not naturally aligned`, p);
    for (let i = p; i < p + (1 << o) && i < nr; i++) {
      if (freeOwner[i] !== -1) bad('exactly one state', `${hex(i)} is free and held by compaction`, i);
      freeOwner[i] = p;
    }
  }
  // 1c. Per-CPU lists: each block a plain page with refcount 0, in its zone, marked with its list;
  //     pcp->count equals the pages on the CPU's lists; no page is marked for a list it is not on.
  let marked = 0;
  const pcpWhere = k.pcp.where.a;
  for (let p = 0; p < nr; p++) if (pcpWhere[p]) marked++;
  let onPcp = 0;
  for (const z of k.zones) {
    for (let cpu = 0; cpu < NR_CPUS; cpu++) {
      let pages = 0;
      for (let pi = 0; pi < NR_PCP_LISTS; pi++) {
        const o = pindex_to_order(pi);
        const slot = pcpSlot(z.idx, cpu, pi);
        let prev = NO_LINK;
        for (let p = k.pcp.lists.heads.a[2 * slot]!; p !== NO_LINK; p = lruNext.a[p]!) {
          if (k.mem.lruPrev.a[p] !== prev) { bad('pcp list links', `lru.prev of ${hex(p)} on a pcp list is ${hex(k.mem.lruPrev.a[p]!)}, expected ${hex(prev)}`, p); break; }
          prev = p;
          if (onList[p]) { bad('one list', `${hex(p)} is on more than one list`, p); break; }
          onList[p] = 1;
          if (pageType.a[p] !== T_NONE || refcount.a[p] !== 0 || flags.a[p] !== 0) bad('pcp page', `${hex(p)} on cpu ${cpu}'s pcp list is not a plain page with refcount 0 and no flags`, p);
          if (p & ((1 << o) - 1)) bad('alignment', `order-${o} pcp block at ${hex(p)} is not naturally aligned`, p);
          if (blockZone[p >> PB_ORDER]! !== z.idx) bad('zone', `pcp block ${hex(p)} is not in zone ${z.name}`, p);
          for (let i = p; i < p + (1 << o) && i < nr; i++) {
            if (freeOwner[i] !== -1) bad('exactly one state', `${hex(i)} is on a pcp list and free or held elsewhere`, i);
            if (k.pcp.where.a[i] !== slot + 1) bad('pcp list', `${hex(i)} is on pcp list ${slot} but marked ${k.pcp.where.a[i]! - 1}`, i);
            freeOwner[i] = p;
            onPcp++;
          }
          pages += 1 << o;
        }
        if (k.pcp.lists.heads.a[2 * slot + 1] !== prev) bad('pcp list tail', `tail of cpu ${cpu}'s ${z.name} pcp list ${pi} is wrong`);
      }
      const count = k.pcp.v.a[pcpIndex(z.idx, cpu) * PCPV_N + PCPV.COUNT]!;
      if (count !== pages) bad('pcp count', `${z.name} cpu ${cpu}: pcp->count ${count}, its lists hold ${pages} pages`);
    }
  }
  if (marked !== onPcp) bad('pcp list', `${marked} pages are marked as on a pcp list, the lists hold ${onPcp}`);

  for (let i = 0; i < nrFree.length; i++) {
    if (nrFree[i] !== k.nrFree.a[i]) bad('nr_free', `zone ${k.zones[Math.floor(i / NR_PAGE_ORDERS)]!.name} order ${i % NR_PAGE_ORDERS}: nr_free ${k.nrFree.a[i]} but ${nrFree[i]} blocks on the lists`);
  }
  for (const z of k.zones) {
    if (zone_page_state(k, z.idx, ZS.NR_FREE_PAGES) !== freePages[z.idx]) bad('NR_FREE_PAGES', `${z.name}: counter ${zone_page_state(k, z.idx, ZS.NR_FREE_PAGES)}, recount ${freePages[z.idx]}`);
    if (zone_page_state(k, z.idx, ZS.NR_FREE_PAGES_BLOCKS) !== freeBlocksPages[z.idx]) bad('NR_FREE_PAGES_BLOCKS', `${z.name}: counter ${zone_page_state(k, z.idx, ZS.NR_FREE_PAGES_BLOCKS)}, recount ${freeBlocksPages[z.idx]}`);
  }
  // No two free buddies of one order may stay unmerged (unless types forbid it).
  for (let p = 0; p < nr; p++) {
    if (freeOwner[p] !== p || pageType.a[p] !== T_BUDDY) continue; // pcp blocks merge only when drained
    const o = private_.a[p]!;
    if (o >= MAX_PAGE_ORDER) continue;
    const b = p ^ (1 << o);
    if (b < nr && freeOwner[b] === b && pageType.a[b] === T_BUDDY && private_.a[b] === o && blockZone[b >> PB_ORDER]! === blockZone[p >> PB_ORDER]!) {
      const mtP = get_pfnblock_migratetype(k, p), mtB = get_pfnblock_migratetype(k, b);
      // Two isolated pageblocks may hold order-9 buddies apart: __move_freepages_block_isolate()
      // moves a pageblock-sized free block between lists without merging (unisolation merges).
      const ok = o >= PAGEBLOCK_ORDER && (mtP !== mtB ? !migratetype_is_mergeable(mtP) || !migratetype_is_mergeable(mtB) : is_migrate_isolate(mtP));
      if (!ok) bad('unmerged buddies', `free buddies ${hex(p)} and ${hex(b)} of order ${o} were not merged`, p);
    }
  }

  // 2. LRU lists: every member is a head with PG_lru on the list its flags select.
  const lruCount = new Float64Array(k.zones.length * NR_LRU_LISTS);
  for (let l = 0; l < NR_LRU_LISTS; l++) {
    for (let p = k.lru.heads.a[2 * l]!; p !== NO_LINK; p = lruNext.a[p]!) {
      if (onList[p]) { bad('one list', `${hex(p)} is on more than one list`, p); break; }
      onList[p] = 1;
      if (!(flags.a[p]! & B_LRU)) bad('PG_lru', `${hex(p)} is on ${LRU_NAMES[l]} without PG_lru`, p);
      // folio_lru_list(), from the raw flags: the checker's reads are not the kernel's footprint.
      const f = flags.a[p]!;
      const sel = f & B_UNEVICTABLE ? LRU.UNEVICTABLE : (f & B_SWAPBACKED ? LRU.INACTIVE_ANON : LRU.INACTIVE_FILE) + (f & B_ACTIVE ? 1 : 0);
      if (sel !== l) bad('LRU list', `${hex(p)} is on ${LRU_NAMES[l]} but its flags select ${LRU_NAMES[sel]}`, p);
      if (freeOwner[p] !== -1) bad('exactly one state', `${hex(p)} is on an LRU list and free`, p);
      const li = blockZone[p >> PB_ORDER]! * NR_LRU_LISTS + l;
      lruCount[li] = lruCount[li]! + (1 << order.a[p]!);
    }
  }
  // 2a. The unevictable LRU is a count (lruvec_add_folio() links nothing): PG_lru heads with
  //     PG_unevictable, page->lru holding mlock_count. And NR_MLOCK counts the PG_mlocked folios.
  const mlocked = new Float64Array(k.zones.length);
  for (let p = 0; p < nr; p++) {
    const f = flags.a[p]!;
    if (f & B_MLOCKED) mlocked[blockZone[p >> PB_ORDER]!]! += 1 << order.a[p]!;
    if (!(f & B_LRU) || !(f & B_UNEVICTABLE)) continue;
    if (onList[p]) bad('LRU list', `${hex(p)} is unevictable but linked on a list`, p);
    if (k.mem.lruPrev.a[p]! < 0) bad('mlock_count', `${hex(p)} on the unevictable LRU has mlock_count ${k.mem.lruPrev.a[p]}`, p);
    const li = blockZone[p >> PB_ORDER]! * NR_LRU_LISTS + LRU.UNEVICTABLE;
    lruCount[li] = lruCount[li]! + (1 << order.a[p]!);
  }
  for (const z of k.zones) {
    if (zone_page_state(k, z.idx, ZS.NR_MLOCK) !== mlocked[z.idx]) bad('NR_MLOCK', `${z.name}: counter ${zone_page_state(k, z.idx, ZS.NR_MLOCK)}, PG_mlocked pages ${mlocked[z.idx]}`);
  }
  // 2b. The per-CPU lru_add batches: each entry a small folio off the LRU (no PG_lru, on no
  //     list) that holds the batch's reference, and no batch reference without an entry.
  let batchRefs = 0;
  for (let i = 0; i < k.pins.n.a[0]!; i++) if (k.pins.kind.a[i] === HOLD.LRU_BATCH) batchRefs++;
  let batched = 0;
  for (let cpu = 0; cpu < NR_CPUS; cpu++) {
    const n = k.fbatch.nr.a[cpu]!;
    if (n < 0 || n >= PAGEVEC_SIZE) bad('lru_add batch', `CPU ${cpu}'s lru_add batch holds ${n} folios (a full batch of ${PAGEVEC_SIZE} moves at once)`);
    for (let i = 0; i < n; i++) {
      const p = k.fbatch.folios.a[cpu * PAGEVEC_SIZE + i]!;
      batched++;
      if (p < 0 || p >= nr) { bad('lru_add batch', `CPU ${cpu}'s lru_add batch slot ${i} holds ${p}`); continue; }
      if (flags.a[p]! & (B_LRU | B_HEAD)) bad('lru_add batch', `${hex(p)} waits in CPU ${cpu}'s lru_add batch but has PG_lru or is large`, p);
      if (onList[p]) bad('lru_add batch', `${hex(p)} waits in CPU ${cpu}'s lru_add batch but is on an LRU list`, p);
      if (!hasHolder(k.pins, p, HOLD.LRU_BATCH)) bad('lru_add batch', `${hex(p)} waits in CPU ${cpu}'s lru_add batch without the batch's reference`, p);
    }
  }
  if (batched !== batchRefs) bad('lru_add batch', `${batched} folios wait in lru_add batches, ${batchRefs} batch references are held`);
  for (const z of k.zones) {
    for (let l = 0; l < NR_LRU_LISTS; l++) {
      const c = k.zstat.a[z.idx * NR_ZS + ZS.NR_ZONE_INACTIVE_ANON + l]!;
      if (c !== lruCount[z.idx * NR_LRU_LISTS + l]) bad('LRU size', `${z.name} ${LRU_NAMES[l]}: counter ${c}, recount ${lruCount[z.idx * NR_LRU_LISTS + l]}`);
    }
  }

  // 2b. The balloon: every listed page is PageOffline with PG_movable_ops, private = the device,
  //     not isolated; listed + isolated = NR_BALLOON_PAGES.
  let listed = 0;
  for (let p = k.balloon.list.heads.a[0]!; p !== NO_LINK; p = lruNext.a[p]!) {
    if (onList[p]) { bad('one list', `${hex(p)} is on the balloon list and another list`, p); break; }
    onList[p] = 1;
    listed++;
    if (pageType.a[p] !== T_OFFLINE || !(flags.a[p]! & B_UPTODATE || hasPageOps(k, p)) || private_.a[p] !== 1) bad('balloon page', `${hex(p)} on the balloon list is not a PageOffline movable_ops page of the balloon`, p);
    if (flags.a[p]! & B_RECLAIM) bad('balloon page', `${hex(p)} is on the balloon list but PG_movable_ops_isolated`, p);
  }
  // The no-refcount variant's PFN array: frozen PageOffline pages.
  const frozen = sc.frozen;
  const nArr = k.balloon.nr.a[0]!;
  for (let i = 0; i < nArr; i++) {
    const p = k.balloon.pfns.a[i]!;
    frozen[p] = 1;
    if (pageType.a[p] !== T_OFFLINE || refcount.a[p] !== 0) bad('balloon page', `${hex(p)} in the balloon's PFN array is not a frozen PageOffline page`, p);
  }
  // Past nr: the frozen pages fill_balloon() allocated and has not made balloon pages yet.
  for (let i = nArr; i < k.balloon.pfns.a.length && k.balloon.pfns.a[i] !== -1; i++) {
    const p = k.balloon.pfns.a[i]!;
    frozen[p] = 1;
    if (refcount.a[p] !== 0) bad('balloon page', `${hex(p)}, allocated for the balloon's PFN array, is not frozen`, p);
  }
  if (listed + nArr + k.balloon.isolated.a[0]! !== node_page_state(k, NS.NR_BALLOON_PAGES)) {
    bad('balloon count', `balloon list ${listed} + array ${nArr} + isolated ${k.balloon.isolated.a[0]} != NR_BALLOON_PAGES ${node_page_state(k, NS.NR_BALLOON_PAGES)}`);
  }

  // 2b'. Pages isolated without a reference (the no-refcount design): each in one isolator's
  //     array only, with PG_movable_ops_isolated set. The test-and-set of that flag is all that
  //     keeps a second migrator out (mm/migrate.c isolate_movable_ops_page() warns when it finds
  //     the flag already set on a page it is isolating): two entries for one page mean two
  //     migrators both believe they own it, which the schedule sweep shows with the guard off.
  const isolatedBy = new Map<number, number>();
  for (const { pfn: p, pid } of isolatorEntries(k)) {
    const other = isolatedBy.get(p);
    const by = (x: number): string => (x ? `pid ${x}` : 'deflate');
    if (other !== undefined) bad('isolated twice', `${hex(p)} is isolated by two tasks at once (${by(other)} and ${by(pid)}): PG_movable_ops_isolated did not keep the second out`, p);
    else isolatedBy.set(p, pid);
    if (!(flags.a[p]! & B_RECLAIM)) bad('isolated page', `${hex(p)} is held isolated by ${by(pid)} but PG_movable_ops_isolated is clear`, p);
  }

  // 2c. Device-private memory: the driver's free pool holds unreferenced, unmapped device pages.
  const devFree = sc.devFree;
  for (let p = k.device.free.heads.a[0]!; p !== NO_LINK; p = lruNext.a[p]!) {
    if (onList[p]) { bad('one list', `${hex(p)} is on the device's free list and another list`, p); break; }
    onList[p] = 1;
    devFree[p] = 1;
    if (devZone[blockZone[p >> PB_ORDER]!] !== 1 || refcount.a[p] !== 0 || mapping.a[p] !== 0) bad('device page', `${hex(p)} on the driver's free list is not an unreferenced, unmapped ZONE_DEVICE page`, p);
  }

  // 3. Page tables: count PTE references per page; mapped pages are not free; migration
  //    entries point at locked folios (they exist only between unmap and remap).
  const ptes = sc.ptes;
  for (const vma of k.vm.vmas) {
    const a = vma.pte.a;
    for (let s = 0; s < a.length; s++) {
      const v = a[s]!;
      if (v === 0) continue;
      const page = ptePfn(v);
      if (page >= nr || !(noHoles ? page >= 0 && page < nrPfns : pfnValid(k, page))) { bad('PTE target', `PTE ${vma.id}:${s} points at invalid pfn ${hex(page)}`); continue; }
      if (ptePresent(v) || pteIsDevicePrivate(v)) {
        ptes[page]!++;
        if (freeOwner[page] !== -1) bad('mapped page is free', `${hex(page)} is mapped by a PTE of VMA ${vma.id} and free`, page);
      } else if (pteIsMigration(v)) {
        const head = lruNext.a[page]! <= -2 ? -lruNext.a[page]! - 2 : page;
        if (!(flags.a[head]! & B_LOCKED)) bad('migration entry', `migration entry for ${hex(page)} but its folio is not locked`, page);
      }
    }
  }

  // 3b. PMDs: each points at a live page-table page of its own (a moved table's PMD follows it).
  const pmdOwner = new Map<number, number>();
  for (const vma of k.vm.vmas) {
    const pts = vma.ptPages.a;
    for (let c = 0; c < pts.length; c++) {
      const pt = pts[c]!;
      if (pt < 0) continue;
      if (pt >= nr || pageType.a[pt] !== T_TABLE || refcount.a[pt]! < 1) bad('PMD target', `the PMD of VMA ${vma.id} chunk ${c} points at ${hex(pt)}, which is not a live page table`, pt);
      const other = pmdOwner.get(pt);
      if (other !== undefined) bad('one PMD per table', `page table ${hex(pt)} is pointed at by VMA ${other} and VMA ${vma.id}`, pt);
      pmdOwner.set(pt, vma.id);
    }
  }

  // 4. Page cache: each cached folio holds nr references.
  const cacheRefs = sc.cacheRefs;
  for (const as of k.vm.spaces) {
    const a = as.pages.a;
    for (let i = 0; i < a.length; i++) {
      const f = a[i]!;
      if (f < 0) continue;
      if (mapping.a[f] !== fileMapping(as.id)) bad('page cache', `${as.name}[${i}] holds ${hex(f)} whose mapping is not this file`, f);
      if (index.a[f]! > i || index.a[f]! + (1 << order.a[f]!) <= i) bad('page cache', `${as.name}[${i}] holds ${hex(f)} with index ${index.a[f]}`, f);
      cacheRefs[f]!++;
    }
  }

  // 4b. Swap cache: each slot points at a swap-backed folio with PG_swapcache whose folio->swap
  //     run covers it; each such folio holds one reference per slot (one per page).
  const isSwapcache = (f: number): boolean => (flags.a[f]! & B_SWAPBACKED) !== 0 && (flags.a[f]! & B_OWNER_PRIV_1) !== 0;
  const swapRefs = sc.swapRefs;
  const swt = k.swap.table.a;
  let swapPages = 0;
  for (let off = 0; off < swt.length; off++) {
    const f = swt[off]!;
    if (f < 0) continue;
    swapPages++;
    if (!isSwapcache(f) || off < private_.a[f]! || off >= private_.a[f]! + (flags.a[f]! & B_HEAD ? 1 << order.a[f]! : 1)) {
      bad('swap cache', `swap slot ${off} holds ${hex(f)}, which is not in the swap cache there (folio->swap ${private_.a[f]})`, f);
    }
    swapRefs[f]!++;
  }

  // 5. Extra holders (GUP pins, gets, temporary references). A folio isolated for migration, a
  //    new folio migrate_pages still holds, or one waiting in an lru_add batch (whose mapping may
  //    already be gone: truncated while it waited), is user memory in flight;
  //    a soft-offlined source is user memory whose only reference is page_handle_poison()'s.
  const extra = sc.extra;
  const migrating = sc.migrating;
  for (let i = 0; i < k.pins.n.a[0]!; i++) {
    const p = k.pins.pfn.a[i]!;
    const kind = k.pins.kind.a[i]!;
    if (kind === HOLD.ISOLATED || kind === HOLD.MIGRATE_NEW || kind === HOLD.HWPOISON || kind === HOLD.LRU_BATCH) migrating[p] = 1;
    extra[p]! += kind === HOLD.FOLL_PIN && !(flags.a[p]! & B_HEAD) ? GUP_PIN_COUNTING_BIAS : 1;
  }

  // 6. Per PFN: refcount >= 0, mapcount matches PTEs, refcount accounts for every holder.
  const flagsA = flags.a, pageTypeA = pageType.a, refcountA = refcount.a, mapcountA = mapcount.a, lruNextA = lruNext.a, orderA = order.a, private_A = private_.a, mappingA = mapping.a;
  const pageblockA = k.pageblock.a;
  const isAnon = mappingIsAnon, isFile = mappingIsFile;
  let anonMapped = 0, fileMapped = 0, filePages = 0, slab = 0, pgtable = 0;
  for (let p = 0; p < nr; p++) {
    if (!(noHoles ? p >= 0 && p < nrPfns : pfnValid(k, p))) continue;
    if (pageblockA[p >> PB_ORDER]! & PB_OFF) {
      // Offlined memory: nothing may still be free, mapped or cached there.
      if (freeOwner[p] !== -1 || ptes[p] || cacheRefs[p]) bad('offlined memory', `${hex(p)} is offline but still free, mapped or cached`, p);
      continue;
    }
    const ref = refcountA[p]!;
    if (ref < 0) bad('refcount >= 0', `${hex(p)} has refcount ${ref}`, p);
    if (devFree[p]) continue;
    if (ref === 0 && devZone[blockZone[p >> PB_ORDER]!] === 1) bad('device page', `device page ${hex(p)} has no reference but is not in the driver's pool`, p);
    const mc = mapcountA[p]! + 1;
    if (pageTypeA[p] === T_NONE || pageTypeA[p] === T_BUDDY) {
      if (pageTypeA[p] === T_NONE && mc !== ptes[p]) bad('mapcount', `${hex(p)} has mapcount ${mc} but ${ptes[p]} PTEs map it`, p);
    }
    if (mc > 0) {
      const head = lruNextA[p]! <= -2 ? -lruNextA[p]! - 2 : p;
      if (isAnon(mappingA[head]!)) anonMapped++;
      else fileMapped++;
    }
    if (freeOwner[p] !== -1) continue;
    const tail = lruNextA[p]! <= -2;
    if (tail) {
      if (ref !== 0) bad('tail refcount', `tail page ${hex(p)} has refcount ${ref}`, p);
      continue;
    }
    const nrPages = flagsA[p]! & B_HEAD ? 1 << orderA[p]! : 1;
    if (pageTypeA[p] === T_SLAB) slab += nrPages;
    if (pageTypeA[p] === T_TABLE) pgtable++;
    const m = mappingA[p]!;
    if (m !== 0 && !isAnon(m) && cacheRefs[p]) filePages += nrPages;
    if (isSwapcache(p) && swapRefs[p] !== nrPages) bad('swap cache', `${hex(p)} has PG_swapcache but ${swapRefs[p]} of its ${nrPages} pages are in the swap cache`, p);
    let folioPtes = 0;
    for (let i = 0; i < nrPages; i++) folioPtes += ptes[p + i]!;
    // A movable_ops page (balloon, zsmalloc) isolated for migration keeps its owner's reference
    // beside the isolation's: it is never a user folio, whatever holds it.
    // The design registry asked once per page (it tries each design in turn), for all three questions.
    const ops = pageOpsOf(k, p);
    const movableOps = movableOpsOwnedWith(k, p, ops);
    const user = !movableOps && (isAnon(m) || isFile(m) || (flagsA[p]! & B_LRU) !== 0 || migrating[p] === 1);
    const expected = user
      ? cacheRefs[p]! + swapRefs[p]! + (flagsA[p]! & B_PRIVATE ? 1 : 0) + folioPtes + extra[p]!
      // a kernel page (reserved, slab, page table, plain alloc) holds its allocation's reference; a
      // frozen one none, nor does a free hugetlb pool folio (HPG_freed: frozen on the free list)
      : frozen[p] || (movableOps && frozenWith(ops)) || (pageTypeA[p] === T_HUGETLB && private_A[p]! & (1 << HPG.freed)) ? 0
        // the owner's reference: dropped by the migration of an isolated page as it clears
        // page->private (balloon_page_finalize() + put_page(), reset_zpdesc() + zpdesc_put());
        // a deflated page off the list keeps the driver's until it is released
        : movableOps ? ownerRefWith(k, p, ops) + extra[p]! : 1 + extra[p]!;
    // __folio_migrate_mapping(): folio_ref_freeze() holds a locked, isolated folio at 0 while
    // its mapping moves; another task's step can fall inside that interval.
    const frozenForMigration = ref === 0 && user && extra[p]! > 0 && hasHolder(k.pins, p, HOLD.ISOLATED) && (flagsA[p]! & B_LOCKED) !== 0;
    if (ref !== expected && !frozenForMigration) {
      bad('refcount holders', `${hex(p)} has refcount ${ref}, holders account for ${expected}` +
        (user ? ` (cache ${cacheRefs[p]}, swap cache ${swapRefs[p]}, private ${flagsA[p]! & B_PRIVATE ? 1 : 0}, ptes ${folioPtes}, pins ${extra[p]})` : ' (allocation)'), p);
    }
    if (isFile(m) && !k.vm.spaces[mappingId(m)]) bad('mapping', `${hex(p)} points at no address_space`, p);
  }

  // 6a. The deferred split queue: its members are free of nothing, large (order ≥ 2) folio heads
  //     with PG_partially_mapped in page[1]; split_queue_len counts them; no folio is linked off it.
  const queue = deferredSplitQueue(k);
  if (queue.length !== k.deferred.len.a[0]) bad('deferred split queue', `split_queue_len ${k.deferred.len.a[0]}, ${queue.length} folios on the queue`);
  const queued = sc.queued;
  for (const f of queue) {
    queued[f] = 1;
    if (!(flags.a[f]! & B_HEAD) || order.a[f]! < 2 || freeOwner[f] !== -1) bad('deferred split queue', `${hex(f)} on the deferred split queue is not an allocated folio of order ≥ 2`, f);
    else if (!folio_test_partially_mapped(k, f)) bad('deferred split queue', `${hex(f)} is on the deferred split queue without PG_partially_mapped`, f);
  }
  for (let p = 0; p < nr; p++) if (folioOnDeferredList(k, p) && !queued[p]) bad('deferred split queue', `${hex(p)} has _deferred_list links but is not on the queue`, p);

  // 6b. hugetlb: the hstate's lists, flags, mapcounts and counters.
  checkHugetlb(k, bad, sc);

  // 7. Node counters equal recounts.
  const ns: [number, number, string][] = [
    [NS.NR_ANON_MAPPED, anonMapped, 'nr_anon_pages'],
    [NS.NR_FILE_MAPPED, fileMapped, 'nr_mapped'],
    [NS.NR_FILE_PAGES, filePages + swapPages, 'nr_file_pages'],
    [NS.NR_SWAPCACHE, swapPages, 'nr_swapcached'],
    [NS.NR_SLAB, slab, 'nr_slab'],
    [NS.NR_PAGETABLE, pgtable, 'nr_page_table_pages'],
  ];
  for (const [item, recount, name] of ns) {
    if (node_page_state(k, item) !== recount) bad('node counter', `${name}: counter ${node_page_state(k, item)}, recount ${recount}`);
  }
  return out;
}

type Bad = (rule: string, detail: string, pfn?: number) => void;

// The hstate (hugetlb-state.ts, hugetlb.ts): every member of hugepage_freelists is a frozen
// HPG_freed order-9 hugetlb folio and every member of hugepage_activelist an in-use one; every
// hugetlb folio is where its flags say (HPG_freed ⇔ on the free list; HPG_migratable ⇒ on the
// active list and not isolated; in use off both lists only while migration holds it, or mapped
// after 6.18's same-node temporary migration); _entire_mapcount counts the huge entries; and
// nr_huge_pages / free_huge_pages equal recounts.
function checkHugetlb(k: Kernel, bad: Bad, sc: Scratch): void {
  const { onList, freeOwner, ptes } = sc;
  const { flags, pageType, refcount, lruNext, order, private_ } = k.mem;
  const nr = k.mem.nr;
  const hs = k.hugetlb;
  const FREED = 1 << HPG.freed, MIGRATABLE = 1 << HPG.migratable, TEMPORARY = 1 << HPG.temporary;
  const B_HEAD = 1 << PG.head, T_HUGETLB = PGTY.hugetlb, H_ORDER = HUGETLB_ORDER;
  const where = sc.where; // 1: free list, 2: active list
  let listedFree = 0;
  for (const [slot, mark] of [[HLIST.FREE, 1], [HLIST.ACTIVE, 2]] as const) {
    for (let p = hs.lists.heads.a[2 * slot]!; p !== NO_LINK; p = lruNext.a[p]!) {
      if (onList[p]) { bad('one list', `${hex(p)} is on an hstate list and another list`, p); break; }
      onList[p] = 1;
      where[p] = mark;
      const priv = private_.a[p]!;
      if (pageType.a[p] !== T_HUGETLB || order.a[p] !== HUGETLB_ORDER || !(flags.a[p]! & B_HEAD)) {
        bad('hugetlb list', `${hex(p)} on the hstate's ${mark === 1 ? 'free' : 'active'} list is not an order-${HUGETLB_ORDER} hugetlb folio`, p);
      } else if (mark === 1) {
        listedFree++;
        if (!(priv & FREED) || refcount.a[p] !== 0 || priv & (MIGRATABLE | TEMPORARY)) bad('hugetlb list', `${hex(p)} on hugepage_freelists is not a frozen HPG_freed pool folio (refcount ${refcount.a[p]}, private ${priv})`, p);
      } else if (priv & FREED || refcount.a[p]! <= 0) bad('hugetlb list', `${hex(p)} on hugepage_activelist is free (HPG_freed or refcount 0)`, p);
    }
  }
  const { isolated, held } = sc;
  for (let i = 0; i < k.pins.n.a[0]!; i++) {
    const p = k.pins.pfn.a[i]!;
    held[p] = 1;
    if (k.pins.kind.a[i] === HOLD.ISOLATED) isolated[p] = 1;
  }
  let heads = 0;
  const mapcounts = hs.entireMapcount.a;
  for (let p = 0; p < nr; p++) {
    if (pageType.a[p] !== T_HUGETLB) {
      if ((p & ((1 << H_ORDER) - 1)) === 0 && mapcounts[p >> H_ORDER] !== -1) bad('hugetlb mapcount', `_entire_mapcount of the 2 MiB frame at ${hex(p)} is ${mapcounts[p >> HUGETLB_ORDER]! + 1} but it holds no hugetlb folio`, p);
      continue;
    }
    heads++;
    const priv = private_.a[p]!;
    if (freeOwner[p] !== -1) bad('exactly one state', `hugetlb folio ${hex(p)} is inside a free buddy block`, p);
    if (((priv & FREED) !== 0) !== (where[p] === 1)) bad('hugetlb list', `${hex(p)} ${priv & FREED ? 'is HPG_freed but not on' : 'is on'} hugepage_freelists${priv & FREED ? '' : ' without HPG_freed'}`, p);
    if (priv & MIGRATABLE && (where[p] !== 2 || isolated[p])) bad('hugetlb migratable', `${hex(p)} has HPG_migratable but is ${isolated[p] ? 'isolated: a second isolator could take it' : 'not on hugepage_activelist'}`, p);
    const mapped = mapcounts[p >> H_ORDER]! + 1;
    if (mapped !== ptes[p]) bad('hugetlb mapcount', `hugetlb folio ${hex(p)} has _entire_mapcount ${mapped} but ${ptes[p]} huge entries map it`, p);
    if (!(priv & FREED) && where[p] === 0 && !held[p] && mapped === 0) bad('hugetlb list', `hugetlb folio ${hex(p)} is in use but unmapped, on no hstate list and held by no one: leaked`, p);
  }
  const c = hs.counters.a;
  if (c[HS.NR_HUGE_PAGES] !== heads) bad('hugetlb counters', `nr_huge_pages ${c[HS.NR_HUGE_PAGES]}, but ${heads} hugetlb folios exist`);
  if (c[HS.FREE_HUGE_PAGES] !== listedFree) bad('hugetlb counters', `free_huge_pages ${c[HS.FREE_HUGE_PAGES]}, but ${listedFree} folios on hugepage_freelists`);
  if (c[HS.SURPLUS_HUGE_PAGES]! < 0 || c[HS.SURPLUS_HUGE_PAGES]! > heads) bad('hugetlb counters', `surplus_huge_pages ${c[HS.SURPLUS_HUGE_PAGES]} is outside 0..${heads}`);
  if (c[HS.RESV_HUGE_PAGES]! < 0 || c[HS.RESV_HUGE_PAGES]! > listedFree) bad('hugetlb counters', `resv_huge_pages ${c[HS.RESV_HUGE_PAGES]} is outside 0..free_huge_pages ${listedFree}`);
}
