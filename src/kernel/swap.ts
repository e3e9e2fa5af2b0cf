// The per-CPU batching of mm/swap.c (6.18) that sits between a folio and the LRU lists, and the
// drains that empty it together with the per-CPU page lists.
// folio_add_lru() does not put a folio on the LRU: it takes a reference and parks the folio in
// this CPU's lru_add batch, and only when the batch fills (or someone drains it) does the folio
// get PG_lru and a place on a list. Until then folio_isolate_lru() fails on it and its refcount
// is one more than its mappings and cache account for — the transient reference migration's
// refcount check trips over, which is why migration callers drain first.

import { pageZone, type Kernel } from './kernel';
import { PG } from './flags';
import { folio_get, folio_put } from './folio';
import { lru_add } from './lru';
import { testPageFlag } from './memmap';
import { drain_local_pages } from './pcp';
import { NR_CPUS } from './pcp-state';
import { PAGEVEC_SIZE } from './fbatch-state';
import { addHolder, HOLD, removeHolder } from './pins';
import { put } from './store';
import { emitStep, hex } from './step';

// include/linux/swap.h: folio_may_be_lru_cached() — a large folio would unbalance the
// per-CPU accounting, so only small folios wait in a batch.
const folio_may_be_lru_cached = (k: Kernel, folio: number): boolean => !testPageFlag(k, folio, PG.head);

// mm/swap.c: lru_cache_disabled()
const lru_cache_disabled = (k: Kernel): boolean => k.fbatch.disableCount.a[0]! > 0;

// mm/swap.c: folio_add_lru() → folio_batch_add_and_move(folio, lru_add). The batch's reference
// is taken first; the batch moves at once when this folio filled it, when the folio is large, or
// while lru_cache_disable() is in force.
export function folio_add_lru(k: Kernel, folio: number): void {
  if (testPageFlag(k, folio, PG.lru)) throw new Error(`folio_add_lru: ${hex(folio)} already has PG_lru`);
  const b = k.fbatch;
  const cpu = k.cpu;
  folio_get(k, folio);
  addHolder(k.st, k.pins, folio, HOLD.LRU_BATCH);
  const n = b.nr.a[cpu]!;
  put(k.st, b.folios, cpu * PAGEVEC_SIZE + n, folio);
  put(k.st, b.nr, cpu, n + 1);
  const full = n + 1 === PAGEVEC_SIZE; // folio_batch_add() returned 0 slots left
  if (full || !folio_may_be_lru_cached(k, folio) || lru_cache_disabled(k)) {
    const moved = folio_batch_move_lru(k, cpu);
    if (full && k.sink) {
      emitStep(k, {
        phase: 'putback', fn: 'folio_batch_move_lru', file: 'mm/swap.c',
        text: `CPU ${cpu}'s lru_add batch is full (${PAGEVEC_SIZE} folios): lru_add() puts all ${moved} on their LRU lists with PG_lru set, and folios_put() drops the batch's references`,
        pfns: [{ pfn: folio, role: 'target' }],
      });
    }
  }
}

// mm/swap.c: folio_batch_move_lru(fbatch, lru_add) — each folio onto the list its flags select
// now (lru_add() decides evictability and sets PG_lru), then folios_put() drops the batch's
// reference: the last one for a folio everyone else let go of while it waited, which frees it.
function folio_batch_move_lru(k: Kernel, cpu: number): number {
  const b = k.fbatch;
  const n = b.nr.a[cpu]!;
  const base = cpu * PAGEVEC_SIZE;
  const folios: number[] = [];
  for (let i = 0; i < n; i++) {
    const folio = b.folios.a[base + i]!;
    folios.push(folio);
    lru_add(k, pageZone(k, folio), folio);
    put(k.st, b.folios, base + i, -1);
  }
  put(k.st, b.nr, cpu, 0);
  for (const folio of folios) { // folios_put()
    removeHolder(k.st, k.pins, folio, HOLD.LRU_BATCH);
    folio_put(k, folio);
  }
  return n;
}

// mm/swap.c: lru_add_drain_cpu() — the lru_add batch of `cpu` (the only batch modelled).
export function lru_add_drain_cpu(k: Kernel, cpu: number): number {
  return k.fbatch.nr.a[cpu]! > 0 ? folio_batch_move_lru(k, cpu) : 0;
}

// mm/swap.c: lru_add_drain() — this CPU's batches only: cheap, and blind to the other CPUs'.
export function lru_add_drain(k: Kernel, who: string): number {
  const n = lru_add_drain_cpu(k, k.cpu);
  reportDrain(k, who, 'lru_add_drain', n, `CPU ${k.cpu}'s lru_add batch`);
  return n;
}

// mm/swap.c: lru_add_drain_all() — every CPU's batches (the kernel queues lru_add_drain_per_cpu
// work on each CPU with pending folios and waits for it; the model drains them in CPU order).
export function lru_add_drain_all(k: Kernel, who: string, fn = 'lru_add_drain_all'): number {
  let n = 0;
  for (let cpu = 0; cpu < NR_CPUS; cpu++) n += lru_add_drain_cpu(k, cpu);
  reportDrain(k, who, fn, n, 'every CPU\'s lru_add batch');
  return n;
}

// mm/swap.c: lru_cache_disable() — from now until lru_cache_enable(), folio_add_lru() moves each
// folio at once; then every CPU's batch is drained, so a caller about to isolate folios finds
// each one on the LRU.
export function lru_cache_disable(k: Kernel, who: string): void {
  put(k.st, k.fbatch.disableCount, 0, k.fbatch.disableCount.a[0]! + 1);
  lru_add_drain_all(k, who, 'lru_cache_disable');
}

// include/linux/swap.h: lru_cache_enable() — with `who`, a step says so (a path that ends with it
// would otherwise leave the write to an anonymous task-end step).
export function lru_cache_enable(k: Kernel, who?: string): void {
  put(k.st, k.fbatch.disableCount, 0, k.fbatch.disableCount.a[0]! - 1);
  if (who !== undefined && k.sink) {
    emitStep(k, { phase: 'done', fn: 'lru_cache_enable', file: 'include/linux/swap.h', text: `${who}: lru_cache_enable(): folio_add_lru() batches again (lru_disable_count ${k.fbatch.disableCount.a[0]})`, pfns: [] });
  }
}

function reportDrain(k: Kernel, who: string, fn: string, n: number, what: string): void {
  if (n === 0 || !k.sink) return;
  emitStep(k, {
    phase: 'putback', fn, file: 'mm/swap.c',
    text: `${who}: ${fn}() empties ${what}: ${n} folio(s) go on their LRU lists with PG_lru set, and the batch's reference on each is dropped`,
    pfns: [],
  });
}

// mm/swap.c: lru_add_drain_cpu_zone() — this CPU's LRU batches and its page lists of one zone
// (compaction calls it when the migrate scanner leaves a block). Returns the pages freed to the
// buddy lists.
export function lru_add_drain_cpu_zone(k: Kernel, zone: number, who: string): number {
  lru_add_drain(k, who);
  return drain_local_pages(k, zone);
}
