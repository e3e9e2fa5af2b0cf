// The per-CPU page lists of mm/page_alloc.c (6.18): order-0..3 pages and PMD-sized THPs are freed
// to the freeing CPU's list of the zone (free_frozen_page_commit) and only reach the buddy lists
// when the list passes pcp->high (free_pcppages_bulk) or someone drains it; allocations of those
// orders take from the list, refilled `batch` blocks at a time by rmqueue_bulk. A page on a pcp
// list is neither PageBuddy nor counted in NR_FREE_PAGES: the free scanner, buddyinfo and
// kpageflags do not see it, and it cannot merge with its buddy until it is drained.
// pcp->high auto-tuning follows nr_pcp_high/nr_pcp_alloc/decay_pcp_high; not modelled:
// ZONE_RECLAIM_ACTIVE (no reclaim), the vmstat worker's periodic decay, pcp trylock failures.

import { __free_one_page, __rmqueue, FPI_NONE } from './buddy';
import { pageZone, type Kernel } from './kernel';
import { listAdd, listAddTail, listDel, listEmpty, listFirst } from './list';
import { NO_LINK, setPageRefcount } from './memmap';
import {
  NR_CPUS, NR_LOWORDER_PCP_LISTS, NR_PCP_LISTS, PCPF_FREE_HIGH_BATCH, PCPF_PREV_FREE_HIGH_ORDER, PCPV, PCPV_N, ZONE_BELOW_HIGH,
  pcpIndex, pcpSlot,
} from './pcp-state';
import { put } from './store';
import { emitStep, quietly } from './step';
import { CAPC } from './compaction-state';
import { zoneWatermarks, zone_watermark_ok } from './watermark';
import { MIGRATE_PCPTYPES, MT, MT_NAMES, PAGE_ALLOC_COSTLY_ORDER, PAGEBLOCK_ORDER, get_pfnblock_migratetype } from './zone';

/** CONFIG_PCP_BATCH_SCALE_MAX (default 5). */
const PCP_BATCH_SCALE_MAX = 5;
/** HPAGE_PMD_ORDER on x86-64. */
const HPAGE_PMD_ORDER = PAGEBLOCK_ORDER;
const MIN_PERCPU_PAGELIST_HIGH_FRACTION = 8;

// mm/page_alloc.c: pcp_allowed_order()
export const pcp_allowed_order = (order: number): boolean => order <= PAGE_ALLOC_COSTLY_ORDER || order === HPAGE_PMD_ORDER;

// mm/page_alloc.c: order_to_pindex() — a THP goes on one of two lists: movable or not.
export function order_to_pindex(mt: number, order: number): number {
  if (order > PAGE_ALLOC_COSTLY_ORDER) return NR_LOWORDER_PCP_LISTS + (mt === MT.MOVABLE ? 1 : 0);
  return MIGRATE_PCPTYPES * order + mt;
}

// mm/page_alloc.c: pindex_to_order()
export const pindex_to_order = (pindex: number): number => (pindex >= NR_LOWORDER_PCP_LISTS ? HPAGE_PMD_ORDER : Math.floor(pindex / MIGRATE_PCPTYPES));

/** The migratetype list a pindex belongs to (the THP lists: movable or unmovable). */
export const pindex_to_migratetype = (pindex: number): number =>
  pindex >= NR_LOWORDER_PCP_LISTS ? (pindex === NR_LOWORDER_PCP_LISTS ? MT.UNMOVABLE : MT.MOVABLE) : pindex % MIGRATE_PCPTYPES;

export interface PcpSettings {
  readonly batch: number;
  readonly highMin: number;
  readonly highMax: number;
}

const rounddownPow2 = (n: number): number => (n < 1 ? 0 : 1 << (31 - Math.clz32(n)));

// mm/page_alloc.c: zone_batchsize() — ~0.1 % of the zone or 1 MiB, a quarter of it, as 2^n - 1.
export function zone_batchsize(managed: number): number {
  let batch = Math.floor(Math.min(managed >> 10, 256) / 4);
  if (batch < 1) batch = 1;
  return rounddownPow2(batch + (batch >> 1)) - 1;
}

