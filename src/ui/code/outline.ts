// The code panel's data model: for a kernel function the model follows, an outline in our own
// words (never the kernel's text) of what it does in order, each line naming by an anchor the
// statement it summarises in Linux 6.18, and the stops: which outline line a step of the model
// stands on. The line numbers come from scripts/kernel-lines.ts (kernel-lines.gen.ts), never
// by hand.
import type { Phase } from '../../worker/protocol';

export interface OutlineLine {
  /** What happens here, in our words. */
  readonly text: string;
  /**
   * A distinctive piece of the statement this line summarises (whitespace-insensitive), found
   * in the function's body; absent for a line that stands for no one statement.
   */
  readonly at?: string;
  /** The anchor is in this helper of the same file (a thin wrapper's real body), not in the function. */
  readonly in?: string;
}

/** Which line a step stands on: the first stop whose every given test matches the step. */
export interface Stop {
  /** Index into the outline's lines. */
  readonly line: number;
  readonly phase?: Phase;
  readonly result?: RegExp;
  readonly text?: RegExp;
}

export interface Outline {
  /** The file in 6.18 (where it differs from the step's, the step names the caller's file). */
  readonly file: string;
  /** The symbol defined in 6.18 when it is not the step's function name (__alloc_pages_noprof). */
  readonly sym?: string;
  readonly lines: readonly OutlineLine[];
  readonly stops: readonly Stop[];
}

/** An outline line: its text and the anchor of the statement it stands for. */
export const L = (text: string, at?: string, within?: string): OutlineLine => (at === undefined ? { text } : within === undefined ? { text, at } : { text, at, in: within });

/** A stop on line `line`, for steps matching `when`. */
export const S = (line: number, phase?: Phase, when: { readonly result?: RegExp; readonly text?: RegExp } = {}): Stop => ({ line, ...(phase ? { phase } : {}), ...when });
