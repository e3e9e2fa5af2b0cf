// Scenarios: versioned JSON that says what memory looks like and (from the engine issue on) what
// runs on it. Validated with zod so that a bad file or link fails with one line naming the field;
// older versions will be upgraded step by step in upgrade(), newer ones are refused.

import { z } from 'zod';
import { DESIGN_NAMES } from '../kernel/designs/names';
import { MAX_PFNS, RACE_MIGRATORS, SCENARIO_VERSION } from './scenario-core';

// The constants and populateSpecOf live in scenario-core.ts (no zod); old imports still find them here.
export { MAX_PFNS, RACE_MIGRATORS, SCENARIO_VERSION, populateSpecOf } from './scenario-core';

const share = z.number().min(0).max(0.9);

const populateSchema = z
  .object({
    anon: share,
    file: share,
    shmem: share,
    ramfs: share,
    slab: share,
    kernel: share,
    largeAnon: z.number().min(0).max(1),
    churn: z.number().min(0).max(1),
    processes: z.number().int().min(1).max(4096),
    files: z.number().int().min(1).max(4096),
    forks: z.number().int().min(0).max(64),
    /** hugepages=N: 2 MiB hugetlb pool folios allocated at boot. */
    hugepages: z.number().int().min(0).max(1024),
    /** How many of them process 0 (map_hugetlb, a MAP_HUGETLB mapping) faults in. */
    hugetlbMapped: z.number().int().min(0).max(1024),
    /** vm.nr_overcommit_hugepages: surplus folios faults may take past the pool. */
    hugetlbOvercommit: z.number().int().min(0).max(1024),
    /** The first N processes run under mlockall(): their heaps are VM_LOCKED, their pages mlocked. */
    mlocked: z.number().int().min(0).max(4096),
    /** Small processes started last whose page tables land one per pageblock (the compact-pgtables preset). */
    pgtableProcesses: z.number().int().min(0).max(4096),
  })
  .partial()
  .strict()
  .refine((p) => (p.anon ?? 0) + (p.file ?? 0) + (p.shmem ?? 0) + (p.ramfs ?? 0) + (p.slab ?? 0) + (p.kernel ?? 0) <= 0.9, {
    message: 'the shares add up to more than 0.9 of memory',
  })
  .refine((p) => (p.hugetlbMapped ?? 0) <= (p.hugepages ?? 0) + (p.hugetlbOvercommit ?? 0), {
    message: 'hugetlbMapped cannot exceed hugepages + hugetlbOvercommit (faults past them get SIGBUS)',
    path: ['hugetlbMapped'],
  });

const pfn = z.number().int().min(0).max(MAX_PFNS - 1);

/**
 * A user page: by PFN; as the `page`-th present page of a process's anonymous heap (or, with
 * `file`, of its first file mapping); or `from` an earlier alloc/fault action (its first folio,
 * or each of them in a migrate's `pages`).
 */
const pageRef = {
  pfn: pfn.optional(),
  process: z.number().int().min(0).max(4095).optional(),
  page: z.number().int().min(0).max(MAX_PFNS).optional(),
  file: z.boolean().optional(),
  from: z.number().int().min(0).max(999).optional(),
  /** With process and page: the leaf page table that maps that page, not the page itself. */
  pgtable: z.boolean().optional(),
};
type PageRefFields = { pfn?: number; process?: number; page?: number; file?: boolean; from?: number; pgtable?: boolean };
const onePageRef = (a: PageRefFields): boolean => {
  const byProcess = a.process !== undefined && a.page !== undefined;
  const kinds = [a.pfn !== undefined, byProcess, a.from !== undefined].filter(Boolean).length;
  return kinds === 1 && (byProcess || (a.process === undefined && a.page === undefined && a.file === undefined && a.pgtable === undefined));
};
const pageRefMessage = { message: 'give one of: pfn; process and page (and optionally file or pgtable); from' };

const pageRefObject = z.object(pageRef).strict().refine(onePageRef, pageRefMessage);

