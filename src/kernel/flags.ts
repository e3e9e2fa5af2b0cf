// Page flags, page types and the /proc/kpageflags bits of Linux 6.18, with their kernel names.
// include/linux/page-flags.h (enum pageflags, enum pagetype), include/uapi/linux/kernel-page-flags.h.

/** enum pageflags, 6.18, x86-64 config without MEMORY_FAILURE (kernel-reference.md §1.4). */
export const PG = {
  locked: 0,
  writeback: 1,
  referenced: 2,
  uptodate: 3,
  dirty: 4,
  lru: 5,
  head: 6,
  waiters: 7,
  active: 8,
  workingset: 9,
  owner_priv_1: 10,
  owner_2: 11,
  arch_1: 12,
  reserved: 13,
  private: 14,
  private_2: 15,
  reclaim: 16,
  swapbacked: 17,
  unevictable: 18,
  dropbehind: 19,
  mlocked: 20,
  young: 21,
  idle: 22,
  arch_2: 23,
} as const;
export type PgFlag = keyof typeof PG;

/** Aliases that share a bit with another flag (page-flags.h). */
export const PG_ALIAS = {
  swapcache: PG.owner_priv_1,
  checked: PG.owner_priv_1,
  anon_exclusive: PG.owner_2,
  mappedtodisk: PG.owner_2,
  readahead: PG.reclaim,
  reported: PG.uptodate,
  movable_ops: PG.uptodate,
  movable_ops_isolated: PG.reclaim,
} as const;

export const bit = (nr: number): number => 1 << nr;

/** PAGE_FLAGS_CHECK_AT_FREE: a freed page carrying any of these is a "bad page". */
export const PAGE_FLAGS_CHECK_AT_FREE =
  bit(PG.lru) | bit(PG.locked) | bit(PG.private) | bit(PG.private_2) | bit(PG.writeback) |
  bit(PG.reserved) | bit(PG.active) | bit(PG.unevictable) | bit(PG.mlocked);

/** enum pagetype: the top byte of page->page_type; 0xff means "no type" (page_type == UINT_MAX). */
export const PGTY = {
  none: 0xff,
  buddy: 0xf0,
  offline: 0xf1,
  table: 0xf2,
  guard: 0xf3,
  hugetlb: 0xf4,
  slab: 0xf5,
  zsmalloc: 0xf6,
  unaccepted: 0xf7,
  large_kmalloc: 0xf8,
} as const;
export type PageType = (typeof PGTY)[keyof typeof PGTY];

const PGTY_NAMES = new Map<number, string>(Object.entries(PGTY).map(([k, v]) => [v, k]));

export function pageTypeName(t: number): string {
  return PGTY_NAMES.get(t) ?? `0x${t.toString(16)}`;
}

/**
 * Decode a flags word into kernel flag names. Context decides which alias is shown: on a
 * PageOffline/PageZsmalloc/PageTable page bit 3 is PG_movable_ops and bit 16 PG_movable_ops_isolated; on
 * an anon folio bit 11 is PG_anon_exclusive; on a swapbacked folio bit 10 is PG_swapcache.
 */
export function decodeFlags(flags: number, ctx: { pageType?: number; anon?: boolean } = {}): string[] {
  const out: string[] = [];
  // A page table carries bit 16 only under the pgtable-movable design, as its isolation flag.
  const movableOpsType = ctx.pageType === PGTY.offline || ctx.pageType === PGTY.zsmalloc || ctx.pageType === PGTY.table;
  for (const [name, nr] of Object.entries(PG)) {
    if (!(flags & bit(nr))) continue;
    if (movableOpsType && nr === PG.uptodate) out.push('movable_ops');
    else if (movableOpsType && nr === PG.reclaim) out.push('movable_ops_isolated');
    else if (ctx.anon && nr === PG.owner_2) out.push('anon_exclusive');
    else if (nr === PG.owner_priv_1 && flags & bit(PG.swapbacked)) out.push('swapcache');
    else out.push(name);
  }
  return out;
}

/** /proc/kpageflags bits (uapi + kernel-internal, kernel-reference.md §9.1). */
export const KPF = {
  LOCKED: 0, ERROR: 1, REFERENCED: 2, UPTODATE: 3, DIRTY: 4, LRU: 5, ACTIVE: 6, SLAB: 7,
  WRITEBACK: 8, RECLAIM: 9, BUDDY: 10, MMAP: 11, ANON: 12, SWAPCACHE: 13, SWAPBACKED: 14,
  COMPOUND_HEAD: 15, COMPOUND_TAIL: 16, HUGE: 17, UNEVICTABLE: 18, HWPOISON: 19, NOPAGE: 20,
  KSM: 21, THP: 22, OFFLINE: 23, ZERO_PAGE: 24, IDLE: 25, PGTABLE: 26,
  RESERVED: 32, MLOCKED: 33, OWNER_2: 34, PRIVATE: 35, PRIVATE_2: 36, OWNER_PRIVATE: 37,
  ARCH: 38, ARCH_2: 41, ARCH_3: 42,
} as const;
export type KpfName = keyof typeof KPF;

/** PG bits that stable_page_flags() copies straight into KPF bits (fs/proc/page.c). */
export const KPF_COPIED: ReadonlyArray<readonly [number, number]> = [
  [PG.locked, KPF.LOCKED], [PG.dirty, KPF.DIRTY], [PG.uptodate, KPF.UPTODATE],
  [PG.writeback, KPF.WRITEBACK], [PG.lru, KPF.LRU], [PG.referenced, KPF.REFERENCED],
  [PG.active, KPF.ACTIVE], [PG.reclaim, KPF.RECLAIM], [PG.swapbacked, KPF.SWAPBACKED],
  [PG.unevictable, KPF.UNEVICTABLE], [PG.mlocked, KPF.MLOCKED], [PG.reserved, KPF.RESERVED],
  [PG.owner_2, KPF.OWNER_2], [PG.private, KPF.PRIVATE], [PG.private_2, KPF.PRIVATE_2],
  [PG.owner_priv_1, KPF.OWNER_PRIVATE], [PG.arch_1, KPF.ARCH], [PG.arch_2, KPF.ARCH_2],
  [PG.idle, KPF.IDLE],
];

export function decodeKpf(v: bigint): KpfName[] {
  const out: KpfName[] = [];
  for (const [name, nr] of Object.entries(KPF) as [KpfName, number][]) {
    if ((v >> BigInt(nr)) & 1n) out.push(name);
  }
  return out;
}
