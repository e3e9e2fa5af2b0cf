// Steps: the points of a kernel path where a person would want to stop. Kernel paths are
// generators (function*) that yield a StepInfo at each such point; the engine numbers them,
// records the journal between them and the footprint of struct page fields they read and wrote.

import type { Memmap } from './memmap';
import { PG, PGTY } from './flags';
import type { Exclusion } from './guards';

export type Phase =
  | 'alloc'
  | 'free'
  | 'split'
  | 'merge'
  | 'fault'
  | 'unmap'
  | 'pin'
  | 'unpin'
  | 'reclaim'
  | 'isolate'
  | 'refcount'
  | 'move-mapping'
  | 'copy'
  | 'remap'
  | 'putback'
  | 'scan'
  | 'done';

export type Role = 'src' | 'dst' | 'buddy' | 'scanner' | 'target' | 'pinned' | 'freed' | 'allocated';

export interface StepPfn {
  readonly pfn: number;
  readonly role: Role;
  /** Pages from pfn (a folio or a free block); 1 if absent. */
  readonly nr?: number;
}

export interface StepInfo {
  readonly phase: Phase;
  /** The kernel function this step models, e.g. "__free_one_page". */
  readonly fn: string;
  /** Its source file in the kernel tree, e.g. "mm/page_alloc.c". */
  readonly file: string;
  /** One sentence, plain words, actual values. */
  readonly text: string;
  readonly pfns: readonly StepPfn[];
  /** A result when the step ends something: "0", "-EAGAIN", "pfn 0x1a2b". */
  readonly result?: string;
  /** Trace lines in tracepoint vocabulary: "event: fields" (the engine adds the ftrace prefix). */
  readonly trace: readonly string[];
  /** The trace lines are whole ftrace lines as a real kernel recorded them (a replayed trace): shown as they are. */
  readonly verbatim?: boolean;
  /** struct page fields read and written since the previous step (memmap.ts F bits). */
  readonly footprint: StepFootprint;
  /** Refcount and folio_mapcount() of each step PFN's folio right after the step (for trace lines). */
  readonly after: readonly PfnState[];
  /** The step where this task is kept away from a page by a guard (guards.ts). */
  readonly excluded?: Exclusion;
}

export interface StepFootprint {
  readonly reads: number;
  readonly writes: number;
  /** For each of the step's pages (a folio or block counts as one, by its first PFN and role). */
  readonly pages: readonly { readonly pfn: number; readonly role: Role; readonly reads: number; readonly writes: number }[];
}

export interface PfnState {
  readonly pfn: number;
  readonly refcount: number;
  readonly mapcount: number;
}

/** What a kernel path yields at each step and returns at the end. */
export type Steps<T = void> = Generator<StepInfo, T, void>;

export interface StepSource {
  readonly mem: Memmap;
  /** The hstate's per-folio _entire_mapcount (hugetlb-state.ts), for a hugetlb folio's mapcount. */
  readonly hugetlb?: { readonly entireMapcount: { readonly a: Int32Array } };
  /** Tracepoint lines fired by code that builds no step of its own (traceEvent), for the next step. */
  readonly pendingTrace?: string[];
}

/**
 * Is a tracepoint's line wanted? Only while the engine records steps in full: fast-forward and
 * code run outside a timeline build no trace text.
 */
export const tracing = (k: StepSource): boolean => k.mem.fp?.track === true;

/**
 * Fire a tracepoint from code that builds no step (the allocator's mm_page_alloc and
 * mm_page_free): its line goes first on the next step built, so the trace keeps ftrace's order.
 * Callers check tracing(k) before building the line.
 */
export function traceEvent(k: StepSource, line: string): void {
  k.pendingTrace?.push(line);
}

/** Folio state without touching the footprint (the trace is not kernel code). */
function pfnState(k: StepSource, pfn: number): PfnState {
  const mem = k.mem;
  if (pfn < 0 || pfn >= mem.nr) return { pfn, refcount: 0, mapcount: 0 };
  const next = mem.lruNext.a[pfn]!;
  const head = next <= -2 ? -next - 2 : pfn;
  let mapcount = 0;
  if (mem.pageType.a[head] === PGTY.none) {
    const nr = mem.flags.a[head]! & (1 << PG.head) ? 1 << mem.order.a[head]! : 1;
    for (let i = 0; i < nr; i++) mapcount += mem.mapcount.a[head + i]! + 1;
  } else if (mem.pageType.a[head] === PGTY.hugetlb && k.hugetlb) {
    mapcount = k.hugetlb.entireMapcount.a[head >> 9]! + 1; // folio_mapcount(): mapped whole
  }
  return { pfn, refcount: mem.refcount.a[head]!, mapcount };
}

/**
 * Build a step and start a fresh footprint for the next one. The footprint is collected while
 * `mem.fp` is set: the timeline sets it for every step, with `track` on only for the steps it
 * records in full; code run outside a timeline (populate, unit tests driving paths directly)
 * leaves it null and pays nothing.
 */
