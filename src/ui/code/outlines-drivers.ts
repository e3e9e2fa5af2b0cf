// Outlines of the drivers and special memory the presets migrate: the virtio balloon and its
// movable_ops, zsmalloc, device-private memory (migrate_device.c and the test_hmm driver), and
// hugetlb.
import { L, S, type Outline } from './outline';

const BC = 'mm/balloon_compaction.c';
const VB = 'drivers/virtio/virtio_balloon.c';
const MD = 'mm/migrate_device.c';
const HMM = 'lib/test_hmm.c';
const HT = 'mm/hugetlb.c';

/** __migrate_device_pages(): what migrate_vma_pages() and migrate_device_pages() run. */
const DEVICE_PAGES = [
  L('for each entry still MIGRATE with a destination', 'for (i = 0; i < npages; i++) {', '__migrate_device_pages'),
  L('no source page (a hole): migrate_vma_insert_page()', 'migrate_vma_insert_page(migrate, addr, newpage,', '__migrate_device_pages'),
  L('folio_migrate_mapping(): dst takes the anon_vma and index (refcount must match)', 'r = folio_migrate_mapping(mapping, newfolio, folio, extra_cnt);', '__migrate_device_pages'),
  L('it failed: the entry loses MIGRATE', 'src_pfns[i] &= ~MIGRATE_PFN_MIGRATE;', '__migrate_device_pages'),
];

/** __migrate_device_finalize(): what migrate_vma_finalize() and migrate_device_finalize() run. */
const DEVICE_FINALIZE = [
  L('for each entry: not migrated → dst is the source again', 'dst = src;', '__migrate_device_finalize'),
  L('a system-memory dst joins the LRU', 'folio_add_lru(dst);', '__migrate_device_finalize'),
  L('migration entries → PTEs (or device-private entries) of dst', 'remove_migration_ptes(src, dst, 0);', '__migrate_device_finalize'),
  L('src unlocked and put', 'folio_put(src);', '__migrate_device_finalize'),
  L('dst unlocked, its allocation reference dropped', 'folio_put(dst);', '__migrate_device_finalize'),
];

