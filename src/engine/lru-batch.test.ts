// The lru-add-batch preset: a folio in another CPU's lru_add batch cannot be isolated until a
// drain reaches that CPU (mm/swap.c folio_add_lru, lru_add_drain, lru_cache_disable).

import { describe, expect, test } from 'vitest';
import { inspectPage } from '../kernel/inspect';
import { findPreset } from './presets';
import { openSession } from './session';
import { checkSteps } from './steps.testkit';
import { allSteps, runToEnd, seek } from './timeline';

describe('lru-add-batch preset', () => {
  test('the folio faulted on CPU 1 has refcount PTE + batch, fails isolation under compaction (CPU 0 drains only its own batch), and migrates after lru_cache_disable()', () => {
    const s = openSession(findPreset('lru-add-batch')!.scenario);
    runToEnd(s.t);
    expect(s.t.failure).toBeNull();
    const steps = allSteps(s.t);
    const faults = steps.filter((st) => st.fn === 'do_anonymous_page');
    expect(faults).toHaveLength(2);
    const onCpu1 = faults[1]!.pfns[0]!.pfn;
    // Right after its fault: one PTE, and the batch's reference, which the inspector names.
    seek(s.t, faults[1]!.id);
    const d = inspectPage(s.k, onCpu1);
    expect(d.refcount).toBe(2);
    expect(d.expectedRefcount).toBe(2);
    expect(d.flags).not.toContain('lru');
    expect(d.holders.filter((h) => h.what.startsWith("CPU 1's lru_add batch")).map((h) => h.refs)).toEqual([1]);
    // Compaction's migration (on CPU 0): isolation of the CPU 1 folio fails; CPU 0's folio migrates.
    seek(s.t, steps.length);
    const isolations = steps.filter((st) => st.fn === 'folio_isolate_lru');
    const failed = isolations.find((st) => st.result === 'false')!;
    expect(failed.pfns[0]!.pfn).toBe(onCpu1);
    expect(failed.text).toContain("CPU 1's lru_add batch");
    const drainAll = steps.find((st) => st.fn === 'lru_cache_disable')!;
    expect(drainAll.id).toBeGreaterThan(failed.id);
    const later = isolations.find((st) => st.id > drainAll.id && st.pfns[0]!.pfn === onCpu1)!;
    expect(later.result).toBe('true');
    const done = steps.filter((st) => st.fn === 'migrate_pages' && st.result === '0');
    expect(done).toHaveLength(2);
    expect(checkSteps(s)).toBeGreaterThan(20);
  });
});
