import { describe, expect, test } from 'vitest';
import { findPreset } from './presets';
import { openSession } from './session';
import { seek, runToEnd } from './timeline';
import { trackSeries } from './series';
import { perfettoTrace, TIME_BASE } from './perfetto';
import { taskOf } from './steptable';

/**
 * The Trace Event Format's rules this export relies on (the JSON Object Format of the Chrome
 * "Trace Event Format" document, as Perfetto's JSON importer reads it): every event has a name,
 * a phase, a pid and a tid, and a numeric ts; "X" has a dur >= 0; "C" has numeric args; "M"
 * thread_name/process_name carry args.name; every tid used is named; and slices on one thread
 * nest (a slice that starts inside another ends inside it too).
 */
function traceProblems(json: unknown): string[] {
  const bad: string[] = [];
  const o = json as { traceEvents?: unknown; displayTimeUnit?: unknown };
  if (typeof o !== 'object' || o === null || !Array.isArray(o.traceEvents)) return ['no traceEvents array'];
  if (o.displayTimeUnit !== undefined && o.displayTimeUnit !== 'ms' && o.displayTimeUnit !== 'ns') bad.push(`displayTimeUnit ${String(o.displayTimeUnit)}`);
  const named = new Set<string>();
  const used = new Set<string>();
  const byThread = new Map<string, { ts: number; end: number; name: string }[]>();
  o.traceEvents.forEach((e: Record<string, unknown>, i: number) => {
    const where = `event ${i} (${String(e.name)})`;
    if (typeof e.name !== 'string' || e.name === '') bad.push(`${where}: no name`);
    if (typeof e.pid !== 'number' || typeof e.tid !== 'number') return void bad.push(`${where}: pid/tid not numbers`);
    const thread = `${e.pid}/${e.tid}`;
    if (e.ph === 'M') {
      const args = e.args as { name?: unknown } | undefined;
      if (e.name !== 'thread_name' && e.name !== 'process_name') bad.push(`${where}: unknown metadata`);
      if (typeof args?.name !== 'string' || args.name === '') bad.push(`${where}: metadata without args.name`);
      if (e.name === 'thread_name') named.add(thread);
      return;
    }
    if (typeof e.ts !== 'number' || !Number.isFinite(e.ts) || e.ts < 0) bad.push(`${where}: ts ${String(e.ts)}`);
    used.add(thread);
    if (e.ph === 'X') {
      if (typeof e.dur !== 'number' || !(e.dur >= 0)) bad.push(`${where}: dur ${String(e.dur)}`);
      else {
        let l = byThread.get(thread);
        if (!l) byThread.set(thread, (l = []));
        l.push({ ts: e.ts as number, end: (e.ts as number) + e.dur, name: e.name as string });
      }
    } else if (e.ph === 'C') {
      const args = e.args as Record<string, unknown> | undefined;
      if (!args || Object.keys(args).length === 0) bad.push(`${where}: counter without args`);
      else for (const [k, v] of Object.entries(args)) if (typeof v !== 'number' || !Number.isFinite(v)) bad.push(`${where}: counter ${k} = ${String(v)}`);
    } else bad.push(`${where}: phase ${String(e.ph)}`);
  });
  for (const t of used) if (!named.has(t)) bad.push(`thread ${t} has no thread_name`);
  for (const [thread, slices] of byThread) {
    slices.sort((a, b) => a.ts - b.ts || b.end - a.end);
    const stack: { end: number; name: string; ts: number }[] = [];
    for (const s of slices) {
      while (stack.length && stack.at(-1)!.end <= s.ts) stack.pop();
      const top = stack.at(-1);
      if (top && s.end > top.end) bad.push(`thread ${thread}: ${s.name} [${s.ts}, ${s.end}) overlaps ${top.name} [${top.ts}, ${top.end}) partly`);
      stack.push(s);
    }
  }
  return bad;
}

type Ev = { name: string; ph: string; ts: number; dur?: number; tid: number; args?: Record<string, number | string> };

describe('perfetto export', () => {
  test('the checker itself rejects a partial overlap, a missing thread_name and a string counter', () => {
    const bad = traceProblems({
      traceEvents: [
        { name: 'thread_name', ph: 'M', ts: 0, pid: 1, tid: 1, args: { name: 'a' } },
        { name: 'outer', ph: 'X', ts: 0, dur: 10, pid: 1, tid: 1 },
        { name: 'inner', ph: 'X', ts: 5, dur: 10, pid: 1, tid: 1 },
        { name: 'x', ph: 'X', ts: 0, dur: 1, pid: 1, tid: 2 },
        { name: 'c', ph: 'C', ts: 0, pid: 1, tid: 1, args: { n: '3' } },
      ],
    });
    expect(bad).toHaveLength(3);
    expect(bad.join('\n')).toMatch(/overlaps outer/);
  });

  test('compact-memory to step 2000: a valid trace with compaction, migrate_pages and folio slices and free-page counters', { timeout: 120_000 }, () => {
    const s = openSession(findPreset('compact-memory')!.scenario);
    const series = trackSeries(s.t);
    seek(s.t, 2000);
    const trace = perfettoTrace(s, series.points, 2000);
    const json = JSON.parse(JSON.stringify(trace)) as { traceEvents: Ev[]; otherData: Record<string, string> };
    expect(traceProblems(json)).toEqual([]);
    expect(json.otherData.timeBase).toBe(TIME_BASE);
    const xs = json.traceEvents.filter((e) => e.ph === 'X');
    for (const kind of ['compaction', 'migrate_pages', 'folio']) expect(xs.some((e) => e.name === kind)).toBe(true);
    // Nothing past the step asked for.
    for (const e of xs) expect(e.ts + e.dur!).toBeLessThanOrEqual(2001);
    // Each slice sits on the track of the task that ran its first step.
    const names = new Map(json.traceEvents.filter((e) => e.name === 'thread_name').map((e) => [e.tid, e.args!.name]));
    for (const e of xs) if (e.name !== 'action 0: compact') expect(names.get(e.tid)).toBe(taskOf(s.t.rec, e.ts));
    // The last counter sample is the free pages per order of the state reached (read from nr_free here).
    const last = json.traceEvents.filter((e) => e.name === 'free pages by order').at(-1)!;
    expect(last.ts).toBe(2000);
    const expected: Record<string, number> = {};
    for (let o = 0; o < 11; o++) expected[`order ${o}`] = s.k.zones.reduce((n, z) => n + (s.k.nrFree.a[z.idx * 11 + o]! << o), 0);
    expect(last.args).toEqual(expected);
  });

  test('interleaved tasks (balloon-race) get one track each and still nest', { timeout: 120_000 }, () => {
    const s = openSession(findPreset('balloon-race')!.scenario);
    const series = trackSeries(s.t);
    const n = runToEnd(s.t);
    const json = JSON.parse(JSON.stringify(perfettoTrace(s, series.points))) as { traceEvents: Ev[] };
    expect(traceProblems(json)).toEqual([]);
    const tasks = new Set<string>();
    for (let id = 1; id <= n; id++) tasks.add(taskOf(s.t.rec, id));
    const tracks = json.traceEvents.filter((e) => e.name === 'thread_name').map((e) => e.args!.name);
    expect(tasks.size).toBeGreaterThan(1);
    // Every task that opened a span has its track; no slice needed an overflow track.
    const withSlices = new Set(json.traceEvents.filter((e) => e.ph === 'X' && !e.name.startsWith('action ')).map((e) => e.tid));
    expect(withSlices.size).toBeGreaterThan(1);
    expect(tracks.filter((t) => String(t).includes('overlap'))).toEqual([]);
  });
});
