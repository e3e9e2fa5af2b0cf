// Property: any dump made of words a kernel does write — the flag combinations of the real
// captures and of 6.18 (THP folios, hugetlb, balloon pages with and without PG_movable_ops,
// NOPAGE holes), in any order, with compound heads and tails wherever they fall and any small
// mapcount — imports without throwing, and the rebuilt kernel passes every invariant. Runs cut
// compound runs short and put tails without heads, heads without tails and BUDDY pages in odd
// places, which a non-atomic dump of a live machine does too.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { importDump } from './rebuild';
import { KPF } from '../flags';
import { checkInvariants } from '../invariants';

const b = (...bits: number[]): bigint => bits.reduce((s, x) => s | (1n << BigInt(x)), 0n);
const K = KPF;
/** Runs of one word; a compound head is followed by tails of the same folio (cut short at random). */
const VOCAB: readonly { readonly head: bigint; readonly tail?: bigint; readonly counts: boolean }[] = [
  { head: b(K.BUDDY), counts: false },
  { head: b(K.RESERVED), counts: false },
  { head: 0n, counts: false },
  { head: b(K.NOPAGE), counts: false },
  { head: b(K.OFFLINE), counts: false }, // 6.1 balloon page
  { head: b(K.OFFLINE, K.UPTODATE), counts: false }, // 6.18 balloon page
  { head: b(K.SLAB), counts: false },
  { head: b(K.SLAB, K.COMPOUND_HEAD), tail: b(K.SLAB, K.COMPOUND_TAIL), counts: false },
  { head: b(K.PGTABLE), counts: false },
  { head: b(K.COMPOUND_HEAD), tail: b(K.COMPOUND_TAIL), counts: false },
  { head: b(K.ANON, K.SWAPBACKED, K.MMAP, K.LRU, K.UPTODATE, K.OWNER_2), counts: true },
  { head: b(K.ANON, K.SWAPBACKED, K.MMAP, K.LRU, K.UPTODATE, K.ACTIVE, K.COMPOUND_HEAD, K.THP), tail: b(K.ANON, K.SWAPBACKED, K.MMAP, K.LRU, K.UPTODATE, K.ACTIVE, K.COMPOUND_TAIL, K.THP), counts: true },
  { head: b(K.SWAPBACKED, K.LRU, K.DIRTY, K.UPTODATE), counts: true }, // shmem
  { head: b(K.UNEVICTABLE, K.LRU, K.DIRTY, K.UPTODATE), counts: true }, // ramfs
  { head: b(K.LRU, K.UPTODATE, K.PRIVATE, K.REFERENCED), counts: true }, // file with buffers
  { head: b(K.LRU, K.UPTODATE, K.UNEVICTABLE, K.MLOCKED, K.MMAP), counts: true }, // mlocked file
  { head: b(K.LRU, K.UPTODATE, K.COMPOUND_HEAD, K.THP), tail: b(K.LRU, K.UPTODATE, K.COMPOUND_TAIL, K.THP), counts: true },
  { head: b(K.HUGE, K.COMPOUND_HEAD, K.UPTODATE, K.ANON, K.MMAP), tail: b(K.HUGE, K.COMPOUND_TAIL, K.UPTODATE, K.ANON, K.MMAP), counts: true },
  { head: b(K.ANON, K.SWAPBACKED, K.MMAP, K.UPTODATE, K.LOCKED, K.WRITEBACK, K.SWAPCACHE), counts: true },
];

const runArb = fc.record({ word: fc.nat(VOCAB.length - 1), len: fc.integer({ min: 1, max: 600 }), count: fc.nat(3), align: fc.constantFrom(1, 16, 512) });

describe('any dump of plausible words imports into a consistent kernel', () => {
  it('120 random dumps of 2-7 Ki PFNs', { timeout: 120_000 }, () => {
    fc.assert(fc.property(fc.array(runArb, { minLength: 4, maxLength: 40 }), (runs) => {
      const flags: bigint[] = [];
      const counts: bigint[] = [];
      for (const r of runs) {
        const v = VOCAB[r.word]!;
        // Folios are naturally aligned: start a compound run at an aligned PFN (flags-0 pages before it).
        while (v.tail && flags.length % r.align !== 0) {
          flags.push(0n);
          counts.push(0n);
        }
        for (let i = 0; i < r.len && flags.length < 6144; i++) {
          flags.push(i === 0 || !v.tail ? v.head : v.tail);
          counts.push(v.counts ? BigInt(r.count) : 0n);
        }
      }
      while (flags.length < 2048) {
        flags.push(b(K.BUDDY));
        counts.push(0n);
      }
      const bytes = (a: bigint[]): Uint8Array => {
        const out = new Uint8Array(a.length * 8);
        const dv = new DataView(out.buffer);
        a.forEach((x, i) => dv.setBigUint64(i * 8, x, true));
        return out;
      };
      const { k } = importDump({ name: 'random', kpageflags: bytes(flags), kpagecount: bytes(counts) });
      expect(checkInvariants(k)).toEqual([]);
    }), { numRuns: 120, seed: 10 });
  });
});
