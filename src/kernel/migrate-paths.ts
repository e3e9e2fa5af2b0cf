// Callers of migrate_pages() for the scenario's actions: a move_pages(2)-like migration of a set
// of PFNs (isolate each folio, migrate, put back what failed), and writeback on a folio.

import { PG, PGTY } from './flags';
import type { Kernel } from './kernel';
import { __alloc_pages, __GFP_COMP, __GFP_DMA, __GFP_DMA32, GFP_HIGHUSER_MOVABLE } from './buddy';
import { page_folio } from './folio';
import { folio_nr_pages, setPageFlag, clearPageFlag, testPageFlag } from './memmap';
import { folio_set_large_rmappable } from './memory';
import { isolate_folio_to_list, newFolioList, putback_movable_pages } from './isolate';
import { listEmpty } from './list';
import { errName, migrate_pages, type MigrateMode, type MigrateReason, type NewFolioSource } from './migrate';
import { hex, mkStep, type Steps } from './step';
import { folioAddressSpace } from './filemap';
import { page_has_movable_ops } from './balloon';
import { mappingIsMovable } from './vm';
import { mod_node_page_state, NS } from './vmstat';
import { alloc_hugetlb_folio_nodemask } from './hugetlb';
import { FOLIO_LIST } from './folio-lists';

// mm/migrate.c: alloc_migration_target() for one node: same order, GFP_HIGHUSER_MOVABLE (a large
// folio gets __GFP_COMP and comes back large_rmappable), limited to `zone` and below; a hugetlb
// folio's destination comes from the hstate (alloc_hugetlb_folio_nodemask(), hugetlb.ts).
export function alloc_migration_target(zone?: 'DMA' | 'DMA32' | 'Normal'): NewFolioSource {
  const zoneGfp = zone === 'DMA' ? __GFP_DMA : zone === 'DMA32' ? __GFP_DMA32 : 0;
  return {
    name: 'alloc_migration_target',
    zone,
    get(k: Kernel, src: number): number {
      // folio_test_hugetlb(src): htlb_modify_alloc_mask() and alloc_hugetlb_folio_nodemask().
      if (k.mem.pageType.a[src] === PGTY.hugetlb) return alloc_hugetlb_folio_nodemask(k, zoneGfp);
      const order = k.mem.order.a[src]!;
      const large = testPageFlag(k, src, PG.head);
      const dst = __alloc_pages(k, GFP_HIGHUSER_MOVABLE | zoneGfp | (large ? __GFP_COMP : 0), large ? order : 0);
      if (dst >= 0 && large) folio_set_large_rmappable(k, dst);
      return dst;
    },
  };
}

export interface MigrateSpec {
  readonly pfns: readonly number[];
  readonly zone?: 'DMA' | 'DMA32' | 'Normal';
  readonly mode: MigrateMode;
  readonly reason: MigrateReason;
}

// mm/migrate.c: do_pages_move() / do_move_pages_to_node() for a list of PFNs: isolate each
// folio (isolate_folio_to_list), migrate_pages(), putback_movable_pages() for what is left.
export function* migrate_pfns_path(k: Kernel, spec: MigrateSpec, who: string): Steps<number> {
  const from = newFolioList(k, FOLIO_LIST.pagelist);
  const seen = new Set<number>();
  for (const pfn of spec.pfns) {
    if (pfn < 0 || pfn >= k.mem.nr) {
      yield mkStep(k, { phase: 'isolate', fn: 'isolate_folio_to_list', file: 'mm/migrate.c', text: `${who}: pfn ${hex(pfn)} is outside memory: skipped`, pfns: [], result: '-EINVAL' });
      continue;
    }
    const folio = page_folio(k, pfn);
    if (seen.has(folio)) continue;
    seen.add(folio);
    const m = k.mem;
    const movableOps = page_has_movable_ops(k, folio) || mappingIsMovable(m.mapping.a[folio]!);
    const hugetlb = m.pageType.a[folio] === PGTY.hugetlb; // isolate_folio_to_list() takes those too
    if (!movableOps && !hugetlb && (m.pageType.a[folio] !== PGTY.none || (m.mapping.a[folio] === 0 && !testPageFlag(k, folio, PG.lru)))) {
      yield mkStep(k, {
        phase: 'isolate', fn: 'isolate_folio_to_list', file: 'mm/migrate.c',
        text: `${who}: ${hex(pfn)} is not an LRU folio (${m.pageType.a[folio] === PGTY.buddy ? 'free' : m.pageType.a[folio] !== PGTY.none ? 'a typed kernel page' : 'kernel memory'}): nothing to migrate`,
        pfns: [{ pfn: folio, role: 'target' }], result: 'false',
      });
      continue;
    }
    yield* isolate_folio_to_list(k, folio, from, who);
  }
  if (listEmpty(k.lists, from)) {
    yield mkStep(k, { phase: 'done', fn: 'migrate_pages', file: 'mm/migrate.c', text: `${who}: nothing was isolated, so migrate_pages() is not called`, pfns: [], result: '0' });
    return 0;
  }
  const r = yield* migrate_pages(k, from, alloc_migration_target(spec.zone), spec.mode, spec.reason, who);
  if (!listEmpty(k.lists, from)) yield* putback_movable_pages(k, from);
  return r.rc;
}

/** errno text for a migrate_pages() return value. */
export { errName };

// mm/page-writeback.c: folio_start_writeback() / folio_end_writeback() on the folio at `pfn`.
export function* writeback_path(k: Kernel, pfn: number, start: boolean): Steps<boolean> {
  const folio = pfn >= 0 && pfn < k.mem.nr ? page_folio(k, pfn) : -1;
  const fn = start ? 'folio_start_writeback' : 'folio_end_writeback';
  if (folio < 0 || k.mem.mapping.a[folio] === 0) {
    yield mkStep(k, { phase: 'done', fn, file: 'mm/page-writeback.c', text: `${hex(pfn)} is not a user folio: no writeback`, pfns: [], result: '-EINVAL' });
    return false;
  }
  if (start) {
    setPageFlag(k, folio, PG.writeback);
    // folio_clear_dirty_for_io() before the I/O is issued (a real file's dirty pages are counted).
    if (testPageFlag(k, folio, PG.dirty) && folioAddressSpace(k, folio)?.kind === 'file') mod_node_page_state(k, NS.NR_FILE_DIRTY, -folio_nr_pages(k, folio));
    clearPageFlag(k, folio, PG.dirty);
  } else clearPageFlag(k, folio, PG.writeback);
  yield mkStep(k, {
    phase: 'done', fn, file: 'mm/page-writeback.c',
    text: start ? `write-back I/O starts on ${hex(folio)}: PG_dirty cleared, PG_writeback set until the I/O completes` : `write-back I/O on ${hex(folio)} completes: PG_writeback cleared`,
    pfns: [{ pfn: folio, role: 'target', nr: folio_nr_pages(k, folio) }], result: '0',
  });
  return true;
}