/** What to migrate and how: pages (by PFN or process/page) or a PFN range; target zone; mode; reason. */
const migrateFields = {
  pages: z.array(pageRefObject).min(1).max(512).optional(),
  range: z.object({ start: pfn, end: z.number().int().min(1).max(MAX_PFNS) }).strict().refine((r) => r.end > r.start && r.end - r.start <= 65536, { message: 'end must be after start, at most 65536 PFNs' }).optional(),
  /** Every folio a process maps, as migrate_pages(2) does (its queue_pages_range() walk). */
  process: z.number().int().min(0).max(4095).optional(),
  to: z.enum(['DMA', 'DMA32', 'Normal']).optional(),
  mode: z.enum(['async', 'sync_light', 'sync']).optional(),
  reason: z.enum(['compaction', 'memory_failure', 'memory_hotplug', 'syscall_or_cpuset', 'mempolicy_mbind', 'numa_misplaced', 'contig_range', 'longterm_pin', 'demotion', 'damon']).optional(),
};
const oneTarget = (a: { pages?: unknown; range?: unknown; process?: unknown }): boolean =>
  [a.pages, a.range, a.process].filter((x) => x !== undefined).length === 1;
const targetMessage = { message: 'give one of pages, range or process' };
// Only compact_zone() passes MR_COMPACTION, always with compaction_alloc(): its destinations come
// from the free scanner in the source's own zone, so a target zone has no meaning there.
const compactionInZone = (a: { reason?: string; to?: string }): boolean => !(a.reason === 'compaction' && a.to !== undefined);
const compactionMessage = { message: 'reason compaction migrates within each page\'s zone (compaction_alloc): drop "to" or choose another reason', path: ['to'] };

/** A PFN range [start, end) of whole pageblocks. */
const pfnRange = { start: pfn, end: z.number().int().min(512).max(MAX_PFNS) };
const alignedRange = (r: { start: number; end: number }): boolean => r.end > r.start && r.start % 512 === 0 && r.end % 512 === 0 && r.end - r.start <= 65536;
const alignedRangeMessage = { message: 'start and end must be multiples of 512 (whole pageblocks), end after start, at most 65536 PFNs' };


/**
 * A race's explicit interleaving: run `migrator` for `steps` resumes (each runs it to its next
 * yield: one step, or a few a path reports without yielding), then the next entry, and so on;
 * after the list, the migrator named last runs on to its end, then the other. An entry whose
 * migrator has finished is skipped. Without a schedule the migrators take turns (round-robin).
 */
const raceSchedule = z.array(z.object({
  migrator: z.number().int().min(0).max(999),
  steps: z.number().int().min(1).max(65536),
}).strict()).min(1).max(256);

