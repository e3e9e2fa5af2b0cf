// Write-back of an anonymous folio: swap-out, as mm/vmscan.c shrink_folio_list() does it for a
// folio it took off the inactive anon list — folio_alloc_swap() puts it in the swap cache, whose
// references (one per page) keep it alive while the I/O runs, then pageout() → swap_writeout()
// starts writeback. The scenario's `writeback` action runs this on a folio still on the LRU and
// skips try_to_unmap(): its PTEs stay, the state do_swap_page() reaches when the folio is faulted
// back in during the I/O. MADV_DONTNEED or exit then only unmap it; folio_end_writeback() leaves
// it clean in the swap cache, and reclaim (__remove_mapping()) frees it.

import { PG } from './flags';
import type { Kernel } from './kernel';
import { pageZone } from './kernel';
import { clearPageFlag, folio_nr_pages, setPageFlag, testPageFlag } from './memmap';
import { folio_mapped, folio_ref_count } from './folio';
import { lruvec_del_folio } from './lru';
import { hasHolder, HOLD } from './pins';
import { folio_alloc_swap, folio_test_swapcache, folioSwapEntry, swap_cache_del_folio } from './swap_state';
import { hex, mkStep, type Steps } from './step';

const pfnsOf = (k: Kernel, folio: number) => [{ pfn: folio, role: 'target' as const, nr: folio_nr_pages(k, folio) }];

/** Why shrink_folio_list() would not be swapping this folio out now, or null. */
function cannotSwapOut(k: Kernel, folio: number): string | null {
  if (testPageFlag(k, folio, PG.writeback)) return 'already under writeback';
  if (testPageFlag(k, folio, PG.locked)) return 'locked by someone else: folio_trylock() fails';
  if (!testPageFlag(k, folio, PG.lru)) return 'off the LRU (isolated by someone else): reclaim never sees it';
  if (testPageFlag(k, folio, PG.unevictable)) return 'unevictable (mlocked): reclaim never scans it';
  if (hasHolder(k.pins, folio, HOLD.FOLL_PIN)) return 'maybe DMA-pinned (folio_maybe_dma_pinned()): kept';
  return null;
}

// mm/vmscan.c: shrink_folio_list() for an anon, swap-backed folio → folio_alloc_swap(),
// folio_mark_dirty(), pageout() → folio_set_reclaim(), folio_clear_dirty_for_io(),
// swap_writeout() → __swap_writepage() → folio_start_writeback().
export function* swap_writeout_start(k: Kernel, folio: number): Steps<boolean> {
  const why = cannotSwapOut(k, folio);
  if (why) {
    yield mkStep(k, { phase: 'done', fn: 'shrink_folio_list', file: 'mm/vmscan.c', text: `anonymous folio ${hex(folio)} is ${why}: no swap-out`, pfns: pfnsOf(k, folio), result: '-EBUSY' });
    return false;
  }
  const nr = folio_nr_pages(k, folio);
  const before = folio_ref_count(k, folio);
  const had = folio_test_swapcache(k, folio);
  const entry = had ? folioSwapEntry(k, folio) : folio_alloc_swap(k, folio);
  yield mkStep(k, {
    phase: 'done', fn: had ? 'shrink_folio_list' : 'folio_alloc_swap', file: had ? 'mm/vmscan.c' : 'mm/swapfile.c',
    text: had
      ? `${hex(folio)} is already in the swap cache (entry type 0 offset ${entry}): no new slots`
      : `${hex(folio)} gets swap slots ${entry}${nr > 1 ? `–${entry + nr - 1}` : ''} of type 0 and enters the swap cache: PG_swapcache, folio->swap = ${entry}, +${nr} cache reference${nr > 1 ? 's' : ''} (refcount ${before} → ${folio_ref_count(k, folio)})`,
    pfns: pfnsOf(k, folio), result: '0',
  });
  // folio_mark_dirty() then pageout(): folio_clear_dirty_for_io() — the dirty state becomes the I/O.
  setPageFlag(k, folio, PG.reclaim); // folio_set_reclaim(): rotate to the inactive tail when the I/O ends
  clearPageFlag(k, folio, PG.dirty);
  setPageFlag(k, folio, PG.writeback);
  yield mkStep(k, {
    phase: 'done', fn: 'folio_start_writeback', file: 'mm/page-writeback.c',
    text: `swap_writeout() starts the write of ${hex(folio)} to swap: PG_reclaim and PG_writeback set, PG_dirty cleared; the swap cache's references keep it alive whoever unmaps it (try_to_unmap() is not run: its PTEs stay)`,
    pfns: pfnsOf(k, folio), result: '0',
  });
  return true;
}

// mm/vmscan.c: shrink_folio_list() → __remove_mapping() for a clean, unmapped swap-cache
// folio: off the LRU, refcount frozen at 1 + nr (the isolation's and the cache's), out of the
// swap cache (__swap_cache_del_folio(), put_swap_folio()), then freed. Returns false if it is
// not reclaimable now (mapped, dirty, locked, under writeback, or held by someone else).
export function reclaim_swapcache_folio(k: Kernel, folio: number): boolean {
  if (!folio_test_swapcache(k, folio) || folio_mapped(k, folio)) return false;
  if (testPageFlag(k, folio, PG.dirty) || testPageFlag(k, folio, PG.locked) || testPageFlag(k, folio, PG.writeback)) return false;
  if (testPageFlag(k, folio, PG.unevictable) || !testPageFlag(k, folio, PG.lru)) return false;
  const nr = folio_nr_pages(k, folio);
  if (folio_ref_count(k, folio) !== nr) return false; // + the isolation's 1 = __remove_mapping()'s 1 + nr
  lruvec_del_folio(k, pageZone(k, folio), folio);
  clearPageFlag(k, folio, PG.lru);
  clearPageFlag(k, folio, PG.active);
  swap_cache_del_folio(k, folio);
  return true;
}
