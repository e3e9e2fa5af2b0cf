// Which trace lines belong to which step: the ftrace timestamp is the step id (engine/trace.ts),
// so the trace panel can set the current step's lines apart and a click on a line can go there.

/** How many of the last lines belong to `step`: their ftrace timestamp is the step id (engine/trace.ts). */
export function currentLineCount(lines: readonly string[], step: number): number {
  const stamp = ` ${step}.000000: `;
  let n = 0;
  while (n < lines.length && lines[lines.length - 1 - n]!.includes(stamp)) n++;
  return n;
}

const STAMP = /\] \S+ +(\d+)\.000000: /;

/** The step a trace line belongs to, or null for a line that is not in ftrace's format. */
export function stepOfLine(line: string): number | null {
  const m = STAMP.exec(line);
  return m ? Number(m[1]) : null;
}
