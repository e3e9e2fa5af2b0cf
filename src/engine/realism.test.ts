// The default scenario should look like a real machine after some uptime. Compare it with the
// real 512 MiB capture in ../shared/reference/real-kernel (Linux 6.1 guest, before compaction),
// classifying both from /proc/kpageflags with the same first-match rules the capture's
// analyze.py used, and check our own kpageflags against our own view.

import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { KPF } from '../kernel/flags';
import { dumpKpage } from '../kernel/procfs';
import { buildView, countClasses } from '../kernel/view';
import { NR_STATE_CLASSES, StateClass } from '../kernel/classes';
import { loadScenario } from './snapshot';
import { findPreset } from './presets';
import { needCapture, REFERENCE } from '../reference.testkit';

const REAL = REFERENCE + 'real-kernel/fragmented-compact/';
const capture = needCapture(REAL + 'before.kpageflags', REAL + 'before.buddyinfo');

type Category = 'reserved' | 'free' | 'offline' | 'slab' | 'pgtable' | 'anon' | 'unevictable' | 'shmem' | 'file' | 'kernel-compound' | 'other-kernel';

const has = (f: bigint, bit: number): boolean => ((f >> BigInt(bit)) & 1n) === 1n;

function classify(f: bigint): Category {
  if (has(f, KPF.RESERVED)) return 'reserved';
  if (has(f, KPF.BUDDY)) return 'free';
  if (has(f, KPF.OFFLINE)) return 'offline';
  if (has(f, KPF.SLAB)) return 'slab';
  if (has(f, KPF.PGTABLE)) return 'pgtable';
  if (has(f, KPF.ANON)) return 'anon';
  if (has(f, KPF.LRU) && has(f, KPF.UNEVICTABLE)) return 'unevictable';
  if (has(f, KPF.LRU) && has(f, KPF.SWAPBACKED)) return 'shmem';
  if (has(f, KPF.LRU)) return 'file';
  if (has(f, KPF.COMPOUND_HEAD) || has(f, KPF.COMPOUND_TAIL)) return 'kernel-compound';
  return 'other-kernel';
}

function categories(kpageflags: Uint8Array): { cats: Map<Category, number>; flags: bigint[] } {
  const dv = new DataView(kpageflags.buffer, kpageflags.byteOffset, kpageflags.byteLength);
  const cats = new Map<Category, number>();
  const flags: bigint[] = [];
  for (let i = 0; i < kpageflags.length / 8; i++) {
    const f = dv.getBigUint64(i * 8, true);
    flags.push(f);
    const c = classify(f);
    cats.set(c, (cats.get(c) ?? 0) + 1);
  }
  return { cats, flags };
}

function parseBuddyinfo(text: string): Map<string, number[]> {
  const zones = new Map<string, number[]>();
  for (const line of text.split('\n')) {
    const m = /^Node \d+, zone\s+(\S+)\s+(.*)$/.exec(line);
    if (m) zones.set(m[1]!, m[2]!.trim().split(/\s+/).map(Number));
  }
  return zones;
}

const k = loadScenario(findPreset('default')!.scenario);
const ours = categories(dumpKpage(k).kpageflags);

describe('the default scenario resembles the real 512 MiB capture', () => {
  const shared: Category[] = ['reserved', 'free', 'slab', 'pgtable', 'anon', 'unevictable', 'shmem', 'other-kernel'];

  capture.test('both have every kind of page the real machine had', () => {
    const real = categories(new Uint8Array(readFileSync(REAL + 'before.kpageflags')));
    for (const c of shared) {
      expect(real.cats.get(c) ?? 0, `real ${c}`).toBeGreaterThan(0);
      expect(ours.cats.get(c) ?? 0, `our ${c}`).toBeGreaterThan(0);
    }
    // Same machine size, and the first MiB reserved in both (x86 low memory, BIOS area).
    expect(ours.flags.length).toBe(real.flags.length);
    for (const pfn of [0, 0x10, 0x9f, 0xff]) {
      expect(has(real.flags[pfn]!, KPF.RESERVED)).toBe(true);
      expect(has(ours.flags[pfn]!, KPF.RESERVED)).toBe(true);
    }
  });

  test('free memory is between 30% and 70% of PFNs, as after some uptime', () => {
    const free = (ours.cats.get('free') ?? 0) / ours.flags.length;
    expect(free).toBeGreaterThan(0.3);
    expect(free).toBeLessThan(0.7);
  });

  capture.test('free memory is fragmented like the real DMA32: far more small blocks than mid-sized ones', () => {
    const real = parseBuddyinfo(readFileSync(REAL + 'before.buddyinfo', 'utf8')).get('DMA32')!;
    const dma32 = k.zones.find((z) => z.name === 'DMA32')!;
    const mine = Array.from(k.nrFree.a.subarray(dma32.idx * 11, dma32.idx * 11 + 11));
    const small = (a: number[]): number => a.slice(0, 4).reduce((s, x) => s + x, 0);
    const mid = (a: number[]): number => a.slice(4, 9).reduce((s, x) => s + x, 0);
    expect(small(real)).toBeGreaterThan(10 * mid(real));
    expect(small(mine)).toBeGreaterThan(10 * mid(mine));
    // ... and both keep some whole pageblocks free at order 9/10.
    expect(real[9]! + real[10]!).toBeGreaterThan(0);
    expect(mine[9]! + mine[10]!).toBeGreaterThan(0);
  });
});

describe('our kpageflags agree with our view', () => {
  const view = new Uint8Array(k.mem.nr);
  buildView(k, view);
  const c = countClasses(view, NR_STATE_CLASSES);
  const sum = (...ids: StateClass[]): number => ids.reduce((s, id) => s + c[id]!, 0);

  test('BUDDY pages are exactly the free classes', () => {
    expect(ours.cats.get('free')).toBe(sum(StateClass.FreeUnmovable, StateClass.FreeMovable, StateClass.FreeReclaimable, StateClass.FreeHighAtomic, StateClass.FreeIsolate));
  });

  test('SLAB, PGTABLE, RESERVED and ANON pages match their classes', () => {
    expect(ours.cats.get('slab')).toBe(c[StateClass.Slab]);
    expect(ours.cats.get('pgtable')).toBe(c[StateClass.PageTable]);
    expect(ours.cats.get('reserved')).toBe(c[StateClass.Reserved]);
    expect(ours.cats.get('anon')).toBe(sum(StateClass.Anon, StateClass.AnonActive));
    expect(ours.cats.get('shmem')).toBe(c[StateClass.Shmem]);
    expect(ours.cats.get('unevictable')).toBe(c[StateClass.Unevictable]);
    expect(ours.cats.get('file')).toBe(sum(StateClass.File, StateClass.FileActive));
  });
});
