// Reading a real ftrace text for replay (issue 10): the /sys/kernel/tracing/trace format
// (`TASK-PID [CPU] flags TIMESTAMP: event: fields`) and `trace-cmd report` lines (the same, with
// or without the flags column, sometimes a `(TGID)` column). Only the migrate and compaction
// events are kept, typed; every other event is counted by name and dropped.
//
// Kprobe lines name pages by their `struct page *` (6.1 has no tracepoint with source and
// destination PFNs). A pointer becomes a PFN as (pointer - vmemmap_base) / sizeof(struct page),
// sizeof = 64 on x86-64. vmemmap_base is randomised by KASLR, so it is an option; without it,
// it is inferred from the trace itself: a kprobe's dst folio is followed by the
// remove_migration_pte lines that map it, whose present PTE carries its PFN (x86-64 layout).
//
// Bad input is refused with one line (ReplayError): not a trace, no relevant event, a line cut
// short. Numbers are checked as they are read, so a truncated field never becomes NaN.

import { swpPfn, ptePfn } from './replay-pte';

export class ReplayError extends Error {
  override name = 'ReplayError';
}

interface Head {
  /** 1-based line number in the text. */
  readonly line: number;
  /** The line as recorded (trailing blanks removed): what the trace log shows. */
  readonly raw: string;
  /** TASK-PID, as ftrace prints it ("init-1"). */
  readonly task: string;
  readonly cpu: number;
  /** Seconds. */
  readonly ts: number;
  /** The event name ("mm_compaction_begin", or a kprobe's name). */
  readonly event: string;
}

export type ScannerKind = 'migrate' | 'free' | 'fast-free';

export type EventBody =
  | { readonly kind: 'compaction-begin' | 'compaction-end'; readonly zoneStart: number; readonly migratePfn: number; readonly freePfn: number; readonly zoneEnd: number; readonly mode: string; readonly status: string }
  | { readonly kind: 'compaction-isolate'; readonly scanner: ScannerKind; readonly start: number; readonly end: number; readonly nrScanned: number; readonly nrTaken: number }
  | { readonly kind: 'compaction-migratepages'; readonly nrMigrated: number; readonly nrFailed: number }
  /** suitable, finished, deferred, kcompactd_*: the zone, order and ret when the event has them. */
  | { readonly kind: 'compaction-note'; readonly zone: string | null; readonly order: number | null; readonly ret: string | null }
  | { readonly kind: 'migrate-start'; readonly mode: string; readonly reason: string }
  | { readonly kind: 'migrate-pages'; readonly nrSucceeded: number; readonly nrFailed: number; readonly nrThpSucceeded: number; readonly nrThpFailed: number; readonly nrThpSplit: number; readonly nrSplit: number; readonly mode: string; readonly reason: string }
  | { readonly kind: 'migration-pte'; readonly op: 'set' | 'remove'; readonly addr: string; readonly pte: bigint; readonly order: number; readonly pfn: number | null }
  | { readonly kind: 'pages-isolated'; readonly start: number; readonly end: number; readonly fin: number; readonly ok: boolean }
  /** A kprobe on a migration callback naming a source and a destination page (or folio). */
  | { readonly kind: 'kprobe-migrate'; readonly func: string; readonly src: bigint; readonly dst: bigint; readonly srcPfn: number | null; readonly dstPfn: number | null }
  /** A kretprobe of such a callback: its return value. */
  | { readonly kind: 'kprobe-ret'; readonly func: string; readonly ret: number };

export type TraceEvent = Head & EventBody;

export interface ParsedTrace {
  readonly name: string;
  /** The kept events, in time order across CPUs, each CPU's in its own order (mergeCpus). */
  readonly events: readonly TraceEvent[];
  /** Kept events per event name. */
  readonly counts: Readonly<Record<string, number>>;
  /** Dropped events per event name (kmem, sched, ...). */
  readonly ignored: Readonly<Record<string, number>>;
  /** Events the ring buffer lost, as `CPU:N [LOST M EVENTS]` lines say (0 when none). */
  readonly lost: number;
  readonly vmemmapBase: bigint | null;
  /** Where vmemmapBase came from; 'none' leaves kprobe pages without PFNs. */
  readonly vmemmapFrom: 'option' | 'inferred' | 'none';
}

