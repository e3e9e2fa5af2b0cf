// Device-private memory (ZONE_DEVICE, MEMORY_DEVICE_PRIVATE) and a driver that owns it, modelled
// on lib/test_hmm.c's dmirror: struct pages for memory the CPU cannot address, a pool of free
// device pages the driver hands out itself, and page_free() when a device page's last
// reference goes. Device pages are never on the LRU nor in the buddy allocator; a process maps
// them through device-private swap entries.

import { PG } from './flags';
import { pageZone, type Kernel } from './kernel';
import { listAdd, listDel, listEmpty, listFirst } from './list';
import { setPageFlag, setPageFlags, setPageIndex, setPageMapping, setPageRefcount } from './memmap';

export const isZoneDevice = (k: Kernel, pfn: number): boolean => k.zones[pageZone(k, pfn)]?.name === 'Device';

/** The device zone, if the machine has one. */
export const deviceZone = (k: Kernel): { start: number; end: number } | undefined => k.zones.find((z) => z.name === 'Device');

// mm/memremap.c: memremap_pages() → memmap_init_zone_device() gives device-private pages a
// refcount of 0; dmirror_allocate_chunk() pushes each onto the driver's free list (a stack).
export function memremap_pages(k: Kernel): void {
  const z = deviceZone(k);
  if (!z) return;
  for (let pfn = z.start; pfn < z.end; pfn++) {
    setPageRefcount(k, pfn, 0);
    listAdd(k, k.device.free, 0, pfn);
  }
}

/** Free device pages in the driver's pool. */
export function deviceFreeCount(k: Kernel): number {
  let n = 0;
  for (let p = k.device.free.heads.a[0]!; p !== -1; p = k.mem.lruNext.a[p]!) n++;
  return n;
}

// lib/test_hmm.c: dmirror_devmem_alloc_page() → zone_device_page_init(): the page comes off the
// driver's list with one reference and locked, ready to be a migration destination.
export function dmirror_devmem_alloc_page(k: Kernel): number {
  if (listEmpty(k.device.free, 0)) return -1;
  const pfn = listFirst(k, k.device.free, 0);
  listDel(k, k.device.free, 0, pfn);
  setPageRefcount(k, pfn, 1);
  setPageFlag(k, pfn, PG.locked);
  return pfn;
}

// mm/memremap.c: free_zone_device_folio() → pgmap->ops->page_free() (dmirror_devmem_free): the
// last reference is gone; the page forgets its mapping and goes back to the driver's pool.
export function free_zone_device_folio(k: Kernel, folio: number): void {
  setPageMapping(k, folio, 0);
  setPageIndex(k, folio, 0);
  setPageFlags(k, folio, 0);
  listAdd(k, k.device.free, 0, folio);
}