// mm/page_alloc.c: zone_highsize() — the low watermark (or managed / fraction) split over the
// node's CPUs, at least 4 batches. At boot no CPU is coming online (cpu_online 0).
export function zone_highsize(lowOrManaged: number, batch: number): number {
  return Math.max(Math.floor(lowOrManaged / NR_CPUS), batch << 2);
}

const settingsCache = new WeakMap<object, PcpSettings[]>();

// mm/page_alloc.c: zone_set_pageset_high_and_batch() with percpu_pagelist_high_fraction 0
// (auto-tuned high between high_min and high_max); zone_pcp_disable() sets 0, 0, 1.
export function pcpSettings(k: Kernel, zone: number): PcpSettings {
  if (k.pcp.disabled.a[zone]! > 0) return BOOT_PAGESET;
  const wm = zoneWatermarks(k);
  let s = settingsCache.get(wm);
  if (!s) {
    s = wm.map((w) => {
      const batch = Math.max(1, zone_batchsize(w.managed));
      return { batch, highMin: zone_highsize(w.low, batch), highMax: zone_highsize(Math.floor(w.managed / MIN_PERCPU_PAGELIST_HIGH_FRACTION), batch) };
    });
    settingsCache.set(wm, s);
  }
  return s[zone]!;
}

/** BOOT_PAGESET_HIGH / BOOT_PAGESET_BATCH: every free passes straight through. */
const BOOT_PAGESET: PcpSettings = { batch: 1, highMin: 0, highMax: 0 };

const pv = (k: Kernel, zone: number, cpu: number, f: number): number => k.pcp.v.a[pcpIndex(zone, cpu) * PCPV_N + f]!;
const setPv = (k: Kernel, zone: number, cpu: number, f: number, v: number): void => {
  const i = pcpIndex(zone, cpu) * PCPV_N + f;
  if (k.pcp.v.a[i] !== v) put(k.st, k.pcp.v, i, v);
};
const clamp = (v: number, lo: number, hi: number): number => Math.min(Math.max(v, lo), hi);

export const pcpCount = (k: Kernel, zone: number, cpu: number): number => pv(k, zone, cpu, PCPV.COUNT);
export const pcpHigh = (k: Kernel, zone: number, cpu: number): number => pv(k, zone, cpu, PCPV.HIGH);
/** Pages on every CPU's lists of a zone. */
export function zonePcpPages(k: Kernel, zone: number): number {
  let n = 0;
  for (let cpu = 0; cpu < NR_CPUS; cpu++) n += pcpCount(k, zone, cpu);
  return n;
}

function markBlock(k: Kernel, pfn: number, order: number, slot: number): void {
  for (let i = pfn; i < pfn + (1 << order); i++) put(k.st, k.pcp.where, i, slot + 1);
}

function pcpListAdd(k: Kernel, zone: number, cpu: number, pindex: number, pfn: number, tail: boolean): void {
  const slot = pcpSlot(zone, cpu, pindex);
  if (tail) listAddTail(k, k.pcp.lists, slot, pfn);
  else listAdd(k, k.pcp.lists, slot, pfn);
  markBlock(k, pfn, pindex_to_order(pindex), slot);
}

function pcpListDel(k: Kernel, zone: number, cpu: number, pindex: number, pfn: number): void {
  const slot = pcpSlot(zone, cpu, pindex);
  listDel(k, k.pcp.lists, slot, pfn);
  markBlock(k, pfn, pindex_to_order(pindex), -1);
}

/** Where a PFN sits on a pcp list: the block's head, cpu, pindex; null if it is on none. */
export function pcpPlace(k: Kernel, pfn: number): { head: number; cpu: number; pindex: number; order: number; zone: number } | null {
  const w = k.pcp.where.a[pfn]!;
  if (w === 0) return null;
  const slot = w - 1;
  const pindex = slot % NR_PCP_LISTS;
  const zc = Math.floor(slot / NR_PCP_LISTS);
  const order = pindex_to_order(pindex);
  return { head: pfn & ~((1 << order) - 1), cpu: zc % NR_CPUS, zone: Math.floor(zc / NR_CPUS), pindex, order };
}