/** What a replayed trace held: the events kept and dropped, and how kprobe pointers were read. */
export interface ReplayInfo {
  readonly name: string;
  /** Events kept, one step each. */
  readonly events: number;
  /** Kept events per event name. */
  readonly counts: Readonly<Record<string, number>>;
  /** Other events per name, not replayed. */
  readonly ignored: Readonly<Record<string, number>>;
  /** Events the ring buffer lost (`[LOST N EVENTS]` lines). */
  readonly lost: number;
  /** vmemmap_base used for kprobe pointers (hex), or null when none was known. */
  readonly vmemmapBase: string | null;
  readonly vmemmapFrom: 'option' | 'inferred' | 'none';
}

/** The summary of a parsed trace the worker's first frame and the CLI's --summary carry. */
export function replayInfo(t: ParsedTrace): ReplayInfo {
  return {
    name: t.name, events: t.events.length, counts: t.counts, ignored: t.ignored, lost: t.lost,
    vmemmapBase: t.vmemmapBase === null ? null : '0x' + t.vmemmapBase.toString(16), vmemmapFrom: t.vmemmapFrom,
  };
}

export interface ParseOptions {
  /** vmemmap_base of the traced kernel, e.g. 0xffd4000000000000n (5-level paging, nokaslr). */
  readonly vmemmapBase?: bigint;
}

/** sizeof(struct page) on 64-bit kernels without debug options. */
export const STRUCT_PAGE_SIZE = 64n;

// TASK-PID  [(TGID)]  [CPU]  [flags]  TIMESTAMP: event: fields. TASK may hold '-' and spaces.
const LINE = /^\s*(.+?)-(\d+)\s+(?:\(\s*[-\d]+\)\s+)?\[(\d+)\]\s+(?:(\S{1,6})\s+)?(\d+(?:\.\d+)?):\s+(\w+):\s*(.*)$/;
/** Lines that are neither events nor comments but belong to a trace (tracefs, trace_pipe, trace-cmd). */
const HEADER = /^(#|cpus=\d+|version = |CPU\s*\d+ is empty|CPU\s*\d+ data recorded|\s*$)/;
const LOST = /^CPU:(\d+) \[LOST (\d+) EVENTS\]/;

/** key=value fields; a value is `(...)` or runs to the next blank (a trailing comma dropped). */
function fieldsOf(text: string): Map<string, string> {
  const out = new Map<string, string>();
  const re = /(\w+)=(\([^)]*\)|\S*)/g;
  for (let m = re.exec(text); m; m = re.exec(text)) out.set(m[1]!, m[2]!.replace(/,$/, ''));
  return out;
}

class Fields {
  constructor(private readonly f: Map<string, string>, private readonly where: string) {}
  private need(key: string): string {
    const v = this.f.get(key);
    if (v === undefined || v === '') throw new ReplayError(`${this.where} has no ${key}= (a line cut short?)`);
    return v;
  }
  /** The field as a number; `fallback` when it is absent (null: it is optional and absent). */
  int(key: string): number;
  int(key: string, fallback: number | null): number | null;
  int(key: string, fallback?: number | null): number | null {
    if (fallback !== undefined && !this.f.has(key)) return fallback;
    const v = this.need(key);
    if (!/^-?(0x[0-9a-f]+|\d+)$/i.test(v)) throw new ReplayError(`${this.where}: ${key}=${v.slice(0, 24)} is not a number (a line cut short?)`);
    const n = Number(v.startsWith('-') ? -Number(v.slice(1)) : Number(v));
    if (!Number.isSafeInteger(n)) throw new ReplayError(`${this.where}: ${key}=${v.slice(0, 24)} is out of range`);
    return n;
  }
  hex(key: string): bigint {
    const v = this.need(key);
    if (!/^(0x)?[0-9a-f]+$/i.test(v)) throw new ReplayError(`${this.where}: ${key}=${v.slice(0, 24)} is not a hexadecimal number (a line cut short?)`);
    return BigInt(v.startsWith('0x') || v.startsWith('0X') ? v : '0x' + v);
  }
  str(key: string, fallback?: string): string {
    if (fallback !== undefined && !this.f.has(key)) return fallback;
    return this.need(key);
  }
  range(): { start: number; end: number } {
    const v = this.need('range');
    const m = /^\((0x[0-9a-f]+) ~ (0x[0-9a-f]+)\)$/i.exec(v);
    if (!m) throw new ReplayError(`${this.where}: range=${v.slice(0, 30)} is not "(0xSTART ~ 0xEND)" (a line cut short?)`);
    return { start: Number(m[1]), end: Number(m[2]) };
  }
}