const simpleAction = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('alloc'),
    order: z.number().int().min(0).max(10),
    gfp: z.enum(['unmovable', 'movable', 'reclaimable']),
    count: z.number().int().min(1).max(4096).optional(),
    /** Highest zone the allocation may use (__GFP_DMA / __GFP_DMA32); any zone when absent. */
    zone: z.enum(['DMA', 'DMA32']).optional(),
    /** Stop at the first failed allocation instead of trying `count` times. */
    untilFails: z.boolean().optional(),
    /** A failed order > 0 request enters direct compaction (async, then sync-light) before failing. */
    compact: z.boolean().optional(),
  }).strict(),
  z.object({
    type: z.literal('free'),
    pfn: pfn.optional(),
    /** Free what the `alloc` action with this index allocated. */
    from: z.number().int().min(0).max(999).optional(),
  }).strict().refine((a) => (a.pfn === undefined) !== (a.from === undefined), { message: 'give exactly one of pfn and from' }),
  z.object({
    type: z.literal('fault'),
    process: z.number().int().min(0).max(4095),
    pages: z.number().int().min(1).max(65536),
    order: z.union([z.literal(0), z.literal(2), z.literal(4), z.literal(9)]).optional(),
  }).strict(),
  z.object({ type: z.literal('exit'), process: z.number().int().min(0).max(4095) }).strict(),
  z.object({ type: z.literal('pin'), ...pageRef, kind: z.enum(['pin', 'get']).optional() }).strict().refine(onePageRef, pageRefMessage),
  z.object({ type: z.literal('unpin'), ...pageRef, kind: z.enum(['pin', 'get']).optional() }).strict().refine(onePageRef, pageRefMessage),
  z.object({ type: z.literal('reclaim'), pages: z.number().int().min(1).max(MAX_PFNS) }).strict(),
  z.object({ type: z.literal('migrate'), ...migrateFields }).strict().refine(oneTarget, targetMessage).refine(compactionInZone, compactionMessage),
  z.object({ type: z.literal('race'), ...migrateFields, schedule: raceSchedule.optional() }).strict().refine(oneTarget, targetMessage).refine(compactionInZone, compactionMessage)
    .superRefine((a, ctx) => {
      const i = (a.schedule ?? []).findIndex((e) => e.migrator >= RACE_MIGRATORS);
      if (i >= 0) ctx.addIssue({ code: 'custom', path: ['schedule', i, 'migrator'], input: a.schedule![i]!.migrator, message: `a race has migrators 0 and 1 (got ${a.schedule![i]!.migrator})` });
    }),
  z.object({ type: z.literal('writeback'), ...pageRef, state: z.enum(['start', 'end']) }).strict().refine(onePageRef, pageRefMessage),
  /** The virtio balloon: inflate (the host takes pages) or deflate (gives them back). */
  z.object({ type: z.literal('balloon'), op: z.enum(['inflate', 'deflate']), pages: z.number().int().min(1).max(MAX_PFNS) }).strict(),
  /** Compaction: `echo 1 > /proc/sys/vm/compact_memory` (every zone, or one), or kcompactd's proactive run. */
  z.object({
    type: z.literal('compact'),
    zone: z.enum(['DMA', 'DMA32', 'Normal']).optional(),
    proactive: z.boolean().optional(),
    /** vm.compaction_proactiveness for the proactive run (default 20). */
    proactiveness: z.number().int().min(1).max(100).optional(),
  }).strict()
    .refine((a) => !(a.proactive && a.zone), { message: 'proactive compaction covers the whole node: give no zone' })
    .refine((a) => a.proactive || a.proactiveness === undefined, { message: 'proactiveness applies to a proactive run only' }),
  /** alloc_contig_range() of a pageblock-aligned PFN range (as CMA or a gigantic page would). */
  z.object({ type: z.literal('alloc-contig'), ...pfnRange }).strict().refine(alignedRange, alignedRangeMessage),
  /** offline_pages() of a pageblock-aligned PFN range (memory hot-unplug). */
  z.object({ type: z.literal('offline'), ...pfnRange }).strict().refine(alignedRange, alignedRangeMessage),
  /** migrate_vma_*() of `pages` pages of a process's heap from slot `start`: to the device, or back to system memory. */
  z.object({ type: z.literal('migrate-vma'), process: z.number().int().min(0).max(4095), start: z.number().int().min(0).max(MAX_PFNS).optional(), pages: z.number().int().min(1).max(64), to: z.enum(['device', 'system']).optional() }).strict(),
  /** The CPU touches a heap page that lives on the device: do_swap_page() → migrate_to_ram(). */
  z.object({ type: z.literal('device-fault'), process: z.number().int().min(0).max(4095), page: z.number().int().min(0).max(MAX_PFNS) }).strict(),
  /** Driver unload: migrate_device_range() moves every device page back to system memory. */
  z.object({ type: z.literal('device-evict') }).strict(),
  /** MADV_DONTNEED on a seeded pseudo-random `fraction` of every process's anonymous pages. */
  z.object({ type: z.literal('madvise'), advice: z.literal('dontneed'), fraction: z.number().min(0).max(1), seed: z.number().int().min(0).max(0xffffffff).optional() }).strict(),
  /** FALLOC_FL_PUNCH_HOLE on a seeded pseudo-random `fraction` of every tmpfs file's pages. */
  z.object({ type: z.literal('punch-hole'), fraction: z.number().min(0).max(1), seed: z.number().int().min(0).max(0xffffffff).optional() }).strict(),
  /** zsmalloc: allocate zspages of 1-4 pages (as zram would). */
  z.object({ type: z.literal('zsmalloc'), zspages: z.number().int().min(1).max(256), pagesPerZspage: z.number().int().min(1).max(4) }).strict(),
]);

