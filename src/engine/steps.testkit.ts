// Test-only helper (imported by *.test.ts): invariants checked across a whole timeline.

import { expect } from 'vitest';
import { checkInvariants } from '../kernel/invariants';
import type { openSession } from './session';
import { seek, allSteps } from './timeline';

/**
 * Steps reported in the middle of an operation, where an invariant is broken on purpose for a
 * moment: the allocator's splits and claims (a block off its list, not yet handed out), a free
 * and its merges, the refcount frozen at 0 while the mapping moves, migrate_folio_done (reported
 * before its folio_put), a capture (mid-free). Every other step must satisfy every invariant.
 */
export const MID_OPERATION = new Set([
  '__rmqueue_smallest', 'expand', 'try_to_claim_block', '__rmqueue_claim', '__rmqueue_steal',
  '__folio_put', '__free_one_page', 'folio_ref_freeze', 'migrate_folio_done',
  // a full lru_add batch moved from inside folio_add_lru(): a fault has its rmap but not yet its PTE
  'folio_batch_move_lru',
]);

/** Steps that end a compaction-level operation: always checked, even when sampling. */
const AT_REST = new Set(['compact_zone', 'isolate_migratepages_block', 'isolate_freepages_block', 'migrate_pages', '__alloc_pages', 'defer_compaction', 'compaction_defer_reset',
  'start_isolate_page_range', 'test_pages_isolated', 'alloc_contig_range', 'offline_pages', '__offline_isolated_pages']);

/**
 * checkInvariants() at every step of a timeline but the mid-operation ones; `every` > 1 samples
 * (each every-th step, plus every compaction-level step) to keep long timelines affordable.
 */
export function checkSteps(s: ReturnType<typeof openSession>, every = 1): number {
  let checked = 0;
  for (const st of allSteps(s.t)) {
    if (MID_OPERATION.has(st.fn) || (every > 1 && st.id % every !== 0 && !AT_REST.has(st.fn))) continue;
    seek(s.t, st.id);
    expect(checkInvariants(s.k), `step ${st.id} ${st.fn}`).toEqual([]);
    checked++;
  }
  seek(s.t, allSteps(s.t).length);
  return checked;
}

