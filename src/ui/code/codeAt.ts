// Which outline line a step stands on: the step's function picks the outline, its phase, result
// and sentence pick the stop (outline.ts). Steps with no kernel file are the engine's own (an
// action's end) or a design variant's function, which Linux 6.18 does not have.
import { KERNEL_VERSION } from '../../worker/protocol';
import type { Outline, Stop } from './outline';
import { OUTLINES } from './outlines';
import { KERNEL_LINES } from './kernel-lines.gen';

export interface CodeStep {
  readonly fn: string;
  readonly file: string;
  readonly task: string;
  readonly phase: string;
  readonly result: string | null;
  readonly text: string;
  /** Computed in fast-forward: only fn, phase and a failed/ok result are known. */
  readonly pending?: boolean;
}

export type CodeView =
  | { readonly kind: 'outline'; readonly fn: string; readonly outline: Outline; readonly def: number; readonly lines: readonly (number | null)[];
      /** The lit outline line, or -1 when the step is about the call as a whole (the header). */
      readonly lit: number; readonly approximate: boolean }
  | { readonly kind: 'engine'; readonly why: string }
  | { readonly kind: 'none'; readonly why: string };

const matches = (s: Stop, st: CodeStep, loose: boolean): boolean =>
  (s.phase === undefined || s.phase === st.phase) &&
  (loose || ((s.result === undefined || (st.result !== null && s.result.test(st.result))) && (s.text === undefined || s.text.test(st.text))));

export function codeAt(st: CodeStep): CodeView {
  if (!st.file) {
    return st.fn === st.task
      ? { kind: 'engine', why: `The end of action ${st.task}: a step the engine adds, not kernel code.` }
      : { kind: 'engine', why: `${st.fn}() is a design variant's function: Linux ${KERNEL_VERSION} has no such code.` };
  }
  const outline = OUTLINES[st.fn];
  const nums = KERNEL_LINES[st.fn];
  if (!outline || !nums) return { kind: 'none', why: `No outline of ${st.fn}() yet.` };
  // A step made in fast-forward has no sentence yet: its phase alone picks the line until the
  // full step arrives. A phase a stop does not name (another path's) falls back the same way.
  let stop = st.pending ? undefined : outline.stops.find((s) => matches(s, st, false));
  const approximate = !stop;
  stop ??= outline.stops.find((s) => matches(s, st, true)) ?? outline.stops[0];
  if (!stop) return { kind: 'none', why: `The outline of ${st.fn}() has no line for this step.` };
  return { kind: 'outline', fn: st.fn, outline, def: nums.def, lines: nums.lines, lit: stop.line, approximate };
}
