// The swap cache (kernel/swap_state.ts) through migration: a folio swap-out put in the cache is
// migrated as 6.18 migrates one (folio_expected_ref_count() counts the cache's reference per page;
// __folio_migrate_mapping() moves the swap table's slots, PG_swapcache and folio->swap to dst).

import { describe, expect, test } from 'vitest';
import { checkInvariants } from '../kernel/invariants';
import { inspectPage } from '../kernel/inspect';
import { PG } from '../kernel/flags';
import { node_page_state, NS } from '../kernel/vmstat';
import { parseScenario } from './scenario';
import { openSession } from './session';
import { allSteps, runToEnd } from './timeline';

const SWAPCACHE = (1 << PG.swapbacked) | (1 << PG.owner_priv_1);

function run(actions: unknown[]): ReturnType<typeof openSession> {
  const s = openSession(parseScenario({ v: 1, memory: { pfns: 4096 }, seed: 1, actions }));
  runToEnd(s.t);
  return s;
}

describe('migrating a folio in the swap cache', () => {
  const swapOut = [
    { type: 'writeback', process: 0, page: 5, state: 'start' },
    { type: 'writeback', process: 0, page: 5, state: 'end' },
  ];

  test('the expected refcount has the swap cache\'s reference; the slot, PG_swapcache and folio->swap move to dst', () => {
    const before = run(swapOut);
    const src = allSteps(before.t).find((x) => x.fn === 'folio_alloc_swap')!.pfns[0]!.pfn;
    const entry = before.k.mem.private_.a[src]!;
    const mc = before.k.mem.mapcount.a[src]! + 1; // its PTEs (the populated processes fork)
    expect(mc).toBeGreaterThan(0);
    expect(before.k.mem.refcount.a[src]).toBe(mc + 1); // and the swap cache
    expect(checkInvariants(before.k)).toEqual([]);

    const s = run([...swapOut, { type: 'migrate', pages: [{ pfn: src }], mode: 'sync', reason: 'syscall_or_cpuset' }]);
    const steps = allSteps(s.t);
    const check = steps.find((x) => x.fn === 'migrate_folio' && x.phase === 'refcount')!;
    expect(check.result).not.toBe('-EAGAIN');
    // try_to_migrate() has replaced its PTEs by migration entries: the cache and the isolation remain.
    expect(check.text).toContain('refcount 2 == expected 2 (folio_expected_ref_count 1: swap cache 1; + 1 isolation)');
    const move = steps.find((x) => x.fn === '__folio_migrate_mapping')!;
    expect(move.result).toBe('0');
    const dst = move.pfns.find((p) => p.role === 'dst')!.pfn;
    const m = s.k.mem;
    expect(m.flags.a[dst]! & SWAPCACHE).toBe(SWAPCACHE);
    expect(m.private_.a[dst]).toBe(entry);
    expect(s.k.swap.table.a[entry]).toBe(dst);
    expect(m.refcount.a[dst]).toBe(mc + 1); // the remapped PTEs and the swap cache
    expect(m.refcount.a[src]).toBe(0); // freed
    expect(inspectPage(s.k, dst).holders.map((h) => [h.what.replace(/ \(.*/, ''), h.refs])).toEqual([['swap cache', 1], [`${mc} PTE mapping${mc > 1 ? 's' : ''}`, mc]]);
    expect(node_page_state(s.k, NS.NR_SWAPCACHE)).toBe(1);
    expect(checkInvariants(s.k)).toEqual([]);
  });

  test('an unmapped swap-cache folio migrates with the cache as its only holder', () => {
    const s = run([...swapOut,
      { type: 'madvise', advice: 'dontneed', fraction: 1 },
    ]);
    // Zapped after the I/O ended: free_swap_cache() took it out of the cache and it was freed.
    const src = allSteps(s.t).find((x) => x.fn === 'folio_alloc_swap')!.pfns[0]!.pfn;
    expect(s.k.mem.refcount.a[src]).toBe(0);

    const s2 = run([
      { type: 'writeback', process: 0, page: 5, state: 'start' },
      { type: 'madvise', advice: 'dontneed', fraction: 1 },
      { type: 'writeback', pfn: src, state: 'end' },
      { type: 'migrate', pages: [{ pfn: src }], mode: 'sync', reason: 'syscall_or_cpuset' },
    ]);
    const move = allSteps(s2.t).find((x) => x.fn === '__folio_migrate_mapping')!;
    expect(move.result).toBe('0');
    const dst = move.pfns.find((p) => p.role === 'dst')!.pfn;
    expect(s2.k.mem.refcount.a[dst]).toBe(1);
    expect(s2.k.mem.mapcount.a[dst]).toBe(-1);
    expect(checkInvariants(s2.k)).toEqual([]);
  });
});
