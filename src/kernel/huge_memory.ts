// Splitting a large folio into order-0 folios (mm/huge_memory.c: split_folio_to_list() →
// __folio_split()), as migrate_pages() does when no destination of the folio's order exists.
// The folio is isolated and locked by the caller. Anonymous folios are unmapped into migration
// entries and remapped page by page afterwards; file folios are simply unmapped (they fault back
// on demand), as unmap_folio() does.

import { PG } from './flags';
import { folio_unqueue_deferred_split } from './deferred-split';
import type { Kernel } from './kernel';
import { clearCompoundHead, folio_nr_pages, setFolioOrder, setPageFlags, setPageIndex, setPageMapping, setPagePrivate, setPageRefcount } from './memmap';
import { folio_mapcount, folio_put, folio_ref_count, folio_test_anon } from './folio';
import { folioAddressSpace } from './filemap';
import { listAddTail } from './list';
import { addHolder, HOLD } from './pins';
import { remove_migration_ptes, try_to_migrate } from './migrate-rmap';
import { folio_remove_rmap_ptes, rmap_walk } from './rmap';
import { put } from './store';
import { hex, mkStep, type Steps } from './step';
import { ptePresent } from './vm';

/** Flags each new folio inherits from the old head (__split_folio_to_order()). */
const INHERITED = ([PG.referenced, PG.swapbacked, PG.owner_priv_1, PG.mlocked, PG.uptodate, PG.active, PG.workingset, PG.locked, PG.unevictable, PG.dirty] as number[])
  .reduce((m, b) => m | (1 << b), 0);

export function* split_folio_to_list(k: Kernel, folio: number, list: number): Steps<number> {
  const nr = folio_nr_pages(k, folio);
  const order = k.mem.order.a[folio]!;
  const anon = folio_test_anon(k, folio);
  const as = folioAddressSpace(k, folio);
  const extra = anon ? 0 : nr; // the page cache's references
  const file = 'mm/huge_memory.c';
  // can_split_folio(folio, 1 caller pin)
  const mapped = folio_mapcount(k, folio);
  if (mapped !== folio_ref_count(k, folio) - extra - 1) {
    yield mkStep(k, {
      phase: 'unmap', fn: 'can_split_folio', file,
      text: `order-${order} folio ${hex(folio)} has refcount ${folio_ref_count(k, folio)} but mapcount ${mapped} + ${extra} cache + 1 caller: someone else holds it, the split fails with -EAGAIN`,
      pfns: [{ pfn: folio, role: 'src', nr }], result: '-EAGAIN',
    });
    return -11;
  }
  // unmap_folio()
  if (anon) {
    const r = try_to_migrate(k, folio);
    for (const s of r.steps) yield s;
  } else {
    for (const hit of rmap_walk(k, folio)) {
      if (!ptePresent(hit.pte)) continue;
      put(k.st, hit.vma.pte, hit.slot, 0); // try_to_unmap_one(): the PTE simply goes
      folio_remove_rmap_ptes(k, folio, hit.page, 1, hit.vma);
      folio_put(k, folio);
    }
  }
  if (folio_ref_count(k, folio) !== 1 + extra) {
    yield mkStep(k, {
      phase: 'refcount', fn: 'folio_ref_freeze', file: 'include/linux/page_ref.h',
      text: `refcount ${folio_ref_count(k, folio)} after unmapping, expected ${1 + extra}: the freeze fails, the split is abandoned (-EAGAIN)`,
      pfns: [{ pfn: folio, role: 'src', nr }], result: '-EAGAIN',
    });
    if (anon) for (const s of remove_migration_ptes(k, folio, folio)) yield s;
    return -11;
  }
  setPageRefcount(k, folio, 0);
  folio_unqueue_deferred_split(k, folio); // __folio_split() takes it off the queue while frozen
  yield mkStep(k, {
    phase: 'refcount', fn: 'folio_ref_freeze', file: 'include/linux/page_ref.h',
    text: `order-${order} folio ${hex(folio)} unmapped${anon ? ' into migration entries' : ' (file PTEs are dropped; they fault back later)'}; refcount ${1 + extra} frozen to 0 for the split`,
    pfns: [{ pfn: folio, role: 'src', nr }],
  });
  // __split_unmapped_folio() → __split_folio_to_order(folio, order, 0)
  const headFlags = k.mem.flags.a[folio]! & ~(1 << PG.head);
  const mapping = k.mem.mapping.a[folio]!;
  const index = k.mem.index.a[folio]!;
  for (let i = 1; i < nr; i++) {
    const p = folio + i;
    clearCompoundHead(k, p);
    setPageFlags(k, p, headFlags & INHERITED); // PAGE_FLAGS_CHECK_AT_PREP cleared, the inherited set copied
    setPageMapping(k, p, mapping);
    setPageIndex(k, p, index + i);
    setPagePrivate(k, p, 0);
  }
  setPageFlags(k, folio, headFlags);
  setFolioOrder(k, folio, 0);
  if (as) for (let i = 0; i < nr; i++) put(k.st, as.pages, index + i, folio + i); // __xa_store() per new folio
  // Unfreeze: each new folio gets folio_expected_ref_count() + 1; the tails go on `list` with a
  // reference of their own (lru_add_split_folio), and the +1 of each tail is dropped at the end.
  for (let i = 1; i < nr; i++) {
    setPageRefcount(k, folio + i, (anon ? 0 : 1) + 1);
    addHolder(k.st, k.pins, folio + i, HOLD.ISOLATED);
    listAddTail(k, k.lists, list, folio + i);
  }
  setPageRefcount(k, folio, (anon ? 0 : 1) + 1);
  yield mkStep(k, {
    phase: 'split', fn: '__split_unmapped_folio', file,
    text: `${hex(folio)} is now ${nr} order-0 folios ${hex(folio)}..${hex(folio + nr - 1)}: flags, mapping and index (+i) copied to each${as ? `, ${as.name}'s cache entries point at each` : ''}; the ${nr - 1} new ones join the split list, isolated`,
    pfns: [{ pfn: folio, role: 'src', nr }],
  });
  // remap_page(): anonymous pages get their PTEs back from the migration entries.
  if (anon) for (let i = 0; i < nr; i++) for (const s of remove_migration_ptes(k, folio + i, folio + i)) yield s;
  for (let i = 1; i < nr; i++) setPageFlags(k, folio + i, k.mem.flags.a[folio + i]! & ~(1 << PG.locked)); // folio_unlock()
  return 0;
}
