// Outlines of the allocator, compaction, LRU, reclaim, isolation, faults and pinning: the
// mm/ code around the migration core that the presets step through.
import { L, S, type Outline } from './outline';

const PA = 'mm/page_alloc.c';
const CO = 'mm/compaction.c';

export const MM_OUTLINES: Readonly<Record<string, Outline>> = {
  __alloc_pages: {
    file: PA, sym: '__alloc_pages_noprof',
    lines: [
      L('take a frozen block: fast path from the free lists, else the slow path', 'page = __alloc_frozen_pages_noprof(gfp, order, preferred_nid, nodemask);'),
      L('got one: refcount 1', 'set_page_refcounted(page);'),
      L('return it (NULL: the allocation failed)', 'return page;'),
    ],
    stops: [S(2, 'alloc', { result: /NULL/ }), S(1, 'alloc')],
  },
  __alloc_pages_slowpath: {
    file: PA,
    lines: [
      L('wake kswapd', 'wake_all_kswapds(order, gfp_mask, ac);'),
      L('try the free lists again with the slow path\'s flags', 'page = get_page_from_freelist(gfp_mask, order, alloc_flags, ac);'),
      L('costly order: direct compaction before reclaim', 'page = __alloc_pages_direct_compact(gfp_mask, order,'),
    ],
    stops: [S(2, 'alloc')],
  },
  __alloc_pages_direct_compact: {
    file: PA,
    lines: [
      L('order 0: nothing to compact', 'if (!order)'),
      L('try_to_compact_pages(), which may capture a block as it forms', 'prio, &page);'),
      L('a captured block is prepared for the caller', 'prep_new_page(page, order, gfp_mask, alloc_flags);'),
      L('none captured: try the free lists again', 'page = get_page_from_freelist(gfp_mask, order, alloc_flags, ac);'),
      L('success: compaction_defer_reset(zone, order)', 'compaction_defer_reset(zone, order, true);'),
    ],
    stops: [S(4, 'alloc')],
  },
  __rmqueue_smallest: {
    file: PA,
    lines: [
      L('from the requested order upwards', 'for (current_order = order; current_order < NR_PAGE_ORDERS; ++current_order) {'),
      L('the first block on that order\'s list of this migratetype', 'page = get_page_from_free_area(area, migratetype);'),
      L('off the list; split down to the order asked (expand)', 'page_del_and_expand(zone, page, order, current_order,'),
      L('none of any order: NULL', 'return NULL;'),
    ],
    stops: [S(2, 'alloc')],
  },
  expand: {
    file: PA,
    lines: [
      L('while the block is larger than asked: halve it', 'while (high > low) {'),
      L('the upper half goes on the free list one order down', '__add_to_free_list(&page[size], zone, high, migratetype, false);'),
      L('the lower half is kept', 'return nr_added;'),
    ],
    stops: [S(1, 'split')],
  },
  __rmqueue_claim: {
    file: PA,
    lines: [
      L('from the largest order down: a fallback migratetype with a free block', 'fallback_mt = find_suitable_fallback(area, current_order,'),
      L('try_to_claim_block() on its first block', 'page = try_to_claim_block(zone, page, current_order, order,'),
      L('claimed: return it', 'return page;'),
    ],
    stops: [S(2, 'alloc')],
  },
  try_to_claim_block: {
    file: PA,
    lines: [
      L('a whole pageblock or more: take it, retype it, split it', 'change_pageblock_range(page, current_order, start_type);'),
      L('count the free and compatible pages of its pageblock', 'if (!prep_move_freepages_block(zone, page, &start_pfn, &free_pages,'),
      L('at least half: move its free pages over and retype the block', '__move_freepages_block(zone, start_pfn, block_type, start_type);'),
    ],
    stops: [S(0, 'alloc', { text: /claim the whole/ }), S(2, 'alloc')],
  },
  rmqueue_bulk: {
    file: PA,
    lines: [
      L('take zone->lock', 'spin_lock_irqsave(&zone->lock, flags);'),
      L('count times: __rmqueue() a block', 'struct page *page = __rmqueue(zone, order, migratetype,'),
      L('onto the per-CPU list', 'list_add_tail(&page->pcp_list, list);'),
      L('drop the lock; return how many', 'return i;'),
    ],
    stops: [S(1, 'alloc')],
  },
  free_pcppages_bulk: {
    file: PA,
    lines: [
      L('take zone->lock', 'spin_lock_irqsave(&zone->lock, flags);'),
      L('round-robin over the per-CPU lists, coldest page first', 'page = list_last_entry(list, struct page, pcp_list);'),
      L('each back to the buddy: __free_one_page()', '__free_one_page(page, pfn, zone, order, mt, FPI_NONE);'),
    ],
    stops: [S(1, 'free')],
  },
  __free_one_page: {
    file: PA,
    lines: [
      L('while below MAX_PAGE_ORDER:', 'while (order < MAX_PAGE_ORDER) {'),
      L('  a compacting task waiting for this order captures it', 'if (compaction_capture(capc, page, order, migratetype)) {'),
      L('  the buddy (pfn ^ 1 << order) is not a free block of this order: stop', 'if (!buddy)'),
      L('  take the buddy off its list, merge one order up', '__del_page_from_free_list(buddy, zone, order, buddy_mt);'),
      L('onto the free list: tail if a further merge is likely, else head', 'to_tail = buddy_merge_likely(pfn, buddy_pfn, page, order);'),
    ],
    stops: [S(3, 'merge'), S(4, 'free')],
  },
  __free_pages: {
    file: PA,
    lines: [
      L('drop a reference; the last one frees the block', 'if (put_page_testzero(page))', '___free_pages'),
      L('back to the buddy allocator (or a per-CPU list)', '__free_frozen_pages(page, order, fpi_flags);', '___free_pages'),
    ],
    stops: [S(0, 'free', { text: /put_page_testzero/ }), S(1, 'free')],
  },
  compaction_capture: {
    file: PA,
    lines: [
      L('no capture_control, or not the order it wants: no', 'if (!capc || order != capc->cc->order)'),
      L('CMA or isolated blocks are never captured', 'if (is_migrate_cma(migratetype) ||'),
      L('take it: capc->page = the block', 'capc->page = page;'),
    ],
    stops: [S(2, 'alloc')],
  },
  drain_all_pages: {
    file: PA,
    lines: [L('every CPU\'s per-CPU lists of the zone go back to the buddy', '__drain_all_pages(zone, false);')],
    stops: [S(0, 'isolate')],
  },
  alloc_contig_range: {
    file: PA, sym: 'alloc_contig_range_noprof',
    lines: [
      L('isolate the pageblocks (MIGRATE_ISOLATE)', 'ret = start_isolate_page_range(start, end, mode);'),
      L('drain the per-CPU lists', 'drain_all_pages(cc.zone);'),
      L('migrate what is in use out of the range', 'ret = __alloc_contig_migrate_range(&cc, start, end);'),
      L('every page free now? test_pages_isolated()', 'if (test_pages_isolated(outer_start, end, mode)) {'),
      L('take the free pages out of the buddy', 'outer_end = isolate_freepages_range(&cc, outer_start, end);'),
      L('back to MIGRATE_MOVABLE', 'undo_isolate_page_range(start, end);'),
    ],
    stops: [S(5, 'done')],
  },
  __offline_isolated_pages: {
    file: PA,
    lines: [
      L('under zone->lock, walk the range', 'while (pfn < end_pfn) {'),
      L('each free block leaves the isolate free list for good', 'del_page_from_free_list(page, zone, order, MIGRATE_ISOLATE);'),
      L('return the pages taken offline', 'return end_pfn - start_pfn - already_offline;'),
    ],
    stops: [S(2, 'done')],
  },
  compact_zone: {
    file: CO,
    lines: [
      L('is compaction worth it here (watermarks, fragmentation)?', 'ret = compaction_suit_allocation_order(cc->zone, cc->order,'),
      L('scanners start: migrate at the zone start, free at its end', 'cc->free_pfn = pageblock_start_pfn(end_pfn - 1);'),
      L('drain this CPU\'s lru_add batch', 'lru_add_drain();'),
      L('until compact_finished():', 'while ((ret = compact_finished(cc)) == COMPACT_CONTINUE) {'),
      L('  isolate_migratepages(): the next pageblock\'s movable pages', 'switch (isolate_migratepages(cc)) {'),
      L('  migrate_pages() with compaction_alloc() for destinations', 'err = migrate_pages(&cc->migratepages, compaction_alloc,'),
      L('  a block captured: COMPACT_SUCCESS', 'ret = COMPACT_SUCCESS;'),
      L('  left an order-aligned block: drain the per-CPU lists', 'lru_add_drain_cpu_zone(cc->zone);'),
      L('return the result', 'return ret;'),
    ],
    stops: [S(1, 'scan'), S(5, 'alloc'), S(8, 'done')],
  },
  isolate_migratepages_block: {
    file: CO,
    lines: [
      L('for each PFN of the block', 'for (; low_pfn < end_pfn; low_pfn++) {'),
      L('free (PageBuddy): jump over the block', 'if (PageBuddy(page)) {'),
      L('movable_ops page: isolate_movable_ops_page()', 'if (isolate_movable_ops_page(page, mode)) {'),
      L('not on an LRU: skip', 'if (!folio_test_lru(folio))'),
      L('take it off the LRU onto cc->migratepages', 'list_add(&folio->lru, &cc->migratepages);'),
      L('async direct compaction: one failure gives up the block, put back', 'putback_movable_pages(&cc->migratepages);'),
    ],
    stops: [S(5, 'putback'), S(0, 'scan')],
  },
  isolate_freepages_block: {
    file: CO,
    lines: [
      L('for each PFN (with a stride when not strict)', 'for (; blockpfn < end_pfn; blockpfn += stride, page += stride) {'),
      L('not free: next', 'if (!PageBuddy(page))'),
      L('take the free block off the buddy, whole', 'isolated = __isolate_free_page(page, order);'),
      L('onto cc->freepages[order]', 'list_add_tail(&page->lru, &freelist[order]);'),
    ],
    stops: [S(0, 'scan')],
  },
  fast_isolate_freepages: {
    file: CO,
    lines: [
      L('search the free lists below the order for a block near the scanner', 'for (order = cc->search_order;'),
      L('take it off the buddy onto cc->freepages', 'if (__isolate_free_page(page, order)) {'),
      L('move the free scanner there', 'cc->free_pfn = highest;'),
    ],
    stops: [S(1, 'scan')],
  },
  compaction_alloc: {
    file: CO,
    lines: [
      L('the smallest order on cc->freepages that fits', 'if (!list_empty(&cc->freepages[start_order]))', 'compaction_alloc_noprof'),
      L('none: run the free scanner (isolate_freepages) once, else NULL', 'isolate_freepages(cc);', 'compaction_alloc_noprof'),
      L('take the block, split off what is too large', 'list_del(&freepage->lru);', 'compaction_alloc_noprof'),
      L('prepare it as a new folio with refcount 1', 'set_page_refcounted(&dst->page);', 'compaction_alloc_noprof'),
    ],
    stops: [S(3, 'alloc')],
  },
  compaction_defer_reset: {
    file: CO,
    lines: [
      L('success: reset the deferral counters', 'zone->compact_considered = 0;'),
      L('the failed order moves above this one', 'zone->compact_order_failed = order + 1;'),
    ],
    stops: [S(1, 'done')],
  },
  folio_isolate_lru: {
    file: 'mm/vmscan.c',
    lines: [
      L('test-and-clear PG_lru: clear already → someone else has it, false', 'if (folio_test_clear_lru(folio)) {'),
      L('the isolation reference', 'folio_get(folio);'),
      L('off its LRU list under the lruvec lock → true', 'lruvec_del_folio(lruvec, folio);'),
    ],
    stops: [S(0, 'isolate', { result: /false/ }), S(2, 'isolate')],
  },
  folio_putback_lru: {
    file: 'mm/vmscan.c',
    lines: [
      L('back onto the LRU (through the lru_add batch)', 'folio_add_lru(folio);'),
      L('drop the isolation reference', 'folio_put(folio);'),
    ],
    stops: [S(1, 'putback')],
  },
  __remove_mapping: {
    file: 'mm/vmscan.c',
    lines: [
      L('lock the i_pages', 'xa_lock_irq(&mapping->i_pages);'),
      L('freeze at 1 + nr (the cache and the caller) or give up', 'if (!folio_ref_freeze(folio, refcount))'),
      L('dirty after all: unfreeze, give up', 'if (unlikely(folio_test_dirty(folio))) {'),
      L('delete it from the page cache', '__filemap_remove_folio(folio, shadow);'),
    ],
    stops: [S(3, 'reclaim')],
  },
  __folio_put: {
    file: 'mm/swap.c',
    lines: [
      L('ZONE_DEVICE: back to its driver', 'free_zone_device_folio(folio);'),
      L('hugetlb: back to its pool', 'free_huge_folio(folio);'),
      L('off the LRU, uncharged', 'page_cache_release(folio);'),
      L('to the allocator: free_frozen_pages()', 'free_frozen_pages(&folio->page, folio_order(folio));'),
    ],
    stops: [S(3, 'free')],
  },
  folio_add_lru: {
    file: 'mm/swap.c',
    lines: [
      L('MGLRU fault: start active', 'folio_set_active(folio);'),
      L("into this CPU's lru_add batch (full or disabled: moved at once)", 'folio_batch_add_and_move(folio, lru_add);'),
    ],
    stops: [S(1, 'move-mapping')],
  },
  folio_batch_move_lru: {
    file: 'mm/swap.c',
    lines: [
      L('for each folio of the batch', 'for (i = 0; i < folio_batch_count(fbatch); i++) {'),
      L('onto its LRU list under the lruvec lock', 'move_fn(lruvec, folio);'),
      L('PG_lru set', 'folio_set_lru(folio);'),
      L("drop the batch's references", 'folios_put(fbatch);'),
    ],
    stops: [S(1, 'putback')],
  },
  lru_add_drain: {
    file: 'mm/swap.c',
    lines: [
      L("empty this CPU's batches: lru_add_drain_cpu()", 'lru_add_drain_cpu(smp_processor_id());'),
      L('and the mlock batch', 'mlock_drain_local();'),
    ],
    stops: [S(0, 'putback')],
  },
  lru_add_drain_cpu_zone: {
    file: 'mm/swap.c',
    lines: [
      L("empty this CPU's LRU batches", 'lru_add_drain_cpu(smp_processor_id());'),
      L("this CPU's per-CPU free lists of the zone back to the buddy", 'drain_local_pages(zone);'),
    ],
    stops: [S(1, 'free')],
  },
  lru_cache_disable: {
    file: 'mm/swap.c',
    lines: [
      L('lru_disable_count++: folio_add_lru() stops batching', 'atomic_inc(&lru_disable_count);'),
      L("drain every CPU's batches", '__lru_add_drain_all(true);'),
    ],
    stops: [S(1, 'putback')],
  },
  lru_cache_enable: {
    file: 'include/linux/swap.h',
    lines: [L('lru_disable_count--: batching again when it reaches 0', 'atomic_dec(&lru_disable_count);')],
    stops: [S(0, 'done')],
  },
  try_to_migrate_one: {
    file: 'mm/rmap.c',
    lines: [
      L('for each PTE (or huge entry) of the folio in this VMA', 'while (page_vma_mapped_walk(&pvmw)) {'),
      L('clear it and flush the TLB; a dirty PTE marks the folio dirty', 'pteval = ptep_clear_flush(vma, address, pvmw.pte);'),
      L('anon-exclusive but maybe DMA-pinned: cannot share → put the PTE back, fail', 'folio_try_share_anon_rmap_pte(folio, subpage)) {'),
      L('a writable or readable migration entry, by the PTE\'s write bit', 'entry = make_writable_migration_entry('),
      L('the huge entry becomes one migration entry', 'set_huge_pte_at(mm, address, pvmw.pte, swp_pte,'),
      L('the PTE becomes the migration entry', 'set_pte_at(mm, address, pvmw.pte, swp_pte);'),
      L("drop the rmap and the mapping's reference", 'folio_remove_rmap_pte(folio, subpage, vma);'),
    ],
    stops: [S(2, 'unmap', { result: /false/ }), S(4, 'unmap', { text: /huge entry/ }), S(5, 'unmap')],
  },
  folio_ref_freeze: {
    file: 'include/linux/page_ref.h',
    lines: [L('refcount == count? swap it to 0 atomically, else fail (page_ref_freeze)', 'return page_ref_freeze(&folio->page, count);')],
    stops: [S(0, 'refcount')],
  },
  folio_mc_copy: {
    file: 'mm/util.c',
    lines: [
      L('for each page of the folio', 'for (;;) {'),
      L('copy it, machine-check safe; a poisoned page → -EHWPOISON', 'if (copy_mc_highpage(folio_page(dst, i), folio_page(src, i)))'),
      L('all copied → 0', 'return 0;'),
    ],
    stops: [S(1, 'copy')],
  },
  start_isolate_page_range: {
    file: 'mm/page_isolation.c',
    lines: [
      L('the first and last pageblocks (which may hold pages crossing the range)', 'ret = isolate_single_pageblock(isolate_start, mode, false,'),
      L('each pageblock in between: set_migratetype_isolate()', 'if (page && set_migratetype_isolate(page, mode, start_pfn,'),
      L('one refuses (unmovable pages): undo all → -EBUSY', 'return -EBUSY;'),
      L('all isolated → 0', 'return 0;'),
    ],
    stops: [S(2, 'isolate', { result: /-EBUSY/ }), S(3, 'isolate')],
  },
  test_pages_isolated: {
    file: 'mm/page_isolation.c',
    lines: [
      L('every pageblock still MIGRATE_ISOLATE?', 'if (page && !is_migrate_isolate_page(page))'),
      L('every page free (in the buddy) under zone->lock?', 'pfn = __test_page_isolated_in_pageblock(start_pfn, end_pfn, mode);'),
      L('0, or -EBUSY', 'ret = pfn < end_pfn ? -EBUSY : 0;'),
    ],
    stops: [S(2, 'done')],
  },
  offline_pages: {
    file: 'mm/memory_hotplug.c',
    lines: [
      L('no per-CPU lists, no LRU batching', 'lru_cache_disable();'),
      L('isolate the pageblocks', 'ret = start_isolate_page_range(start_pfn, end_pfn,'),
      L('until every page is free: a pending signal gives up (-EINTR)', 'if (signal_pending(current)) {'),
      L('  migrate what is in use out: do_migrate_range()', 'do_migrate_range(pfn, end_pfn);'),
      L('  test_pages_isolated()', 'ret = test_pages_isolated(start_pfn, end_pfn,'),
      L('take the free pages out: __offline_isolated_pages()', '__offline_isolated_pages(start_pfn, end_pfn);'),
    ],
    stops: [S(2, 'done', { result: /-EINTR/ }), S(5, 'done')],
  },
  __split_unmapped_folio: {
    file: 'mm/huge_memory.c',
    lines: [
      L('split order by order down to the new order', 'for (split_order = start_order;'),
      L('each new folio gets flags, mapping and index', '__split_folio_to_order(folio, old_order, split_order);'),
    ],
    stops: [S(1, 'split')],
  },
  folio_start_writeback: {
    file: 'mm/page-writeback.c', sym: '__folio_start_writeback',
    lines: [
      L('PG_writeback set, the cache slot tagged WRITEBACK', 'folio_test_set_writeback(folio);'),
      L('dirty tag cleared', 'xas_clear_mark(&xas, PAGECACHE_TAG_DIRTY);'),
    ],
    stops: [S(0, 'done')],
  },
  folio_wait_writeback: {
    file: 'mm/page-writeback.c',
    lines: [L('while PG_writeback: sleep on it', 'folio_wait_bit(folio, PG_writeback);')],
    stops: [S(0, 'unmap')],
  },
  do_anonymous_page: {
    file: 'mm/memory.c',
    lines: [
      L('read fault: map the zero page', 'if (!(vmf->flags & FAULT_FLAG_WRITE) &&'),
      L('allocate a new anon folio', 'folio = alloc_anon_folio(vmf);'),
      L('rmap: folio_add_new_anon_rmap()', 'folio_add_new_anon_rmap(folio, vma, addr, RMAP_EXCLUSIVE);'),
      L('onto the LRU (through the lru_add batch)', 'folio_add_lru_vma(folio, vma);'),
      L('set the PTE(s)', 'set_ptes(vma->vm_mm, addr, vmf->pte, entry, nr_pages);'),
    ],
    stops: [S(3, 'fault')],
  },
  zap_present_ptes: {
    file: 'mm/memory.c',
    lines: [
      L('the page behind the PTE', 'page = vm_normal_page(vma, addr, ptent);'),
      L('clear the PTE(s), drop the rmap and the reference (the last frees it)', 'zap_present_folio_ptes(tlb, vma, folio, page, pte, ptent, nr,'),
    ],
    stops: [S(1, 'unmap')],
  },
  free_pgtables: {
    file: 'mm/memory.c',
    lines: [
      L('unlink the VMAs from their anon_vma and file', 'unlink_anon_vmas(vma);'),
      L('free the page-table pages', 'free_pgd_range(tlb, addr, vma->vm_end,'),
    ],
    stops: [S(1, 'free')],
  },
  madvise_dontneed_single_vma: {
    file: 'mm/madvise.c',
    lines: [L('zap the range: PTEs cleared, references dropped', 'zap_page_range_single_batched(')],
    stops: [S(0, 'free')],
  },
  shmem_undo_range: {
    file: 'mm/shmem.c',
    lines: [
      L('find and lock the folios of the range', 'while (index < end && find_lock_entries(mapping, &index, end - 1,'),
      L('each out of the page cache (and freed)', 'truncate_inode_folio(mapping, folio);'),
    ],
    stops: [S(1, 'free')],
  },
  get_user_pages: {
    file: 'mm/gup.c',
    lines: [L('FOLL_GET: look up the pages, a reference on each', 'return __get_user_pages_locked(current->mm, start, nr_pages, pages,')],
    stops: [S(0, 'pin')],
  },
  pin_user_pages: {
    file: 'mm/gup.c',
    lines: [L('FOLL_PIN, long-term: migrate out of movable memory first, then pin (+GUP_PIN_COUNTING_BIAS on small folios)', 'return __gup_longterm_locked(current->mm, start, nr_pages,')],
    stops: [S(0, 'pin')],
  },
  unpin_user_page: {
    file: 'mm/gup.c',
    lines: [L('drop the FOLL_PIN (the bias, or the pin count and one reference)', 'gup_put_folio(page_folio(page), 1, FOLL_PIN);')],
    stops: [S(0, 'unpin')],
  },
  put_page: {
    file: 'include/linux/mm.h',
    lines: [
      L('slab and large kmalloc pages are not refcounted here', 'if (folio_test_slab(folio) || folio_test_large_kmalloc(folio))'),
      L('folio_put(): drop the reference', 'folio_put(folio);'),
    ],
    stops: [S(1, 'unpin')],
  },
};
