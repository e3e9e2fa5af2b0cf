// What a frame says about the current step: the narration's view of a Step, its kernel source
// link, and the trace lines between two steps. Pure functions of the timeline, so host.ts keeps
// only flow control.
import { materialize, type Step, type Timeline } from '../engine/timeline';
import { traceLines } from '../engine/trace';
import { footprintFields } from '../kernel/memmap';
import { KERNEL_VERSION, type StepView } from './protocol';
const SOURCE_BASE = `https://elixir.bootlin.com/linux/${KERNEL_VERSION}/source/`;

/**
 * The file on elixir.bootlin.com. A line anchor would need the line of the function in that
 * version, which the model does not record, so the link opens the file and the narration names
 * the function.
 */
export function sourceUrlOf(file: string): string | null {
  return file ? SOURCE_BASE + file : null;
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
 * The ftrace lines of steps from+1 .. to, at most `keep` of them, the newest last. Walks back
 * from `to`, so a jump over 100 k steps costs only what it keeps (the steps are made in full on
 * demand: timeline.ts materialize).
 */
export function traceBetween(t: Timeline, from: number, to: number, keep: number): string[] {
  const chunks: string[][] = [];
  let n = 0;
  for (let id = to; id > from && n < keep; id--) {
    const step = materialize(t, id);
    if (!step) break;
    const lines = traceLines(step);
    chunks.push(lines);
    n += lines.length;
  }
  const out = chunks.reverse().flat();
  return out.length > keep ? out.slice(out.length - keep) : out;
}