const parallelAction = z.object({
  type: z.literal('parallel'),
  actions: z.array(simpleAction).min(2).max(8),
  schedule: z.union([z.literal('round-robin'), z.array(z.number().int().min(0).max(7)).min(1).max(1024)]).optional(),
}).strict().refine((a) => !Array.isArray(a.schedule) || a.schedule.every((i) => i < a.actions.length), {
  message: 'schedule names an action the group does not have',
  path: ['schedule'],
}).refine((a) => a.actions.every((m) => m.type !== 'race' || m.schedule === undefined), {
  // Inside a group a race is one migrator among the group's tasks: the group's schedule interleaves them.
  message: 'a race inside a parallel group runs as one migrator: give the interleaving as the group\'s schedule',
  path: ['actions'],
});

export type SimpleAction = z.infer<typeof simpleAction>;
export type ParallelAction = z.infer<typeof parallelAction>;
export type Action = SimpleAction | ParallelAction;

export const scenarioSchema = z
  .object({
    v: z.literal(SCENARIO_VERSION),
    name: z.string().max(80).optional(),
    description: z.string().max(400).optional(),
    memory: z
      .object({
        pfns: z
          .number()
          .int()
          .min(2048, 'at least 2048 PFNs (8 MiB)')
          .max(MAX_PFNS, `at most ${MAX_PFNS} PFNs (16 GiB)`)
          .refine((n) => n % 512 === 0, 'must be a multiple of 512 (one pageblock)'),
        /** Device-private memory (ZONE_DEVICE) of a simulated device, in pages, above RAM. */
        device: z.number().int().min(512).max(65536).refine((n) => n % 512 === 0, 'must be a multiple of 512 (one pageblock)').optional(),
      })
      .strict(),
    seed: z.number().int().min(0).max(0xffffffff),
    populate: populateSchema.optional(),
    /** The design variant the movable_ops paths follow (the balloon so far). */
    variant: z.enum(DESIGN_NAMES).optional(),
    actions: z.array(z.union([simpleAction, parallelAction])).max(1000).optional(),
  })
  .strict();

export type Scenario = z.infer<typeof scenarioSchema>;

export class ScenarioError extends Error {
  override name = 'ScenarioError';
}

/** A value from the input, short and inert, for an error message. */
function shown(v: unknown): string {
  if (typeof v === 'number') return String(v);
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v);
  return v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

/** "a whole number from 0 to 999", from the number schema's own bounds. */
function numberRange(schema: unknown): string {
  const n = schema as { minValue?: number | null; maxValue?: number | null; isInt?: boolean };
  const what = n.isInt ? 'a whole number' : 'a number';
  const lo = n.minValue != null && n.minValue > Number.MIN_SAFE_INTEGER ? n.minValue : undefined;
  const hi = n.maxValue != null && n.maxValue < Number.MAX_SAFE_INTEGER ? n.maxValue : undefined;
  if (lo !== undefined && hi !== undefined) return `${what} from ${lo} to ${hi}`;
  if (lo !== undefined) return `${what} of at least ${lo}`;
  if (hi !== undefined) return `${what} of at most ${hi}`;
  return what;
}

/**
 * Our words for zod's issues: the allowed range or values and what was given. zod's own (its
 * safe-integer limit, "<=", "Invalid input") never reach the user; messages a schema sets stay.
 */
