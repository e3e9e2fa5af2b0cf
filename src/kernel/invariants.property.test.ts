// Property: whatever sequence of kernel operations runs — page and slab allocation and free,
// anon faults of order 0/2/4/9, zapping PTEs, process exit, page-cache reads and file faults,
// reclaim, FOLL_PIN/FOLL_GET pins and unpins, dirtying, buffer heads, activation — the state
// stays consistent (checkInvariants() is empty). 100 random sequences of 1,000 operations on an
// 8192-PFN booted kernel with two zones. A sequence checked after every operation takes ~0.4 s
// (checkInvariants() dominates), one checked every CHECK_STRIDE operations ~0.03 s, so the first
// EVERY_OP_RUNS sequences are checked after every operation and the rest every CHECK_STRIDE
// operations and at the end: ~10 s for the whole property on 2 cores.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { checkInvariants } from './invariants';
import { applyOp, createTestWorld, OP_WEIGHT_TOTAL, type Op } from './testkit';
import { rehash, stateHash } from './store';
import { NS, node_page_state } from './vmstat';

const RUNS = 100;
const OPS_PER_RUN = 1000;
const EVERY_OP_RUNS = 20;
const CHECK_STRIDE = 50;

// noBias: fast-check's default bias towards small integers would make the first operation kind
// (allocation) and the lowest slots far more frequent than their weights say.
const opArb: fc.Arbitrary<Op> = fc.noBias(fc.tuple(fc.nat(OP_WEIGHT_TOTAL - 1), fc.nat(), fc.nat()));

describe('kernel operations keep every invariant', () => {
  it(`${RUNS} random sequences of ${OPS_PER_RUN} operations`, { timeout: 120_000 }, () => {
    let run = 0;
    // What the sequences actually did, summed over runs, so that a generator that stopped
    // reaching some path (every fault failing, say) fails the test instead of passing vacuously.
    const seen = new Map<string, number>();
    const note = (what: string): void => void seen.set(what, (seen.get(what) ?? 0) + 1);
    let maxAnon = 0;

    fc.assert(fc.property(fc.array(opArb, { minLength: OPS_PER_RUN, maxLength: OPS_PER_RUN }), (ops) => {
      const stride = run++ < EVERY_OP_RUNS ? 1 : CHECK_STRIDE;
      const w = createTestWorld(8192);
      rehash(w.k.st);
      w.k.st.j.on = true;
      const log: string[] = [];
      ops.forEach((op, i) => {
        let desc: string;
        try {
          desc = applyOp(w, op);
        } catch (e) {
          throw new Error(`op ${i} ${JSON.stringify(op)} threw: ${(e as Error).message}\nafter: ${log.slice(-5).join('\n')}`);
        }
        log.push(desc);
        if (!/= -1$|none|nothing|= false|, -1\)$/.test(desc)) note(desc.replace(/\(.*$/, '') + (/order \d+/.exec(desc)?.[0].replace(/^/, ' ') ?? ''));
        maxAnon = Math.max(maxAnon, node_page_state(w.k, NS.NR_ANON_MAPPED));
        if ((i + 1) % stride === 0 || i === ops.length - 1) {
          const v = checkInvariants(w.k, 5);
          if (v.length) throw new Error(`after op ${i} (${desc}):\n${v.map((x) => `  ${x.rule}: ${x.detail}`).join('\n')}\nlast ops:\n  ${log.slice(-8).join('\n  ')}`);
        }
      });
      // The incremental hash kept up with every write.
      const inc = stateHash(w.k.st);
      rehash(w.k.st);
      expect(stateHash(w.k.st)).toBe(inc);
    }), {
      numRuns: RUNS,
      // No shrinking: a sequence cannot get shorter than OPS_PER_RUN, so shrinking only zeroes
      // operations for minutes. The error names the failing operation and the ones before it,
      // and fast-check prints the seed to replay it.
      endOnFailure: true,
    });

    expect(run).toBeGreaterThanOrEqual(RUNS);
    if (process.env.PFNSCOPE_PROPERTY_STATS) console.log([...seen].sort().map(([k, n]) => `${k}: ${n}`).join('\n'));
    for (const path of [
      'alloc_kernel_pages order 0', 'alloc_kernel_pages order 10', 'folio_put', 'alloc_slab_page order 0', 'alloc_slab_page order 3',
      'free_slab_page', 'do_anonymous_page order 0', 'do_anonymous_page order 2', 'do_anonymous_page order 4',
      'do_anonymous_page order 9', 'zap_pte', 'exit_mmap', 'filemap_read_folio order 0', 'filemap_read_folio order 2',
      'do_read_fault', 'reclaim_clean_folio', 'pin_user_page',
      'unpin_user_page', 'folio_mark_dirty', 'folio_attach_private', 'folio_activate',
    ]) expect(seen.get(path) ?? 0, `${path} succeeded in some run`).toBeGreaterThan(RUNS / 2);
    expect(maxAnon).toBeGreaterThan(512); // memory got reasonably full, not just a few pages
  });
});
