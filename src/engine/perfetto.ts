// A simulated run as a Chrome / Perfetto JSON trace (the Trace Event Format), for ui.perfetto.dev
// or chrome://tracing: one track per task with the timeline's spans as nested slices, one track
// for the scenario's actions, and counters of free pages per order. The model has no clock: the
// time base is the step id, 1 µs per step, and the trace says so (otherData.timeBase).

import type { Scenario } from './scenario';
import { samplePoint, type SeriesPoint } from './series';
import { fnOf, pfnsOf, taskOf } from './steptable';
import { SPAN_LEVELS } from './spans';
import { openSpans, type Timeline } from './timeline';

export const TIME_BASE = '1 step = 1 µs: ts and dur are step ids, not time (the model has no clock)';

/** One event of the Trace Event Format (the fields this writer uses). */
export interface TraceEvent {
  readonly name: string;
  readonly ph: 'X' | 'C' | 'M';
  readonly ts: number;
  readonly pid: number;
  readonly tid: number;
  readonly dur?: number;
  readonly cat?: string;
  readonly args?: Readonly<Record<string, string | number>>;
}

export interface PerfettoTrace {
  readonly traceEvents: TraceEvent[];
  readonly displayTimeUnit: 'ms' | 'ns';
  readonly otherData: Readonly<Record<string, string | number>>;
}

const PID = 1;
const ACTIONS_TID = 1;

interface Span {
  readonly level: number;
  readonly start: number;
  readonly end: number;
}

/** Every span recorded up to step `until` (open ones too), cut at `until`. */
function spansUpTo(t: Timeline, until: number): Span[] {
  const out: Span[] = [];
  t.spans.levels.forEach((l, level) => {
    for (let i = 0; i < l.n && l.start[i]! <= until; i++) out.push({ level, start: l.start[i]!, end: Math.min(l.end[i]!, until) });
  });
  // Cutting a parent and its children at the same step keeps them nested.
  for (const o of openSpans(t)) if (o.start <= until) out.push({ level: o.level, start: o.start, end: Math.min(o.end, until) });
  return out;
}

/**
 * Place slices on tracks so that each track's slices nest: ordered by start, then outermost
 * first, a slice goes on its task's track unless it would end past an enclosing slice there
 * (spans of one task open and close as a stack, so this is a safety net, not the rule); then it
 * goes on that task's next overflow track where it fits.
 */
function placeOnTracks(spans: Span[], trackOf: (s: Span) => string): Map<Span, string> {
  spans.sort((a, b) => a.start - b.start || b.end - a.end || a.level - b.level);
  const stacks = new Map<string, Span[]>();
  const placed = new Map<Span, string>();
  for (const s of spans) {
    const base = trackOf(s);
    for (let n = 0; ; n++) {
      const name = n === 0 ? base : `${base} (overlap ${n})`;
      let st = stacks.get(name);
      if (!st) stacks.set(name, (st = []));
      while (st.length && st.at(-1)!.end < s.start) st.pop();
      if (st.length && st.at(-1)!.end < s.end) continue;
      st.push(s);
      placed.set(s, name);
      break;
    }
  }
  return placed;
}

/**
 * The run up to step `until` (default: the frontier) as a trace. `points` are free-page samples
 * (series.ts), each becoming a counter event, plus one of the reached state when the timeline
 * stands at `until`.
 */
export function perfettoTrace(s: { readonly scenario: Scenario; readonly t: Timeline }, points: readonly SeriesPoint[], until?: number): PerfettoTrace {
  const t = s.t;
  const last = Math.min(until ?? t.rec.n, t.rec.n);
  const spans = spansUpTo(t, last);
  const placed = placeOnTracks(spans, (sp) => (sp.level === 0 ? '' : taskOf(t.rec, sp.start)));
  const tids = new Map<string, number>([['', ACTIONS_TID]]);
  const tidOf = (track: string): number => {
    let id = tids.get(track);
    if (id === undefined) tids.set(track, (id = tids.size + 1));
    return id;
  };
  const actions = s.scenario.actions ?? [];
  const slices: TraceEvent[] = [];
  for (const sp of spans) {
    const kind = SPAN_LEVELS[sp.level]!;
    const action = t.rec.action[sp.start - 1]!;
    const args: Record<string, string | number> = { first_step: sp.start, last_step: sp.end, fn: fnOf(t.rec, sp.start) };
    if (kind === 'folio') {
      const p = pfnsOf(t.rec, sp.start)[0];
      if (p) args.pfn = '0x' + p.pfn.toString(16);
    }
    const name = kind === 'action' ? `action ${action}: ${actions[action]?.type ?? 'replay'}` : kind;
    // A span covers steps start..end whole: the slice runs from the first step to the next one's.
    slices.push({ name, cat: kind, ph: 'X', ts: sp.start, dur: sp.end - sp.start + 1, pid: PID, tid: tidOf(placed.get(sp)!), args });
  }
  const meta: TraceEvent[] = [
    { name: 'process_name', ph: 'M', ts: 0, pid: PID, tid: ACTIONS_TID, args: { name: `pfnscope: ${s.scenario.name ?? 'scenario'} (${s.scenario.variant ?? 'linux-6.18'})` } },
    ...[...tids].map(([track, tid]): TraceEvent => ({ name: 'thread_name', ph: 'M', ts: 0, pid: PID, tid, args: { name: track === '' ? 'actions' : track } })),
  ];
  const counters: TraceEvent[] = [];
  const samples = points.filter((p) => p.step <= last);
  // The series samples at its own stride: end on the state reached when the kernel is there.
  if (t.cur === last && samples.at(-1)?.step !== last) samples.push(samplePoint(t.k, last));
  for (const p of samples) {
    const args: Record<string, number> = {};
    p.freeByOrder.forEach((n, o) => (args[`order ${o}`] = n));
    counters.push({ name: 'free pages by order', ph: 'C', ts: p.step, pid: PID, tid: ACTIONS_TID, args });
    counters.push({ name: 'pgmigrate', ph: 'C', ts: p.step, pid: PID, tid: ACTIONS_TID, args: { success: p.migrated, fail: p.failed } });
  }
  return {
    traceEvents: [...meta, ...slices, ...counters],
    displayTimeUnit: 'ms',
    otherData: { timeBase: TIME_BASE, scenario: s.scenario.name ?? '', variant: s.scenario.variant ?? 'linux-6.18', steps: last },
  };
}