export function mkStep(k: StepSource, s: Omit<StepInfo, 'footprint' | 'trace' | 'after'> & { trace?: readonly string[] }): StepInfo {
  const fp = k.mem.fp;
  const pending = k.pendingTrace;
  if (fp && !fp.track) {
    if (pending?.length) pending.length = 0;
    // Fast-forward: the engine keeps a compact record of this step (engine/steptable.ts) and
    // makes it again in full if someone looks at it.
    fp.reads = 0;
    fp.writes = 0;
    return { phase: s.phase, fn: s.fn, file: s.file, text: s.text, pfns: s.pfns, result: s.result, trace: s.trace ?? NO_TRACE, footprint: NO_FOOTPRINT, after: NO_AFTER, ...(s.excluded ? { excluded: s.excluded } : {}) };
  }
  const pages: { pfn: number; role: Role; reads: number; writes: number }[] = [];
  if (fp) {
    for (const p of s.pfns) {
      const end = p.pfn + (p.nr ?? 1);
      let r = 0, w = 0;
      const t = fp.touched;
      for (let i = 0; i < t.length; i += 3) {
        if (t[i]! >= p.pfn && t[i]! < end) {
          r |= t[i + 1]!;
          w |= t[i + 2]!;
        }
      }
      pages.push({ pfn: p.pfn, role: p.role, reads: r, writes: w });
    }
  }
  const footprint: StepFootprint = fp ? { reads: fp.reads, writes: fp.writes, pages } : { reads: 0, writes: 0, pages };
  if (fp) {
    fp.reads = 0;
    fp.writes = 0;
    fp.touched.length = 0;
  }
  const after: PfnState[] = [];
  const pfns = s.pfns;
  for (let i = 0; i < pfns.length; i++) {
    const pfn = pfns[i]!.pfn;
    let dup = false;
    for (let j = 0; j < i && !dup; j++) dup = pfns[j]!.pfn === pfn;
    if (!dup) after.push(pfnState(k, pfn));
  }
  const trace = pending?.length ? [...pending.splice(0), ...(s.trace ?? NO_TRACE)] : s.trace ?? NO_TRACE;
  return { phase: s.phase, fn: s.fn, file: s.file, text: s.text, pfns, result: s.result, trace, footprint, after, ...(s.excluded ? { excluded: s.excluded } : {}) };
}

export interface StepRecord {
  /** Journal length when the step was reported: the state after it. */
  readonly mark: number;
  readonly info: StepInfo;
}

export interface StepEmitter extends StepSource {
  readonly st: { readonly j: { readonly len: number } };
  sink: StepRecord[] | null;
  /** Where spans go while the engine runs a path (engine/spans.ts); null outside a timeline. */
  spans: SpanSink | null;
}

/** The units of work the timeline groups steps into, inside an action (engine/spans.ts levels). */
export type SpanKind = 'compaction' | 'pageblock' | 'migrate_pages' | 'pass' | 'batch' | 'folio';

export interface SpanSink {
  open(kind: SpanKind): void;
  close(kind: SpanKind): void;
}

/** Mark the start of a unit of work (compact_zone(), a migrate_pages() call, one folio, ...). */
export function spanOpen(k: StepEmitter, kind: SpanKind): void {
  k.spans?.open(kind);
}

/** Mark its end; the steps reported in between belong to it. */
export function spanClose(k: StepEmitter, kind: SpanKind): void {
  k.spans?.close(kind);
}

/**
 * Report a step from code that does not yield (the buddy allocator's splits and merges): the
 * engine shows it as its own stop, at this point of the journal. Callers guard any string
 * building with `if (k.sink)` so fast paths (populate) pay nothing.
 */
export function emitStep(k: StepEmitter, s: Omit<StepInfo, 'footprint' | 'trace' | 'after'> & { trace?: readonly string[] }): void {
  if (!k.sink) return;
  k.sink.push({ mark: k.st.j.len, info: mkStep(k, s) });
}

/**
 * Run `fn` without reporting the steps kernel code inside it would emit (the allocator's splits,
 * merges and frees): for bulk work of thousands of pages, where one step says what happened.
 */
export function quietly<T>(k: StepEmitter, fn: () => T): T {
  const sink = k.sink;
  k.sink = null;
  try {
    return fn();
  } finally {
    k.sink = sink;
  }
}

export const hex = (n: number): string => '0x' + n.toString(16);

/**
 * Was this step made in fast-forward (mkStep with the footprint's `track` off)? Such a step has
 * no per-page footprint nor after values: the engine keeps only its compact record.
 */
export const madeFast = (s: StepInfo): boolean => s.footprint === NO_FOOTPRINT;

const NO_TRACE: readonly string[] = [];
const NO_AFTER: readonly PfnState[] = [];
const NO_FOOTPRINT: StepFootprint = { reads: 0, writes: 0, pages: [] };
