// Trace lines in ftrace's text format: `TASK-PID [CPU] flags TIMESTAMP: event: fields`, in the
// columns a real trace file has.
// The timestamp is the step id (seconds), so every line carries the step it belongs to and a
// trace sorts and diffs like a real one. A step's tracepoint lines come first, then one line
// naming its kernel function with the state after the step of every page it touched, source
// first: `[pfn=0x1a2b refcount=N mapcount=N]` (mapcount as folio_mapcount() counts it). A step
// that is no kernel function (the engine's end of a task, file '') adds no such line.
// A replayed trace's steps (engine/replay.ts) carry the recorded lines, which are printed as they are.

import { hex } from '../kernel/step';
import type { Step } from './timeline';

const ROLE_ORDER = ['src', 'dst', 'target', 'pinned', 'allocated', 'freed', 'buddy', 'scanner'];

/**
 * The flags column (irqs-off, need-resched, hardirq/softirq, preempt-depth, migrate-disable) of
 * events that always fire with a lock held. set_migration_pte and remove_migration_pte fire under
 * the PTE lock taken by page_vma_mapped_walk() (a spinlock: preempt depth 1), as every line of
 * the real captures shows (`...1.`); the other events the model fires hold nothing.
 */
const EVENT_FLAGS: Readonly<Record<string, string>> = {
  set_migration_pte: '...1.',
  remove_migration_pte: '...1.',
};

const eventOf = (line: string): string => line.slice(0, line.indexOf(':'));

/** print_trace_fmt()'s columns: `%16s-%-7d [%03d] flags %5llu.%06lu: ` (comm, pid, CPU, seconds). */
function prefix(s: Step, flags = '.....'): string {
  const dash = s.task.lastIndexOf('-');
  const comm = dash > 0 ? s.task.slice(0, dash) : s.task;
  const pid = dash > 0 ? s.task.slice(dash + 1) : '0';
  return `${comm.padStart(16)}-${pid.padEnd(7)} [000] ${flags} ${String(s.id).padStart(5)}.000000: `;
}

export function traceLines(s: Step): string[] {
  if (s.verbatim) return [...s.trace]; // a replayed trace: the lines as the kernel wrote them
  const p = prefix(s);
  const out = s.trace.map((t) => prefix(s, EVENT_FLAGS[eventOf(t)]) + t);
  if (s.file === '') return out;
  const order = [...s.pfns].sort((a, b) => ROLE_ORDER.indexOf(a.role) - ROLE_ORDER.indexOf(b.role));
  const groups = order
    .map((x) => s.after.find((a) => a.pfn === x.pfn))
    .filter((a, i, arr) => a && arr.indexOf(a) === i)
    .map((a) => `[pfn=${hex(a!.pfn)} refcount=${a!.refcount} mapcount=${a!.mapcount}]`);
  out.push(`${p}${s.fn}: ${s.result !== undefined ? `ret=${s.result} ` : ''}${groups.join(' ')}`.trimEnd());
  return out;
}