function errorMessage(iss: z.core.$ZodRawIssue): string | undefined {
  const input = iss.input;
  // The number schema that raised it (a check's own `inst` is the check, not the number).
  const num = (iss as { schema?: unknown }).schema ?? iss.inst ?? {};
  switch (iss.code) {
    case 'too_big':
    case 'too_small': {
      const big = iss.code === 'too_big';
      const bound = big ? iss.maximum : iss.minimum;
      if (iss.origin === 'number' || iss.origin === 'int') return `must be ${numberRange(num)} (got ${shown(input)})`;
      const size = Array.isArray(input) || typeof input === 'string' ? input.length : undefined;
      const unit = iss.origin === 'string' ? 'characters' : 'entries';
      return `${big ? 'at most' : 'at least'} ${String(bound)} ${unit}${size !== undefined ? ` (got ${size})` : ''}`;
    }
    case 'invalid_type':
      if (input === undefined) return `missing (${iss.expected === 'int' || iss.expected === 'number' ? 'a number' : `${article(iss.expected)}`})`;
      if (iss.expected === 'int' || (iss.expected === 'number' && typeof input === 'number')) return `must be ${numberRange(num)} (got ${shown(input)})`;
      return `must be ${article(iss.expected)} (got ${shown(input)})`;
    case 'invalid_value':
      return `must be ${iss.values.length === 1 ? '' : 'one of '}${iss.values.map((v) => JSON.stringify(v)).join(', ')} (got ${shown(input)})`;
    default:
      return undefined;
  }
}

const article = (t: string): string => (/^[aeiou]/.test(t) ? `an ${t}` : `a ${t}`);

/**
 * One issue of a union (an action: one of the simple actions, or a parallel group): the branch
 * whose `type` matched, or — when none did — the list of every type.
 */
function unionIssue(issue: z.core.$ZodIssueInvalidUnion, input: unknown): z.core.$ZodIssue {
  const atType = (i: z.core.$ZodIssue): boolean => i.path.length === 1 && i.path[0] === 'type';
  const matched = issue.errors.find((branch) => branch.length > 0 && !branch.some(atType));
  if (matched) {
    const first = matched[0]!;
    return { ...first, path: [...issue.path, ...first.path] };
  }
  const types: unknown[] = [];
  for (const branch of issue.errors) {
    for (const i of branch) {
      if (!atType(i)) continue;
      if (i.code === 'invalid_union' && 'options' in i) types.push(...(i as { options: unknown[] }).options);
      if (i.code === 'invalid_value') types.push(...i.values);
    }
  }
  if (!types.length) {
    const first = issue.errors[0]?.[0];
    return first ? { ...first, path: [...issue.path, ...first.path] } : issue;
  }
  const got = typeof input === 'object' && input !== null ? (input as { type?: unknown }).type : undefined;
  return {
    code: 'custom', path: [...issue.path, 'type'], input: got,
    message: got === undefined ? `missing (one of ${types.map((t) => JSON.stringify(t)).join(', ')})` : `must be one of ${types.map((t) => JSON.stringify(t)).join(', ')} (got ${shown(got)})`,
  };
}

/** The value at `path` in the parsed input (for a union's message). */
function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let v = root;
  for (const key of path) v = typeof v === 'object' && v !== null ? (v as Record<PropertyKey, unknown>)[key] : undefined;
  return v;
}

function issueText(issue: z.core.$ZodIssue, root: unknown): string {
  if (issue.code === 'invalid_union') return issueText(unionIssue(issue, valueAt(root, issue.path)), root);
  const path = issue.path.length ? issue.path.map(String).join('.') : '(top level)';
  if (issue.code === 'unrecognized_keys') return `${path}: unknown field ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
  return `${path}: ${issue.message}`;
}

/** Parse and validate a scenario from any JSON value; throws ScenarioError with one line. */
export function parseScenario(value: unknown): Scenario {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ScenarioError('scenario: expected a JSON object');
  const v = (value as { v?: unknown }).v;
  if (typeof v !== 'number') throw new ScenarioError('v: missing scenario version (a number)');
  if (v > SCENARIO_VERSION) throw new ScenarioError(`v: scenario version ${v} is newer than this pfnscope understands (${SCENARIO_VERSION})`);
  const input = upgrade(value);
  const r = scenarioSchema.safeParse(input, { error: errorMessage });
  if (!r.success) throw new ScenarioError(issueText(r.error.issues[0]!, input));
  return r.data;
}

/** Parse scenario JSON text; a syntax error becomes a ScenarioError. */
export function parseScenarioText(text: string): Scenario {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new ScenarioError(`invalid JSON: ${(e as Error).message}`);
  }
  return parseScenario(value);
}

/** Old versions are upgraded one step at a time; version 1 is the first. */
function upgrade(value: object): unknown {
  return value;
}
