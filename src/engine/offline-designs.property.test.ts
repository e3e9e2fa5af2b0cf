// Property: random balloon stories (inflate, deflate, migrate actions, races, compaction, parallel
// groups) under Zi Yan's two designs run to their end without a BUG of the model and with every
// invariant at sampled steps (runChecked). Fixed seed: a failure is reproducible from its message.
import { it } from 'vitest';
import fc from 'fast-check';
import { parseScenario } from './scenario';
import { runChecked } from './scenarios.testkit';
const act = fc.oneof(
  fc.record({ type: fc.constant('migrate'), pages: fc.constant([{ from: 0 }]), mode: fc.constantFrom('async', 'sync_light', 'sync'), reason: fc.constantFrom('compaction', 'syscall_or_cpuset', 'contig_range') }),
  fc.record({ type: fc.constant('balloon'), op: fc.constantFrom('inflate', 'deflate'), pages: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ type: fc.constant('compact'), zone: fc.constantFrom('DMA', 'DMA32') }),
  fc.record({ type: fc.constant('madvise'), advice: fc.constant('dontneed'), fraction: fc.constantFrom(0.3, 0.6) }),
);
const par = fc.record({ type: fc.constant('parallel'), actions: fc.array(act, { minLength: 2, maxLength: 3 }), schedule: fc.constantFrom('round-robin') });
const race = fc.record({ type: fc.constant('race'), pages: fc.constant([{ from: 0 }]), mode: fc.constantFrom('async', 'sync'), reason: fc.constant('compaction') });
it('random balloon scenarios under offline-alloc and offline-migrate keep every invariant', { timeout: 240_000 }, () => {
  const arb = fc.tuple(fc.integer({ min: 1, max: 64 }), fc.array(fc.oneof(act, par, race), { minLength: 1, maxLength: 5 }), fc.constantFrom('offline-alloc', 'offline-migrate'), fc.nat(1000))
    .map(([n, acts, v, seed]) => ({ v: 1, memory: { pfns: 8192 }, seed, variant: v, actions: [{ type: 'balloon', op: 'inflate', pages: n }, ...acts] }));
  fc.assert(fc.property(arb, (json) => {
    const problem = runChecked(parseScenario(json));
    if (problem) throw new Error(`${problem}\nscenario: ${JSON.stringify(json)}`);
  }), { numRuns: 40, seed: 77, endOnFailure: true });
});
