// Parsers for the /proc texts that may come with a dump: buddyinfo (mm/vmstat.c frag_show_print),
// pagetypeinfo (pagetypeinfo_show) and zoneinfo (zoneinfo_show_print). They read what the kernel
// prints, node by node; the rebuild models one node, so zones of one name on several nodes are
// summed (buddyinfo, pagetypeinfo) or merged (zoneinfo) by the caller. A text that does not
// parse is refused with one line naming the line that did not.

import { ImportError } from './types';
import { MIGRATE_TYPES, MT, NR_PAGE_ORDERS, PAGEBLOCK_ORDER } from '../zone';

export interface BuddyinfoLine {
  readonly node: number;
  readonly zone: string;
  /** Free blocks per order, 0…MAX_PAGE_ORDER. */
  readonly free: readonly number[];
}

const lines = (text: string): string[] => text.split(/\r?\n/);
const quote = (s: string): string => JSON.stringify(s.length > 60 ? s.slice(0, 60) + '…' : s);

function counts(what: string, n: number, cells: string[], line: string, capped = false): number[] {
  if (cells.length !== NR_PAGE_ORDERS) {
    throw new ImportError(`${what} line ${n}: ${cells.length} orders where the model has ${NR_PAGE_ORDERS} (MAX_PAGE_ORDER 10): ${quote(line)}`);
  }
  return cells.map((c) => {
    // pagetypeinfo caps a free list's length at 100000 and prints ">100000".
    const v = capped && c.startsWith('>') ? c.slice(1) : c;
    if (!/^\d+$/.test(v)) throw new ImportError(`${what} line ${n} does not parse: ${quote(line)}`);
    return Number(v);
  });
}

/** /proc/buddyinfo: `Node 0, zone   Normal   3132   1428 …` (11 counts of free blocks). */
export function parseBuddyinfo(text: string): BuddyinfoLine[] {
  const out: BuddyinfoLine[] = [];
  lines(text).forEach((line, i) => {
    if (line.trim() === '') return;
    const m = /^Node\s+(\d+),\s*zone\s+(\S+)\s+(.*)$/.exec(line.trim());
    if (!m) throw new ImportError(`buddyinfo line ${i + 1} does not parse: ${quote(line)}`);
    out.push({ node: Number(m[1]), zone: m[2]!, free: counts('buddyinfo', i + 1, m[3]!.trim().split(/\s+/), line) });
  });
  if (out.length === 0) throw new ImportError('buddyinfo has no "Node N, zone NAME" line');
  return out;
}

/** pagetypeinfo's type names, as the model's migratetypes (CMA is not modelled: see the caller). */
export const PAGETYPE_NAMES: Readonly<Record<string, number>> = {
  Unmovable: MT.UNMOVABLE, Movable: MT.MOVABLE, Reclaimable: MT.RECLAIMABLE, HighAtomic: MT.HIGHATOMIC, Isolate: MT.ISOLATE,
};

export interface PagetypeZone {
  readonly node: number;
  readonly zone: string;
  /** free[mt][order]: free-list lengths (a capped ">100000" reads 100000). */
  readonly free: number[][];
  /** Pageblocks per migratetype ("Number of blocks type"). */
  readonly blocks: number[];
  /** Pageblocks and free blocks of CMA (CONFIG_CMA), which the model has no migratetype for. */
  readonly cmaBlocks: number;
}

