// One page's struct page as the kernel has it, decoded for a person: what the page inspector
// shows and what the worker sends when the UI asks about a PFN. Reads the arrays directly: an
// inspection is not kernel code and must not add to a step's footprint.

import { swapCacheRefs } from './swap_state';
import { folioOnDeferredList } from './deferred-split';
import { decodeFlags, pageTypeName, PG, PG_ALIAS, PGTY } from './flags';
import { pfnValid, pageZone, type Kernel } from './kernel';
import { MT_NAMES, PAGEBLOCK_ORDER, PB_COMPACT_SKIP, get_pfnblock_migratetype } from './zone';
import { isFrozenOwned, isMovableOpsOwned, movableOpsOwnerRef } from './movable-owner';
import { mappingId, mappingIsAnon, ptePresent, pteIsMigration, pteIsDevicePrivate } from './vm';
import { isZoneDevice } from './device';
import { rmap_walk } from './rmap';
import { GUP_PIN_COUNTING_BIAS, HOLD, HOLD_NAMES, hasHolder, type HoldKind } from './pins';
import { hex } from './step';
import { HLIST, HPG, HS, hstateList, hugetlbCounter } from './hugetlb-state';
import { hpgNames } from './hugetlb';
import { folio_entire_mapcount } from './hugetlb-fault';
import { pcpPlace, pindex_to_migratetype } from './pcp';
import { FOLIO_LIST_NAMES, type FolioListKind } from './folio-lists';
import { LRU_NAMES } from './lru';
import { NR_PAGE_ORDERS, MIGRATE_TYPES } from './zone';
import type { ListHeads } from './list';
import { frozenBalloonPfns } from './balloon-frozen';
import { lruBatchCpu } from './fbatch-state';

export interface Holder {
  readonly what: string;
  readonly refs: number;
}

export interface PageDetail {
  readonly pfn: number;
  readonly valid: boolean;
  readonly zone: string;
  readonly flagsRaw: number;
  readonly flags: readonly string[];
  readonly pageType: string;
  readonly refcount: number;
  /** What the holders below add up to; differs from refcount only if the model is broken. */
  readonly expectedRefcount: number;
  readonly holders: readonly Holder[];
  /** Raw _mapcount (mappings - 1). */
  readonly mapcountRaw: number;
  readonly folioMapcount: number;
  readonly ptes: readonly string[];
  readonly mapping: string;
  readonly index: number;
  readonly private: number;
  /** The lru links and the list they thread (named as the kernel names it); null when on none. */
  readonly lru: { readonly prev: number; readonly next: number; readonly list: string } | null;
  /** On the unevictable LRU, which is not a list: page->lru holds folio->mlock_count. */
  readonly mlockCount: number | null;
  /** The folio is on the deferred split queue (its _deferred_list in page[2]), partially mapped. */
  readonly deferredSplit: boolean;
  readonly folioHead: number;
  readonly folioOrder: number;
  readonly buddyOrder: number | null;
  readonly pageblock: { readonly start: number; readonly migratetype: string; readonly skip: boolean };
  /** For a page on a per-CPU list: whose list, which migratetype and order (pcp->lists[pindex]). */
  readonly pcp?: { readonly cpu: number; readonly migratetype: string; readonly order: number; readonly head: number; readonly state: string };
  /** For a hugetlb folio: its HPG_* flags (folio->private), where it is, and the hstate's counters. */
  readonly hugetlb?: { readonly flags: readonly string[]; readonly state: string; readonly pool: string };
}

function freeBlockOf(k: Kernel, pfn: number): number {
  for (let o = 0; o <= 10; o++) {
    const head = pfn & ~((1 << o) - 1);
    if (k.mem.pageType.a[head] === PGTY.buddy && k.mem.private_.a[head]! >= o) return head;
  }
  return -1;
}