// mm/page_alloc.c: free_pcppages_bulk() — round-robin over the lists from `pindex`, each time
// taking from the tail (the coldest pages) and freeing to the buddy allocator.
export function free_pcppages_bulk(k: Kernel, zone: number, cpu: number, count: number, pindex: number): void {
  count = Math.min(pcpCount(k, zone, cpu), count);
  if (count <= 0) return;
  const freed = count;
  // One step for the whole bulk free (under zone->lock, as one operation), not one per merge;
  // but a direct compactor's frees are told one by one: one of them may be its capture.
  if (k.compact.capc.a[CAPC.ZONE] === zone) free_pcppages_bulk_quiet(k, zone, cpu, count, pindex);
  else quietly(k, () => free_pcppages_bulk_quiet(k, zone, cpu, count, pindex));
  if (k.sink) {
    emitStep(k, {
      phase: 'free', fn: 'free_pcppages_bulk', file: 'mm/page_alloc.c',
      text: `CPU ${cpu}'s per-CPU lists of zone ${k.zones[zone]!.name} give back ${freed} page(s), coldest first, to the buddy allocator under zone->lock (merging with free buddies); ${pcpCount(k, zone, cpu)} page(s) stay on them`,
      pfns: [],
    });
  }
}

function free_pcppages_bulk_quiet(k: Kernel, zone: number, cpu: number, count: number, pindex: number): void {
  pindex--;
  while (count > 0) {
    let slot: number;
    do {
      if (++pindex > NR_PCP_LISTS - 1) pindex = 0;
      slot = pcpSlot(zone, cpu, pindex);
    } while (listEmpty(k.pcp.lists, slot));
    const order = pindex_to_order(pindex);
    do {
      const pfn = k.pcp.lists.heads.a[2 * slot + 1]!; // list_last_entry
      const mt = get_pfnblock_migratetype(k, pfn);
      pcpListDel(k, zone, cpu, pindex, pfn);
      count -= 1 << order;
      setPv(k, zone, cpu, PCPV.COUNT, pcpCount(k, zone, cpu) - (1 << order));
      __free_one_page(k, pfn, zone, order, mt, FPI_NONE);
    } while (count > 0 && !listEmpty(k.pcp.lists, slot));
  }
}

// mm/page_alloc.c: nr_pcp_free()
function nr_pcp_free(k: Kernel, zone: number, cpu: number, batch: number, high: number, freeHigh: boolean): number {
  const count = pcpCount(k, zone, cpu);
  if (freeHigh) return Math.min(count, batch << PCP_BATCH_SCALE_MAX);
  if (high < batch) return 1;
  return clamp(pv(k, zone, cpu, PCPV.FREE_COUNT), batch, high - batch);
}

// mm/page_alloc.c: nr_pcp_high() — pcp->high grows while a CPU frees more than it allocates and
// shrinks while the zone is below its high watermark.
function nr_pcp_high(k: Kernel, zone: number, cpu: number, batch: number, freeHigh: boolean): number {
  const { highMin, highMax } = pcpSettings(k, zone);
  let high = clamp(pv(k, zone, cpu, PCPV.HIGH), highMin, highMax);
  setPv(k, zone, cpu, PCPV.HIGH, high);
  if (!high) return 0;
  if (freeHigh) {
    setPv(k, zone, cpu, PCPV.HIGH, Math.max(high - (batch << PCP_BATCH_SCALE_MAX), highMin));
    return 0;
  }
  if (highMin === highMax) return high;
  const freeCount = pv(k, zone, cpu, PCPV.FREE_COUNT);
  if (k.pcp.zoneFlags.a[zone]! & ZONE_BELOW_HIGH) {
    setPv(k, zone, cpu, PCPV.HIGH, Math.max(high - Math.max(freeCount, batch), highMin));
    high = Math.max(pcpCount(k, zone, cpu), highMin);
  } else if (pcpCount(k, zone, cpu) >= high) {
    const need = freeCount + batch;
    if (pv(k, zone, cpu, PCPV.HIGH) < need) setPv(k, zone, cpu, PCPV.HIGH, clamp(need, highMin, highMax));
  }
  return high;
}

