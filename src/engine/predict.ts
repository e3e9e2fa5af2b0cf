// The prediction figure of issue 10: the simulated free blocks per order (after, say, compacting
// an imported capture's `before`) against what the real kernel's /proc/buddyinfo said after the
// same operation. Per zone and order the difference in blocks (simulated − real); the total is
// Σ|Δ blocks × 2^order| over zones and orders, divided by the real free pages: 0 is a perfect
// prediction, 1 means as many pages misplaced as the real machine had free.

import type { Kernel } from '../kernel/kernel';
import { parseBuddyinfo } from '../kernel/import/proctext';
import { NR_PAGE_ORDERS } from '../kernel/zone';

export interface ZonePrediction {
  readonly zone: string;
  readonly simulated: readonly number[];
  readonly real: readonly number[];
}

export interface Prediction {
  readonly zones: readonly ZonePrediction[];
  /** Per order, over every zone: simulated − real free blocks. */
  readonly deltaBlocks: readonly number[];
  /** Per order, over every zone: Σ|Δ blocks| × 2^order. */
  readonly absDeltaPages: readonly number[];
  readonly realFreePages: number;
  readonly simulatedFreePages: number;
  /** Σ absDeltaPages / realFreePages. */
  readonly error: number;
}

const pages = (blocks: readonly number[]): number => blocks.reduce((n, b, o) => n + b * 2 ** o, 0);

/** The kernel's free blocks per order, per zone (the device zone has no buddy). */
export function simulatedFreeAreas(k: Kernel): Map<string, number[]> {
  const sim = new Map<string, number[]>();
  for (const z of k.zones) {
    if (z.name === 'Device') continue;
    sim.set(z.name, Array.from({ length: NR_PAGE_ORDERS }, (_, o) => k.nrFree.a[z.idx * NR_PAGE_ORDERS + o]!));
  }
  return sim;
}

/**
 * Compare the kernel's free areas with a real buddyinfo text. Zones of one name on several nodes
 * are summed (the model has one node); a zone only one side has counts as all free blocks missing
 * on the other side.
 */
export function comparePrediction(k: Kernel, realBuddyinfo: string): Prediction {
  return compareFreeAreas(simulatedFreeAreas(k), realBuddyinfo);
}

/** comparePrediction() over free areas taken earlier (simulatedFreeAreas at the end of a run). */
export function compareFreeAreas(sim: ReadonlyMap<string, readonly number[]>, realBuddyinfo: string): Prediction {
  const real = new Map<string, number[]>();
  for (const l of parseBuddyinfo(realBuddyinfo)) {
    const acc = real.get(l.zone) ?? new Array<number>(NR_PAGE_ORDERS).fill(0);
    l.free.forEach((n, o) => (acc[o]! += n));
    real.set(l.zone, acc);
  }
  const zero = (): number[] => new Array<number>(NR_PAGE_ORDERS).fill(0);
  const names = [...sim.keys(), ...[...real.keys()].filter((n) => !sim.has(n))];
  const zones = names.map((zone) => ({ zone, simulated: sim.get(zone) ?? zero(), real: real.get(zone) ?? zero() }));
  const deltaBlocks = zero();
  const absDeltaPages = zero();
  for (const z of zones) {
    for (let o = 0; o < NR_PAGE_ORDERS; o++) {
      const d = z.simulated[o]! - z.real[o]!;
      deltaBlocks[o]! += d;
      absDeltaPages[o]! += Math.abs(d) * 2 ** o;
    }
  }
  const realFreePages = zones.reduce((n, z) => n + pages(z.real), 0);
  const simulatedFreePages = zones.reduce((n, z) => n + pages(z.simulated), 0);
  const misplaced = absDeltaPages.reduce((a, b) => a + b, 0);
  return { zones, deltaBlocks, absDeltaPages, realFreePages, simulatedFreePages, error: realFreePages ? misplaced / realFreePages : misplaced ? Infinity : 0 };
}

const signed = (n: number): string => (n > 0 ? `+${n}` : String(n));

/** One line: the per-order block differences, e.g. "Δ blocks by order 0..10: +220 -48 ...". */
export function deltaLine(p: Prediction): string {
  return `Δ blocks by order 0..10: ${p.deltaBlocks.map(signed).join(' ')}`;
}

/** The comparison as a person reads it: per zone both rows and their difference, then the total. */
export function predictionText(p: Prediction, what: string): string {
  const cell = (s: string | number): string => String(s).padStart(7);
  const head = `${'order'.padEnd(16)}${Array.from({ length: NR_PAGE_ORDERS }, (_, o) => cell(o)).join('')}`;
  const rows = p.zones.flatMap((z) => [
    `${`${z.zone} simulated`.padEnd(16)}${z.simulated.map(cell).join('')}`,
    `${`${z.zone} real`.padEnd(16)}${z.real.map(cell).join('')}`,
    `${`${z.zone} Δ`.padEnd(16)}${z.simulated.map((s, o) => cell(signed(s - z.real[o]!))).join('')}`,
  ]);
  return [`prediction against ${what}: free blocks per order, simulated − real`, head, ...rows, errorLine(p)].join('\n') + '\n';
}

/** The prediction's error as --predict ends with it: "free pages: simulated …, real …; Σ|Δ blocks × 2^order| = … pages = 6.5 % of the real free pages". */
export function errorLine(p: Prediction): string {
  const misplaced = p.absDeltaPages.reduce((a, b) => a + b, 0);
  return `free pages: simulated ${p.simulatedFreePages}, real ${p.realFreePages}; Σ|Δ blocks × 2^order| = ${misplaced} pages = ${(p.error * 100).toFixed(1)} % of the real free pages`;
}
