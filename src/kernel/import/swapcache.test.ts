// Import of KPF_SWAPCACHE pages: rebuilt in the swap cache with its reference per page, so the
// refcount checks of compaction and migration see what the real kernel saw.

import { describe, expect, it } from 'vitest';
import { importDump } from './rebuild';
import { KPF, PG } from '../flags';
import { checkInvariants } from '../invariants';
import { inspectPage } from '../inspect';
import { node_page_state, NS } from '../vmstat';
import { folio_expected_ref_count } from '../migrate';

const b = (...bits: number[]): bigint => bits.reduce((s, x) => s | (1n << BigInt(x)), 0n);
const bytes = (a: bigint[]): Uint8Array => {
  const out = new Uint8Array(a.length * 8);
  const dv = new DataView(out.buffer);
  a.forEach((x, i) => dv.setBigUint64(i * 8, x, true));
  return out;
};

describe('swap cache pages from a dump', () => {
  // 2048 PFNs: buddy pages, then 8 mapped and 4 unmapped anon pages in the swap cache, 4 plain anon.
  const SWAP = b(KPF.ANON, KPF.SWAPBACKED, KPF.LRU, KPF.UPTODATE, KPF.SWAPCACHE);
  const PLAIN = b(KPF.ANON, KPF.SWAPBACKED, KPF.LRU, KPF.UPTODATE, KPF.MMAP);
  const flags: bigint[] = [], counts: bigint[] = [];
  const push = (f: bigint, c: number, n: number): void => {
    for (let i = 0; i < n; i++) {
      flags.push(f);
      counts.push(BigInt(c));
    }
  };
  push(b(KPF.RESERVED), 0, 1024);
  push(SWAP | b(KPF.MMAP), 1, 8); // PFNs 1024..1031
  push(SWAP, 0, 4); // 1032..1035: unmapped, held by the cache alone
  push(PLAIN, 1, 4); // 1036..1039
  push(b(KPF.BUDDY), 0, 2048 - 1040);
  const { k, report } = importDump({ name: 'swapcache', kpageflags: bytes(flags), kpagecount: bytes(counts) });

  it('puts each KPF_SWAPCACHE anon page in the swap cache with its reference; unmapped ones stay unmapped', () => {
    expect(checkInvariants(k)).toEqual([]);
    const m = k.mem;
    const slots = new Set<number>();
    for (let p = 1024; p < 1036; p++) {
      expect(m.flags.a[p]! & (1 << PG.owner_priv_1)).not.toBe(0);
      const entry = m.private_.a[p]!;
      expect(k.swap.table.a[entry]).toBe(p);
      slots.add(entry);
      const mapped = p < 1032 ? 1 : 0;
      expect(m.mapcount.a[p]! + 1).toBe(mapped);
      expect(m.refcount.a[p]).toBe(mapped + 1);
      expect(folio_expected_ref_count(k, p).parts).toContain('swap cache 1');
      expect(inspectPage(k, p).holders.some((h) => h.what.startsWith('swap cache'))).toBe(true);
    }
    expect(slots.size).toBe(12);
    for (let p = 1036; p < 1040; p++) expect(m.flags.a[p]! & (1 << PG.owner_priv_1)).toBe(0);
    expect(node_page_state(k, NS.NR_SWAPCACHE)).toBe(12);
  });

  it('says so in the report', () => {
    const line = report.ambiguities.find((a) => a.includes('swap cache'))!;
    expect(line).toMatch(/^12 pages were in the swap cache: 12 anonymous ones rebuilt in the swap cache/);
    expect(report.ambiguities.some((a) => /mapcount 0/.test(a))).toBe(false);
  });
});