// mm/page_alloc.c: free_frozen_page_commit() — the block goes on the head of its list (hot);
// past `high`, a batch of the coldest pages goes back to the buddy allocator.
function free_frozen_page_commit(k: Kernel, zone: number, cpu: number, pfn: number, mt: number, order: number): void {
  setPv(k, zone, cpu, PCPV.ALLOC_FACTOR, pv(k, zone, cpu, PCPV.ALLOC_FACTOR) >> 1);
  const pindex = order_to_pindex(mt, order);
  pcpListAdd(k, zone, cpu, pindex, pfn, false);
  setPv(k, zone, cpu, PCPV.COUNT, pcpCount(k, zone, cpu) + (1 << order));
  const { batch, highMin } = pcpSettings(k, zone);
  let flags = pv(k, zone, cpu, PCPV.FLAGS);
  let freeHigh = false;
  if (order && order <= PAGE_ALLOC_COSTLY_ORDER) {
    freeHigh = pv(k, zone, cpu, PCPV.FREE_COUNT) >= batch + (highMin >> 1) && (flags & PCPF_PREV_FREE_HIGH_ORDER) !== 0 &&
      (!(flags & PCPF_FREE_HIGH_BATCH) || pcpCount(k, zone, cpu) >= batch);
    flags |= PCPF_PREV_FREE_HIGH_ORDER;
  } else flags &= ~PCPF_PREV_FREE_HIGH_ORDER;
  setPv(k, zone, cpu, PCPV.FLAGS, flags);
  const fc = pv(k, zone, cpu, PCPV.FREE_COUNT);
  if (fc < batch << PCP_BATCH_SCALE_MAX) setPv(k, zone, cpu, PCPV.FREE_COUNT, fc + (1 << order));
  const high = nr_pcp_high(k, zone, cpu, batch, freeHigh);
  if (pcpCount(k, zone, cpu) < high) return;
  free_pcppages_bulk(k, zone, cpu, nr_pcp_free(k, zone, cpu, batch, high, freeHigh), pindex);
  if (k.pcp.zoneFlags.a[zone]! & ZONE_BELOW_HIGH && zone_watermark_ok(k, zone, 0, zoneWatermarks(k)[zone]!.high)) {
    put(k.st, k.pcp.zoneFlags, zone, k.pcp.zoneFlags.a[zone]! & ~ZONE_BELOW_HIGH);
  }
}

// mm/page_alloc.c: __free_frozen_pages() for a pcp order, after __free_pages_prepare(): an
// isolated pageblock's pages go straight to the buddy allocator, HIGHATOMIC ones on the movable
// list. Returns false when the caller must free to the buddy lists itself.
export function free_to_pcp(k: Kernel, pfn: number, order: number): boolean {
  if (!pcp_allowed_order(order)) return false;
  let mt = get_pfnblock_migratetype(k, pfn);
  if (mt >= MIGRATE_PCPTYPES) {
    if (mt === MT.ISOLATE) return false;
    mt = MT.MOVABLE;
  }
  free_frozen_page_commit(k, pageZone(k, pfn), k.cpu, pfn, mt, order);
  return true;
}

// mm/page_alloc.c: nr_pcp_alloc() — refills grow (alloc_factor doubles) while a CPU keeps
// allocating without freeing.
function nr_pcp_alloc(k: Kernel, zone: number, cpu: number, order: number): number {
  const { batch: baseBatch, highMin, highMax } = pcpSettings(k, zone);
  let high = clamp(pv(k, zone, cpu, PCPV.HIGH), highMin, highMax);
  setPv(k, zone, cpu, PCPV.HIGH, high);
  if (high < baseBatch) return 1;
  const factor = pv(k, zone, cpu, PCPV.ALLOC_FACTOR);
  let batch = order ? baseBatch : baseBatch << factor;
  if (highMin !== highMax && !(k.pcp.zoneFlags.a[zone]! & ZONE_BELOW_HIGH)) {
    high = Math.min(high + batch, highMax);
    setPv(k, zone, cpu, PCPV.HIGH, high);
  }
  if (!order) {
    const maxNrAlloc = Math.max(high - pcpCount(k, zone, cpu) - baseBatch, baseBatch);
    if (batch <= maxNrAlloc && factor < PCP_BATCH_SCALE_MAX) setPv(k, zone, cpu, PCPV.ALLOC_FACTOR, factor + 1);
    batch = Math.min(batch, maxNrAlloc);
  }
  if (batch > 1) batch = Math.max(batch >> order, 2);
  return batch;
}

