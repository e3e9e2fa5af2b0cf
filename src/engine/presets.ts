// Presets are plain scenarios with a name; each path issue adds its own.

// They are trusted data, checked against the Scenario type at compile time and not parsed when
// the module loads: zod stays out of the sim worker's start (design.md's JS budget). Every preset
// passing parseScenario unchanged is a test (presets.test.ts).
import { SCENARIO_VERSION } from './scenario-core';
import type { Scenario } from './scenario';

export interface Preset {
  readonly name: string;
  /** One line: what the preset shows. */
  readonly summary: string;
  readonly scenario: Scenario;
}

/** A preset's scenario as written: readonly (the shared machines are `as const`), without v and name. */
type Body = DeepReadonly<Omit<Scenario, 'v' | 'name'>>;
type DeepReadonly<T> = T extends readonly (infer E)[] ? readonly DeepReadonly<E>[] : T extends object ? { readonly [K in keyof T]: DeepReadonly<T[K]> } : T;

// The cast drops only `readonly`: no code changes a scenario (the timeline keeps them as given).
const preset = (name: string, summary: string, s: Body): Preset => ({ name, summary, scenario: { v: SCENARIO_VERSION, name, ...s } as Scenario });

/** Inflate the balloon by 16 pages, then migrate them all (as compaction would). */
const BALLOON_MIGRATE = [{ type: 'balloon', op: 'inflate', pages: 16 }, { type: 'migrate', pages: [{ from: 0 }], mode: 'sync', reason: 'compaction' }] as const;

/** The 32 MiB machine most path presets run on (two of its processes have forked). */
const SMALL = { memory: { pfns: 8192 }, seed: 7, populate: { processes: 6, files: 12 } } as const;

/** The 32 MiB machine with 2 MiB of device-private memory (a simulated GPU driven like test_hmm's dmirror). */
const DEVICE = { memory: { pfns: 8192, device: 512 }, seed: 7, populate: { processes: 6, files: 12 } } as const;

/** The 64 MiB machine the compaction and contiguous-range presets run on (DMA32 is 24 pageblocks). */
const MEDIUM = { memory: { pfns: 16384 }, seed: 3 } as const;

