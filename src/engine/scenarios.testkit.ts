// Test-only helper (imported by *.test.ts and by hand-run fuzzing): random valid scenarios — every
// action type, parallel groups, every design variant — and a checked run of one.

import fc from 'fast-check';
import { checkInvariants } from '../kernel/invariants';
import type { Scenario } from './scenario';
import { openSession } from './session';
import { currentStep, runToEnd, seek } from './timeline';
import { MID_OPERATION } from './steps.testkit';

/** More steps than any of these scenarios needs (the largest take ~20,000): past it, a hang. */
const STEP_BUDGET = 200_000;
/** Steps checked per run, spread over the timeline, besides the last. */
const SAMPLES = 12;

const MEMORY = [2048, 4096, 8192] as const;
const VARIANTS = ['linux-6.18', 'linux-6.12', 'no-refcount', 'pfn-array'] as const;
const REASONS = ['compaction', 'memory_failure', 'memory_hotplug', 'syscall_or_cpuset', 'mempolicy_mbind', 'numa_misplaced', 'contig_range', 'longterm_pin', 'demotion', 'damon'] as const;

type Json = Record<string, unknown>;

/** A fraction in hundredths up to `max` (fc.double would mostly give subnormals and extremes). */
const share = (max: number): fc.Arbitrary<number> => fc.integer({ min: 0, max: 100 }).map((n) => Math.round(n * max * 100) / 10000);

/** A page reference; `from` names an earlier action (index < i). */
const pageRef = (pfns: number, i: number): fc.Arbitrary<Json> => fc.oneof(
  fc.record({ pfn: fc.nat(pfns - 1) }),
  fc.record({ process: fc.nat(7), page: fc.nat(63) }),
  fc.record({ process: fc.nat(7), page: fc.nat(63), file: fc.constant(true) }),
  ...(i > 0 ? [fc.record({ from: fc.nat(i - 1) })] : []),
);

/** A whole-pageblock range inside memory. */
const blockRange = (pfns: number): fc.Arbitrary<Json> =>
  fc.tuple(fc.nat(pfns / 512 - 1), fc.integer({ min: 1, max: 2 })).map(([b, n]) => ({ start: b * 512, end: Math.min(pfns, (b + n) * 512) }));

function simpleAction(pfns: number, device: boolean, i: number): fc.Arbitrary<Json> {
  const migrateTarget = fc.oneof(
    fc.record({ pages: fc.array(pageRef(pfns, i), { minLength: 1, maxLength: 3 }) }),
    fc.tuple(fc.nat(pfns - 1), fc.integer({ min: 1, max: 256 })).map(([s, n]) => ({ range: { start: s, end: Math.min(pfns, s + n) } })).filter((r) => r.range.end > r.range.start),
    fc.record({ process: fc.nat(7) }),
  );
  const migrate = (type: 'migrate' | 'race'): fc.Arbitrary<Json> => fc.tuple(migrateTarget, fc.record({
    to: fc.constantFrom('DMA', 'DMA32', 'Normal'), mode: fc.constantFrom('async', 'sync_light', 'sync'), reason: fc.constantFrom(...REASONS),
  }, { requiredKeys: [] })).map(([t, o]) => {
    // compaction migrates within each page's zone: the schema refuses a target zone with it
    const { to, ...rest } = o as { to?: string; reason?: string };
    return { type, ...t, ...rest, ...(to !== undefined && rest.reason !== 'compaction' ? { to } : {}) };
  });
  const arbs: fc.Arbitrary<Json>[] = [
    fc.record({ type: fc.constant('alloc'), order: fc.nat(10), gfp: fc.constantFrom('unmovable', 'movable', 'reclaimable'), count: fc.integer({ min: 1, max: 8 }), zone: fc.constantFrom('DMA', 'DMA32'), untilFails: fc.boolean(), compact: fc.boolean() }, { requiredKeys: ['type', 'order', 'gfp'] }),
    i > 0 ? fc.oneof(fc.record({ type: fc.constant('free'), from: fc.nat(i - 1) }), fc.record({ type: fc.constant('free'), pfn: fc.nat(pfns - 1) })) : fc.record({ type: fc.constant('free'), pfn: fc.nat(pfns - 1) }),
    fc.record({ type: fc.constant('fault'), process: fc.nat(7), pages: fc.integer({ min: 1, max: 600 }), order: fc.constantFrom(0, 2, 4, 9) }, { requiredKeys: ['type', 'process', 'pages'] }),
    fc.record({ type: fc.constant('exit'), process: fc.nat(7) }),
    fc.tuple(pageRef(pfns, i), fc.constantFrom('pin', 'get')).map(([r, kind]) => ({ type: 'pin', ...r, kind })),
    fc.tuple(pageRef(pfns, i), fc.constantFrom('pin', 'get')).map(([r, kind]) => ({ type: 'unpin', ...r, kind })),
    fc.record({ type: fc.constant('reclaim'), pages: fc.integer({ min: 1, max: 1024 }) }),
    migrate('migrate'),
    migrate('race'),
    fc.tuple(pageRef(pfns, i), fc.constantFrom('start', 'end')).map(([r, state]) => ({ type: 'writeback', ...r, state })),
    fc.record({ type: fc.constant('balloon'), op: fc.constantFrom('inflate', 'deflate'), pages: fc.integer({ min: 1, max: 128 }) }),
    fc.oneof(
      fc.record({ type: fc.constant('compact'), zone: fc.constantFrom('DMA', 'DMA32', 'Normal') }, { requiredKeys: ['type'] }),
      fc.record({ type: fc.constant('compact'), proactive: fc.constant(true), proactiveness: fc.integer({ min: 1, max: 100 }) }, { requiredKeys: ['type', 'proactive'] }),
    ),
    blockRange(pfns).map((r) => ({ type: 'alloc-contig', ...r })),
    blockRange(pfns).map((r) => ({ type: 'offline', ...r })),
    fc.record({ type: fc.constant('madvise'), advice: fc.constant('dontneed'), fraction: share(1), seed: fc.nat() }, { requiredKeys: ['type', 'advice', 'fraction'] }),
    fc.record({ type: fc.constant('punch-hole'), fraction: share(1), seed: fc.nat() }, { requiredKeys: ['type', 'fraction'] }),
    fc.record({ type: fc.constant('zsmalloc'), zspages: fc.integer({ min: 1, max: 16 }), pagesPerZspage: fc.integer({ min: 1, max: 4 }) }),
  ];
  if (device) {
    arbs.push(
      fc.record({ type: fc.constant('migrate-vma'), process: fc.nat(7), start: fc.nat(64), pages: fc.integer({ min: 1, max: 64 }), to: fc.constantFrom('device', 'system') }, { requiredKeys: ['type', 'process', 'pages'] }),
      fc.record({ type: fc.constant('device-fault'), process: fc.nat(7), page: fc.nat(128) }),
      fc.constant({ type: 'device-evict' }),
    );
  }
  return fc.oneof(...arbs);
}

