// The /proc views of the simulated kernel, in the kernel's exact text formats: buddyinfo
// (frag_show_print), pagetypeinfo (pagetypeinfo_show), zoneinfo (in part), and the binary kpageflags / kpagecount
// (stable_page_flags() and kpagecount_read() in fs/proc/page.c).

import { KPF, KPF_COPIED, PG, PGTY } from './flags';
import { freeSlot, pfnValid, type Kernel } from './kernel';
import { MIGRATE_TYPES, MT_NAMES, NR_PAGE_ORDERS, PAGEBLOCK_NR_PAGES, PAGEBLOCK_ORDER, get_pfnblock_migratetype } from './zone';
import { mappingIsAnon } from './vm';
import { NR_CPUS } from './pcp-state';
import { pcpCount, pcpHigh, pcpSettings } from './pcp';
import { zoneWatermarks } from './watermark';
import { ZS, zone_page_state } from './vmstat';

const pad = (s: string | number, w: number): string => String(s).padStart(w);

// mm/vmstat.c: frag_show_print() — "Node %d, zone %8s " then "%6lu " per order.
export function buddyinfo(k: Kernel): string {
  let out = '';
  for (const z of k.zones) {
    if (z.name === 'Device') continue;
    out += `Node 0, zone ${pad(z.name, 8)} `;
    for (let o = 0; o < NR_PAGE_ORDERS; o++) out += `${pad(k.nrFree.a[z.idx * NR_PAGE_ORDERS + o]!, 6)} `;
    out += '\n';
  }
  return out;
}

// mm/vmstat.c: zoneinfo_show_print() — the free pages, watermarks, lowmem_reserve (protection) and the per-CPU pagesets
// (count, high, batch per CPU). Per-node stats, vm event counters and the per-CPU vm stats
// threshold are not printed.
export function zoneinfo(k: Kernel): string {
  let out = '';
  const wm = zoneWatermarks(k);
  for (const z of k.zones) {
    if (z.name === 'Device') continue;
    const w = wm[z.idx]!;
    out += `Node 0, zone ${pad(z.name, 8)}\n  pages free     ${zone_page_state(k, z.idx, ZS.NR_FREE_PAGES)}\n`;
    out += `        min      ${w.min}\n        low      ${w.low}\n        high     ${w.high}\n`;
    out += `        spanned  ${z.end - z.start}\n        managed  ${w.managed}\n`;
    out += `        protection: (${w.lowmem_reserve.join(', ')})\n  pagesets\n`;
    for (let cpu = 0; cpu < NR_CPUS; cpu++) {
      out += `    cpu: ${cpu}\n              count: ${pcpCount(k, z.idx, cpu)}\n              high:  ${pcpHigh(k, z.idx, cpu)}\n              batch: ${pcpSettings(k, z.idx).batch}\n`;
    }
    out += `  start_pfn:           ${z.start}\n`;
  }
  return out;
}

function listLength(k: Kernel, slot: number, cap: number): number {
  let n = 0;
  for (let p = k.freeLists.heads.a[2 * slot]!; p !== -1 && n < cap; p = k.mem.lruNext.a[p]!) n++;
  return n;
}

// mm/vmstat.c: pagetypeinfo_show() → pagetypeinfo_showfree() + pagetypeinfo_showblockcount().
export function pagetypeinfo(k: Kernel): string {
  const zones = k.zones.filter((z) => z.name !== 'Device');
  let out = `Page block order: ${PAGEBLOCK_ORDER}\nPages per block:  ${PAGEBLOCK_NR_PAGES}\n\n`;
  out += 'Free pages count per migrate type at order'.padEnd(43) + ' ';
  for (let o = 0; o < NR_PAGE_ORDERS; o++) out += `${pad(o, 6)} `;
  out += '\n';
  for (const z of zones) {
    for (let mt = 0; mt < MIGRATE_TYPES; mt++) {
      out += `Node ${pad(0, 4)}, zone ${pad(z.name, 8)}, type ${pad(MT_NAMES[mt]!, 12)} `;
      for (let o = 0; o < NR_PAGE_ORDERS; o++) {
        const n = listLength(k, freeSlot(z.idx, o, mt), 100000); // the kernel caps the walk at 100000
        out += `${n >= 100000 ? '>' : ''}${pad(n, 6)} `;
      }
      out += '\n';
    }
  }
  out += '\n' + 'Number of blocks type '.padEnd(23);
  for (let mt = 0; mt < MIGRATE_TYPES; mt++) out += `${pad(MT_NAMES[mt]!, 12)} `;
  out += '\n';
  for (const z of zones) {
    const count = new Array<number>(MIGRATE_TYPES).fill(0);
    for (let pfn = z.start; pfn < z.end; pfn += PAGEBLOCK_NR_PAGES) {
      if (!pfnValid(k, pfn)) continue; // pfn_to_online_page() is NULL in a hole
      count[get_pfnblock_migratetype(k, pfn)]!++;
    }
    out += `Node 0, zone ${pad(z.name, 8)} ` + count.map((c) => `${pad(c, 12)} `).join('') + '\n';
  }
  return out;
}

