// The memory layout of an imported machine: its zones (from zoneinfo when given, else the usual
// x86-64 split by PFN) and its holes (PFNs without a struct page). Holes are what the kernel
// itself would not show: 6.1/6.12 report KPF_NOPAGE for them, 6.18 writes 0 (kpage_read() on
// !pfn_to_online_page()). A 0 is also what an unflagged kernel page reads, so 6.18 zeros count as
// a hole only where a whole memory section (128 MiB, SECTION_SIZE_BITS 27 on x86-64) reads 0 —
// pfn_to_online_page() fails per section, and no single allocation covers an aligned section.

import { defaultLayout, type MemoryLayout, type ZoneSpec } from '../kernel';
import { PAGEBLOCK_NR_PAGES, type ZoneName } from '../zone';
import { LO } from './dump';
import type { ZoneinfoZone } from './proctext';
import { ImportError } from './types';

/** PFNs per memory section on x86-64 (128 MiB). */
export const PAGES_PER_SECTION = 1 << 15;

const MODEL_ZONES: readonly ZoneName[] = ['DMA', 'DMA32', 'Normal', 'Movable'];

export interface ImportLayout {
  readonly layout: MemoryLayout;
  readonly zonesFrom: 'zoneinfo' | 'default';
  /** Per PFN (padded length): 1 if it is a hole. */
  readonly hole: Uint8Array;
  /** Per-zone pages on per-CPU lists (zoneinfo's pagesets), by model zone index; null without zoneinfo. */
  readonly pcp: readonly number[] | null;
  /** The same per CPU (zoneinfo's order), by model zone index; null without zoneinfo. */
  readonly pcpCpus: readonly (readonly number[])[] | null;
  /** zoneinfo's pcp->high per CPU, the same way. */
  readonly pcpHigh: readonly (readonly number[])[] | null;
  readonly notes: string[];
}

const hex = (n: number): string => '0x' + n.toString(16);

/** Zones of one name on several nodes become one zone spanning them (one node is modelled). */
function zonesFromZoneinfo(zi: readonly ZoneinfoZone[], nrPfns: number, notes: string[]): { zones: ZoneSpec[]; pcp: number[]; pcpCpus: number[][]; pcpHigh: number[][] } {
  const byName = new Map<string, { start: number; end: number; pcp: number; pcpCpus: number[]; pcpHigh: number[]; nodes: Set<number> }>();
  for (const z of zi) {
    if (z.spanned === 0) continue;
    if (z.zone === 'Device') {
      notes.push(`zoneinfo: ZONE_DEVICE of node ${z.node} (${z.spanned} pages) reads 0 in kpageflags and is not imported`);
      continue;
    }
    if (!MODEL_ZONES.includes(z.zone as ZoneName)) throw new ImportError(`zoneinfo: zone ${z.zone} is not one the model has (${MODEL_ZONES.join(', ')}; x86-64)`);
    const e = byName.get(z.zone);
    if (e) {
      e.start = Math.min(e.start, z.startPfn);
      e.end = Math.max(e.end, z.startPfn + z.spanned);
      e.pcp += z.pcp;
      z.pcpCpus.forEach((c, cpu) => (e.pcpCpus[cpu] = (e.pcpCpus[cpu] ?? 0) + c));
      z.pcpHigh.forEach((h, cpu) => (e.pcpHigh[cpu] = (e.pcpHigh[cpu] ?? 0) + h));
      e.nodes.add(z.node);
    } else byName.set(z.zone, { start: z.startPfn, end: z.startPfn + z.spanned, pcp: z.pcp, pcpCpus: [...z.pcpCpus], pcpHigh: [...z.pcpHigh], nodes: new Set([z.node]) });
  }
  if (byName.size === 0) throw new ImportError('zoneinfo: no zone spans any page');
  const zones: ZoneSpec[] = [];
  const pcp: number[] = [];
  const pcpCpus: number[][] = [];
  const pcpHigh: number[][] = [];
  for (const name of MODEL_ZONES) {
    const e = byName.get(name);
    if (!e) continue;
    if (e.nodes.size > 1) notes.push(`zoneinfo: zone ${name} of nodes ${[...e.nodes].join(', ')} is imported as one zone ${hex(e.start)}..${hex(e.end)} (the model has one node)`);
    let { start, end } = e;
    const prev = zones[zones.length - 1];
    if (prev && start < prev.end) throw new ImportError(`zoneinfo: zone ${name} (${hex(start)}..${hex(end)}) overlaps zone ${prev.name} (${hex(prev.start)}..${hex(prev.end)})`);
    // Zones here meet at pageblock boundaries (page_zone() is per pageblock in the model); x86-64's do.
    if (prev && Math.floor(start / PAGEBLOCK_NR_PAGES) === Math.floor((prev.end - 1) / PAGEBLOCK_NR_PAGES)) {
      const cut = Math.ceil(start / PAGEBLOCK_NR_PAGES) * PAGEBLOCK_NR_PAGES;
      notes.push(`zoneinfo: zone ${name} starts at ${hex(start)}, inside a pageblock of zone ${prev.name}; imported from ${hex(cut)}`);
      start = cut;
    }
    if (start >= nrPfns) {
      notes.push(`zoneinfo: zone ${name} (${hex(e.start)}..${hex(e.end)}) lies beyond the dump's last PFN ${hex(nrPfns - 1)}: not imported`);
      continue;
    }
    if (end > nrPfns) {
      notes.push(`zoneinfo: zone ${name} ends at ${hex(end)}, past the dump's last PFN ${hex(nrPfns - 1)}: imported up to the dump's end`);
      end = nrPfns;
    }
    if (end <= start) continue;
    zones.push({ name, start, end });
    pcp.push(e.pcp);
    pcpCpus.push(e.pcpCpus);
    pcpHigh.push(e.pcpHigh);
  }
  if (zones.length === 0) throw new ImportError('zoneinfo: no zone lies inside the dump');
  return { zones, pcp, pcpCpus, pcpHigh };
}