/** /proc/pagetypeinfo: the free lists per type and order, and the pageblocks per type, per zone. */
export function parsePagetypeinfo(text: string): PagetypeZone[] {
  const zones = new Map<string, PagetypeZone>();
  const zoneOf = (node: number, zone: string): PagetypeZone => {
    const key = `${node}/${zone}`;
    let z = zones.get(key);
    if (!z) {
      z = { node, zone, free: Array.from({ length: MIGRATE_TYPES }, () => new Array<number>(NR_PAGE_ORDERS).fill(0)), blocks: new Array<number>(MIGRATE_TYPES).fill(0), cmaBlocks: 0 };
      zones.set(key, z);
    }
    return z;
  };
  let columns: string[] | null = null;
  let sawOrder = false;
  let section: 'head' | 'free' | 'blocks' | 'other' = 'head';
  lines(text).forEach((raw, i) => {
    const line = raw.trim();
    const n = i + 1;
    if (line === '') return;
    let m = /^Page block order:\s*(\d+)$/.exec(line);
    if (m) {
      if (Number(m[1]) !== PAGEBLOCK_ORDER) throw new ImportError(`pagetypeinfo line ${n}: page block order ${m[1]}, but the model's pageblock_order is ${PAGEBLOCK_ORDER} (x86-64)`);
      sawOrder = true;
      return;
    }
    if (/^Pages per block:\s*\d+$/.test(line)) return;
    if (/^Free pages count per migrate type at order/.test(line)) {
      section = 'free';
      return;
    }
    m = /^Number of blocks type\s+(.*)$/.exec(line);
    if (m) {
      columns = m[1]!.trim().split(/\s+/);
      section = 'blocks';
      return;
    }
    if (/^Number of mixed blocks/.test(line)) {
      section = 'other'; // with page_owner: a second table, of no use to the rebuild
      return;
    }
    if (section === 'other') return;
    m = /^Node\s+(\d+),\s*zone\s+(\S+),\s*type\s+(\S+)\s+(.*)$/.exec(line);
    if (m && section === 'free') {
      const z = zoneOf(Number(m[1]), m[2]!);
      const c = counts('pagetypeinfo', n, m[4]!.trim().split(/\s+/), raw, true);
      const mt = PAGETYPE_NAMES[m[3]!];
      if (mt !== undefined) z.free[mt] = c;
      else if (m[3] !== 'CMA') throw new ImportError(`pagetypeinfo line ${n}: unknown migratetype ${quote(m[3]!)}`);
      return;
    }
    m = /^Node\s+(\d+),\s*zone\s+(\S+)\s+(.*)$/.exec(line);
    if (m && section === 'blocks' && columns) {
      const cells = m[3]!.trim().split(/\s+/);
      if (cells.length !== columns.length || !cells.every((c) => /^\d+$/.test(c))) throw new ImportError(`pagetypeinfo line ${n} does not parse: ${quote(raw)}`);
      const z = zoneOf(Number(m[1]), m[2]!);
      (columns as string[]).forEach((name, ci) => {
        const v = Number(cells[ci]);
        const mt = PAGETYPE_NAMES[name];
        if (mt !== undefined) z.blocks[mt] = v;
        else if (name === 'CMA') (z as { cmaBlocks: number }).cmaBlocks = v;
        else throw new ImportError(`pagetypeinfo line ${n}: unknown migratetype column ${quote(name)}`);
      });
      return;
    }
    throw new ImportError(`pagetypeinfo line ${n} does not parse: ${quote(raw)}`);
  });
  if (!sawOrder || columns === null) throw new ImportError('pagetypeinfo has no "Page block order" header or no "Number of blocks type" table');
  return [...zones.values()];
}

export interface ZoneinfoZone {
  readonly node: number;
  readonly zone: string;
  readonly startPfn: number;
  readonly spanned: number;
  readonly present: number;
  readonly managed: number;
  /** nr_free_pages, when printed. */
  readonly free: number;
  /** Pages on the zone's per-CPU lists (the pagesets' `count:` summed over CPUs). */
  readonly pcp: number;
  /** The pagesets' `count:` of each CPU, in the order printed (cpu 0, 1, …). */
  readonly pcpCpus: readonly number[];
  /** The pagesets' `high:` of each CPU (pcp->high as auto-tuned at that moment). */
  readonly pcpHigh: readonly number[];
}

/**
 * /proc/zoneinfo: per zone `spanned`, `present`, `managed`, `start_pfn` and the pagesets'
 * counts. Zones with nothing spanned (an empty Normal, Movable, Device) are kept with spanned 0.
 */
export function parseZoneinfo(text: string): ZoneinfoZone[] {
  interface Acc { node: number; zone: string; startPfn: number; spanned: number; present: number; managed: number; free: number; pcp: number; pcpCpus: number[]; pcpHigh: number[] }
  const out: Acc[] = [];
  let cur: Acc | null = null;
  lines(text).forEach((raw, i) => {
    const line = raw.trim();
    let m = /^Node\s+(\d+),\s*zone\s+(\S+)$/.exec(line);
    if (m) {
      cur = { node: Number(m[1]), zone: m[2]!, startPfn: -1, spanned: -1, present: -1, managed: -1, free: -1, pcp: 0, pcpCpus: [], pcpHigh: [] };
      out.push(cur);
      return;
    }
    if (!cur) {
      if (line !== '') throw new ImportError(`zoneinfo line ${i + 1} does not parse: expected "Node N, zone NAME", got ${quote(raw)}`);
      return;
    }
    const z: Acc = cur;
    m = /^(spanned|present|managed|start_pfn:|count:|high:|nr_free_pages)\s+(\d+)$/.exec(line);
    if (!m) return; // every other line (per-node stats, watermarks, protection…) is of no use here
    const v = Number(m[2]);
    switch (m[1]) {
      case 'spanned': z.spanned = v; break;
      case 'present': z.present = v; break;
      case 'managed': z.managed = v; break;
      case 'start_pfn:': z.startPfn = v; break;
      case 'count:': z.pcp += v; z.pcpCpus.push(v); break;
      case 'high:': z.pcpHigh.push(v); break;
      case 'nr_free_pages': z.free = v; break;
    }
  });
  if (out.length === 0) throw new ImportError('zoneinfo has no "Node N, zone NAME" line');
  for (const z of out) {
    if (z.spanned < 0) throw new ImportError(`zoneinfo: zone ${z.zone} of node ${z.node} has no "spanned" line`);
    if (z.spanned > 0 && z.startPfn < 0) throw new ImportError(`zoneinfo: zone ${z.zone} of node ${z.node} spans ${z.spanned} pages but has no "start_pfn:" line`);
  }
  return out;
}
