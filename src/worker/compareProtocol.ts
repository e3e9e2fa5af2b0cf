// The messages between the compare view (ui/compare) and its worker (compare.worker.ts): one
// scenario opened once per design, each a session of its own, stepped to the steps the UI asks
// for. Apart from protocol.ts so the single-session app's worker and messages stay as they were.
import type { Exclusion } from '../kernel/guards';
import type { PfnState } from '../kernel/step';
import type { Phase, StepPfn, StepView, Zone } from './protocol';

/** Steps a pane computes at most: the alignment needs every step, and the compare view is for races and small runs. */
export const MAX_COMPARE_STEPS = 20_000;

/** What alignment reads of each step (ui/compare/align.ts: StepKey). */
export interface StepKeyMsg {
  readonly step: number;
  readonly phase: Phase;
  readonly task: string;
  readonly fn: string;
}

/** One pane's run as computed when opened. */
export interface PaneRun {
  readonly design: string;
  /** Every computed step, in order. */
  readonly keys: readonly StepKeyMsg[];
  /** The last step (the run's end, or where it stopped). */
  readonly last: number;
  /** Why the run stopped before its end (a BUG of the model, or MAX_COMPARE_STEPS), else absent. */
  readonly stopped?: string;
}

/** The step a pane shows, as the narration reads it (StepView's fields), with its after values and exclusion. */
export type PaneStep = Pick<StepView, 'id' | 'phase' | 'task' | 'fn' | 'file' | 'sourceUrl' | 'text' | 'result' | 'pfns'> & {
  /** Refcount and mapcount of each step PFN's folio right after the step. */
  readonly after: readonly PfnState[];
  readonly excluded?: Exclusion;
};

export interface PaneFrame {
  readonly step: number;
  readonly stateHash: string;
  /** One StateClass byte per PFN (transferred). */
  readonly view: Uint8Array<ArrayBuffer>;
  /** Null at step 0. */
  readonly stepInfo: PaneStep | null;
}

/** UI → compare worker. */
export type CompareCommand =
  /** Open a compare link (engine/compare-link.ts): answered by `opened` then a `frame`, or an `error` (nothing changes). */
  | { readonly type: 'open'; readonly url: string }
  /** Show these steps, one per pane (clamped to each run): answered by a `frame` carrying `seq`. */
  | { readonly type: 'seek'; readonly seq: number; readonly steps: readonly number[] };

/** Compare worker → UI. */
export type CompareMsg =
  | {
      readonly type: 'opened';
      readonly scenarioName: string;
      /** The share link's head (`preset=…` or `s=…`), or null when the scenario is too long for a link. */
      readonly head: string | null;
      readonly panes: readonly PaneRun[];
      /** The link's steps, clamped to each run. */
      readonly steps: readonly number[];
      readonly nrPfns: number;
      readonly zones: readonly Zone[];
    }
  | { readonly type: 'frame'; readonly seq: number; readonly panes: readonly PaneFrame[] }
  /** One line; the compare view shown (if any) stays. */
  | { readonly type: 'error'; readonly message: string };