export function inspectPage(k: Kernel, pfn: number): PageDetail {
  const m = k.mem;
  if (!Number.isInteger(pfn) || pfn < 0 || pfn >= m.nr) throw new RangeError(`pfn ${pfn} is out of range (0..${hex(m.nr - 1)})`);
  const next = m.lruNext.a[pfn]!;
  const tail = next <= -2;
  const head = tail ? -next - 2 : pfn;
  const f = m.flags.a[pfn]!;
  const type = m.pageType.a[pfn]!;
  const map = m.mapping.a[head]!;
  const anon = map !== 0 && mappingIsAnon(map);
  const large = (m.flags.a[head]! & (1 << PG.head)) !== 0;
  const nr = large ? 1 << m.order.a[head]! : 1;
  const freeHead = freeBlockOf(k, pfn);
  const onPcp = pcpPlace(k, pfn);
  const pcp = onPcp ? {
    cpu: onPcp.cpu, migratetype: MT_NAMES[pindex_to_migratetype(onPcp.pindex)] ?? '?', order: onPcp.order, head: onPcp.head,
    state: `free on CPU ${onPcp.cpu}'s per-CPU list (zone ${k.zones[onPcp.zone]!.name}, ${MT_NAMES[pindex_to_migratetype(onPcp.pindex)]} order-${onPcp.order} list): not PageBuddy, not in NR_FREE_PAGES, merges only when drained`,
  } : null;

  const holders: Holder[] = [];
  const ptes: string[] = [];
  let folioMapcount = 0;
  const deviceFree = isZoneDevice(k, head) && m.refcount.a[head] === 0 && map === 0;
  const huge = m.pageType.a[head] === PGTY.hugetlb;
  const hugeFree = huge && (m.private_.a[head]! & (1 << HPG.freed)) !== 0;
  if (hugeFree && !tail) holders.push({ what: 'nobody: a free pool folio waits frozen on hugepage_freelists', refs: 0 });
  if (pcp && pfn === pcp.head) holders.push({ what: `nobody: free on CPU ${pcp.cpu}'s per-CPU ${pcp.migratetype} order-${pcp.order} list`, refs: 0 });
  // The no-refcount design keeps its balloon pages frozen: refcount 0 is its rule, not a leak.
  const frozenOffline = type === PGTY.offline && m.refcount.a[pfn] === 0 && (frozenBalloonPfns(k).includes(pfn) || isFrozenOwned(k, pfn));
  if (frozenOffline) {
    const isolated = (f & (1 << PG_ALIAS.movable_ops_isolated)) !== 0;
    holders.push({ what: `${frozenBalloonPfns(k).includes(pfn) ? "the balloon's PFN array" : m.private_.a[pfn] ? "the balloon's list" : 'its migrator, until it is freed or made a balloon page'}, with no reference (frozen)${isolated ? '; isolated by test-and-set of PG_movable_ops_isolated, no reference either' : ''}`, refs: 0 });
  }
  if (freeHead < 0 && !pcp && !tail && !deviceFree && !hugeFree && !frozenOffline) {
    // A movable_ops page is never a user folio, isolated or a destination (movable-owner.ts).
    const movableOps = isMovableOpsOwned(k, head);
    if (!movableOps && (map !== 0 || m.flags.a[head]! & (1 << PG.lru) || hasHolder(k.pins, head, HOLD.ISOLATED) || hasHolder(k.pins, head, HOLD.MIGRATE_NEW))) {
      if (!anon) {
        const as = k.vm.spaces[mappingId(map)];
        if (as && as.pages.a[m.index.a[head]!] === head) holders.push({ what: `page cache of ${as.name} (one per page)`, refs: nr });
      }
      const swapRefs = swapCacheRefs(k, head);
      if (swapRefs) holders.push({ what: `swap cache (type 0, slot${nr > 1 ? 's' : ''} from ${m.private_.a[head]}, one per page)`, refs: swapRefs });
      if (m.flags.a[head]! & (1 << PG.private)) holders.push({ what: 'PG_private (buffer heads)', refs: 1 });
      const hits = rmap_walk(k, head);
      const present = hits.filter((h) => ptePresent(h.pte)).length;
      if (present) holders.push({ what: `${present} ${huge ? 'huge entry' : 'PTE'} mapping${present > 1 ? 's' : ''}`, refs: present });
      const device = hits.filter((h) => pteIsDevicePrivate(h.pte)).length;
      if (device) holders.push({ what: `${device} device-private entr${device > 1 ? 'ies' : 'y'}`, refs: device });
    } else if (m.refcount.a[head] === 0 && listOf(k, head)?.startsWith('cc->freepages')) {
      // isolate_freepages_block(): __isolate_free_page() takes it off the buddy at refcount 0;
      // compaction_alloc() hands it out and post_alloc_hook() gives it its first reference.
      holders.push({ what: "nobody: compaction's free scanner isolated it as a target (refcount 0 until compaction_alloc)", refs: 0 });
    } else if (m.refcount.a[head] === 0) {
      // folio_put() dropped the last reference: __folio_put() is freeing it (its step is told
      // before free_frozen_pages() puts it on a free list).
      holders.push({ what: 'nobody: the last reference is gone, __folio_put() is freeing it', refs: 0 });
    } else if (!movableOps || movableOpsOwnerRef(k, head) === 1) {
      holders.push({ what: f & (1 << PG.reserved) ? 'memblock (PG_reserved)' : type !== PGTY.none ? `its owner (${pageTypeName(type)})` : 'the allocation (alloc_pages)', refs: 1 });
    }
    for (let i = 0; i < k.pins.n.a[0]!; i++) {
      if (k.pins.pfn.a[i] !== head) continue;
      const kind = k.pins.kind.a[i]! as HoldKind;
      const what = kind === HOLD.LRU_BATCH ? `CPU ${lruBatchCpu(k.fbatch, head)}'s lru_add batch (folio_add_lru: PG_lru and an LRU list wait for the batch to fill or lru_add_drain)` : HOLD_NAMES[kind];
      holders.push({ what, refs: kind === HOLD.FOLL_PIN && !large ? GUP_PIN_COUNTING_BIAS : 1 });
    }
  }
  if (freeHead < 0 && (m.pageType.a[head] === PGTY.none || huge)) {
    if (huge) folioMapcount = folio_entire_mapcount(k, head);
    else for (let i = 0; i < nr; i++) folioMapcount += m.mapcount.a[head + i]! + 1;
    for (const h of rmap_walk(k, head)) {
      if (h.page !== pfn) continue;
      const mm = k.vm.mms[h.vma.mm]!;
      ptes.push(`${mm.comm}[${mm.pid}] ${hex((h.vma.start + h.slot) * 4096)}${pteIsMigration(h.pte) ? ' (migration entry)' : pteIsDevicePrivate(h.pte) ? ' (device-private entry)' : ''}`);
    }
  }
  let mapping = 'NULL';
  if (map !== 0) {
    if (anon) mapping = `anon_vma #${mappingId(map)} | FOLIO_MAPPING_ANON`;
    else mapping = `address_space of ${k.vm.spaces[mappingId(map)]?.name ?? '?'}`;
  }
  const unevictableLru = !tail && (m.flags.a[pfn]! & ((1 << PG.lru) | (1 << PG.unevictable))) === ((1 << PG.lru) | (1 << PG.unevictable));
  const list = tail || unevictableLru ? null
    : pcp ? (pcp.head === pfn ? `pcp->lists[${pcp.migratetype} order ${pcp.order}] of CPU ${pcp.cpu}` : null) : listOf(k, pfn);
  const pbBits = k.pageblock.a[pfn >> PAGEBLOCK_ORDER]!;
  return {
    pfn,
    valid: pfnValid(k, pfn),
    zone: k.zones[pageZone(k, pfn)]?.name ?? '?',
    flagsRaw: f,
    flags: decodeFlags(tail ? m.flags.a[head]! : f, { pageType: m.pageType.a[head], anon }),
    pageType: pageTypeName(type),
    refcount: m.refcount.a[pfn]!,
    expectedRefcount: holders.reduce((s, h) => s + h.refs, 0),
    holders,
    mapcountRaw: m.mapcount.a[pfn]!,
    folioMapcount,
    ptes,
    mapping,
    index: m.index.a[head]!,
    private: m.private_.a[pfn]!,
    lru: list === null ? null : { prev: m.lruPrev.a[pfn]!, next, list },
    mlockCount: unevictableLru ? m.lruPrev.a[pfn]! : null,
    deferredSplit: folioOnDeferredList(k, head),
    folioHead: head,
    folioOrder: large ? m.order.a[head]! : 0,
    buddyOrder: freeHead === pfn ? m.private_.a[pfn]! : null,
    pageblock: { start: pfn & ~((1 << PAGEBLOCK_ORDER) - 1), migratetype: MT_NAMES[get_pfnblock_migratetype(k, pfn)] ?? '?', skip: (pbBits & PB_COMPACT_SKIP) !== 0 },
    ...(pcp ? { pcp } : {}),
    ...(huge ? { hugetlb: hugetlbDetail(k, head) } : {}),
  };
}