/** The compaction events whose fields are read into a typed body; the rest are notes. */
function compactionBody(event: string, f: Fields): EventBody {
  switch (event) {
    case 'mm_compaction_begin':
    case 'mm_compaction_end':
      return {
        kind: event === 'mm_compaction_begin' ? 'compaction-begin' : 'compaction-end',
        zoneStart: f.int('zone_start'), migratePfn: f.int('migrate_pfn'), freePfn: f.int('free_pfn'), zoneEnd: f.int('zone_end'),
        mode: f.str('mode'), status: event === 'mm_compaction_end' ? f.str('status') : '',
      };
    case 'mm_compaction_isolate_migratepages':
    case 'mm_compaction_isolate_freepages':
    case 'mm_compaction_fast_isolate_freepages': {
      const scanner: ScannerKind = event === 'mm_compaction_isolate_migratepages' ? 'migrate' : event === 'mm_compaction_isolate_freepages' ? 'free' : 'fast-free';
      return { kind: 'compaction-isolate', scanner, ...f.range(), nrScanned: f.int('nr_scanned'), nrTaken: f.int('nr_taken') };
    }
    case 'mm_compaction_migratepages':
      return { kind: 'compaction-migratepages', nrMigrated: f.int('nr_migrated'), nrFailed: f.int('nr_failed') };
    default:
      return { kind: 'compaction-note', zone: f.str('zone', '') || null, order: f.int('order', null), ret: f.str('ret', '') || null };
  }
}

/** The body of a kept event, or null for an event replay does not show. */
function bodyOf(event: string, rest: string, where: string): EventBody | null {
  if (event.startsWith('mm_compaction_')) return compactionBody(event, new Fields(fieldsOf(rest), where));
  const f = new Fields(fieldsOf(rest), where);
  switch (event) {
    case 'mm_migrate_pages_start':
      return { kind: 'migrate-start', mode: f.str('mode'), reason: f.str('reason') };
    case 'mm_migrate_pages':
      return {
        kind: 'migrate-pages', nrSucceeded: f.int('nr_succeeded'), nrFailed: f.int('nr_failed'),
        // 6.1 has no nr_split; older kernels no THP counts.
        nrThpSucceeded: f.int('nr_thp_succeeded', 0)!, nrThpFailed: f.int('nr_thp_failed', 0)!, nrThpSplit: f.int('nr_thp_split', 0)!, nrSplit: f.int('nr_split', 0)!,
        mode: f.str('mode'), reason: f.str('reason'),
      };
    case 'set_migration_pte':
    case 'remove_migration_pte': {
      const set = event === 'set_migration_pte';
      const pte = f.hex('pte');
      return { kind: 'migration-pte', op: set ? 'set' : 'remove', addr: f.str('addr'), pte, order: f.int('order', 0)!, pfn: set ? swpPfn(pte) : ptePfn(pte) };
    }
    case 'test_pages_isolated': {
      const ret = f.str('ret');
      return { kind: 'pages-isolated', start: f.int('start_pfn'), end: f.int('end_pfn'), fin: f.int('fin_pfn'), ok: ret === 'success' };
    }
  }
  // Kprobe events print "(symbol+off/size) args" and kretprobes "(caller+off/size <- symbol) args".
  const probe = /^\(([\w.]+)\+0x[0-9a-f]+\/0x[0-9a-f]+(?: <- ([\w.]+))?\)\s*(.*)$/i.exec(rest);
  if (!probe) return null;
  const pf = fieldsOf(probe[3]!);
  const keys = [...pf.keys()];
  if (probe[2] !== undefined) {
    if (!pf.has('ret')) return null;
    return { kind: 'kprobe-ret', func: probe[2], ret: new Fields(pf, where).int('ret') };
  }
  // A migration callback's probe names both pages: src_page/dst_page, src_folio/dst_folio, src/dst.
  const src = keys.find((x) => /^src(_page|_folio)?$/.test(x));
  const dst = keys.find((x) => /^dst(_page|_folio)?$/.test(x));
  if (!src || !dst) return null;
  const pf2 = new Fields(pf, where);
  return { kind: 'kprobe-migrate', func: probe[1]!, src: pf2.hex(src), dst: pf2.hex(dst), srcPfn: null, dstPfn: null };
}

