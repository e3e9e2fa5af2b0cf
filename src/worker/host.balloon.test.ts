// The balloon device's state in frames: checked at every step of balloon-migrate against what the
// pages themselves say (a balloon page on the list is PageOffline with private = the device and
// not isolated; isolated_pages counts those with PG_movable_ops_isolated).
import { describe, expect, it } from 'vitest';
import { isFailure, VARIANTS } from '../engine/footprint';
import { findPreset } from '../engine/presets';
import { openSession } from '../engine/session';
import { runToEnd, seek } from '../engine/timeline';
import { BALLOON_DEV, page_has_movable_ops, PageMovableOpsIsolated } from '../kernel/balloon';
import { StateClass } from '../kernel/classes';
import type { Kernel } from '../kernel/kernel';
import { pagePrivate } from '../kernel/memmap';
import { harness } from './host.harness';
import type { FrameMsg, LoadSource } from './protocol';

function fromPages(k: Kernel): { listed: number; isolated: number; isolatedPfns: number[] } {
  let listed = 0;
  const isolatedPfns: number[] = [];
  for (let pfn = 0; pfn < k.mem.nr; pfn++) {
    if (!page_has_movable_ops(k, pfn) || k.mem.private_.a[pfn] !== BALLOON_DEV) continue;
    if (PageMovableOpsIsolated(k, pfn)) isolatedPfns.push(pfn);
    else listed++;
  }
  return { listed, isolated: isolatedPfns.length, isolatedPfns };
}

/** A host with `source` loaded and its first frame drawn; returns the host and that frame. */
function opened(source: LoadSource): { h: ReturnType<typeof harness>; first: FrameMsg } {
  const h = harness();
  h.send({ type: 'load', source });
  const first = h.one('frame');
  h.send({ type: 'ack', seq: first.seq });
  return { h, first };
}

function frameAt(h: ReturnType<typeof harness>, step: number): FrameMsg {
  h.send({ type: 'seek', step });
  const f = h.frames().at(-1)!;
  h.send({ type: 'ack', seq: f.seq });
  return f;
}

describe('worker host: the balloon device in frames', () => {
  it('at every step of balloon-migrate, the list, isolated_pages and the lock agree with the pages', () => {
    const { h, first } = opened({ kind: 'preset', name: 'balloon-migrate' });
    expect(first.balloon).toEqual({ listed: 0, listHead: [], arrayed: 0, arrayHead: [], isolated: 0, arrayIsolated: 0, locked: false });
    const ref = openSession(findPreset('balloon-migrate')!.scenario);
    const total = runToEnd(ref.t);
    let sawIsolated = false;
    let sawLocked = false;
    for (let n = 1; n <= total; n++) {
      const f = frameAt(h, n);
      seek(ref.t, n);
      const want = fromPages(ref.k);
      // Inside virtballoon_migratepage (its first step): isolated_pages is already one down, while
      // the source keeps PG_movable_ops_isolated until migrate_movable_ops_page() clears it.
      const inside = f.stepInfo?.fn === 'virtballoon_migratepage' && f.stepInfo.phase === 'copy' ? 1 : 0;
      expect({ step: n, listed: f.balloon!.listed, isolated: f.balloon!.isolated }).toEqual({ step: n, listed: want.listed, isolated: want.isolated - inside });
      // The grid draws an isolated balloon page as isolated (or migrating, while locked), not as plain offline.
      for (const pfn of want.isolatedPfns) expect([StateClass.Isolated, StateClass.Migrating], `step ${n} pfn ${pfn}`).toContain(f.view[pfn]);
      expect(f.balloon!.listHead.length).toBe(Math.min(4, want.listed));
      for (const pfn of f.balloon!.listHead) expect(pagePrivate(ref.k, pfn)).toBe(BALLOON_DEV);
      sawIsolated ||= f.balloon!.isolated > 0;
      sawLocked ||= f.balloon!.locked;
      if (f.stepInfo?.fn === 'balloon_page_enqueue') expect(f.balloon!.locked, `step ${n}`).toBe(true);
    }
    expect(sawIsolated && sawLocked).toBe(true);
    const last = frameAt(h, total).balloon!;
    expect(last).toMatchObject({ listed: 16, isolated: 0, locked: false, arrayed: 0 });
  });

  it('the no-refcount variant keeps its pages in the PFN array, none on the list', () => {
    const scenario = { ...findPreset('balloon-migrate')!.scenario, variant: 'no-refcount' as const };
    const { h } = opened({ kind: 'scenario', scenario });
    h.send({ type: 'runToEnd' });
    const b = h.frames().at(-1)!.balloon!;
    expect(b).toMatchObject({ listed: 0, arrayed: 16, isolated: 0 });
    expect(b.arrayHead).toHaveLength(4);
  });

  it('a scenario without the balloon has no balloon state in its frames', () => {
    expect(opened({ kind: 'preset', name: 'buddy-split-merge' }).first.balloon).toBeUndefined();
  });
});

describe('worker host: the footprint by design variant', () => {
  it('runs the session scenario under every variant; the balloon moves 16 pages in each, with 6 atomics today and none without a refcount', () => {
    const { h } = opened({ kind: 'preset', name: 'balloon-migrate' });
    h.send({ type: 'footprint' });
    h.advance(1_000_000);
    const all = h.take();
    for (const m of all) if (m.type === 'frame') h.send({ type: 'ack', seq: m.seq }); // the look-ahead's
    const msgs = all.filter((m) => m.type === 'footprint');
    // At once which variants will run; the clock stands still, so the first time slice never
    // ends: every variant in it, one more answer.
    expect(msgs.map((m) => [m.results.length, m.done])).toEqual([[0, false], [VARIANTS.length, true]]);
    const msg = msgs[1]!;
    expect(msg.scenarioName).toBe('balloon-migrate');
    const tables = msg.results.map((r) => {
      if (isFailure(r)) throw new Error(`${r.variant} failed: ${r.failure}`);
      return r;
    });
    expect(tables.map((t) => t.variant)).toEqual([...VARIANTS]);
    expect(tables.map((t) => t.pages)).toEqual(VARIANTS.map(() => 16));
    // Refcount atomics per migrated page, for the designs whose paths are worked out by hand.
    expect(Object.fromEntries(tables.map((t) => [t.variant, t.atomics]))).toMatchObject({
      'linux-6.18': 6, 'linux-6.12': 6, 'no-refcount': 0, 'pfn-array': 6, 'linux-7.0': 6, 'pgtable-movable': 6, 'offline-alloc': 0, 'offline-migrate': 0,
    });
    const field = (v: string, name: string) => tables.find((t) => t.variant === v)!.fields.find((x) => x.field === name)!;
    // No refcount writes at all; the one read is __free_pages_prepare()'s bad-page check of the old page.
    expect(field('no-refcount', '_refcount')).toEqual({ field: '_refcount', reads: 1, writes: 0 });
    expect(field('linux-6.18', '_refcount').reads).toBeGreaterThan(0);
    // pfn-array keeps the pages off lists while they migrate: fewer lru writes than 6.18's lists.
    expect(field('pfn-array', 'lru').writes).toBeLessThan(field('linux-6.18', 'lru').writes);
    // Asking changes nothing: the next frame is still the session at step 0.
    h.send({ type: 'step', delta: 1 });
    expect(h.frames().at(-1)!.step).toBe(1);
  });
});
