// Imported memory is ordinary scenario state: a session opened on a real capture's `before`
// runs compact_memory, and the real runs' facts hold (many pages moved, ramfs pages failing).

import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { importDump } from '../kernel/import/rebuild';
import type { DumpFiles } from '../kernel/import/types';
import { checkInvariants } from '../kernel/invariants';
import { VM_EVENT, ZS, zone_page_state } from '../kernel/vmstat';
import { openImportedSession } from './session';
import { runToEnd } from './timeline';
import { captureSet, needCapture, REAL_CAPTURES, REFERENCE } from '../reference.testkit';

// Both folders: the 6.1 captures and the 6.12 ones (mlocked pages, THPs, a long-term pin).
const SET = captureSet(REAL_CAPTURES, 'before.kpageflags');
const CAPTURES = SET.dirs;

function before(dir: string): DumpFiles {
  const p = `${REFERENCE}${dir}/before`;
  const text = (ext: string): string | undefined => (existsSync(p + ext) ? readFileSync(p + ext, 'utf8') : undefined);
  return {
    name: `${dir}/before`,
    kpageflags: new Uint8Array(readFileSync(p + '.kpageflags')),
    kpagecount: new Uint8Array(readFileSync(p + '.kpagecount')),
    buddyinfo: text('.buddyinfo'),
    pagetypeinfo: text('.pagetypeinfo'),
    zoneinfo: text('.zoneinfo'),
  };
}

SET.describe('sessions on imported memory', () => {
  test.each(CAPTURES)('%s/before: compact_memory runs on the imported memory and every invariant holds at the end', (dir) => {
    const r = importDump(before(dir));
    const s = openImportedSession(r, [{ type: 'compact' }]);
    expect(s.imported).toBe(r.report);
    expect(s.scenario.memory.pfns).toBe(131072);
    // The steps computed, from the compact record: making 140k-210k steps in full again
    // (allSteps) to count them cost a recording re-execution. Re-execution over imported memory
    // is checked step by step where steps are read: pairs.test (6.12 captures), replay.test (6.1).
    expect(runToEnd(s.t)).toBe(s.t.rec.n);
    expect(s.t.rec.n).toBeGreaterThan(100);
    expect(s.k.events.a[VM_EVENT.PGMIGRATE_SUCCESS]).toBeGreaterThan(1000);
    // The real runs failed on dirty ramfs pages only (~660 and ~1090): so does the model.
    expect(s.k.events.a[VM_EVENT.PGMIGRATE_FAIL]).toBeGreaterThan(0);
    expect(checkInvariants(s.k)).toEqual([]);
  }, 120_000);
});

needCapture('real-kernel-6.12/fragmented-compact/before.kpageflags', 'real-kernel-6.12/fragmented-compact/before.vmstat').describe('mlocked memory of a real 6.12 machine', () => {
  const vmstat = (name: string): Map<string, number> => new Map(readFileSync(`${REFERENCE}real-kernel-6.12/fragmented-compact/${name}.vmstat`, 'utf8')
    .split('\n').filter(Boolean).map((l) => [l.split(' ')[0]!, Number(l.split(' ')[1])]));

  test('its mlocked pages are imported mlocked and stay mlocked as compaction migrates them', () => {
    const r = importDump(before('real-kernel-6.12/fragmented-compact'));
    const s = openImportedSession(r, [{ type: 'compact' }]);
    const real = vmstat('before');
    const mlocked = (): number => Array.from(s.k.zones, (z) => zone_page_state(s.k, z.idx, ZS.NR_MLOCK)).reduce((a, b) => a + b, 0);
    expect(mlocked()).toBe(real.get('nr_mlock'));
    expect(s.k.vm.vmas.some((v) => v.locked)).toBe(true);
    const before0 = s.k.events.a[VM_EVENT.UNEVICTABLE_PGMLOCKED]!;
    runToEnd(s.t);
    expect(s.t.failure).toBeNull();
    // The real run kept nr_mlock (1024) while migrating most of them: each destination is
    // mlocked again by remove_migration_pte() (unevictable_pgs_mlocked grew by 701 there).
    expect(mlocked()).toBe(vmstat('after').get('nr_mlock'));
    // Per migrated mlocked folio the real run counted one each of: stranded (try_to_migrate_one
    // munlocks the isolated source), rescued (lru_add() finds the destination evictable), culled
    // and mlocked (remove_migration_pte() mlocks it); no munlocked, no cleared.
    const delta = (e: number): number => s.k.events.a[e]! - (e === VM_EVENT.UNEVICTABLE_PGMLOCKED ? before0 : 0);
    const moved = delta(VM_EVENT.UNEVICTABLE_PGMLOCKED);
    const realMoved = vmstat('after').get('unevictable_pgs_mlocked')! - real.get('unevictable_pgs_mlocked')!;
    expect(Math.abs(moved - realMoved) / realMoved).toBeLessThan(0.05);
    for (const e of [VM_EVENT.UNEVICTABLE_PGSTRANDED, VM_EVENT.UNEVICTABLE_PGRESCUED, VM_EVENT.UNEVICTABLE_PGCULLED]) expect(delta(e)).toBe(moved);
    expect(delta(VM_EVENT.UNEVICTABLE_PGMUNLOCKED)).toBe(0);
    expect(delta(VM_EVENT.UNEVICTABLE_PGCLEARED)).toBe(0);
    expect(checkInvariants(s.k)).toEqual([]);
  }, 180_000);
});