/** Which PFNs lie inside a free buddy block (is_free_buddy_page()). */
export function freePageMap(k: Kernel): Uint8Array {
  const free = new Uint8Array(k.mem.nr);
  for (let p = 0; p < k.mem.nr; p++) {
    if (k.mem.pageType.a[p] === PGTY.buddy) free.fill(1, p, p + (1 << k.mem.private_.a[p]!));
  }
  return free;
}

const b = (n: number): bigint => 1n << BigInt(n);

// fs/proc/page.c: stable_page_flags(). `free` is freePageMap(k) (computed once for a dump).
export function stable_page_flags(k: Kernel, pfn: number, free: Uint8Array): bigint {
  if (!pfnValid(k, pfn)) return 0n; // 6.18's kpage_read() writes 0 for a PFN with no online page
  const { flags, lruNext, mapping, pageType, mapcount, order } = k.mem;
  const head = lruNext.a[pfn]! <= -2 ? -lruNext.a[pfn]! - 2 : pfn;
  const f = flags.a[head]!;
  const large = (f & (1 << PG.head)) !== 0;
  const nr = large ? 1 << order.a[head]! : 1;
  const type = pageType.a[head]!;
  let u = 0n;
  let mapped = false;
  if (type === PGTY.none) for (let i = 0; i < nr && !mapped; i++) mapped = mapcount.a[head + i]! >= 0; // folio_mapped()
  else if (type === PGTY.hugetlb) mapped = k.hugetlb.entireMapcount.a[head >> 9]! >= 0; // mapped whole
  if (mapped) u |= b(KPF.MMAP);
  const m = mapping.a[head]!;
  if (m !== 0 && mappingIsAnon(m)) u |= b(KPF.ANON);
  if (head === pfn) {
    if (large) u |= b(KPF.COMPOUND_HEAD);
  } else u |= b(KPF.COMPOUND_TAIL);
  if (type === PGTY.hugetlb) u |= b(KPF.HUGE);
  else if (large && flags.a[head + 1]! & (1 << PG.workingset)) u |= b(KPF.THP); // PG_large_rmappable in page[1]
  if (free[pfn]) u |= b(KPF.BUDDY);
  if (type === PGTY.offline) u |= b(KPF.OFFLINE);
  if (type === PGTY.table) u |= b(KPF.PGTABLE);
  if (type === PGTY.slab) u |= b(KPF.SLAB);
  for (const [pg, kpf] of KPF_COPIED) if (f & (1 << pg)) u |= b(kpf);
  if ((f & (1 << PG.swapbacked)) && (f & (1 << PG.owner_priv_1))) u |= b(KPF.SWAPCACHE);
  return u;
}

// fs/proc/page.c: kpagecount_read() with CONFIG_PAGE_MAPCOUNT — the precise per-page mapcount,
// 0 for typed pages but hugetlb. Not the refcount.
export function kpagecount(k: Kernel, pfn: number): number {
  if (!pfnValid(k, pfn)) return 0;
  const head = k.mem.lruNext.a[pfn]! <= -2 ? -k.mem.lruNext.a[pfn]! - 2 : pfn;
  // folio_precise_page_mapcount(): a large folio adds its entire mapcount to every page, which is
  // all a hugetlb folio has (its head's _mapcount holds the page type).
  if (k.mem.pageType.a[head] === PGTY.hugetlb) return k.hugetlb.entireMapcount.a[head >> 9]! + 1;
  if (k.mem.pageType.a[head] !== PGTY.none) return 0;
  return Math.max(0, k.mem.mapcount.a[pfn]! + 1);
}

/** /proc/kpageflags and /proc/kpagecount as their binary files: one little-endian u64 per PFN. */
export function dumpKpage(k: Kernel): { kpageflags: Uint8Array; kpagecount: Uint8Array } {
  const nr = k.mem.nr;
  const free = freePageMap(k);
  const flags = new Uint8Array(nr * 8);
  const count = new Uint8Array(nr * 8);
  const fv = new DataView(flags.buffer);
  const cv = new DataView(count.buffer);
  for (let p = 0; p < nr; p++) {
    fv.setBigUint64(p * 8, stable_page_flags(k, p, free), true);
    cv.setUint32(p * 8, kpagecount(k, p), true);
  }
  return { kpageflags: flags, kpagecount: count };
}

export { hugetlb_report_meminfo } from './hugetlb';