/** A struct page pointer as a PFN, or null when it is not one under this vmemmap_base. */
export function pagePfn(ptr: bigint, base: bigint): number | null {
  const off = ptr - base;
  if (off < 0n || off % STRUCT_PAGE_SIZE !== 0n) return null;
  const pfn = off / STRUCT_PAGE_SIZE;
  return pfn < 1n << 40n ? Number(pfn) : null;
}

/**
 * vmemmap_base from the trace: each kprobe migration's dst pointer minus 64 × the PFN of the
 * next remove_migration_pte of its task (the new page being mapped). KASLR moves vmemmap_base in
 * 1 GiB steps, so only aligned candidates count; a large folio's tail PTEs give unaligned ones.
 * The answer must have at least 3 votes and a majority of the pairs.
 */
export function inferVmemmapBase(events: readonly TraceEvent[]): bigint | null {
  const votes = new Map<bigint, number>();
  const pending = new Map<string, bigint>();
  let pairs = 0;
  for (const e of events) {
    if (e.kind === 'kprobe-migrate') pending.set(e.task, e.dst);
    else if (e.kind === 'migration-pte' && e.op === 'remove' && e.pfn !== null) {
      const dst = pending.get(e.task);
      if (dst === undefined) continue;
      pending.delete(e.task);
      pairs++;
      const base = dst - BigInt(e.pfn) * STRUCT_PAGE_SIZE;
      if (base % (1n << 30n) === 0n) votes.set(base, (votes.get(base) ?? 0) + 1);
    }
  }
  let best: bigint | null = null;
  let n = 0;
  for (const [b, v] of votes) if (v > n) [best, n] = [b, v];
  return best !== null && n >= 3 && n * 2 > pairs ? best : null;
}

const MAX_SHOWN = 60;
const clip = (s: string): string => (s.length > MAX_SHOWN ? s.slice(0, MAX_SHOWN) + '…' : s);