function action(pfns: number, device: boolean, i: number): fc.Arbitrary<Json> {
  return fc.oneof(
    { weight: 4, arbitrary: simpleAction(pfns, device, i) },
    { weight: 1, arbitrary: fc.record({
      type: fc.constant('parallel'),
      actions: fc.array(simpleAction(pfns, device, i), { minLength: 2, maxLength: 3 }),
      schedule: fc.oneof(fc.constant('round-robin'), fc.array(fc.nat(1), { minLength: 1, maxLength: 16 })),
    }, { requiredKeys: ['type', 'actions'] }) },
  );
}

const populateArb = fc.record({
  anon: share(0.3),
  file: share(0.2),
  churn: share(1),
  largeAnon: share(1),
  processes: fc.integer({ min: 1, max: 8 }),
  files: fc.integer({ min: 1, max: 12 }),
  forks: fc.nat(3),
  hugepages: fc.nat(3),
  hugetlbMapped: fc.nat(2),
  hugetlbOvercommit: fc.nat(2),
  mlocked: fc.nat(3),
}, { requiredKeys: [] });

export const scenarioArb: fc.Arbitrary<Json> = fc.tuple(fc.constantFrom(...MEMORY), fc.boolean(), fc.nat(0xffffffff), populateArb, fc.constantFrom(...VARIANTS), fc.integer({ min: 1, max: 6 }))
  .chain(([pfns, device, seed, populate, variant, n]) => {
    // hugetlbMapped may not exceed hugepages + hugetlbOvercommit (the schema's rule)
    const pop = { ...populate, ...(populate.hugetlbMapped !== undefined ? { hugetlbMapped: Math.min(populate.hugetlbMapped, (populate.hugepages ?? 0) + (populate.hugetlbOvercommit ?? 0)) } : {}) };
    const actions = fc.tuple(...Array.from({ length: n }, (_, i) => action(pfns, device, i)));
    return actions.map((acts) => ({ v: 1, memory: { pfns, ...(device ? { device: 512 } : {}) }, seed, populate: pop, variant, actions: acts }));
  });

/** Run a scenario to its end (or the budget); the first problem in one line, or null. */
export function runChecked(sc: Scenario): string | null {
  let s: ReturnType<typeof openSession>;
  try {
    s = openSession(sc);
  } catch (e) {
    return `populate threw: ${(e as Error).message}`;
  }
  const t = s.t;
  let end: number;
  try {
    end = runToEnd(t, () => t.rec.n > STEP_BUDGET);
  } catch (e) {
    return `threw at step ${t.rec.n}: ${(e as Error).message.split('\n')[0]}`;
  }
  if (!t.done) return `no end within ${STEP_BUDGET} steps (a hang)`;
  const ids = new Set<number>([end]);
  for (let i = 1; i <= SAMPLES; i++) ids.add(Math.max(1, Math.floor((end * i) / (SAMPLES + 1))));
  for (const id of [...ids].sort((a, b) => a - b)) {
    if (id < 1 || id > end) continue;
    seek(t, id);
    const st = currentStep(t);
    if (st && MID_OPERATION.has(st.fn) && id !== end) continue;
    const v = checkInvariants(s.k, 3);
    if (v.length) return `step ${id} (${st?.fn ?? '?'}): ${v.map((x) => `${x.rule}: ${x.detail}`).join('; ')}`;
  }
  return null;
}

