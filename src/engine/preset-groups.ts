// The presets sorted into what a newcomer looks for (the gallery's headings and the picker's
// optgroups), each with one line of what its steps show. The lines were written from each
// preset's timeline (its phases, results and narration), so they must change when a preset's
// actions do. preset-groups.test.ts checks that every preset is in exactly one group.

import { PRESETS } from './presets';

export interface PresetGroup {
  readonly title: string;
  /** Preset name → one line: what stepping through it shows. */
  readonly see: Readonly<Record<string, string>>;
}

export const PRESET_GROUPS: readonly PresetGroup[] = [
  {
    title: 'The allocator',
    see: {
      'buddy-split-merge': 'expand() halves a free block until it fits; freeing merges each buddy back up',
      'alloc-fallback': 'Unmovable requests run out of their own blocks and take over Movable pageblocks',
      'fault-exit': 'page faults allocate anon pages and an mTHP; exit unmaps every PTE and frees them',
      'pin-unpin': 'refcount +1024 for FOLL_PIN, +1 for FOLL_GET, and both given back',
      'race-alloc': 'two allocation streams take turns, one step each, from the same zone',
      'reclaim-cache': 'clean page cache leaves the inactive file list; the freed pages merge in the buddy',
    },
  },
  {
    title: 'Migrating LRU folios',
    see: {
      'lru-anon': 'one forked anon page: refcount +1 at isolation, both PTEs become migration entries, refcount check, copy, remap, free',
      'lru-add-batch': 'isolation fails while the page waits in a per-CPU batch, until lru_cache_disable() drains it',
      'lru-file': 'page-cache folios: the refcount frozen at the expected value while the i_pages entry moves',
      'migrate-process': 'thousands of steps: every folio of one process, in batches, through the same phases',
      'lru-mlocked': 'the lru-anon path with mlock: munlocked while isolated, mlocked again on remap',
      'lru-thp': 'an mTHP and a THP move whole: one migration entry per PTE, 16 and 512 of them',
      'thp-split': 'no 2 MiB destination: -ENOMEM on the THP, split into 512 pages, each migrated',
    },
  },
  {
    title: 'Failures',
    see: {
      'pinned-eagain': 'a FOLL_GET page fails the refcount check with -EAGAIN, pass after pass; after unpin both move',
      race: 'two migrators, one folio: the second finds PG_lru clear and gives up',
      'writeback-async': 'under writeback: -EBUSY in MIGRATE_ASYNC, a wait and success in MIGRATE_SYNC',
      enomem: 'DMA is filled first; the destination allocation fails and the folio goes back (-ENOMEM)',
    },
  },
  {
    title: 'Balloon and the design variants',
    see: {
      'balloon-inflate': 'pages become PageOffline balloon pages one by one; deflate frees some again',
      'balloon-migrate': 'the movable_ops path: no PTEs to unmap, virtballoon_migratepage() moves the balloon reference',
      'balloon-race': 'each guard a step: the loser of each page fails folio_trylock() on the winner\'s page lock and backs off, dropping its transient reference',
      'balloon-lock-eagain': 'virtballoon_migratepage() -EAGAIN while the inflater holds balloon_lock, then success',
      'balloon-migrate-no-refcount': 'balloon-migrate without _refcount: isolation by test-and-set, fewer steps',
      'balloon-race-no-refcount': 'balloon-race without _refcount: the test-and-set alone stops the second migrator',
      'balloon-migrate-pfn-array': 'balloon-migrate with src[]/dst[] PFN arrays instead of lists',
      'balloon-migrate-6.12': 'balloon-migrate as 6.12 did it: PG_isolated and ops in page->mapping',
      zsmalloc: 'zspage pages migrate one at a time through the movable_ops path',
      'balloon-compaction-no-refcount': 'compaction runs into frozen balloon pages it cannot isolate; they stay put',
      'balloon-deflate-race': 'deflate meets an isolator inside its page lock: 6.18 skips the page, 7.0 takes it and the isolator finds private NULL',
      'pgtable-race': 'two migrators, one page table: the isolation flag keeps the second out; the first switches the PMD to a copy',
      'converged-thp': 'one src[]/dst[] array for a THP, an mTHP and two small folios: 4 entries (the THP one COMPOUND entry), 64 B against 8.3 KiB',
      'balloon-race-late': 'the second migrator starts once the first has finished: the PFNs it was given are free by then, nothing to isolate',
    },
  },
  {
    title: 'Compaction',
    see: {
      'compact-memory': 'the migrate scanner climbs, the free scanner descends, pages move until they meet',
      'compact-for-thp': 'a failed order-9 allocation compacts, captures the freed 2 MiB block and succeeds',
      'compact-blocked-by-pins': 'compaction passes four pinned folios by; their pageblocks never empty',
      'contig-range': 'a 4 MiB range isolated, emptied by migration and handed over; a second range fails at once (-EBUSY)',
      'offline-range': 'a range with a pinned page retries and fails; a movable range empties and goes offline',
      'compact-pgtables': 'page tables pin every pageblock: 6.18 fails the order-9 allocation; pgtable-movable moves the tables and succeeds',
    },
  },
  {
    title: 'Device memory',
    see: {
      'migrate-vma-to-device': 'heap pages move to device-private memory through src[]/dst[] and the driver\'s copy',
      'device-fault-back': 'a CPU fault on a device-private entry brings the page back to RAM',
      'device-range-evict': 'driver unload: every device page is found by PFN and moved back',
      'migrate-vma-pinned': 'pinned pages fail migrate_vma_check_page() and keep their PTEs',
      'converged-device': 'under converged, one migrate action brings 8 device pages and 2 LRU pages back through one src[]; linux-6.18 skips the device pages',
    },
  },
  {
    title: 'hugetlb',
    see: {
      hugetlb: 'hugetlb folios move whole: a pool destination, a temporary one, then -ENOMEM with no 2 MiB block left',
    },
  },
  {
    title: 'Machines',
    see: {
      default: 'no actions: 512 MiB after uptime to explore (click a page to inspect it)',
      'fresh-boot': 'no actions: the same 512 MiB machine with free memory still in large blocks',
      small: 'no actions: 32 MiB, every pageblock on screen',
      'large-4g': 'no actions: 4 GiB, one million PFNs (zoom in to see pages)',
      'balloon-compaction': 'a model of a real capture: compact_memory moves balloon pages and LRU folios on 512 MiB',
    },
  },
];

/** The group and the one line of `name`, or null for a preset no group names (the test forbids it). */
export function presetGroupOf(name: string): { readonly group: string; readonly see: string } | null {
  for (const g of PRESET_GROUPS) {
    const see = g.see[name];
    if (see !== undefined) return { group: g.title, see };
  }
  return null;
}

/** Every preset with its group and line, group by group (one in no group, which the test forbids, last under "Other"). */
export function presetsByGroup(): { name: string; summary: string; group: string; see: string }[] {
  const rank = (group: string) => {
    const i = PRESET_GROUPS.findIndex((g) => g.title === group);
    return i < 0 ? PRESET_GROUPS.length : i;
  };
  const all = PRESETS.map((p) => ({ name: p.name, summary: p.summary, ...(presetGroupOf(p.name) ?? { group: 'Other', see: p.summary }) }));
  return all.sort((a, b) => rank(a.group) - rank(b.group));
}
