// Device-private memory's journaled state: the driver's pool of free device pages (threaded
// through page->lru, which a ZONE_DEVICE page's zone_device_data overlays), and the struct
// migrate_vma of the migration in progress — its src[] and dst[] arrays — so that stepping back
// rewinds them and the UI can show them at any step.

import type { ListHeads } from './list';
import { addStore, type Store, type Stores } from './store';

/** Entries of one migrate_vma call at most (the driver migrates in chunks of this many pages). */
export const MAX_MIGRATE_PAGES = 64;

/** struct migrate_vma's scalars: active, npages, cpages, vma id, start slot, fault page + 1, kind. */
export const MV = { ACTIVE: 0, NPAGES: 1, CPAGES: 2, VMA: 3, START: 4, FAULT: 5, KIND: 6 } as const;
/** What the arrays belong to: a migrate_vma_*() call or a migrate_device_range() eviction. */
export const MV_KIND = { VMA: 0, RANGE: 1 } as const;

export interface DeviceState {
  readonly free: ListHeads;
  readonly mv: Store & { a: Int32Array };
  readonly src: Store & { a: Int32Array };
  readonly dst: Store & { a: Int32Array };
}

export function createDeviceState(st: Stores): DeviceState {
  return {
    free: { heads: addStore(st, 'dmirror.free_pages', new Int32Array(2).fill(-1), -1) },
    mv: addStore(st, 'migrate_vma', new Int32Array(7)),
    src: addStore(st, 'migrate_vma.src', new Int32Array(MAX_MIGRATE_PAGES)),
    dst: addStore(st, 'migrate_vma.dst', new Int32Array(MAX_MIGRATE_PAGES)),
  };
}
