// Which flags-0 pages of a dump were free on per-CPU lists. kpageflags reads a page on a pcp list
// as 0 (not PageBuddy, no page type, no LRU), and kpagecount reads it 0 — exactly as it reads an
// unflagged kernel allocation (vmalloc, page frags, driver buffers). zoneinfo's pagesets say how
// many pages each CPU held per zone, not which, so the rebuild guesses. What the captures show
// (before vs after compact_memory, 6.1 and 6.12): 96-99 % of flags-0 pages still read 0 after
// compaction, and of those whose order-0 buddy was free before, under 4 % are free after — a
// flags-0 page beside free memory that stays put through a compaction is a kernel allocation,
// not a pcp page. pcp lists are refilled from split blocks whose other pages were handed out
// (rmqueue_bulk), so their pages sit among allocated memory. The rule, in order of preference:
//   1. in a Movable pageblock without free buddy pages (user memory's frees are the most);
//   2. in another pageblock without free buddy pages;
//   3. in a Movable pageblock holding free memory;
//   4. in another pageblock holding free memory;
//   (5. unused)
//   6. its order-0 buddy (pfn ^ 1) is a free buddy page: last;
// lowest PFN first within each, up to the zone's zoneinfo count: the count is what the kernel
// printed, the place is the guess. Only order-0 pcp pages are rebuilt (a pcp list's order-1..3
// and THP blocks read the same, page by page).

import { NR_CPUS } from '../pcp-state';
import type { ZoneSpec } from '../kernel';
import { MT, PAGEBLOCK_ORDER } from '../zone';
import { C } from './scan';

export interface PcpPages {
  readonly pfn: Int32Array;
  readonly cpu: Uint8Array;
  readonly zone: Uint8Array;
  /** Pages chosen per model zone, by rule tier (1..6 above). */
  readonly byTier: readonly number[][];
  /** Pages zoneinfo's pagesets held per model zone (the target). */
  readonly wanted: readonly number[];
}

export const PCP_TIERS = 6;

/**
 * Choose the pcp pages of every zone (see the rule above). `pcpCpus`: zoneinfo's count per CPU of
 * each model zone; CPUs beyond the model's NR_CPUS fold onto them (cpu % NR_CPUS).
 */
export function choosePcpPages(
  flags: Uint32Array, count: Uint32Array, cls: Uint8Array, mt: Uint8Array, zones: readonly ZoneSpec[], pcpCpus: readonly (readonly number[])[],
): PcpPages {
  const pfns: number[] = [], cpus: number[] = [], zidx: number[] = [];
  const byTier: number[][] = [];
  const wanted: number[] = [];
  // Pageblocks holding free buddy pages (rule 3).
  const blockHasFree = new Uint8Array(mt.length);
  for (let p = 0; p < cls.length; p++) if (cls[p] === C.FREE) blockHasFree[p >> PAGEBLOCK_ORDER] = 1;
  zones.forEach((z, zi) => {
    const quota = new Array<number>(NR_CPUS).fill(0);
    (pcpCpus[zi] ?? []).forEach((c, cpu) => (quota[cpu % NR_CPUS]! += c));
    const want = quota.reduce((s, x) => s + x, 0);
    wanted.push(want);
    const tiers: number[][] = Array.from({ length: PCP_TIERS }, () => []);
    if (want > 0) {
      for (let p = z.start; p < z.end; p++) {
        if (cls[p] !== C.KERNEL || flags[2 * p] !== 0 || flags[2 * p + 1] !== 0 || count[2 * p] !== 0 || count[2 * p + 1] !== 0) continue;
        const movable = mt[p >> PAGEBLOCK_ORDER] === MT.MOVABLE;
        const b = p ^ 1;
        const buddyFree = b >= z.start && b < z.end && cls[b] === C.FREE;
        const near = blockHasFree[p >> PAGEBLOCK_ORDER] === 1;
        tiers[buddyFree ? 5 : !near ? (movable ? 0 : 1) : movable ? 2 : 3]!.push(p);
      }
    }
    const taken = new Array<number>(PCP_TIERS).fill(0);
    let cpu = 0;
    let left = want;
    for (let t = 0; t < PCP_TIERS && left > 0; t++) {
      for (const p of tiers[t]!) {
        if (left === 0) break;
        while (quota[cpu] === 0) cpu++;
        quota[cpu]!--;
        left--;
        taken[t]!++;
        pfns.push(p);
        cpus.push(cpu);
        zidx.push(zi);
      }
    }
    byTier.push(taken);
  });
  return { pfn: Int32Array.from(pfns), cpu: Uint8Array.from(cpus), zone: Uint8Array.from(zidx), byTier, wanted };
}
