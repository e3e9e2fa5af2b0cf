// Property: a real dump, mutated — any KPF bit set or cleared on random pages, compound heads and
// tails put where they do not belong, odd mapcounts — either imports and then survives
// compact_memory with every invariant holding, or is refused by the import with a one-line
// reason. A kernel BUG (Bad page state, an underflow, a thrown error mid-run) fails the test.
// Windows of the 6.1 and 6.12 captures keep each run small.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { KPF } from '../kernel/flags';
import { checkInvariants } from '../kernel/invariants';
import { importDump } from '../kernel/import/rebuild';
import { openImportedSession } from './session';
import { runToEnd } from './timeline';
import { captureSet, REFERENCE } from '../reference.testkit';

const CAPTURES = captureSet(['real-kernel/fragmented-compact', 'real-kernel-6.12/fragmented-compact', 'real-kernel-6.12/balloon-compact'], 'before.kpageflags');
const DUMPS = CAPTURES.dirs;

/** A window of WINDOW PFNs (kpageflags and kpagecount words) of a capture's `before`. */
const WINDOW = 8192;
const windows = new Map<string, { flags: BigUint64Array; counts: BigUint64Array }>();
function load(d: string): { flags: BigUint64Array; counts: BigUint64Array } {
  let w = windows.get(d);
  if (!w) {
    const words = (ext: string): BigUint64Array => {
      const b = readFileSync(`${REFERENCE}${d}/before.${ext}`);
      return new BigUint64Array(b.buffer.slice(b.byteOffset, b.byteOffset + (b.byteLength & ~7)));
    };
    w = { flags: words('kpageflags'), counts: words('kpagecount') };
    windows.set(d, w);
  }
  return w;
}

const BITS = Object.values(KPF);
const mutation = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), at: fc.nat(WINDOW - 1), bit: fc.constantFrom(...BITS), run: fc.integer({ min: 1, max: 64 }) }),
  fc.record({ kind: fc.constant('clear' as const), at: fc.nat(WINDOW - 1), bit: fc.constantFrom(...BITS), run: fc.integer({ min: 1, max: 64 }) }),
  // A compound folio laid over whatever was there (any order, aligned or not, cut short or not).
  fc.record({ kind: fc.constant('compound' as const), at: fc.nat(WINDOW - 1), order: fc.integer({ min: 1, max: 10 }), cut: fc.nat(1024) }),
  fc.record({ kind: fc.constant('mapcount' as const), at: fc.nat(WINDOW - 1), count: fc.constantFrom(0, 1, 2, 7, 600, 70000), run: fc.integer({ min: 1, max: 64 }) }),
);
type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

function mutate(flags: BigUint64Array, counts: BigUint64Array, m: Mutation): void {
  const bit = (b: number): bigint => 1n << BigInt(b);
  if (m.kind === 'set' || m.kind === 'clear') {
    for (let i = m.at; i < Math.min(WINDOW, m.at + m.run); i++) flags[i] = m.kind === 'set' ? flags[i]! | bit(m.bit) : flags[i]! & ~bit(m.bit);
  } else if (m.kind === 'compound') {
    const n = Math.min(1 << m.order, m.cut + 1, WINDOW - m.at);
    const base = flags[m.at]! & ~(bit(KPF.COMPOUND_HEAD) | bit(KPF.COMPOUND_TAIL));
    for (let i = 0; i < n; i++) flags[m.at + i] = base | bit(i === 0 ? KPF.COMPOUND_HEAD : KPF.COMPOUND_TAIL);
  } else {
    for (let i = m.at; i < Math.min(WINDOW, m.at + m.run); i++) counts[i] = BigInt(m.count);
  }
}

const asBytes = (a: BigUint64Array): Uint8Array => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

CAPTURES.describe('mutated real dumps', () => {
  it('import and compact_memory: no BUG, every invariant, or a one-line refusal', { timeout: 300_000 }, () => {
    const refusals: string[] = [];
    fc.assert(fc.property(
      fc.constantFrom(...DUMPS), fc.nat(15), fc.array(mutation, { minLength: 1, maxLength: 12 }),
      (dump, slot, muts) => {
        const real = load(dump);
        const start = slot * WINDOW; // 16 windows of the 128 Ki PFNs
        const flags = real.flags.slice(start, start + WINDOW);
        const counts = real.counts.slice(start, start + WINDOW);
        for (const m of muts) mutate(flags, counts, m);
        let imported;
        try {
          imported = importDump({ name: `${dump}+${muts.length} mutations`, kpageflags: asBytes(flags), kpagecount: asBytes(counts) });
        } catch (e) {
          // A refusal is fine when it says what is wrong in one line.
          const msg = (e as Error).message;
          expect(msg).not.toMatch(/\n|BUG|underflow|undefined|NaN/);
          refusals.push(msg);
          return;
        }
        expect(checkInvariants(imported.k)).toEqual([]);
        const s = openImportedSession(imported, [{ type: 'compact' }]);
        runToEnd(s.t);
        expect(s.t.failure?.message ?? null).toBeNull();
        expect(checkInvariants(s.k)).toEqual([]);
      },
    ), { numRuns: Number(process.env.MUT_RUNS ?? 40), seed: Number(process.env.MUT_SEED ?? 15) });
    // Most mutated dumps are still importable: the property is not passing by refusing them all.
    expect(refusals.length).toBeLessThan(20);
  });
});