/**
 * Zones and holes for a dump of `nrPfns` PFNs (flags as DumpWords.flags words). The kernel model
 * needs a whole number of pageblocks: PFNs past the dump's end up to the next pageblock are holes.
 */
export function importLayout(flags: Uint32Array, count: Uint32Array, nrPfns: number, zoneinfo: readonly ZoneinfoZone[] | null): ImportLayout {
  const notes: string[] = [];
  const padded = Math.max(PAGEBLOCK_NR_PAGES, Math.ceil(nrPfns / PAGEBLOCK_NR_PAGES) * PAGEBLOCK_NR_PAGES);
  const fromZi = zoneinfo ? zonesFromZoneinfo(zoneinfo, nrPfns, notes) : null;
  const zones = fromZi?.zones ?? defaultLayout(padded).zones.map((z) => ({ ...z, end: Math.min(z.end, nrPfns) })).filter((z) => z.end > z.start);

  const hole = new Uint8Array(padded);
  hole.fill(1, nrPfns);
  // KPF_NOPAGE (6.1 / 6.12).
  let nopage = 0;
  for (let p = 0; p < nrPfns; p++) {
    if (flags[2 * p]! & LO.NOPAGE) {
      hole[p] = 1;
      nopage++;
    }
  }
  // 6.18: whole sections of zeros.
  let zeroSections = 0;
  for (let s = 0; s + PAGES_PER_SECTION <= nrPfns; s += PAGES_PER_SECTION) {
    let zero = true;
    for (let p = s; p < s + PAGES_PER_SECTION && zero; p++) zero = flags[2 * p] === 0 && flags[2 * p + 1] === 0 && count[2 * p] === 0;
    if (zero) {
      hole.fill(1, s, s + PAGES_PER_SECTION);
      zeroSections++;
    }
  }
  // Pageblocks that no zone touches have no zone to belong to: holes too.
  let outside = 0;
  const inZone = new Uint8Array(padded / PAGEBLOCK_NR_PAGES);
  for (const z of zones) inZone.fill(1, Math.floor(z.start / PAGEBLOCK_NR_PAGES), Math.ceil(z.end / PAGEBLOCK_NR_PAGES));
  for (let b = 0; b < inZone.length; b++) {
    if (inZone[b]) continue;
    for (let p = b * PAGEBLOCK_NR_PAGES; p < Math.min(nrPfns, (b + 1) * PAGEBLOCK_NR_PAGES); p++) if (!hole[p]) outside++;
    hole.fill(1, b * PAGEBLOCK_NR_PAGES, (b + 1) * PAGEBLOCK_NR_PAGES);
  }
  // The model keeps holes as ranges; a NOPAGE run shorter than a pageblock is a struct page the
  // kernel would have (an e820 hole inside a section reads PG_reserved): rebuilt as reserved.
  const holes: { start: number; end: number }[] = [];
  let shortRuns = 0;
  for (let p = 0; p < padded;) {
    if (!hole[p]) {
      p++;
      continue;
    }
    let e = p;
    while (e < padded && hole[e]) e++;
    if (e - p < PAGEBLOCK_NR_PAGES && e <= nrPfns) {
      hole.fill(0, p, e);
      shortRuns += e - p;
    } else holes.push({ start: p, end: e });
    p = e;
  }
  if (nopage) notes.push(`${nopage} PFNs read KPF_NOPAGE (6.1/6.12 holes)${shortRuns ? `; ${shortRuns} of them in runs shorter than a pageblock are rebuilt as reserved pages` : ''}`);
  if (zeroSections) notes.push(`${zeroSections} whole memory section(s) of 128 MiB read 0 (6.18 holes: no online struct page): imported as holes`);
  if (outside) notes.push(`${outside} PFNs lie in pageblocks outside every zone: imported as holes`);
  if (padded > nrPfns) notes.push(`the dump has ${nrPfns} PFNs; the model rounds memory up to ${padded} (whole pageblocks) and the rest is a hole`);
  return {
    layout: { nrPfns: padded, zones, holes },
    zonesFrom: fromZi ? 'zoneinfo' : 'default',
    hole,
    pcp: fromZi?.pcp ?? null,
    pcpCpus: fromZi?.pcpCpus ?? null,
    pcpHigh: fromZi?.pcpHigh ?? null,
    notes,
  };
}