/**
 * The list whose lru links thread `pfn`, named as the kernel names it, or null when it is on none.
 * Walks back to the list's first entry and finds the head that points at it (an inspection, so
 * the walk's cost does not matter; a page alone on a list has no links, only its head points at it).
 */
function listOf(k: Kernel, pfn: number): string | null {
  const m = k.mem;
  let first = pfn;
  for (let i = 0; i < m.nr && m.lruPrev.a[first]! >= 0; i++) first = m.lruPrev.a[first]!;
  const slotOf = (l: ListHeads): number => {
    const h = l.heads.a;
    for (let s = 0; s < h.length; s += 2) if (h[s] === first) return s / 2;
    return -1;
  };
  let s = slotOf(k.freeLists);
  if (s >= 0) {
    const mt = s % MIGRATE_TYPES;
    const order = Math.floor(s / MIGRATE_TYPES) % NR_PAGE_ORDERS;
    const zone = Math.floor(s / MIGRATE_TYPES / NR_PAGE_ORDERS);
    return `free_area[${order}].free_list[${MT_NAMES[mt] ?? mt}] (zone ${k.zones[zone]?.name ?? zone})`;
  }
  if ((s = slotOf(k.lru)) >= 0) return `lruvec->lists[LRU_${(LRU_NAMES[s] ?? String(s)).toUpperCase()}]`;
  if ((s = slotOf(k.lists)) >= 0) return FOLIO_LIST_NAMES[k.lists.kind.a[s] as FolioListKind] ?? 'a private folio list';
  if (slotOf(k.balloon.list) >= 0) return 'balloon_dev_info->pages';
  if ((s = slotOf(k.compact.free)) >= 0) return `cc->freepages[${s % NR_PAGE_ORDERS}]: free pages compaction isolated as targets`;
  if ((s = slotOf(k.hugetlb.lists)) >= 0) return s === HLIST.FREE ? 'hugepage_freelists' : 'hugepage_activelist';
  if (slotOf(k.device.free) >= 0) return 'mdevice->free_pages: the device driver\'s free device pages';
  if (m.lruPrev.a[pfn] !== -1 || m.lruNext.a[pfn] !== -1) return 'a list the inspector cannot name';
  return null;
}