export const DRIVER_OUTLINES: Readonly<Record<string, Outline>> = {
  balloon_page_alloc: {
    file: BC,
    lines: [L('one page, movable if balloon compaction is on, no retry, no warning', 'struct page *page = alloc_page(balloon_mapping_gfp_mask() |')],
    stops: [S(0, 'alloc')],
  },
  balloon_page_enqueue: {
    file: BC,
    lines: [
      L('under pages_lock: balloon_page_enqueue_one()', 'balloon_page_enqueue_one(b_dev_info, page);'),
      L('  (balloon_page_insert: PageOffline, PG_movable_ops, onto the balloon list)'),
    ],
    stops: [S(0, 'alloc')],
  },
  balloon_page_dequeue: {
    file: BC,
    lines: [
      L('take one page off the balloon list (not an isolated one)', 'n_pages = balloon_page_list_dequeue(b_dev_info, &pages, 1);'),
      L('none: the list is empty or all are isolated → NULL', 'return NULL;'),
    ],
    stops: [S(0, 'free')],
  },
  tell_host: {
    file: VB,
    lines: [
      L('the PFN array goes on the virtqueue', 'virtqueue_add_outbuf(vq, &sg, 1, vb, GFP_KERNEL);'),
      L('kick the host', 'virtqueue_kick(vq);'),
      L('wait for its answer', 'wait_event(vb->acked, virtqueue_get_buf(vq, &len));'),
    ],
    stops: [S(-1, 'alloc', { text: /^balloon_lock taken/ }), S(0)],
  },
  virtballoon_migratepage: {
    file: VB,
    lines: [
      L('balloon_lock held (inflate/deflate running) → -EAGAIN', 'if (!mutex_trylock(&vb->balloon_lock))'),
      L('the balloon reference on the new page', 'get_page(newpage);'),
      L('under pages_lock: the new page onto the balloon list', 'balloon_page_insert(vb_dev_info, newpage);'),
      L('tell the host: new page inflated, old page deflated', 'tell_host(vb, vb->deflate_vq);'),
      L('old page: balloon_page_finalize(), drop the balloon reference', 'put_page(page);'),
    ],
    stops: [S(0, 'move-mapping', { result: /-EAGAIN/ }), S(4, 'move-mapping', { text: /balloon_page_finalize/ }), S(1, 'copy')],
  },
  isolate_movable_page: {
    // Linux 6.12's isolate_movable_page() is gone from 6.18: its successor is shown.
    file: 'mm/migrate.c', sym: 'isolate_movable_ops_page',
    lines: [
      L("6.12's isolate_movable_page() became this in 6.18: a reference first", 'folio_get_nontail_page(page)'),
      L('trylock (6.12: then PageMovable(), the ops in page->mapping)', 'if (unlikely(!folio_trylock(folio)))'),
      L("the driver's isolate_page()", 'if (!mops->isolate_page(page, mode))'),
      L('marked isolated → true', 'SetPageMovableOpsIsolated(page);'),
    ],
    stops: [S(3, 'isolate')],
  },
  alloc_zspage: {
    file: 'mm/zsmalloc.c',
    lines: [
      L('one page per zpdesc of the class', 'zpdesc = alloc_zpdesc(gfp, nid);'),
      L('chain them into the zspage (first page marked)', 'create_page_chain(class, zspage, zpdescs);'),
    ],
    stops: [S(1, 'alloc')],
  },
  zs_page_migrate: {
    file: 'mm/zsmalloc.c',
    lines: [
      L("lock the pool and the zspage (busy → -EAGAIN)", 'if (!zspage_write_trylock(zspage)) {'),
      L('copy the objects, point each handle at the new page', 'new_obj = (unsigned long)location_to_obj(newzpdesc, obj_idx);'),
      L('the new page takes the old one\'s place in the chain', 'replace_sub_page(class, zspage, newzpdesc, zpdesc);'),
      L('a reference on the new page; the old one reset and put', 'zpdesc_get(newzpdesc);'),
    ],
    stops: [S(2, 'copy')],
  },
  migrate_vma_setup: {
    file: MD,
    lines: [
      L('check the range and arguments', 'if (!args->src || !args->dst)'),
      L('collect: walk the page tables, fill src[]', 'migrate_vma_collect(args);'),
      L('unmap and isolate what was collected', 'migrate_vma_unmap(args);'),
    ],
    stops: [S(1, 'isolate'), S(2, 'unmap')],
  },
  migrate_vma_collect_pmd: {
    file: MD,
    lines: [
      L('a THP: split it first (or skip)', 'ret = split_folio(folio);'),
      L('pte_none in an anonymous VMA: MIGRATE with no page', 'mpfn = MIGRATE_PFN_MIGRATE;'),
      L('a device-private entry: its page, MIGRATE (+WRITE)', 'mpfn = migrate_pfn(page_to_pfn(page)) |'),
      L('a present PTE: its page, MIGRATE (+WRITE)', 'mpfn = migrate_pfn(pfn) | MIGRATE_PFN_MIGRATE;'),
      L('no page, no mapping or compound: not migrated (0)', 'if (!page || !page->mapping || PageTransCompound(page)) {'),
      L('lock it; the PTE becomes a migration entry at once', 'entry = make_writable_migration_entry('),
    ],
    stops: [S(0, 'split'), S(1, 'isolate', { text: /MIGRATE \(no page\)/ }), S(4, 'isolate', { text: /PageTransCompound/ }), S(5, 'isolate')],
  },
  migrate_device_unmap: {
    file: MD,
    lines: [
      L('for each entry: system page → off the LRU (folio_isolate_lru)', 'if (!folio_isolate_lru(folio)) {'),
      L('try_to_migrate() what is still mapped', 'try_to_migrate(folio, 0);'),
      L('still mapped or extra references (migrate_vma_check_page): restore', '!migrate_vma_check_page(page, fault_page)) {'),
      L('restored entries get their PTEs back', 'for (i = 0; i < npages && restore; i++) {'),
    ],
    stops: [S(2, 'isolate', { result: /restore/ }), S(2, 'isolate')],
  },
  migrate_vma_pages: {
    file: MD,
    lines: [L('__migrate_device_pages(src, dst, migrate)', '__migrate_device_pages(migrate->src, migrate->dst, migrate->npages, migrate);'), ...DEVICE_PAGES],
    stops: [S(3, 'refcount', { text: /folio_migrate_mapping/ }), S(0, 'refcount'), S(0, 'move-mapping')],
  },
  migrate_vma_insert_page: {
    file: MD,
    lines: [
      L('only anonymous private VMAs', 'if (!vma_is_anonymous(vma))'),
      L('a new anonymous page: folio_add_new_anon_rmap()', 'folio_add_new_anon_rmap(folio, vma, addr, RMAP_EXCLUSIVE);'),
      L('its PTE (or device-private entry) set', 'set_pte_at(mm, addr, ptep, entry);'),
    ],
    stops: [S(1, 'move-mapping')],
  },
  migrate_vma_finalize: {
    file: MD,
    lines: [L('__migrate_device_finalize(src, dst)', '__migrate_device_finalize(migrate->src, migrate->dst, migrate->npages,'), ...DEVICE_FINALIZE],
    stops: [S(4, 'remap'), S(0, 'done')],
  },
  migrate_device_range: {
    file: MD,
    lines: [
      L('each device PFN in use: a reference and its lock (migrate_device_pfn_lock)', 'src_pfns[i] = migrate_device_pfn_lock(pfn);'),
      L('unmap them all: migrate_device_unmap()', 'migrate_device_unmap(src_pfns, npages, NULL);'),
    ],
    stops: [S(0, 'isolate')],
  },
  migrate_device_pages: {
    file: MD,
    lines: [L('__migrate_device_pages(src, dst)', '__migrate_device_pages(src_pfns, dst_pfns, npages, NULL);'), ...DEVICE_PAGES],
    stops: [S(3, 'refcount')],
  },
  migrate_device_finalize: {
    file: MD,
    lines: [L('__migrate_device_finalize(src, dst)', 'return __migrate_device_finalize(src_pfns, dst_pfns, npages, NULL);'), ...DEVICE_FINALIZE],
    stops: [S(4, 'remap')],
  },
  dmirror_migrate_alloc_and_copy: {
    file: HMM,
    lines: [
      L('for each entry that is MIGRATE', 'if (!(*src & MIGRATE_PFN_MIGRATE))'),
      L("a device page from the driver's pool", 'dpage = dmirror_devmem_alloc_page(mdevice);'),
      L('copy the source into it (none: a zeroed page)', 'if (spage)'),
      L('dst[] = its PFN, locked', '*dst = migrate_pfn(page_to_pfn(dpage));'),
    ],
    stops: [S(1, 'copy')],
  },
  dmirror_devmem_fault_alloc_and_copy: {
    file: HMM,
    lines: [
      L('for each entry that is MIGRATE', 'if (!spage || !(*src & MIGRATE_PFN_MIGRATE))'),
      L('a system page for it (alloc_page_vma)', 'dpage = alloc_page_vma(GFP_HIGHUSER_MOVABLE, args->vma, addr);'),
      L('copy the device page into it; dst[] = its PFN, locked', '*dst = migrate_pfn(page_to_pfn(dpage));'),
    ],
    stops: [S(2, 'copy')],
  },
  dmirror_device_evict_chunk: {
    file: HMM,
    lines: [
      L('collect every device page of the chunk: migrate_device_range()', 'migrate_device_range(src_pfns, start_pfn, npages);'),
      L('a system page for each, copy', 'dpage = alloc_page(GFP_HIGHUSER_MOVABLE | __GFP_NOFAIL);'),
      L('migrate_device_pages(), migrate_device_finalize()', 'migrate_device_finalize(src_pfns, dst_pfns, npages);'),
    ],
    stops: [S(2, 'done')],
  },
  do_swap_page: {
    file: 'mm/memory.c',
    lines: [
      L('a device-private entry: the page is in device memory', '} else if (is_device_private_entry(entry)) {'),
      L('lock the page, take a reference', 'get_page(vmf->page);'),
      L("the driver's migrate_to_ram() brings it back", 'ret = pgmap->ops->migrate_to_ram(vmf);'),
      L('unlock, drop the reference', 'put_page(vmf->page);'),
    ],
    stops: [S(2, 'fault'), S(3, 'done')],
  },
  alloc_hugetlb_folio_nodemask: {
    file: HT,
    lines: [
      L('a free folio in the pool: dequeue it', 'folio = dequeue_hugetlb_folio_nodemask(h, gfp_mask,'),
      L('none: a temporary surplus folio, if allowed', 'return alloc_migrate_hugetlb_folio(h, gfp_mask, preferred_nid, nmask);'),
    ],
    stops: [S(1, 'alloc', { result: /-ENOMEM/ }), S(0, 'alloc')],
  },
  alloc_migrate_hugetlb_folio: {
    file: HT,
    lines: [
      L('a fresh folio from the buddy allocator', 'folio = alloc_fresh_hugetlb_folio(h, gfp_mask, nid, nmask);'),
      L('refcount 1, marked temporary (freed, not pooled, when put)', 'folio_set_hugetlb_temporary(folio);'),
    ],
    stops: [S(1, 'alloc')],
  },
  folio_isolate_hugetlb: {
    file: HT,
    lines: [
      L('under hugetlb_lock: not migratable, or no reference to be had → false', '!folio_test_hugetlb_migratable(folio) ||'),
      L('clear HPG_migratable, onto the list → true', 'folio_clear_hugetlb_migratable(folio);'),
    ],
    stops: [S(0, 'isolate', { result: /false/ }), S(1, 'isolate')],
  },
  folio_putback_hugetlb: {
    file: HT,
    lines: [
      L('HPG_migratable again, back on hugepage_activelist', 'folio_set_hugetlb_migratable(folio);'),
      L('drop the isolation reference (the last frees it)', 'folio_put(folio);'),
    ],
    stops: [S(0, 'putback'), S(1, 'free')],
  },
  move_hugetlb_state: {
    file: HT,
    lines: [
      L('cgroup charge and owner move', 'hugetlb_cgroup_migrate(old_folio, new_folio);'),
      L('dst was temporary: the old folio takes that mark (freed later)', 'folio_set_hugetlb_temporary(old_folio);'),
      L('dst migratable, onto hugepage_activelist', 'folio_set_hugetlb_migratable(new_folio);'),
    ],
    stops: [S(1, 'remap', { text: /was temporary/ }), S(2, 'remap')],
  },
  hugetlb_no_page: {
    file: HT,
    lines: [
      L('a folio from the pool (alloc_hugetlb_folio)', 'folio = alloc_hugetlb_folio(vma, vmf->address, false);'),
      L('anon rmap', 'hugetlb_add_new_anon_rmap(folio, vma, vmf->address);'),
      L('the huge PTE set', 'set_huge_pte_at(mm, vmf->address, vmf->pte, new_pte, huge_page_size(h));'),
    ],
    stops: [S(0, 'fault')],
  },
};
