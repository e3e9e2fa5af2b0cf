// The converged design's collect and putback: migrate_pages()' isolation (folio_isolate_lru() for
// LRU folios, isolate_movable_ops_page() for movable_ops pages, the same guards) into an array of
// entries instead of onto a list through page->lru. A proposal: the thread gave these no names;
// migrate_folios_collect() follows migrate_vma_collect().

import { PG, PGTY } from '../../flags';
import type { Kernel } from '../../kernel';
import { folio_get, folio_put, page_folio } from '../../folio';
import { folio_nr_pages, testPageFlag } from '../../memmap';
import { folio_isolate_lru, isolate_movable_ops_page, putback_movable_ops_page } from '../../isolate';
import { page_has_movable_ops } from '../../balloon';
import { isZoneDevice } from '../../device';
import { lruBatchCpu } from '../../fbatch-state';
import { unmovablePageTable } from '../../migrate-paths';
import { folio_add_lru } from '../../swap';
import { addHolder, HOLD, removeHolder } from '../../pins';
import { mod_node_page_state, NS } from '../../vmstat';
import type { GuardKind } from '../../guards';
import { hex, mkStep, type Steps } from '../../step';
import { bytesText, trackingCost } from '../tracking';
import { entryPfn, entryText, migrate_pfn, MIGRATE_PFN_COMPOUND, MIGRATE_PFN_MIGRATE } from './entries';

export const PROPOSAL = 'converged (proposal)';

/** One migration's arrays: src[i] and dst[i] are MIGRATE_PFN_* entries, one per folio. */
export interface FolioArrays {
  readonly src: number[];
  readonly dst: number[];
  /** Per entry: the folio's order (read from its head at collect), PAGE_WAS_MAPPED/MLOCKED, where it is. */
  readonly order: number[];
  readonly was: number[];
  readonly at: Stage[];
}

/** Where an entry is; 'left': never tried, because an -ENOMEM ended the migration first (not a failure). */
export type Stage = 'collected' | 'unmapped' | 'moved' | 'failed' | 'left';

const isolatedStat = (k: Kernel, folio: number): number => (testPageFlag(k, folio, PG.swapbacked) ? NS.NR_ISOLATED_ANON : NS.NR_ISOLATED_FILE);

/** Which guard isolate_movable_ops_page()'s answer names. */
function guardOf(why: string): GuardKind {
  if (why.includes('refcount is 0')) return 'try-get';
  if (why.includes('trylock')) return 'trylock';
  if (why.includes('PG_movable_ops_isolated')) return 'isolated-flag';
  return 'driver';
}

/** What a page that is neither an LRU folio nor a movable_ops page is, for the skip step. */
function notMigratable(k: Kernel, folio: number): string {
  const m = k.mem;
  if (isZoneDevice(k, folio)) return 'a free device page (refcount 0: folio_try_get() fails)';
  if (m.pageType.a[folio] === PGTY.hugetlb) return 'a hugetlb folio: this model leaves hugetlb to migrate_hugetlbs() (not modelled on the converged path)';
  if (m.pageType.a[folio] === PGTY.buddy) return 'free';
  return m.pageType.a[folio] !== PGTY.none ? 'a typed kernel page' : m.refcount.a[folio] === 0 ? 'free, on a per-CPU list' : 'kernel memory';
}

