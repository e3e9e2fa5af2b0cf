// Extra references that no struct page field records: GUP pins (FOLL_PIN), plain gets
// (FOLL_GET), and references a caller holds for a while. Kept in a table so the invariant
// "refcount accounts for every holder" can name each holder, as the page inspector will.

import { addStore, growStore, put, type Store, type Stores } from './store';

export const HOLD = {
  /** pin_user_pages(): +GUP_PIN_COUNTING_BIAS on a small folio, +1 (and _pincount) on a large one. */
  FOLL_PIN: 1,
  /** get_user_pages(): +1. */
  FOLL_GET: 2,
  /** A kernel caller's temporary folio_get(). */
  TEMP: 3,
  /** folio_isolate_lru() / isolate_movable_ops_page(): the isolation reference. */
  ISOLATED: 4,
  /** migrate_pages(): the new folio's allocation reference, until migrate_folio_move drops it. */
  MIGRATE_NEW: 5,
  /**
   * mm/memory-failure.c: page_handle_poison() after a soft-offline migration (MR_MEMORY_FAILURE):
   * put_page() then page_ref_inc(), so the old page keeps one reference and never returns to use.
   */
  HWPOISON: 6,
  /** folio_add_lru(): the per-CPU lru_add batch's reference, until the batch moves (swap.ts). */
  LRU_BATCH: 7,
} as const;
export type HoldKind = (typeof HOLD)[keyof typeof HOLD];

export const GUP_PIN_COUNTING_BIAS = 1 << 10;

export interface PinTable {
  pfn: Store & { a: Int32Array };
  kind: Store & { a: Uint8Array };
  readonly n: Store & { a: Int32Array };
}

const PIN_CAPACITY = 1 << 14;

export function createPinTable(st: Stores): PinTable {
  return {
    pfn: addStore(st, 'gup.pfn', new Int32Array(PIN_CAPACITY).fill(-1), -1),
    kind: addStore(st, 'gup.kind', new Uint8Array(PIN_CAPACITY)),
    n: addStore(st, 'gup.n', new Int32Array(1)),
  };
}

export function addHolder(st: Stores, t: PinTable, pfn: number, kind: HoldKind): void {
  const n = t.n.a[0]!;
  if (n >= t.pfn.a.length) {
    growStore(t.pfn, t.pfn.a.length * 2);
    growStore(t.kind, t.kind.a.length * 2);
  }
  put(st, t.pfn, n, pfn);
  put(st, t.kind, n, kind);
  put(st, t.n, 0, n + 1);
}

/** Remove one holder of `kind` on `pfn`; returns false if there was none. */
export function removeHolder(st: Stores, t: PinTable, pfn: number, kind: HoldKind): boolean {
  const n = t.n.a[0]!;
  for (let i = n - 1; i >= 0; i--) {
    if (t.pfn.a[i] === pfn && t.kind.a[i] === kind) {
      put(st, t.pfn, i, t.pfn.a[n - 1]!);
      put(st, t.kind, i, t.kind.a[n - 1]!);
      put(st, t.pfn, n - 1, -1);
      put(st, t.kind, n - 1, 0);
      put(st, t.n, 0, n - 1);
      return true;
    }
  }
  return false;
}

export function holdersOf(t: PinTable, pfn: number): HoldKind[] {
  const out: HoldKind[] = [];
  for (let i = 0; i < t.n.a[0]!; i++) if (t.pfn.a[i] === pfn) out.push(t.kind.a[i] as HoldKind);
  return out;
}

export function hasHolder(t: PinTable, pfn: number, kind: HoldKind): boolean {
  for (let i = 0; i < t.n.a[0]!; i++) if (t.pfn.a[i] === pfn && t.kind.a[i] === kind) return true;
  return false;
}

export const HOLD_NAMES: Record<HoldKind, string> = {
  [HOLD.FOLL_PIN]: 'FOLL_PIN (pin_user_pages)',
  [HOLD.FOLL_GET]: 'FOLL_GET (get_user_pages)',
  [HOLD.TEMP]: 'a temporary reference',
  [HOLD.ISOLATED]: 'isolation for migration',
  [HOLD.MIGRATE_NEW]: "migrate_pages' reference on the new folio",
  [HOLD.HWPOISON]: 'soft-offlined (page_handle_poison keeps it out of use)',
  [HOLD.LRU_BATCH]: "a per-CPU lru_add batch (folio_add_lru; PG_lru and the LRU list wait for lru_add_drain)",
};
