// Flag names and the aliases whose meaning depends on the page (include/linux/page-flags.h),
// and the /proc/kpageflags bit decoder (include/uapi/linux/kernel-page-flags.h).

import { describe, expect, it } from 'vitest';
import { bit, decodeFlags, decodeKpf, KPF, PAGE_FLAGS_CHECK_AT_FREE, PG, PG_ALIAS, PGTY, pageTypeName } from './flags';

describe('enum pageflags (6.18)', () => {
  it('keeps the fixed ordinals of the kernel', () => {
    expect([PG.locked, PG.writeback, PG.uptodate, PG.dirty, PG.lru, PG.head, PG.active, PG.reserved, PG.private, PG.reclaim,
      PG.swapbacked, PG.unevictable, PG.dropbehind, PG.mlocked]).toEqual([0, 1, 3, 4, 5, 6, 8, 13, 14, 16, 17, 18, 19, 20]);
  });

  it('aliases share the bits the kernel gives them', () => {
    expect(PG_ALIAS.movable_ops).toBe(PG.uptodate);
    expect(PG_ALIAS.movable_ops_isolated).toBe(PG.reclaim);
    expect(PG_ALIAS.anon_exclusive).toBe(PG.owner_2);
    expect(PG_ALIAS.swapcache).toBe(PG.owner_priv_1);
    expect(PG_ALIAS.reported).toBe(PG.uptodate);
  });

  it('PAGE_FLAGS_CHECK_AT_FREE is lru, locked, private, private_2, writeback, reserved, active, unevictable, mlocked', () => {
    expect(decodeFlags(PAGE_FLAGS_CHECK_AT_FREE).sort()).toEqual(
      ['active', 'locked', 'lru', 'mlocked', 'private', 'private_2', 'reserved', 'unevictable', 'writeback']);
  });

  it('page types live in the top byte: buddy 0xf0, offline 0xf1, table 0xf2, slab 0xf5', () => {
    expect([PGTY.buddy, PGTY.offline, PGTY.table, PGTY.slab, PGTY.none]).toEqual([0xf0, 0xf1, 0xf2, 0xf5, 0xff]);
    expect(pageTypeName(0xf5)).toBe('slab');
    expect(pageTypeName(0x80)).toBe('0x80');
  });
});

describe('decodeFlags', () => {
  const upRec = bit(PG.uptodate) | bit(PG.reclaim);

  it('lists flags in ordinal order', () => {
    expect(decodeFlags(bit(PG.lru) | bit(PG.locked) | bit(PG.dirty))).toEqual(['locked', 'dirty', 'lru']);
    expect(decodeFlags(0)).toEqual([]);
  });

  it('reads uptodate/reclaim as movable_ops/movable_ops_isolated on a PageOffline page', () => {
    expect(decodeFlags(upRec, { pageType: PGTY.offline })).toEqual(['movable_ops', 'movable_ops_isolated']);
  });

  it('reads them the same way on a zsmalloc page', () => {
    expect(decodeFlags(upRec, { pageType: PGTY.zsmalloc })).toEqual(['movable_ops', 'movable_ops_isolated']);
  });

  it('reads them as uptodate/reclaim on an untyped or slab page', () => {
    expect(decodeFlags(upRec)).toEqual(['uptodate', 'reclaim']);
    expect(decodeFlags(upRec, { pageType: PGTY.slab })).toEqual(['uptodate', 'reclaim']);
  });

  it('reads owner_2 as anon_exclusive only on an anon folio', () => {
    expect(decodeFlags(bit(PG.owner_2), { anon: true })).toEqual(['anon_exclusive']);
    expect(decodeFlags(bit(PG.owner_2), { anon: false })).toEqual(['owner_2']);
  });

  it('reads owner_priv_1 as swapcache only together with swapbacked', () => {
    expect(decodeFlags(bit(PG.owner_priv_1) | bit(PG.swapbacked))).toEqual(['swapcache', 'swapbacked']);
    expect(decodeFlags(bit(PG.owner_priv_1))).toEqual(['owner_priv_1']);
  });
});

describe('decodeKpf', () => {
  it('names each set bit, including the kernel-internal ones above bit 31', () => {
    const v = (1n << 10n) | (1n << 23n) | (1n << 32n) | (1n << 42n);
    expect(decodeKpf(v)).toEqual(['BUDDY', 'OFFLINE', 'RESERVED', 'ARCH_3']);
  });

  it('decodes an anon THP head as the kernel would print it', () => {
    const v = [KPF.UPTODATE, KPF.LRU, KPF.MMAP, KPF.ANON, KPF.SWAPBACKED, KPF.COMPOUND_HEAD, KPF.THP]
      .reduce((a, b) => a | (1n << BigInt(b)), 0n);
    expect(v).toBe(0x40d828n);
    expect(decodeKpf(v)).toEqual(['UPTODATE', 'LRU', 'MMAP', 'ANON', 'SWAPBACKED', 'COMPOUND_HEAD', 'THP']);
  });

  it('ignores bits that have no name (SOFTDIRTY 40 is pagemap-only)', () => {
    expect(decodeKpf(1n << 40n)).toEqual([]);
    expect(decodeKpf(0n)).toEqual([]);
  });
});
