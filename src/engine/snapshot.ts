// A populated kernel and what the UI and the CLI read off it: the per-PFN view, class counts,
// free areas and the state hash. The engine issue turns this into a timeline of steps.

import { NR_STATE_CLASSES, STATE_CLASSES } from '../kernel/classes';
import { populate } from '../kernel/populate';
import { buildView, countClasses } from '../kernel/view';
import { stateHash } from '../kernel/store';
import { NR_PAGE_ORDERS } from '../kernel/zone';
import type { Kernel } from '../kernel/kernel';
import { HS } from '../kernel/hugetlb-state';
import { findPreset } from './presets';
import { populateSpecOf } from './scenario-core';
import type { Scenario } from './scenario';

export interface ZoneRange { readonly name: string; readonly start: number; readonly end: number }

export interface MemorySnapshot {
  readonly nrPfns: number;
  readonly zones: readonly ZoneRange[];
  /** One StateClass byte per PFN. */
  readonly view: Uint8Array;
  /** Pages per StateClass, indexed by StateClass. */
  readonly classCounts: readonly number[];
  readonly stateHash: string;
}

export function loadScenario(s: Scenario): Kernel {
  return populate(populateSpecOf(s));
}

export function snapshotOf(k: Kernel): MemorySnapshot {
  const view = new Uint8Array(k.mem.nr);
  buildView(k, view);
  return {
    nrPfns: k.mem.nr,
    zones: k.zones.map((z) => ({ name: z.name, start: z.start, end: z.end })),
    view,
    classCounts: countClasses(view, NR_STATE_CLASSES),
    stateHash: stateHash(k.st),
  };
}

export function loadDefaultSnapshot(): MemorySnapshot {
  return snapshotOf(loadScenario(findPreset('default')!.scenario));
}

/** The CLI's --summary object (the engine issue adds steps, migrated, failed). */
export function summaryOf(k: Kernel, snap: MemorySnapshot = snapshotOf(k)): Record<string, unknown> {
  const classes: Record<string, number> = {};
  STATE_CLASSES.forEach((c, i) => {
    if (snap.classCounts[i]) classes[c.key] = snap.classCounts[i]!;
  });
  const freeArea: Record<string, number[]> = {};
  for (const z of k.zones) freeArea[z.name] = Array.from(k.nrFree.a.subarray(z.idx * NR_PAGE_ORDERS, (z.idx + 1) * NR_PAGE_ORDERS));
  // /proc/meminfo's HugePages_* when a hugetlb pool exists (populate.hugepages).
  const hc = k.hugetlb.counters.a;
  const hugetlb = hc[HS.MAX_HUGE_PAGES] || hc[HS.NR_HUGE_PAGES]
    ? { hugetlb: { total: hc[HS.NR_HUGE_PAGES], free: hc[HS.FREE_HUGE_PAGES], rsvd: hc[HS.RESV_HUGE_PAGES], surp: hc[HS.SURPLUS_HUGE_PAGES] } }
    : {};
  return { nrPfns: snap.nrPfns, zones: snap.zones, classes, freeArea, ...hugetlb, stateHash: snap.stateHash };
}