// mm/page_alloc.c: rmqueue_bulk() — blocks from the buddy allocator to the tail of the list, so
// the list is in physical order after expand() split a larger block.
function rmqueue_bulk(k: Kernel, zone: number, cpu: number, order: number, count: number, mt: number, pindex: number): number {
  let i = 0;
  for (; i < count; i++) {
    const pfn = __rmqueue(k, zone, order, mt);
    if (pfn < 0) break;
    pcpListAdd(k, zone, cpu, pindex, pfn, true);
  }
  return i;
}

// mm/page_alloc.c: rmqueue_pcplist() / __rmqueue_pcplist() — the first (hottest) block of the
// list, after a refill of nr_pcp_alloc() blocks when it is empty. -1 when the zone has none.
export function rmqueue_pcplist(k: Kernel, zone: number, order: number, mt: number): number {
  const cpu = k.cpu;
  setPv(k, zone, cpu, PCPV.FREE_COUNT, pv(k, zone, cpu, PCPV.FREE_COUNT) >> 1);
  const pindex = order_to_pindex(mt, order);
  const slot = pcpSlot(zone, cpu, pindex);
  if (listEmpty(k.pcp.lists, slot)) {
    // One step for the refill (rmqueue_bulk() takes the blocks under zone->lock in one go).
    const got = quietly(k, () => rmqueue_bulk(k, zone, cpu, order, nr_pcp_alloc(k, zone, cpu, order), mt, pindex));
    setPv(k, zone, cpu, PCPV.COUNT, pcpCount(k, zone, cpu) + (got << order));
    if (k.sink && got > 0) {
      emitStep(k, {
        phase: 'alloc', fn: 'rmqueue_bulk', file: 'mm/page_alloc.c',
        text: `CPU ${cpu}'s ${MT_NAMES[mt] ?? mt} order-${order} per-CPU list is empty: rmqueue_bulk() moves ${got} block(s) from the buddy free lists onto it under zone->lock (the first, hottest one is handed out)`,
        pfns: [],
      });
    }
    if (listEmpty(k.pcp.lists, slot)) return -1;
  }
  const pfn = listFirst(k, k.pcp.lists, slot);
  pcpListDel(k, zone, cpu, pindex, pfn);
  setPv(k, zone, cpu, PCPV.COUNT, pcpCount(k, zone, cpu) - (1 << order));
  return pfn;
}

// mm/page_alloc.c: get_page_from_freelist()'s watermark probe — a zone found below its high
// watermark gets ZONE_BELOW_HIGH, which shrinks pcp->high on the next frees.
export function note_below_high(k: Kernel, zone: number, order: number, highest = zone): void {
  if (k.pcp.zoneFlags.a[zone]! & ZONE_BELOW_HIGH) return;
  if (!zone_watermark_ok(k, zone, order, zoneWatermarks(k)[zone]!.high, highest)) put(k.st, k.pcp.zoneFlags, zone, k.pcp.zoneFlags.a[zone]! | ZONE_BELOW_HIGH);
}

// mm/page_alloc.c: decay_pcp_high() — the vmstat worker, every second, lowers pcp->high by an
// eighth towards high_min and frees what is above it. Returns whether there is more to do.
export function decay_pcp_high(k: Kernel, zone: number, cpu: number): boolean {
  const { batch, highMin } = pcpSettings(k, zone);
  let todo = false;
  const high = pv(k, zone, cpu, PCPV.HIGH);
  if (high > highMin) {
    const h = Math.max(pcpCount(k, zone, cpu) - (batch << PCP_BATCH_SCALE_MAX), high - (high >> 3), highMin);
    setPv(k, zone, cpu, PCPV.HIGH, h);
    if (h > highMin) todo = true;
  }
  for (let toDrain = pcpCount(k, zone, cpu) - pv(k, zone, cpu, PCPV.HIGH); toDrain > 0; toDrain -= batch) {
    free_pcppages_bulk(k, zone, cpu, Math.min(toDrain, batch), 0);
    todo = true;
  }
  return todo;
}

