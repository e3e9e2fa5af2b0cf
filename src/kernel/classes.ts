// Page state classes: the 1-byte-per-PFN view that the UI draws through a palette.
// The class of a PFN is derived from its struct page (see view.ts); overlays (isolated, locked,
// under migration, pinned) win over the base class because they are what a migration is about.

export const enum StateClass {
  Hole = 0,
  Reserved,
  FreeUnmovable,
  FreeMovable,
  FreeReclaimable,
  FreeHighAtomic,
  FreeIsolate,
  Anon,
  AnonActive,
  File,
  FileActive,
  Shmem,
  Unevictable,
  Slab,
  PageTable,
  Kernel,
  Offline,
  Zsmalloc,
  Hugetlb,
  DevicePrivate,
  Isolated,
  Locked,
  Migrating,
  Pinned,
  /** Free blocks compaction's free scanner has taken off the free lists (cc->freepages). */
  CompactFree,
  /** Memory offline_pages() took out of the allocator (a hot-unplugged memory block). */
  Offlined,
  /** A device-private page in its driver's free pool. */
  DeviceFree,
  /** Free on a CPU's per-CPU page list: not PageBuddy, not counted free, not yet merged. */
  PcpFree,
}

export interface StateClassInfo {
  readonly id: StateClass;
  /** Short key used in summaries and the CLI's JSON output. */
  readonly key: string;
  /** Label for the legend. */
  readonly label: string;
  /** CSS colour (#rrggbb). */
  readonly color: string;
}

// Colours: free memory in pale tints (by migratetype), movable user memory in greens/blues,
// unmovable kernel memory in warm colours, migration overlays in saturated signal colours.
export const STATE_CLASSES: readonly StateClassInfo[] = [
  { id: StateClass.Hole, key: 'hole', label: 'hole (no struct page)', color: '#202020' },
  { id: StateClass.Reserved, key: 'reserved', label: 'reserved (PG_reserved)', color: '#5a5a5a' },
  { id: StateClass.FreeUnmovable, key: 'free-unmovable', label: 'free, Unmovable block', color: '#f3e3d3' },
  { id: StateClass.FreeMovable, key: 'free-movable', label: 'free, Movable block', color: '#eef3ea' },
  { id: StateClass.FreeReclaimable, key: 'free-reclaimable', label: 'free, Reclaimable block', color: '#ece6f3' },
  { id: StateClass.FreeHighAtomic, key: 'free-highatomic', label: 'free, HighAtomic block', color: '#f3f0c8' },
  { id: StateClass.FreeIsolate, key: 'free-isolate', label: 'free, Isolate block', color: '#d6eef3' },
  { id: StateClass.Anon, key: 'anon', label: 'anon, inactive LRU', color: '#4c9a4a' },
  { id: StateClass.AnonActive, key: 'anon-active', label: 'anon, active LRU', color: '#2f6e2d' },
  { id: StateClass.File, key: 'file', label: 'page cache, inactive LRU', color: '#4a7fc0' },
  { id: StateClass.FileActive, key: 'file-active', label: 'page cache, active LRU', color: '#2b5590' },
  { id: StateClass.Shmem, key: 'shmem', label: 'shmem/tmpfs (swapbacked)', color: '#3fa3a0' },
  { id: StateClass.Unevictable, key: 'unevictable', label: 'unevictable LRU (ramfs, mlock)', color: '#8f7bc4' },
  { id: StateClass.Slab, key: 'slab', label: 'slab', color: '#d08a3c' },
  { id: StateClass.PageTable, key: 'pgtable', label: 'page table', color: '#c4682c' },
  { id: StateClass.Kernel, key: 'kernel', label: 'other kernel (unmovable)', color: '#9c4a2a' },
  { id: StateClass.Offline, key: 'offline', label: 'PageOffline (balloon)', color: '#b8b8b8' },
  { id: StateClass.Zsmalloc, key: 'zsmalloc', label: 'zsmalloc', color: '#a07850' },
  { id: StateClass.Hugetlb, key: 'hugetlb', label: 'hugetlb', color: '#6a4fa0' },
  { id: StateClass.DevicePrivate, key: 'device-private', label: 'device-private (ZONE_DEVICE)', color: '#3c3c78' },
  { id: StateClass.Isolated, key: 'isolated', label: 'isolated for migration', color: '#ffb000' },
  { id: StateClass.Locked, key: 'locked', label: 'locked (PG_locked)', color: '#ff6a00' },
  { id: StateClass.Migrating, key: 'migrating', label: 'under migration (migration entries)', color: '#e0208c' },
  { id: StateClass.Pinned, key: 'pinned', label: 'pinned (FOLL_PIN)', color: '#d01818' },
  { id: StateClass.CompactFree, key: 'compact-free', label: 'free, taken by the compaction free scanner', color: '#7fd3f0' },
  { id: StateClass.Offlined, key: 'offlined', label: 'offlined memory (offline_pages)', color: '#3a3550' },
  { id: StateClass.DeviceFree, key: 'device-free', label: 'device-private, free in the driver\'s pool', color: '#c9c9e8' },
  { id: StateClass.PcpFree, key: 'pcp-free', label: 'free, on a per-CPU page list (pcp)', color: '#e6d9a8' },
];

export const NR_STATE_CLASSES = STATE_CLASSES.length;

/** 0xAABBGGRR palette for ImageData's little-endian Uint32 view. */
export function paletteRGBA(): Uint32Array {
  const pal = new Uint32Array(256);
  for (const c of STATE_CLASSES) {
    const r = parseInt(c.color.slice(1, 3), 16);
    const g = parseInt(c.color.slice(3, 5), 16);
    const b = parseInt(c.color.slice(5, 7), 16);
    pal[c.id] = (0xff << 24) | (b << 16) | (g << 8) | r;
  }
  return pal;
}
