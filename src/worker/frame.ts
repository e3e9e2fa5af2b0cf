// What a frame says about the current step: the narration's view of a Step, its kernel source
// link, and the trace lines between two steps. Pure functions of the timeline, so host.ts keeps
// only flow control.
import { cachedStep, type Step, type Timeline } from '../engine/timeline';
import { failedAt, fileOf, fnOf, pfnsOf, phaseOf, taskOf } from '../engine/steptable';
import { traceLines } from '../engine/trace';
import { footprintFields } from '../kernel/memmap';
import { elixirUrl, type StepView } from './protocol';

/**
 * The file on elixir.bootlin.com. The narration links the file and names the function; the code
 * panel (ui/code) links the line, from its table of 6.18 line numbers.
 */
export function sourceUrlOf(file: string): string | null {
  return file ? elixirUrl(file) : null;
}

export function stepView(s: Step): StepView {
  return {
    id: s.id,
    task: s.task,
    phase: s.phase,
    fn: s.fn,
    file: s.file,
    sourceUrl: sourceUrlOf(s.file),
    text: s.text,
    result: s.result ?? null,
    pfns: s.pfns,
    reads: footprintFields(s.footprint.reads),
    writes: footprintFields(s.footprint.writes),
    footprint: s.footprint.pages.map((p) => ({ pfn: p.pfn, role: p.role, reads: footprintFields(p.reads), writes: footprintFields(p.writes) })),
  };
}

/**
 * What the narration shows of step `id` while it is being made again: its compact record
 * (engine/steptable.ts) and a sentence saying what is going on, with the cost in steps.
 */
export function pendingStepView(t: Timeline, id: number, cost: number): StepView {
  const file = fileOf(t.rec, id);
  return {
    id,
    pending: true,
    task: taskOf(t.rec, id),
    phase: phaseOf(t.rec, id),
    fn: fnOf(t.rec, id),
    file,
    sourceUrl: sourceUrlOf(file),
    text: `This step was computed in fast-forward, which keeps only its kernel function, phase and pages; its narration, trace lines and footprint are being made again by re-executing ${cost.toLocaleString('en-US')} steps${cost === id ? ' from step 0' : ''}.`,
    result: failedAt(t.rec, id) ? 'failed' : null,
    pfns: pfnsOf(t.rec, id),
    reads: [],
    writes: [],
    footprint: [],
  };
}

/**
 * The ftrace lines of steps from+1 .. to, at most `keep` of them, the newest last. Walks back
 * from `to`, so a jump over 100 k steps costs only what it keeps; it stops at the first step not
 * held in full (timeline.ts: cachedStep), which the trace panel then lacks.
 */
export function traceBetween(t: Timeline, from: number, to: number, keep: number): string[] {
  const chunks: string[][] = [];
  let n = 0;
  for (let id = to; id > from && n < keep; id--) {
    const step = cachedStep(t, id); // never re-executes: a frame waits for nothing
    if (!step) break;
    const lines = traceLines(step);
    chunks.push(lines);
    n += lines.length;
  }
  const out = chunks.reverse().flat();
  return out.length > keep ? out.slice(out.length - keep) : out;
}