/** A hugetlb folio's HPG_* flags and where the hstate has it (hugetlb.ts). */
function hugetlbDetail(k: Kernel, head: number): NonNullable<PageDetail['hugetlb']> {
  const priv = k.mem.private_.a[head]!;
  const active = hstateList(k, HLIST.ACTIVE).includes(head);
  const state = priv & (1 << HPG.freed) ? 'free, on hugepage_freelists'
    : hasHolder(k.pins, head, HOLD.ISOLATED) ? 'isolated for migration (off hugepage_activelist)'
      : hasHolder(k.pins, head, HOLD.MIGRATE_NEW) ? `a migration destination${active ? ', on hugepage_activelist' : ' (temporary, on no list)'}`
        : active ? 'in use, on hugepage_activelist' : 'in use, on no list (6.18: a temporary migration destination is never put on hugepage_activelist)';
  const c = (i: number): number => hugetlbCounter(k, i);
  return {
    flags: hpgNames(priv),
    state,
    pool: `nr_huge_pages ${c(HS.NR_HUGE_PAGES)}, free_huge_pages ${c(HS.FREE_HUGE_PAGES)}, resv_huge_pages ${c(HS.RESV_HUGE_PAGES)}, surplus_huge_pages ${c(HS.SURPLUS_HUGE_PAGES)}`,
  };
}