/** Parse an ftrace text; throws ReplayError (one line) when it cannot be replayed. */
export function parseTrace(text: string, name: string, opts: ParseOptions = {}): ParsedTrace {
  if (text.length === 0) throw new ReplayError(`${name} is empty`);
  if (text.includes('\0')) throw new ReplayError(`${name} is not an ftrace text (it holds binary data; a trace.dat needs \`trace-cmd report\` first)`);
  const events: TraceEvent[] = [];
  const counts: Record<string, number> = {};
  const ignored: Record<string, number> = {};
  let lost = 0;
  let matched = 0;
  let bad: { line: number; text: string } | null = null;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!.replace(/\s+$/, '');
    const l = LOST.exec(raw);
    if (l) {
      lost += Number(l[2]);
      continue;
    }
    if (HEADER.test(raw)) continue;
    const m = LINE.exec(raw);
    if (!m) {
      bad ??= { line: i + 1, text: raw };
      continue;
    }
    matched++;
    const event = m[6]!;
    const where = `${name} line ${i + 1} (${event})`;
    const body = bodyOf(event, m[7]!, where);
    if (!body) {
      ignored[event] = (ignored[event] ?? 0) + 1;
      continue;
    }
    counts[event] = (counts[event] ?? 0) + 1;
    events.push({ line: i + 1, raw: raw.replace(/^\s+/, ''), task: `${m[1]!.trim()}-${m[2]}`, cpu: Number(m[3]), ts: Number(m[5]), event, ...body });
  }
  if (matched === 0) {
    throw new ReplayError(`${name} is not an ftrace text: no "TASK-PID [CPU] TIMESTAMP: event: fields" line${bad ? ` (line ${bad.line}: "${clip(bad.text)}")` : ''}`);
  }
  if (bad) throw new ReplayError(`${name} line ${bad.line} is not a trace line (cut short?): "${clip(bad.text)}"`);
  if (events.length === 0) {
    const other = Object.entries(ignored).sort((a, b) => b[1] - a[1]).slice(0, 3).map(([e, n]) => `${n} ${e}`).join(', ');
    throw new ReplayError(`${name} has no migrate or compaction events to replay (it has ${other}); enable events/migrate and events/compaction`);
  }
  // Kretprobes are kept only for functions a kept kprobe names (balloon_page_migrate's ret=...).
  const probed = new Set(events.flatMap((e) => (e.kind === 'kprobe-migrate' ? [e.func] : [])));
  const kept = mergeCpus(events).filter((e) => {
    if (e.kind !== 'kprobe-ret' || probed.has(e.func)) return true;
    moveCount(counts, ignored, e.event);
    return false;
  });
  const base = opts.vmemmapBase ?? inferVmemmapBase(kept);
  const vmemmapFrom = opts.vmemmapBase !== undefined ? 'option' : base !== null ? 'inferred' : 'none';
  const withPfns = base === null ? kept : kept.map((e): TraceEvent => (e.kind === 'kprobe-migrate' ? { ...e, srcPfn: pagePfn(e.src, base), dstPfn: pagePfn(e.dst, base) } : e));
  return { name, events: withPfns, counts, ignored, lost, vmemmapBase: base, vmemmapFrom };
}

/**
 * One sequence from the CPUs' events, as the tracefs `trace` file reads its per-CPU buffers
 * (kernel/trace/trace.c: __find_next_entry(), the CPU whose next event is oldest): a text
 * holding each CPU's lines apart (per_cpu/cpuN/trace one after another, a `trace-cmd report`
 * of several CPUs not merged) plays in time order, while each CPU's own order stays as written
 * (its timestamps may step back a little). A text the kernel already merged comes out as it was:
 * equal printed timestamps keep their line order.
 */
export function mergeCpus<E extends { readonly cpu: number; readonly ts: number; readonly line: number }>(events: readonly E[]): E[] {
  const byCpu = new Map<number, E[]>();
  for (const e of events) {
    let l = byCpu.get(e.cpu);
    if (!l) byCpu.set(e.cpu, (l = []));
    l.push(e);
  }
  if (byCpu.size < 2) return [...events];
  const queues = [...byCpu.values()];
  const at = queues.map(() => 0);
  const out: E[] = [];
  while (out.length < events.length) {
    let best = -1;
    for (let q = 0; q < queues.length; q++) {
      const e = queues[q]![at[q]!];
      if (!e) continue;
      const b = best < 0 ? null : queues[best]![at[best]!]!;
      if (!b || e.ts < b.ts || (e.ts === b.ts && e.line < b.line)) best = q;
    }
    out.push(queues[best]![at[best]!++]!);
  }
  return out;
}

function moveCount(counts: Record<string, number>, ignored: Record<string, number>, event: string): void {
  counts[event]! -= 1;
  if (counts[event] === 0) delete counts[event];
  ignored[event] = (ignored[event] ?? 0) + 1;
}
