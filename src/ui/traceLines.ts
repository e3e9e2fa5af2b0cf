// Which trace lines belong to the current step, so the trace panel can set them apart.

/** How many of the last lines belong to `step`: their ftrace timestamp is the step id (engine/trace.ts). */
export function currentLineCount(lines: readonly string[], step: number): number {
  const stamp = ` ${step}.000000: `;
  let n = 0;
  while (n < lines.length && lines[lines.length - 1 - n]!.includes(stamp)) n++;
  return n;
}
