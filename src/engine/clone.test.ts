// cloneKernel: a copy of a kernel at rest is the same state, shares nothing with the original, and
// runs as the original would; openSession on a spec populated before runs on such a copy.
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, test } from 'vitest';
import { findPreset } from './presets';
import { populateSpecOf } from './scenario-core';
import { openSession } from './session';
import { runToEnd, timelineHash } from './timeline';
import { cloneKernel } from '../kernel/clone';
import type { Kernel } from '../kernel/kernel';
import { populate } from '../kernel/populate';
import { stateHash } from '../kernel/store';

/** The kernel as data: its one closure left out. */
const data = (k: Kernel): unknown => ({ ...k, mem: { ...k.mem, onPcpList: undefined } });

describe('cloneKernel', () => {
  // device memory, hugetlb pools, a balloon, page tables: every kind of object populate makes
  test.each(['migrate-vma-to-device', 'hugetlb', 'balloon-migrate', 'compact-pgtables'])('%s: the copy is the same state and shares nothing', (name) => {
    const k = populate(populateSpecOf(findPreset(name)!.scenario));
    const c = cloneKernel(k);
    expect(isDeepStrictEqual(data(c), data(k))).toBe(true);
    expect(stateHash(c.st)).toBe(stateHash(k.st));
    const buffers = new Set(k.st.list.map((s) => s.a.buffer));
    expect(c.st.list.filter((s) => buffers.has(s.a.buffer))).toEqual([]);
    // Shared references stay shared: a store is the same object in the list and in its owner.
    expect(c.st.list[c.mem.flags.id]).toBe(c.mem.flags);
    expect(c.mem.flags.a.buffer).toBe(c.mem.refcount.a.buffer);
    // The copy's closure reads the copy.
    const pfn = c.pcp.where.a.findIndex((x) => x !== 0);
    expect(pfn).toBeGreaterThanOrEqual(0);
    c.pcp.where.a[pfn] = 0;
    expect(c.mem.onPcpList!(pfn)).toBe(false);
    expect(k.mem.onPcpList!(pfn)).toBe(true);
  });

  test('a run on the copy ends where a run on a fresh populate ends, and leaves the original untouched', () => {
    const sc = findPreset('compact-blocked-by-pins')!.scenario;
    const a = openSession(sc);
    const b = openSession(sc);
    expect(b.k).not.toBe(a.k);
    expect(b.k.mem.flags.a.buffer).not.toBe(a.k.mem.flags.a.buffer);
    const before = timelineHash(b.t);
    runToEnd(a.t);
    expect(timelineHash(b.t)).toBe(before); // a's run wrote nothing of b's
    runToEnd(b.t);
    expect(b.t.rec.n).toBe(a.t.rec.n);
    expect(timelineHash(b.t)).toBe(timelineHash(a.t));
    const k = populate(populateSpecOf(sc));
    expect(stateHash(k.st)).toBe(before);
  }, 120_000);

  test('only a kernel at rest is copied, and nothing but data', () => {
    const s = openSession(findPreset('pin-unpin')!.scenario);
    expect(() => cloneKernel(s.k)).toThrow(/only a kernel at rest/);
    const k = populate(populateSpecOf(findPreset('pin-unpin')!.scenario));
    (k.vm as unknown as { hook: () => void }).hook = () => {};
    expect(() => cloneKernel(k)).toThrow(/k\.vm\.hook is a function/);
  });
});
