// The page cache (mm/filemap.c): i_pages maps a file index to the folio caching it, and each
// cached folio holds one reference per page for the cache.

import { PG } from './flags';
import {
  clearPageFlag, folio_nr_pages, pageIndex, pageMapping, setPageFlag, setPageIndex, setPageMapping, testPageFlag,
} from './memmap';
import type { Kernel } from './kernel';
import { put } from './store';
import { mod_node_page_state, NS } from './vmstat';
import { fileMapping, mappingId, mappingIsAnon, type AddressSpace } from './vm';
import { folio_ref_add } from './folio';
import { pageZone } from './kernel';
import { folio_lru_list, lruvec_add_folio, lruvec_del_folio } from './lru';
import { listAddTail, listDel } from './list';

// mm/filemap.c: __filemap_add_folio() — the cache takes nr references.
export function filemap_add_folio(k: Kernel, as: AddressSpace, folio: number, index: number): void {
  const nr = folio_nr_pages(k, folio);
  folio_ref_add(k, folio, nr);
  setPageMapping(k, folio, fileMapping(as.id));
  setPageIndex(k, folio, index);
  for (let i = 0; i < nr; i++) put(k.st, as.pages, index + i, folio);
  mod_node_page_state(k, NS.NR_FILE_PAGES, nr);
  if (as.kind === 'shmem') {
    setPageFlag(k, folio, PG.swapbacked); // shmem folios live on the anon LRU
    mod_node_page_state(k, NS.NR_SHMEM, nr);
  }
}

// mm/filemap.c: page_cache_delete() part of __filemap_remove_folio(); the caller drops the refs.
export function __filemap_remove_folio(k: Kernel, as: AddressSpace, folio: number): void {
  const nr = folio_nr_pages(k, folio);
  const index = pageIndex(k, folio);
  for (let i = 0; i < nr; i++) put(k.st, as.pages, index + i, -1);
  setPageMapping(k, folio, 0);
  mod_node_page_state(k, NS.NR_FILE_PAGES, -nr);
  if (as.kind === 'shmem') mod_node_page_state(k, NS.NR_SHMEM, -nr);
  if (as.kind === 'file' && testPageFlag(k, folio, PG.dirty)) mod_node_page_state(k, NS.NR_FILE_DIRTY, -nr);
}

/** folio_mapping() for a file folio: its address_space, or undefined for anon / none. */
export function folioAddressSpace(k: Kernel, folio: number): AddressSpace | undefined {
  const m = pageMapping(k, folio);
  if (m === 0 || mappingIsAnon(m)) return undefined;
  return k.vm.spaces[mappingId(m)];
}

// mm/page-writeback.c: folio_mark_dirty(). Only a real file's dirty pages count in NR_FILE_DIRTY;
// shmem and ramfs use noop_dirty_folio (the real captures: 7,236 dirty pages, nr_dirty 0).
export function folio_mark_dirty(k: Kernel, folio: number): void {
  if (testPageFlag(k, folio, PG.dirty)) return;
  setPageFlag(k, folio, PG.dirty);
  if (folioAddressSpace(k, folio)?.kind === 'file') mod_node_page_state(k, NS.NR_FILE_DIRTY, folio_nr_pages(k, folio));
}

// mm/filemap.c: folio_end_writeback() → folio_end_writeback_no_dropbehind(): a folio written for
// reclaim (PG_reclaim) goes to the tail of its inactive list (folio_rotate_reclaimable(), unless
// locked, dirty, unevictable or off the LRU), so the next reclaim finds it first.
export function folio_end_writeback(k: Kernel, folio: number): boolean {
  let rotated = false;
  if (testPageFlag(k, folio, PG.reclaim)) {
    clearPageFlag(k, folio, PG.reclaim);
    if (!testPageFlag(k, folio, PG.locked) && !testPageFlag(k, folio, PG.dirty) && !testPageFlag(k, folio, PG.unevictable) && testPageFlag(k, folio, PG.lru)) {
      // lru_move_tail() (its per-CPU batch is not modelled): to the tail of the inactive list.
      const zone = pageZone(k, folio);
      lruvec_del_folio(k, zone, folio);
      clearPageFlag(k, folio, PG.active);
      const lru = folio_lru_list(k, folio);
      lruvecAddTail(k, zone, lru, folio);
      rotated = true;
    }
  }
  clearPageFlag(k, folio, PG.writeback);
  return rotated;
}

// mm/swap.c: lru_move_tail() → lruvec_add_folio_tail(): lruvec_add_folio() puts it at the head;
// it then moves to the tail (the oldest end), the counters already right.
function lruvecAddTail(k: Kernel, zone: number, lru: number, folio: number): void {
  lruvec_add_folio(k, zone, folio);
  listDel(k, k.lru, lru, folio);
  listAddTail(k, k.lru, lru, folio);
}
