// mlocked memory (mm/mlock.c) through migration, compaction and exit: PG_mlocked, the
// unevictable LRU's mlock_count, NR_MLOCK and the unevictable_pgs_* events as 6.18 keeps them.

import { describe, expect, test } from 'vitest';
import { PG } from '../kernel/flags';
import { checkInvariants } from '../kernel/invariants';
import { folio_mlock_count } from '../kernel/lru';
import { VM_EVENT, ZS, zone_page_state } from '../kernel/vmstat';
import type { Kernel } from '../kernel/kernel';
import { findPreset } from './presets';
import { parseScenario } from './scenario';
import { openSession } from './session';
import { checkSteps } from './steps.testkit';
import { allSteps, runToEnd } from './timeline';

const nrMlock = (k: Kernel): number => k.zones.reduce((n, z) => n + zone_page_state(k, z.idx, ZS.NR_MLOCK), 0);
const has = (k: Kernel, pfn: number, bit: number): boolean => (k.mem.flags.a[pfn]! & (1 << bit)) !== 0;

describe('mlocked folios', () => {
  test('lru-mlocked: the destination is mlocked again with mlock_count 1, the source freed clean', () => {
    const s = openSession(findPreset('lru-mlocked')!.scenario);
    const before = nrMlock(s.k);
    expect(before).toBeGreaterThan(0);
    const ev0 = Array.from(s.k.events.a);
    runToEnd(s.t);
    expect(s.t.failure).toBeNull();
    const done = allSteps(s.t).find((st) => st.fn === 'folio_migrate_flags')!;
    const dst = done.pfns.find((p) => p.role === 'dst')!.pfn;
    expect(has(s.k, dst, PG.mlocked) && has(s.k, dst, PG.unevictable) && has(s.k, dst, PG.lru)).toBe(true);
    expect(folio_mlock_count(s.k, dst)).toBe(1);
    expect(nrMlock(s.k)).toBe(before);
    // One page: stranded (munlocked while isolated), rescued (lru_add), culled and mlocked (remap).
    const ev = (e: number): number => s.k.events.a[e]! - ev0[e]!;
    expect([VM_EVENT.UNEVICTABLE_PGSTRANDED, VM_EVENT.UNEVICTABLE_PGRESCUED, VM_EVENT.UNEVICTABLE_PGCULLED, VM_EVENT.UNEVICTABLE_PGMLOCKED].map(ev)).toEqual([1, 1, 1, 1]);
    expect(ev(VM_EVENT.PGMIGRATE_SUCCESS)).toBe(1);
    expect(checkSteps(s)).toBeGreaterThan(10);
  });

  test('compaction over mlockall() processes keeps every mlocked page mlocked, and their exit munlocks them all', () => {
    const s = openSession(parseScenario({
      v: 1, memory: { pfns: 8192 }, seed: 7, populate: { processes: 6, files: 12, mlocked: 3 },
      actions: [{ type: 'compact' }, { type: 'exit', process: 0 }, { type: 'exit', process: 1 }, { type: 'exit', process: 2 }],
    }));
    const before = nrMlock(s.k);
    expect(before).toBeGreaterThan(100);
    runToEnd(s.t);
    expect(s.t.failure).toBeNull();
    expect(s.k.events.a[VM_EVENT.PGMIGRATE_SUCCESS]).toBeGreaterThan(0);
    expect(nrMlock(s.k)).toBe(0);
    expect(s.k.events.a[VM_EVENT.UNEVICTABLE_PGMUNLOCKED]).toBeGreaterThan(0);
    expect(s.k.events.a[VM_EVENT.UNEVICTABLE_PGCLEARED]).toBe(0);
    expect(checkInvariants(s.k)).toEqual([]);
    checkSteps(s, 50);
  }, 120_000);
});