export const PRESETS: readonly Preset[] = [
  preset('default', '512 MiB machine after some uptime: anon, page cache, shmem, slab, fragmented free memory', {
    memory: { pfns: 131072 },
    seed: 1,
  }),
  preset('fresh-boot', '512 MiB right after boot: the same workload without churn, so free memory is still in large blocks', {
    memory: { pfns: 131072 },
    seed: 1,
    populate: { churn: 0 },
  }),
  preset('small', '32 MiB: every pageblock fits on screen at once', {
    ...SMALL,
  }),
  // Orders 0-3 would come from (and go back to) a per-CPU list: orders 4 and 5 show the buddy itself.
  preset('buddy-split-merge', 'an order-4 allocation (above the per-CPU lists\' orders) splits a large free block down (expand); freeing it merges the buddies back (__free_one_page)', {
    memory: { pfns: 8192 },
    seed: 7,
    populate: { churn: 0, processes: 6, files: 12 },
    actions: [
      { type: 'alloc', order: 4, gfp: 'unmovable' },
      { type: 'alloc', order: 5, gfp: 'movable', count: 2 },
      { type: 'free', from: 0 },
      { type: 'free', from: 1 },
    ],
  }),
  preset('alloc-fallback', 'Unmovable allocations outrun their free lists: the allocator claims Movable pageblocks and retypes them (__rmqueue_claim)', {
    ...SMALL,
    actions: [
      { type: 'alloc', order: 2, gfp: 'unmovable', count: 48 },
      { type: 'alloc', order: 0, gfp: 'reclaimable', count: 16 },
    ],
  }),
  preset('fault-exit', 'a process faults in anon pages (order 0 and 64 KiB mTHP), then exits: every PTE zapped, pages and page tables freed', {
    ...SMALL,
    actions: [
      { type: 'fault', process: 0, pages: 24 },
      { type: 'fault', process: 0, pages: 32, order: 4 },
      { type: 'exit', process: 0 },
    ],
  }),
  preset('pin-unpin', 'FOLL_PIN adds GUP_PIN_COUNTING_BIAS (1024) to a small folio\'s refcount, FOLL_GET adds 1; unpinning gives them back', {
    ...SMALL,
    actions: [
      { type: 'pin', process: 1, page: 3 },
      { type: 'pin', process: 1, page: 4, kind: 'get' },
      { type: 'unpin', process: 1, page: 3 },
      { type: 'unpin', process: 1, page: 4, kind: 'get' },
    ],
  }),
  preset('race-alloc', 'two allocators interleaved step by step (round-robin): an Unmovable and a Movable stream share the zone', {
    ...SMALL,
    actions: [
      {
        type: 'parallel',
        actions: [
          { type: 'alloc', order: 1, gfp: 'unmovable', count: 6 },
          { type: 'alloc', order: 0, gfp: 'movable', count: 6 },
        ],
        schedule: 'round-robin',
      },
    ],
  }),
  preset('reclaim-cache', 'reclaim drops clean, unmapped page cache from the inactive file list and the buddy allocator merges what it frees', {
    ...SMALL,
    actions: [{ type: 'reclaim', pages: 64 }],
  }),
  preset('lru-anon', 'migrate_pages() moves an anonymous page mapped by two processes (a fork): isolate, unmap both PTEs, refcount check, copy, remap', {
    ...SMALL,
    actions: [{ type: 'migrate', pages: [{ process: 1, page: 0 }], mode: 'sync', reason: 'syscall_or_cpuset' }],
  }),
  // Two faults in parallel run on CPUs 0 and 1; each new folio waits in its CPU's lru_add batch.
  preset('lru-add-batch', 'a freshly faulted page waits in its CPU\'s lru_add batch: refcount one more than its mapping, no PG_lru, so isolation fails until a drain reaches that CPU (compaction drains only its own; migrate_pages(2)\'s lru_cache_disable() drains all)', {
    ...SMALL,
    actions: [
      { type: 'parallel', actions: [{ type: 'fault', process: 0, pages: 1 }, { type: 'fault', process: 1, pages: 1 }] },
      { type: 'migrate', pages: [{ from: 0 }], mode: 'sync', reason: 'compaction' },
      { type: 'migrate', pages: [{ from: 0 }], mode: 'sync', reason: 'syscall_or_cpuset' },
    ],
  }),
  preset('lru-file', 'two page-cache folios (one mapped twice, one dirty) migrate: the refcount is frozen under the i_pages lock while the cache entry and PG_dirty move', {
    ...SMALL,
    actions: [{ type: 'migrate', pages: [{ process: 1, page: 0, file: true }, { process: 2, page: 0, file: true }], mode: 'sync' }],
  }),
  preset('migrate-process', 'migrate_pages(2) on one process: every folio it maps (anon, page cache, mTHP) is isolated and migrated in batches of up to 512 pages', {
    ...SMALL,
    actions: [{ type: 'migrate', process: 2, mode: 'sync', reason: 'syscall_or_cpuset' }],
  }),
  preset('lru-mlocked', 'an mlocked page migrates (mlockall process): try_to_migrate_one munlocks the isolated source, the destination joins the LRU evictable, remove_migration_pte mlocks it again', {
    ...SMALL,
    populate: { ...SMALL.populate, mlocked: 2 },
    actions: [{ type: 'migrate', pages: [{ process: 1, page: 0 }], mode: 'sync', reason: 'syscall_or_cpuset' }],
  }),
  preset('lru-thp', 'large folios migrate whole: a 64 KiB mTHP and a 2 MiB THP, 16 and 512 PTEs each turned into migration entries and back', {
    ...SMALL,
    actions: [{ type: 'migrate', pages: [{ process: 1, page: 168 }, { process: 3, page: 30 }], to: 'DMA32', mode: 'sync' }],
  }),
  preset('thp-split', 'no 2 MiB destination is left in DMA: migrate_pages() splits the THP into 512 order-0 folios and migrates those instead', {
    ...SMALL,
    actions: [
      { type: 'alloc', order: 9, gfp: 'movable', count: 64, zone: 'DMA', untilFails: true },
      { type: 'migrate', pages: [{ process: 3, page: 30 }], to: 'DMA', mode: 'sync' },
    ],
  }),
  preset('pinned-eagain', 'a FOLL_GET reference fails the refcount check (-EAGAIN, 10 tries); a FOLL_PIN on an anon-exclusive page is caught earlier, in try_to_migrate()', {
    ...SMALL,
    actions: [
      { type: 'pin', process: 2, page: 0, kind: 'get' },
      { type: 'pin', process: 3, page: 0, kind: 'pin' },
      { type: 'migrate', pages: [{ process: 2, page: 0 }, { process: 3, page: 0 }], mode: 'sync' },
      { type: 'unpin', process: 2, page: 0, kind: 'get' },
      { type: 'unpin', process: 3, page: 0, kind: 'pin' },
      { type: 'migrate', pages: [{ process: 2, page: 0 }, { process: 3, page: 0 }], mode: 'sync' },
    ],
  }),
  preset('race', 'two migrators race for the same folio: the second finds PG_lru already clear in folio_isolate_lru() and backs off', {
    ...SMALL,
    actions: [{ type: 'race', pages: [{ process: 3, page: 1 }], mode: 'async' }],
  }),
  preset('writeback-async', 'a folio under writeback: MIGRATE_ASYNC gives up with -EBUSY, MIGRATE_SYNC waits for the I/O and migrates it', {
    ...SMALL,
    actions: [
      { type: 'writeback', process: 2, page: 0, file: true, state: 'start' },
      { type: 'migrate', pages: [{ process: 2, page: 0, file: true }], mode: 'async' },
      { type: 'migrate', pages: [{ process: 2, page: 0, file: true }], mode: 'sync' },
    ],
  }),
  preset('enomem', 'the target zone (DMA) has no free page left: get_new_folio fails, migrate_pages() returns -ENOMEM and the folio is put back', {
    ...SMALL,
    actions: [
      { type: 'alloc', order: 4, gfp: 'movable', count: 4096, zone: 'DMA', untilFails: true },
      { type: 'alloc', order: 0, gfp: 'movable', count: 4096, zone: 'DMA', untilFails: true },
      { type: 'migrate', pages: [{ process: 3, page: 1 }], to: 'DMA', mode: 'sync' },
    ],
  }),
  preset('balloon-inflate', 'the virtio balloon inflates (pages become PageOffline + PG_movable_ops on the balloon list, one reference each) and deflates (freed; PageOffline ends only then)', {
    ...SMALL,
    actions: [{ type: 'balloon', op: 'inflate', pages: 32 }, { type: 'balloon', op: 'deflate', pages: 8 }],
  }),
  preset('balloon-migrate', 'balloon pages migrate through the movable_ops path: isolate_movable_ops_page(), only locking in the unmap phase, virtballoon_migratepage() moves the balloon reference', {
    ...SMALL,
    actions: BALLOON_MIGRATE,
  }),
  preset('balloon-race', 'two migrators race for the same balloon pages, each guard a step: the page lock keeps the loser out while the winner tests and sets PG_movable_ops_isolated (the PG_reclaim bit); the loser backs off, its transient reference dropped', {
    ...SMALL,
    actions: [{ type: 'balloon', op: 'inflate', pages: 2 }, { type: 'race', pages: [{ from: 0 }], mode: 'async', reason: 'compaction' }],
  }),
  preset('balloon-lock-eagain', 'kcompactd meets the driver inflating: fill_balloon() allocates without a lock, but holds balloon_lock while tell_host() waits for the host, so virtballoon_migratepage()\'s mutex_trylock fails (-EAGAIN) on every pass and the pages go back; once the lock is free they move', {
    ...SMALL,
    actions: [
      { type: 'balloon', op: 'inflate', pages: 4 },
      // The inflater runs to its tell_host() (16 allocations, 16 enqueues, lock held), then the migrator runs.
      { type: 'parallel', actions: [
        { type: 'balloon', op: 'inflate', pages: 16 },
        { type: 'migrate', pages: [{ from: 0 }], mode: 'sync_light', reason: 'compaction' },
      ], schedule: [...Array<number>(33).fill(0), ...Array<number>(400).fill(1)] },
      { type: 'migrate', pages: [{ from: 0 }], mode: 'sync_light', reason: 'compaction' },
    ],
  }),
  preset('balloon-migrate-no-refcount', 'balloon-migrate under the proposed no-refcount design: frozen PageOffline pages in a PFN array, isolation by test-and-set only, no _refcount or lru used', {
    ...SMALL,
    variant: 'no-refcount',
    actions: BALLOON_MIGRATE,
  }),
  preset('balloon-race-no-refcount', 'balloon-race under the no-refcount design: test-and-set of PG_movable_ops_isolated alone keeps the second migrator out', {
    ...SMALL,
    variant: 'no-refcount',
    actions: [{ type: 'balloon', op: 'inflate', pages: 2 }, { type: 'race', pages: [{ from: 0 }], mode: 'async', reason: 'compaction' }],
  }),
  preset('balloon-migrate-pfn-array', 'balloon-migrate through a PFN-array path in the style of migrate_vma_*(): src[]/dst[] of MIGRATE_PFN_* entries instead of lists', {
    ...SMALL,
    variant: 'pfn-array',
    actions: BALLOON_MIGRATE,
  }),
  preset('balloon-migrate-6.12', 'balloon-migrate the linux-6.12 way: ops in page->mapping with PAGE_MAPPING_MOVABLE, PG_isolated, isolate_movable_page(), PageOffline cleared by balloon_page_delete()', {
    ...SMALL,
    variant: 'linux-6.12',
    actions: BALLOON_MIGRATE,
  }),
  // Deflate and a compaction-reason migration meet on the same balloon page: the migrator is
  // inside isolate_movable_ops_page() (page locked, isolate_page() not yet called) when deflate
  // reaches that page. linux-6.18: deflate's trylock_page() fails and it frees one page, not two;
  // the page migrates. --variant linux-7.0: deflate takes it without looking at the page lock, and
  // isolate_page() finds page->private NULL under balloon_pages_lock; nothing migrates.
  preset('balloon-deflate-race', 'a deflate and a compaction isolating the same balloon page: in 6.18 the page lock keeps deflate off it (trylock_page() fails, it frees fewer pages), in 7.0 (--variant linux-7.0) deflate takes it and balloon_pages_lock + page->private keep the isolator out', {
    ...SMALL,
    actions: [
      { type: 'balloon', op: 'inflate', pages: 2 },
      // deflate takes the list head; the migrator locks the other page (its first); deflate
      // reaches that page; the migrator finishes isolating both, then deflate tells the host.
      { type: 'parallel', actions: [
        { type: 'balloon', op: 'deflate', pages: 2 },
        { type: 'migrate', pages: [{ from: 0 }], mode: 'async', reason: 'compaction' },
      ], schedule: [0, 1, 0, 1, 1, 1] },
    ],
  }),
  preset('zsmalloc', 'zsmalloc pages, the second movable_ops user: a zspage\'s pages migrate one by one and zs_page_migrate() splices each new page into the chain', {
    ...SMALL,
    actions: [{ type: 'zsmalloc', zspages: 2, pagesPerZspage: 3 }, { type: 'migrate', pages: [{ from: 0 }], mode: 'sync', reason: 'compaction' }],
  }),
  preset('balloon-compaction', 'mirrors the real capture balloon-compact: a fragmented 512 MiB guest, the virtio balloon inflated by 192 MiB, more holes punched, then compact_memory moves balloon pages (balloon_page_migrate) and LRU folios upward', {
    memory: { pfns: 131072 },
    seed: 1,
    // The capture's fragmenter: 240 MiB anon touched a MiB at a time between 48 MiB of tmpfs
    // writes, 12 MiB of ramfs and 2000 small files; then half of each freed at random.
    populate: { anon: 0.47, file: 0, shmem: 0.1, ramfs: 0.011, slab: 0.034, kernel: 0.03, largeAnon: 0, churn: 0, processes: 1, files: 16, forks: 0 },
    actions: [
      { type: 'madvise', advice: 'dontneed', fraction: 0.5 },
      { type: 'punch-hole', fraction: 0.5 },
      { type: 'balloon', op: 'inflate', pages: 49152 },
      { type: 'madvise', advice: 'dontneed', fraction: 0.5 },
      { type: 'punch-hole', fraction: 0.5 },
      { type: 'compact' },
    ],
  }),
  preset('balloon-compaction-no-refcount', 'the same story, small, under the no-refcount design: 6.18 compaction meets frozen balloon pages (refcount 0) and cannot isolate them, so they never move', {
    ...SMALL,
    variant: 'no-refcount',
    actions: [
      { type: 'balloon', op: 'inflate', pages: 256 },
      { type: 'madvise', advice: 'dontneed', fraction: 0.5 },
      { type: 'compact', zone: 'DMA32' },
    ],
  }),
  preset('compact-memory', 'echo 1 > /proc/sys/vm/compact_memory on a fragmented 128 MiB machine: order -1, MIGRATE_SYNC, every zone until the migrate and free scanners meet', {
    memory: { pfns: 32768 },
    seed: 3,
    actions: [{ type: 'compact' }],
  }),
  preset('compact-for-thp', 'an order-9 allocation finds no free 2 MiB block: direct compaction (async, then sync-light) frees one, capture_control hands it over, the allocation succeeds', {
    ...MEDIUM,
    actions: [
      { type: 'alloc', order: 9, gfp: 'movable', count: 64, untilFails: true },
      { type: 'alloc', order: 9, gfp: 'movable', compact: true },
    ],
  }),
  preset('compact-blocked-by-pins', 'four pinned anon folios (FOLL_PIN): compact_memory skips each (refcount - 1 > mapcount) and leaves it where it is, so its pageblock can never become free', {
    ...MEDIUM,
    actions: [
      ...[0, 1, 2, 5].map((process) => ({ type: 'pin' as const, process, page: 20 })),
      { type: 'compact', zone: 'DMA32' },
    ],
  }),
  preset('contig-range', 'alloc_contig_range() as CMA uses it: 4 MiB of movable pages are isolated (MIGRATE_ISOLATE), migrated out and handed over; a second range fails at once on an unmovable page', {
    ...MEDIUM,
    actions: [
      { type: 'alloc-contig', start: 0x3000, end: 0x3400 },
      { type: 'alloc-contig', start: 0x1800, end: 0x1a00 },
    ],
  }),
  preset('offline-range', 'offline_pages() (memory hot-unplug): a range with a pinned page keeps failing to migrate until the retry loop gives up; a range of movable pages empties and goes offline', {
    ...MEDIUM,
    actions: [
      { type: 'pin', process: 0, page: 20 },
      { type: 'offline', start: 0x1c00, end: 0x1e00 },
      { type: 'offline', start: 0x3800, end: 0x3c00 },
    ],
  }),
  preset('migrate-vma-to-device', 'migrate_vma_*() moves heap pages to device-private memory: src[]/dst[] with MIGRATE_PFN_* flags, migration entries, the driver\'s DMA copy, device-private entries; a THP is split first, an mTHP is skipped, holes get new device pages', {
    ...DEVICE,
    actions: [
      { type: 'migrate-vma', process: 1, start: 0, pages: 16 },
      { type: 'migrate-vma', process: 3, start: 512, pages: 8 },
      { type: 'migrate-vma', process: 2, start: 24, pages: 12 },
    ],
  }),
  preset('device-fault-back', 'the CPU touches a page that lives on the device: do_swap_page() finds a device-private entry and migrate_to_ram() brings that one page back (fault_page)', {
    ...DEVICE,
    actions: [
      { type: 'migrate-vma', process: 1, start: 0, pages: 16 },
      { type: 'device-fault', process: 1, page: 3 },
    ],
  }),
  preset('device-range-evict', 'driver unload: migrate_device_range() finds every device page in use by PFN (no VMA), unmaps it, and moves it back to system memory', {
    ...DEVICE,
    actions: [
      { type: 'migrate-vma', process: 1, start: 0, pages: 16 },
      { type: 'migrate-vma', process: 2, start: 0, pages: 8 },
      { type: 'device-evict' },
    ],
  }),
  preset('migrate-vma-pinned', 'pages with extra references stay: a FOLL_GET page fails migrate_vma_check_page() (refcount - extra > mapcount), a FOLL_PIN page too; their MIGRATE bit is cleared and their PTEs come back', {
    ...DEVICE,
    actions: [
      { type: 'pin', process: 1, page: 2, kind: 'get' },
      { type: 'pin', process: 1, page: 5, kind: 'pin' },
      { type: 'migrate-vma', process: 1, start: 0, pages: 8 },
    ],
  }),
  preset('hugetlb', 'hugetlb folios migrate whole, one at a time (migrate_hugetlbs): a destination from the free pool; with the pool empty, a temporary folio from the buddy allocator (which 6.18 then leaves unmigratable); then -ENOMEM when no order-9 block is left', {
    ...MEDIUM,
    // hugepages=3 at boot; process 0 (map_hugetlb) maps two of them: one pool folio stays free.
    populate: { hugepages: 3, hugetlbMapped: 2 },
    actions: [
      { type: 'migrate', pages: [{ process: 0, page: 0 }], mode: 'sync' },
      { type: 'fault', process: 0, pages: 512 },
      { type: 'migrate', pages: [{ process: 0, page: 1 }], mode: 'sync' },
      { type: 'migrate', pages: [{ process: 0, page: 1 }], mode: 'sync' },
      { type: 'alloc', order: 9, gfp: 'movable', count: 8, zone: 'DMA', untilFails: true },
      { type: 'migrate', pages: [{ process: 0, page: 2 }], to: 'DMA', mode: 'sync' },
    ],
  }),
  preset('compact-pgtables', 'an order-9 allocation on a machine whose otherwise movable pageblocks each hold one leaf page table: 6.18 compaction cannot move a page table, so no 2 MiB block frees up and the allocation fails; under pgtable-movable the tables migrate (copied, PMD switched under pmd_lock) and the allocation succeeds', {
    ...MEDIUM,
    // 64 small processes whose page tables land one per pageblock that had a free page and nothing unmovable.
    populate: { pgtableProcesses: 64 },
    actions: [{ type: 'alloc', order: 9, gfp: 'movable', compact: true }],
  }),
  preset('pgtable-race', 'two migrators race for the same leaf page table under the pgtable-movable design: the first test-and-sets PG_movable_ops_isolated, the second finds it set and backs off; the winner copies the table and switches the PMD under pmd_lock (under linux-6.18 neither gets in: a page table is not movable)', {
    ...SMALL,
    variant: 'pgtable-movable',
    actions: [{ type: 'race', pages: [{ process: 1, page: 0, pgtable: true }], mode: 'async', reason: 'compaction' }],
  }),
  preset('large-4g', '4 GiB (1 Mi PFNs): the size the performance targets are set for', {
    memory: { pfns: 1048576 },
    seed: 1,
    populate: { processes: 64, files: 128 },
  }),
  preset('converged-thp', 'the converged design (Alistair Popple\'s proposal): a 2 MiB THP, a 64 KiB mTHP and two small folios migrate through one src[]/dst[] array — 4 entries, the THP one MIGRATE_PFN_COMPOUND entry: 64 B of arrays where migrate_vma_*()\'s one entry per page would take 8.3 KiB; the same guards, refcount checks and passes as migrate_pages(), no page->lru', {
    ...SMALL,
    variant: 'converged',
    actions: [{ type: 'migrate', pages: [{ process: 3, page: 30 }, { process: 1, page: 0 }, { process: 2, page: 0 }, { process: 1, page: 168 }], to: 'DMA32', mode: 'sync' }],
  }),
  preset('converged-device', 'the converged design takes device-private pages through the same array as LRU folios: 16 heap pages go to the device (migrate_vma_*(), unchanged), then one migrate action names 8 of those device pages (the driver\'s pool hands out 0x21ff downwards) and 2 LRU pages — under linux-6.18 migrate_pages() skips the device pages (not on an LRU), under converged all 10 come back as entries of one src[]', {
    ...DEVICE,
    variant: 'converged',
    actions: [
      { type: 'migrate-vma', process: 1, start: 0, pages: 16 },
      { type: 'migrate', pages: [...Array.from({ length: 8 }, (_, i) => ({ pfn: 0x21f8 + i })), { process: 2, page: 0 }, { process: 3, page: 1 }], mode: 'sync' },
    ],
  }),
  preset('balloon-race-late', 'balloon-race with an explicit schedule: migrator 0 runs to its end before migrator 1 starts, so the second migrator comes late — the pages have moved and the PFNs it was given are free', {
    ...SMALL,
    // One step of migrator 0, then the migrator named last runs on to its end, then the other.
    actions: [{ type: 'balloon', op: 'inflate', pages: 2 }, { type: 'race', pages: [{ from: 0 }], mode: 'async', reason: 'compaction', schedule: [{ migrator: 0, steps: 1 }] }],
  }),
];

export function findPreset(name: string): Preset | undefined {
  return PRESETS.find((p) => p.name === name);
}
