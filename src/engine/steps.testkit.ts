// Test-only helper (imported by *.test.ts): invariants checked across a whole timeline.

import { expect } from 'vitest';
import { checkInvariants } from '../kernel/invariants';
import type { openSession } from './session';
import { seek } from './timeline';
import { fnOf } from './steptable';

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
 * Steps are told apart by their compact records (the step table's kernel function): making every
 * step in full again by re-execution (allSteps) would cost a whole second run of the timeline.
 */
export function checkSteps(s: ReturnType<typeof openSession>, every = 1): number {
  const t = s.t;
  const n = t.rec.n;
  let checked = 0;
  for (let id = 1; id <= n; id++) {
    const fn = fnOf(t.rec, id);
    if (MID_OPERATION.has(fn) || (every > 1 && id % every !== 0 && !AT_REST.has(fn))) continue;
    seek(t, id);
    expect(checkInvariants(s.k), `step ${id} ${fn}`).toEqual([]);
    checked++;
  }
  seek(t, t.rec.n);
  return checked;
}