/** The vmstat worker's decay over an idle stretch: every CPU's lists down to high_min. */
export function decay_pcp_idle(k: Kernel): void {
  for (const z of pcpZones(k, null)) {
    for (let cpu = 0; cpu < NR_CPUS; cpu++) while (decay_pcp_high(k, z, cpu));
  }
}

// mm/page_alloc.c: drain_pages_zone() — empty one CPU's lists of a zone, at most
// batch << PCP_BATCH_SCALE_MAX pages per round.
export function drain_pages_zone(k: Kernel, cpu: number, zone: number): number {
  const before = pcpCount(k, zone, cpu);
  let count = before;
  while (count) {
    const toDrain = Math.min(count, pcpSettings(k, zone).batch << PCP_BATCH_SCALE_MAX);
    free_pcppages_bulk(k, zone, cpu, toDrain, 0);
    count -= toDrain;
  }
  return before;
}

const pcpZones = (k: Kernel, zone: number | null): number[] =>
  zone !== null ? [zone] : k.zones.filter((z) => z.name !== 'Device').map((z) => z.idx);

// mm/page_alloc.c: drain_local_pages() — this CPU's lists, of one zone or all. Returns the pages freed.
export function drain_local_pages(k: Kernel, zone: number | null): number {
  let n = 0;
  for (const z of pcpZones(k, zone)) n += drain_pages_zone(k, k.cpu, z);
  return n;
}

// mm/page_alloc.c: drain_all_pages() — every CPU's lists (the kernel queues work on each CPU
// that has pages; the model drains them in CPU order). Returns the pages freed.
export function drain_all_pages(k: Kernel, zone: number | null): number {
  let n = 0;
  for (let cpu = 0; cpu < NR_CPUS; cpu++) for (const z of pcpZones(k, zone)) n += drain_pages_zone(k, cpu, z);
  return n;
}

// mm/page_alloc.c: zone_pcp_disable() / zone_pcp_enable() — high 0 and batch 1 until enabled,
// so that nothing stays on a list while a range is being isolated or offlined.
export function zone_pcp_disable(k: Kernel, zone: number): number {
  put(k.st, k.pcp.disabled, zone, k.pcp.disabled.a[zone]! + 1);
  return drain_all_pages(k, zone);
}

export function zone_pcp_enable(k: Kernel, zone: number): void {
  put(k.st, k.pcp.disabled, zone, k.pcp.disabled.a[zone]! - 1);
}

/**
 * Import (import/pcpfree.ts): a page the dump had free on `cpu`'s list goes back on it as
 * free_frozen_page_commit() left it — order 0, the list of its pageblock's type, refcount 0 —
 * without the high check: a real list may stand above the model's high for a while.
 */
export function pcp_import_page(k: Kernel, zone: number, cpu: number, pfn: number): void {
  let mt = get_pfnblock_migratetype(k, pfn);
  if (mt >= MIGRATE_PCPTYPES) mt = MT.MOVABLE;
  setPageRefcount(k, pfn, 0);
  pcpListAdd(k, zone, cpu, order_to_pindex(mt, 0), pfn, true);
  setPv(k, zone, cpu, PCPV.COUNT, pcpCount(k, zone, cpu) + 1);
}

/** Import: pcp->high as the dump's zoneinfo printed it (auto-tuned), within the model's bounds. */
export function pcp_import_high(k: Kernel, zone: number, cpu: number, high: number): void {
  const { highMin, highMax } = pcpSettings(k, zone);
  setPv(k, zone, cpu, PCPV.HIGH, clamp(Math.max(high, pcpCount(k, zone, cpu)), highMin, highMax));
}