// Proposal: migrate_folios_collect() — each folio isolated as migrate_pages()' callers isolate it,
// recorded as one entry (a large folio too: MIGRATE_PFN_COMPOUND); a folio it cannot isolate gets
// no entry at all, so nothing later puts back or drops a reference it never took.
export function* migrate_folios_collect(k: Kernel, pfns: readonly number[], who: string): Steps<FolioArrays> {
  const a: FolioArrays = { src: [], dst: [], order: [], was: [], at: [] };
  const seen = new Set<number>();
  for (const pfn of pfns) {
    if (pfn < 0 || pfn >= k.mem.nr) {
      yield mkStep(k, { phase: 'isolate', fn: 'migrate_folios_collect', file: '', text: `${PROPOSAL}, ${who}: ${pfn < 0 ? 'the page named is not there' : `pfn ${hex(pfn)} is outside memory`}: no entry`, pfns: [], result: '-EINVAL' });
      continue;
    }
    const folio = page_folio(k, pfn);
    if (seen.has(folio)) continue;
    seen.add(folio);
    const nr = folio_nr_pages(k, folio);
    const ref = k.mem.refcount.a[folio]!;
    const i = a.src.length;
    const movable = page_has_movable_ops(k, folio);
    const device = isZoneDevice(k, folio) && ref > 0 && k.mem.mapping.a[folio] !== 0;
    const lru = !movable && !isZoneDevice(k, folio) && k.mem.pageType.a[folio] === PGTY.none && (k.mem.mapping.a[folio] !== 0 || testPageFlag(k, folio, PG.lru));
    if (!movable && !lru && !device) {
      yield mkStep(k, { phase: 'isolate', fn: 'migrate_folios_collect', file: '', text: `${PROPOSAL}, ${who}: ${hex(folio)} is ${notMigratable(k, folio)}: no entry`, pfns: [{ pfn: folio, role: 'target', nr }], result: 'false', ...unmovablePageTable(k, folio) });
      continue;
    }
    if (device) {
      // mm/migrate_device.c: migrate_device_pfn_lock()'s folio_try_get() — a device-private page
      // is never on an LRU: the collect's reference is all the isolation it gets (its lock comes
      // with the unmap, like every other entry's).
      folio_get(k, folio);
      addHolder(k.st, k.pins, folio, HOLD.ISOLATED);
    } else if (movable) {
      // mm/migrate.c: isolate_movable_ops_page(), as migrate_pages()' callers call it.
      const why = isolate_movable_ops_page(k, folio);
      if (why) {
        yield mkStep(k, {
          phase: 'isolate', fn: 'isolate_movable_ops_page', file: 'mm/migrate.c',
          text: `${PROPOSAL}, ${who}: ${hex(folio)} gets no entry: ${why}`,
          pfns: [{ pfn: folio, role: 'src' }], result: 'false', excluded: { guard: guardOf(why), why },
        });
        continue;
      }
    } else if (!folio_isolate_lru(k, folio)) {
      const cpu = lruBatchCpu(k.fbatch, folio);
      const why = cpu >= 0 ? `PG_lru clear: the folio waits in CPU ${cpu}'s lru_add batch` : 'PG_lru already clear';
      yield mkStep(k, {
        phase: 'isolate', fn: 'folio_isolate_lru', file: 'mm/vmscan.c',
        text: `${PROPOSAL}, ${who}: ${hex(folio)} gets no entry: ${why} (refcount ${ref})`,
        pfns: [{ pfn: folio, role: 'src', nr }], result: 'false', excluded: { guard: 'lru-flag', why },
      });
      continue;
    } else mod_node_page_state(k, isolatedStat(k, folio), nr);
    const order = nr > 1 ? Math.log2(nr) : 0;
    a.src.push(migrate_pfn(folio) | MIGRATE_PFN_MIGRATE | (nr > 1 ? MIGRATE_PFN_COMPOUND : 0));
    a.dst.push(0);
    a.order.push(order);
    a.was.push(0);
    a.at.push('collected');
    yield mkStep(k, {
      phase: 'isolate', fn: device ? 'migrate_folios_collect' : movable ? 'isolate_movable_ops_page' : 'folio_isolate_lru', file: device ? '' : movable ? 'mm/migrate.c' : 'mm/vmscan.c',
      text: `${PROPOSAL}, ${who}: src[${i}] = ${entryText(a.src[i]!, order)} — ${device ? `a device-private page (ZONE_DEVICE, never on an LRU): folio_try_get() as migrate_device_pfn_lock() takes it (+1: refcount ${ref} → ${ref + 1})` : movable ? `movable_ops page isolated (PG_movable_ops_isolated set, +1: refcount ${ref} → ${ref + 1})` : `PG_lru test-and-cleared, off the LRU (+1: refcount ${ref} → ${ref + 1})`}; ${nr > 1 ? `one entry for all ${nr} pages, ` : ''}page->lru is not used`,
      pfns: [{ pfn: folio, role: 'src', nr }], result: 'true',
    });
  }
  const nrs = a.order.map((o) => 1 << o);
  const pages = nrs.reduce((n, x) => n + x, 0);
  const mine = trackingCost('compound-array', nrs);
  const vma = trackingCost('pfn-array', nrs);
  yield mkStep(k, {
    phase: 'isolate', fn: 'migrate_folios_collect', file: '',
    text: `${PROPOSAL}, ${who}: ${a.src.length} entr${a.src.length === 1 ? 'y' : 'ies'} for ${pages} page(s): src[] and dst[] take 2 × 8 B × ${mine.entries} = ${bytesText(mine.bytes)}; migrate_vma_*()'s arrays, one entry per base page, would take 2 × 8 B × ${vma.entries} = ${bytesText(vma.bytes)}; migrate_pages()' lists 0 B, but only through each page's page->lru`,
    pfns: a.src.map((e, j) => ({ pfn: entryPfn(e), role: 'src' as const, nr: 1 << a.order[j]! })),
  });
  return a;
}

// mm/vmscan.c: folio_putback_lru() / mm/migrate.c: putback_movable_ops_page() for an entry that did
// not migrate — by index, no list to walk.
export function* migrate_folios_putback(k: Kernel, a: FolioArrays, i: number, who: string, why: string, stage: Stage = 'failed'): Steps<void> {
  const folio = entryPfn(a.src[i]!);
  const nr = 1 << a.order[i]!;
  const ref = k.mem.refcount.a[folio]!;
  if (page_has_movable_ops(k, folio)) putback_movable_ops_page(k, folio);
  else if (isZoneDevice(k, folio)) {
    removeHolder(k.st, k.pins, folio, HOLD.ISOLATED);
    folio_put(k, folio);
  } else {
    mod_node_page_state(k, isolatedStat(k, folio), -nr);
    folio_add_lru(k, folio);
    removeHolder(k.st, k.pins, folio, HOLD.ISOLATED);
    folio_put(k, folio);
  }
  a.at[i] = stage;
  yield mkStep(k, {
    phase: 'putback', fn: 'migrate_folios_finalize', file: '',
    text: `${PROPOSAL}, ${who}: entry ${i} (${entryText(a.src[i]!, a.order[i])}) not migrated (${why}): put back by index, the isolation reference dropped (refcount ${ref} → ${ref - 1})`,
    pfns: [{ pfn: folio, role: 'src', nr }],
  });
}
