// Trace lines in ftrace's text format: `TASK-PID [CPU] flags TIMESTAMP: event: fields`.
// The timestamp is the step id (seconds), so every line carries the step it belongs to and a
// trace sorts and diffs like a real one. A step's tracepoint lines come first, then one line
// naming its kernel function with the state after the step of every page it touched, source
// first: `[pfn=0x1a2b refcount=N mapcount=N]` (mapcount as folio_mapcount() counts it).
// A replayed trace's steps (engine/replay.ts) carry the recorded lines, which are printed as they are.

import { hex } from '../kernel/step';
import type { Step } from './timeline';

const ROLE_ORDER = ['src', 'dst', 'target', 'pinned', 'allocated', 'freed', 'buddy', 'scanner'];

function prefix(s: Step): string {
  return `${s.task.padStart(16)} [000] ..... ${s.id}.000000: `;
}

export function traceLines(s: Step): string[] {
  if (s.verbatim) return [...s.trace]; // a replayed trace: the lines as the kernel wrote them
  const p = prefix(s);
  const out = s.trace.map((t) => p + t);
  const order = [...s.pfns].sort((a, b) => ROLE_ORDER.indexOf(a.role) - ROLE_ORDER.indexOf(b.role));
  const groups = order
    .map((x) => s.after.find((a) => a.pfn === x.pfn))
    .filter((a, i, arr) => a && arr.indexOf(a) === i)
    .map((a) => `[pfn=${hex(a!.pfn)} refcount=${a!.refcount} mapcount=${a!.mapcount}]`);
  out.push(`${p}${s.fn}: ${s.result !== undefined ? `ret=${s.result} ` : ''}${groups.join(' ')}`.trimEnd());
  return out;
}
