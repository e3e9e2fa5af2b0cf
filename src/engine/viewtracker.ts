// The per-PFN view kept up to date incrementally. Rebuilding 1 Mi PFNs takes ~6 ms, most of the
// 8 ms frame budget, while a step writes a few dozen struct page fields. The PFNs whose class
// can differ between two journal positions are exactly those whose fields the journal range
// between them wrote (however the timeline travelled: replay or checkpoint), widened to the
// free block or folio a write can recolour, so only those are reclassified.

import { PG, PGTY } from '../kernel/flags';
import type { Kernel } from '../kernel/kernel';
import { buildView, classOf, heldFolios } from '../kernel/view';
import { MAX_PAGE_ORDER, PAGEBLOCK_NR_PAGES, PAGEBLOCK_ORDER } from '../kernel/zone';
import type { JournalSlice } from './history';

export interface ViewTracker {
  readonly view: Uint8Array;
  /** Journal position the view shows. */
  mark: number;
  /** PFNs reclassified by the last update (for the bench and tests); -1 after a full rebuild. */
  lastDirty: number;
}

export function createViewTracker(k: Kernel, mark: number): ViewTracker {
  const view = new Uint8Array(k.mem.nr);
  buildView(k, view);
  return { view, mark, lastDirty: -1 };
}

/**
 * Bring the view to the kernel's current state, which is at journal position `mark`; `journal`
 * gives the entries between two positions (history.ts: journalSlices), or null where they were
 * dropped (then the view is built again).
 */
export function updateView(vt: ViewTracker, k: Kernel, mark: number, journal: (lo: number, hi: number) => JournalSlice[] | null): void {
  const lo = Math.min(vt.mark, mark);
  const hi = Math.max(vt.mark, mark);
  vt.mark = mark;
  if (lo === hi) {
    vt.lastDirty = 0;
    return;
  }
  const nr = k.mem.nr;
  const slices = hi - lo > nr >> 3 ? null : journal(lo, hi);
  if (!slices) {
    buildView(k, vt.view);
    vt.lastDirty = -1;
    return;
  }
  const m = k.mem;
  const memmapIds = new Set([m.flags.id, m.lruNext.id, m.lruPrev.id, m.mapping.id, m.refcount.id, m.pageType.id, m.private_.id, m.order.id, m.mapcount.id]);
  const dirty = new Set<number>();
  const mark1 = (p: number, n: number): void => {
    const end = Math.min(nr, p + n);
    for (let i = Math.max(0, p); i < end; i++) dirty.add(i);
  };
  for (const j of slices) for (let e = j.from; e < j.to; e++) {
    const sid = j.sid[e]!;
    const i = j.idx[e]!;
    if (memmapIds.has(sid)) {
      // A buddy head's type or order recolours its whole block, before and after the write.
      if (sid === m.pageType.id || sid === m.private_.id) {
        const span = Math.max(orderSpan(j.old[e]!, sid, m.pageType.id), orderSpan(j.nu[e]!, sid, m.pageType.id), orderNow(k, i));
        mark1(i, 1 << span);
      } else if (sid === m.flags.id || sid === m.mapping.id || sid === m.refcount.id) {
        // A head's flags, mapping or refcount recolour every page of its folio.
        mark1(i, m.flags.a[i]! & (1 << PG.head) ? 1 << m.order.a[i]! : 1);
      } else mark1(i, 1);
    } else if (sid === k.pageblock.id) {
      mark1(i << PAGEBLOCK_ORDER, PAGEBLOCK_NR_PAGES);
    } else if (sid === k.pins.pfn.id) {
      for (const p of [j.old[e]!, j.nu[e]!]) if (p >= 0) mark1(p, p < nr && m.flags.a[p]! & (1 << PG.head) ? 1 << m.order.a[p]! : 1);
    }
  }
  const held = heldFolios(k);
  for (const p of dirty) vt.view[p] = classOf(k, p, held);
  vt.lastDirty = dirty.size;
}

/** For a private write the value is an order (when on a buddy head); for a type write, nothing. */
function orderSpan(v: number, sid: number, typeId: number): number {
  if (sid === typeId) return 0;
  return v >= 0 && v <= MAX_PAGE_ORDER ? v : 0;
}

function orderNow(k: Kernel, pfn: number): number {
  return k.mem.pageType.a[pfn] === PGTY.buddy ? Math.min(MAX_PAGE_ORDER, k.mem.private_.a[pfn]!) : 0;
}
