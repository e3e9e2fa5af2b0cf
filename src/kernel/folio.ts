// Folio reference and state helpers (include/linux/mm.h, include/linux/page_ref.h, mm/swap.c).

import { folio_unqueue_deferred_split } from './deferred-split';
import { free_zone_device_folio, isZoneDevice } from './device';
import { free_huge_folio } from './hugetlb';
import { PG, PGTY } from './flags';
import {
  compound_head, folioOrder, setPageFlags, pageMapcountRaw, pageMapping, pageRefcount, pageType, setPageRefcount,
  testPageFlag, folio_nr_pages,
} from './memmap';
import type { Kernel } from './kernel';
import { pageZone } from './kernel';
import { lruvec_del_folio } from './lru';
import { free_frozen_pages } from './buddy';
import { emitStep, hex } from './step';
import { mappingIsAnon } from './vm';
import { HUGETLB_ORDER } from './hugetlb-state';

export function page_folio(k: Kernel, pfn: number): number {
  return compound_head(k, pfn);
}

export function folio_ref_count(k: Kernel, folio: number): number {
  return pageRefcount(k, folio);
}

export function folio_ref_add(k: Kernel, folio: number, nr: number): void {
  setPageRefcount(k, folio, pageRefcount(k, folio) + nr);
}

export function folio_get(k: Kernel, folio: number): void {
  const ref = pageRefcount(k, folio);
  if (ref <= 0) throw new Error(`folio_get on pfn ${folio.toString(16)} with refcount ${ref}`);
  setPageRefcount(k, folio, ref + 1);
}

/** folio_try_get(): the speculative get that fails on a free or frozen folio (refcount 0). */
export function folio_try_get(k: Kernel, folio: number): boolean {
  const ref = pageRefcount(k, folio);
  if (ref === 0) return false;
  setPageRefcount(k, folio, ref + 1);
  return true;
}

// mm/swap.c: folio_put() → __folio_put(): the last reference frees the folio.
export function folio_put_refs(k: Kernel, folio: number, nr: number): void {
  const ref = pageRefcount(k, folio) - nr;
  if (ref < 0) throw new Error(`refcount underflow on pfn ${folio.toString(16)}`);
  setPageRefcount(k, folio, ref);
  if (ref === 0) __folio_put(k, folio);
}

export function folio_put(k: Kernel, folio: number): void {
  folio_put_refs(k, folio, 1);
}

// mm/swap.c: __folio_put() → page_cache_release() takes it off the LRU, then it is freed.
function __folio_put(k: Kernel, folio: number): void {
  if (isZoneDevice(k, folio)) {
    free_zone_device_folio(k, folio);
    return;
  }
  if (pageType(k, folio) === PGTY.hugetlb) {
    free_huge_folio(k, folio); // back to the hstate's pool, or to the buddy allocator
    return;
  }
  if (testPageFlag(k, folio, PG.lru)) {
    lruvec_del_folio(k, pageZone(k, folio), folio);
    clearLruFlags(k, folio);
  }
  folio_unqueue_deferred_split(k, folio);
  const order = folioOrder(k, folio);
  if (k.sink && !k.quietFrees) {
    emitStep(k, {
      phase: 'free', fn: '__folio_put', file: 'mm/swap.c',
      text: `the last reference to ${order ? `the order-${order} folio` : 'page'} ${hex(folio)} is gone (refcount 0): it is freed to the buddy allocator`,
      pfns: [{ pfn: folio, role: 'freed', nr: 1 << order }],
    });
  }
  free_frozen_pages(k, folio, order);
}

// __folio_put clears PG_lru, PG_active and PG_unevictable as it releases the folio.
function clearLruFlags(k: Kernel, folio: number): void {
  const f = k.mem.flags.a[folio]!;
  const clear = (1 << PG.lru) | (1 << PG.active) | (1 << PG.unevictable);
  if (f & clear) {
    setPageFlags(k, folio, f & ~clear);
  }
}

export function folio_test_anon(k: Kernel, folio: number): boolean {
  return mappingIsAnon(pageMapping(k, folio));
}

export function folio_test_large(k: Kernel, folio: number): boolean {
  return testPageFlag(k, folio, PG.head);
}

/** folio_mapcount(): sum of per-page mapcounts (every mapping here is a PTE). */
export function folio_mapcount(k: Kernel, folio: number): number {
  const t = pageType(k, folio);
  // A hugetlb folio is mapped whole: folio_large_mapcount() (= _entire_mapcount + 1 for hugetlb).
  if (t === PGTY.hugetlb) return k.hugetlb.entireMapcount.a[folio >> HUGETLB_ORDER]! + 1;
  if (t !== PGTY.none) return 0;
  const nr = folio_nr_pages(k, folio);
  let m = 0;
  for (let i = 0; i < nr; i++) m += pageMapcountRaw(k, folio + i) + 1;
  return m;
}

export function folio_mapped(k: Kernel, folio: number): boolean {
  return folio_mapcount(k, folio) > 0;
}
