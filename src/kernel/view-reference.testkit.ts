// Test-only helper: the per-PFN view built the plain way — buildView() as it was before its
// single-pass rewrite (one function call per PFN through pfnValid(), Set lookups for held
// folios, the address-space table for shmem). The fast builder must give the same answer for
// every PFN (view.test.ts), so a class changed in one place and not the other is caught.

import { StateClass } from './classes';
import { PG, PGTY } from './flags';
import { pfnValid, ramEnd, type Kernel } from './kernel';
import { get_pfnblock_migratetype, PB_OFFLINE } from './zone';
import { mappingId, mappingIsAnon } from './vm';
import { GUP_PIN_COUNTING_BIAS, HOLD } from './pins';
import { isolatedFreeBlocks } from './compaction-state';

const FREE_BY_MT = [StateClass.FreeUnmovable, StateClass.FreeMovable, StateClass.FreeReclaimable, StateClass.FreeHighAtomic, StateClass.FreeIsolate];

interface Held {
  readonly pinned: Set<number>;
  readonly isolated: Set<number>;
  readonly migrating: Set<number>;
  readonly compactFree: Map<number, number>;
  readonly deviceStart: number;
}

function held(k: Kernel): Held {
  const h: Held = { pinned: new Set(), isolated: new Set(), migrating: new Set(), compactFree: new Map(), deviceStart: ramEnd(k.layout) };
  for (const b of isolatedFreeBlocks(k)) h.compactFree.set(b.pfn, b.order);
  for (let i = 0; i < k.pins.n.a[0]!; i++) {
    const p = k.pins.pfn.a[i]!;
    const kind = k.pins.kind.a[i]!;
    if (kind === HOLD.FOLL_PIN) h.pinned.add(p);
    else if (kind === HOLD.ISOLATED) h.isolated.add(p);
    else if (kind === HOLD.MIGRATE_NEW) h.migrating.add(p);
  }
  return h;
}

/** The view as the straightforward builder draws it. */
export function referenceView(k: Kernel): Uint8Array {
  const out = new Uint8Array(k.mem.nr);
  const { flags, pageType, lruNext, order, private_ } = k.mem;
  const f = flags.a, t = pageType.a, next = lruNext.a, ord = order.a, priv = private_.a;
  const nr = k.mem.nr;
  const h = held(k);
  const pcp = k.pcp.where.a;
  for (let pfn = 0; pfn < nr;) {
    if (!pfnValid(k, pfn)) {
      out[pfn++] = StateClass.Hole;
      continue;
    }
    if (t[pfn] === PGTY.buddy) {
      const n = 1 << priv[pfn]!;
      out.fill(FREE_BY_MT[get_pfnblock_migratetype(k, pfn)] ?? StateClass.FreeMovable, pfn, pfn + n);
      pfn += n;
      continue;
    }
    if (pcp[pfn]) {
      out[pfn++] = StateClass.PcpFree;
      continue;
    }
    const head = next[pfn]! <= -2 ? -next[pfn]! - 2 : pfn;
    const c = usedClass(k, head, h);
    out[pfn] = c;
    pfn++;
    if (head === pfn - 1 && f[head]! & (1 << PG.head)) {
      const end = Math.min(nr, head + (1 << ord[head]!));
      out.fill(c, pfn, end);
      pfn = end;
    }
  }
  for (const [pfn, order] of h.compactFree) out.fill(StateClass.CompactFree, pfn, pfn + (1 << order));
  const pb = k.pageblock.a;
  for (let b = 0; b < pb.length; b++) if (pb[b]! & PB_OFFLINE) out.fill(StateClass.Offlined, b << 9, (b + 1) << 9);
  return out;
}

function usedClass(k: Kernel, head: number, h: Held): StateClass {
  const fl = k.mem.flags.a[head]!;
  if (head >= h.deviceStart) {
    if (k.mem.refcount.a[head] === 0 && k.mem.mapping.a[head] === 0) return StateClass.DeviceFree;
    if (h.migrating.has(head) || fl & (1 << PG.locked)) return StateClass.Migrating;
    return StateClass.DevicePrivate;
  }
  if (fl & (1 << PG.reserved)) return StateClass.Reserved;
  if (h.migrating.has(head) || (fl & (1 << PG.locked) && h.isolated.has(head))) return StateClass.Migrating;
  if (fl & (1 << PG.locked)) return StateClass.Locked;
  if (h.pinned.has(head) || (!(fl & (1 << PG.head)) && k.mem.refcount.a[head]! >= GUP_PIN_COUNTING_BIAS)) return StateClass.Pinned;
  if (k.mem.pageType.a[head] === PGTY.hugetlb && h.isolated.has(head)) return StateClass.Isolated;
  return baseClass(k, head, fl, k.mem.pageType.a[head]!, k.mem.mapping.a[head]!);
}

function baseClass(k: Kernel, head: number, fl: number, type: number, map: number): StateClass {
  switch (type) {
    case PGTY.slab: return StateClass.Slab;
    case PGTY.table: return StateClass.PageTable;
    case PGTY.offline: return fl & (1 << PG.reclaim) ? StateClass.Isolated : StateClass.Offline;
    case PGTY.zsmalloc: return fl & (1 << PG.reclaim) ? StateClass.Isolated : StateClass.Zsmalloc;
    case PGTY.hugetlb: return StateClass.Hugetlb;
  }
  const onLru = (fl & (1 << PG.lru)) !== 0;
  if (map !== 0 && !onLru) return StateClass.Isolated;
  if (fl & (1 << PG.unevictable)) return StateClass.Unevictable;
  if (map !== 0) {
    const active = (fl & (1 << PG.active)) !== 0;
    if (mappingIsAnon(map)) return active ? StateClass.AnonActive : StateClass.Anon;
    if (k.vm.spaces[mappingId(map)]?.kind === 'shmem') return StateClass.Shmem;
    return active ? StateClass.FileActive : StateClass.File;
  }
  return StateClass.Kernel;
}
