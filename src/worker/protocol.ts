// The one place that defines every message between the UI and the simulation worker.
// Both sides switch over `type` with an exhaustive `never` check, so adding a message without
// handling it is a type error on both ends. The UI imports engine and kernel types only through
// here, and only as types: nothing of the engine is bundled into the page.
//
// Flow control: at most one frame is in flight. After posting frame `seq` the worker posts no
// other frame until the UI answers `ack {seq}`; whatever changed meanwhile (play keeps stepping)
// goes out as one frame with the latest state, so frames the UI could not draw are skipped.
import type { CompactionResult } from '../engine/compaction-result';
import type { VariantResult } from '../engine/footprint';
import type { Scenario } from '../engine/scenario';
import type { SeriesPoint } from '../engine/series';
import type { ZoneRange } from '../engine/snapshot';
import type { BalloonState } from '../kernel/balloon';
import type { ScannerState } from '../kernel/compaction-state';
import type { ImportReport, ZoneFreeReport } from '../kernel/import/types';
import type { ReplayInfo } from '../engine/replay-parse';
import type { MigrateVmaView } from '../kernel/migrate_device';
import type { PageDetail } from '../kernel/inspect';
import type { FieldName } from '../kernel/memmap';
import type { Phase, Role, StepPfn } from '../kernel/step';

export type Zone = ZoneRange;
export type { FieldName, ImportReport, PageDetail, Phase, ReplayInfo, Role, Scenario, SeriesPoint, StepPfn, ZoneFreeReport };

/** Every phase a step can have (kernel/step.ts: Phase), in the order a migration meets them. */
const PHASE_SET: Readonly<Record<Phase, true>> = {
  scan: true, isolate: true, unmap: true, refcount: true, 'move-mapping': true, copy: true, remap: true,
  putback: true, alloc: true, split: true, merge: true, free: true, fault: true, pin: true, unpin: true,
  reclaim: true, done: true,
};
export const PHASES = Object.keys(PHASE_SET) as Phase[];

/**
 * The phases "Previous phase" / "Next phase" stop at: where a migration is decided and done, on
 * every path (LRU, hugetlb, device, movable_ops). The movable_ops path (balloon, zsmalloc) has no
 * refcount check in 6.18: migrate_pages_batch() skips its "freed under us" test and nothing
 * freezes the refcount; the owner's migrate_page hands its reference over (its 'copy' step).
 */
export const PHASES_OF_INTEREST = ['isolate', 'refcount', 'copy', 'remap'] as const satisfies readonly Phase[];
export type PhaseOfInterest = (typeof PHASES_OF_INTEREST)[number];

/**
 * What a timeline marker flags: the first step of a scenario action, a step whose result is a
 * failure (isFailedResult), or a step of a phase of interest.
 */
export type MarkerKind = 'action' | 'fail' | PhaseOfInterest;

/**
 * A step result that reads as a failure: an error code ("-EAGAIN", "-EBUSY"), or a replayed
 * migrate_pages batch's "nr_failed=N" (engine/replay.ts: the trace gives the count, not the error).
 */
export const isFailedResult = (result: string | null | undefined): boolean =>
  result != null && (result.startsWith('-') || /^nr_failed=[1-9]/.test(result));

/** One marker on the timeline scrubber. A step may carry several (an action starting with isolate). */
export interface Marker {
  readonly step: number;
  readonly kind: MarkerKind;
}

/** A computed step that touched a page: pfn ∈ [p.pfn, p.pfn + (p.nr ?? 1)) for one of its PFNs. */
export interface HistoryMark {
  readonly step: number;
  readonly phase: Phase;
  /** The role of the first of the step's PFNs that covers the page. */
  readonly role: Role;
  /** The step's result is an error (-EAGAIN, -EBUSY, ...). */
  readonly failed: boolean;
}

/** Marks a `page` reply carries at most; the oldest are kept (the strip shows where it starts). */
export const HISTORY_KEEP = 2000;

/** What to load: a preset by name, a scenario object (validated by the worker), or a share link. */
export type LoadSource =
  | { readonly kind: 'preset'; readonly name: string }
  | { readonly kind: 'scenario'; readonly scenario: unknown }
  | { readonly kind: 'url'; readonly url: string };

/**
 * The files of one capture as the UI read them (kernel/import/types.ts: DumpFiles): the two
 * binary dumps as ArrayBuffers, *transferred* to the worker (2 × 52 MiB for a 24 GiB machine
 * would take ~0.1 s to copy, toolchain.md §5b), the optional /proc texts as strings.
 */
export interface ImportFiles {
  /** What the UI and messages call the capture: its file prefix ("before"), with its folder when known. */
  readonly name: string;
  readonly kpageflags: ArrayBuffer;
  readonly kpagecount: ArrayBuffer;
  readonly buddyinfo?: string;
  readonly pagetypeinfo?: string;
  readonly zoneinfo?: string;
}

/** Play and multi-step moves stop at the first step that matches any breakpoint. */
export type Breakpoint =
  | { readonly kind: 'phase'; readonly phase: Phase }
  | { readonly kind: 'pfn'; readonly pfn: number }
  | { readonly kind: 'fn'; readonly fn: string };

/**
 * Why a page is inspected: the selected (pinned) page, a page of the current step the inspector
 * follows while nothing is pinned (no history), or the page under the pointer.
 */
export type InspectPurpose = 'select' | 'follow' | 'hover';

/**
 * Longest scenario text `validate` reads (characters). A scenario the schema accepts is far
 * smaller (1,000 actions of ~100 characters); the editor's Import refuses bigger files unread.
 */
export const MAX_SCENARIO_TEXT = 1024 * 1024;

/** UI → worker. */
export type Command =
  /**
   * Open a new session; `step` overrides a share link's step. If the source cannot be opened the
   * old session stays, unless there is a `fallback`: then the worker opens that instead and
   * reports why the source failed as a non-fatal error (a bad link opens the default scenario).
   */
  | { readonly type: 'load'; readonly source: LoadSource; readonly step?: number; readonly fallback?: LoadSource }
  /**
   * Check scenario JSON text as the editor holds it (the scenario schema, by the engine's own
   * parser); answered with `validation` carrying the same id. Changes nothing.
   */
  | { readonly type: 'validate'; readonly id: number; readonly text: string }
  /**
   * Open a session on a real machine's page frame array (kernel/import): `progress` messages
   * while the rebuild runs, then a frame carrying the import's report. A dump the rebuild cannot
   * use is refused in one line and the session shown stays. `step` as in load (a restart);
   * `actions` (scenario actions, checked by its schema) run on the imported memory, as the CLI's
   * `npm run sim -- compact-memory --import PREFIX` does; without them nothing runs.
   */
  | { readonly type: 'import'; readonly files: ImportFiles; readonly step?: number; readonly actions?: readonly unknown[] }
  /**
   * Replay an ftrace text (engine/replay.ts: /sys/kernel/tracing/trace or `trace-cmd report`
   * output, already decompressed) over the memory of the session shown, as it was at step 0 (a
   * preset's, a scenario's or an imported one): one step per migrate or compaction event.
   * Answered like a load: a frame carrying `session` and `replay` (no `source`: a restart sends
   * the text again). A text that is not a trace, has no such event or has a line cut short is
   * refused in one line and the session shown stays. `vmemmapBase` (hex, e.g.
   * "0xffd4000000000000") turns kprobe struct page pointers into PFNs; without it the worker
   * infers it from the trace when it can. `name` labels the session (the file name).
   */
  | { readonly type: 'replay'; readonly text: string; readonly name: string; readonly vmemmapBase?: string }
  /**
   * The result of an imported session's run (engine/compaction-result.ts): free blocks per order
   * before / after / after on the real machine (`realAfter`: a /proc/buddyinfo, e.g. the capture's
   * after.buddyinfo), --predict's error, migrated and failed. Answered with `result`, or refused
   * in one line before the run has reached its end or for a session not imported.
   */
  | { readonly type: 'result'; readonly realAfter?: { readonly name: string; readonly text: string } }
  /**
   * Run the session's scenario under every design variant, in the background beside whatever else
   * runs (stepping goes on): answered by `footprint` messages as variants finish, the last with
   * `done`. Not counted, like `spans`: the UI is not busy meanwhile. `stop` ends a comparison
   * under way. Changes nothing in the session.
   */
  | { readonly type: 'footprint'; readonly stop?: true }
  /** Move by `delta` steps; when |delta| > 1 the move stops at the first breakpoint it meets. */
  | { readonly type: 'step'; readonly delta: number }
  /** Go to step n (clamped to the end once every action has run). Ignores breakpoints. */
  | { readonly type: 'seek'; readonly step: number }
  /**
   * Compute every remaining step and go to the last. Ignores breakpoints. Long work runs in time
   * slices, posting `progress`; `cancel` (or any other command but ack, breakpoints, hover
   * inspects and spans, which it then makes way for) stops it at the last step computed.
   */
  | { readonly type: 'runToEnd' }
  /** Stop the long command that is running (run to end, a far seek); answered with a frame. */
  | { readonly type: 'cancel' }
  /**
   * Go to the start of the next (dir 1) or previous (dir -1) span of a level (an index into
   * SPAN_LEVEL_NAMES: action, compaction run, pageblock, migrate_pages() call, batch, pass, folio)
   * or the next / previous failed step ('fail'), computing steps past the frontier when needed.
   * With none that way: the end, or step 0 (forwards), or the step stays (backwards).
   */
  | { readonly type: 'span'; readonly level: number | 'fail'; readonly dir: 1 | -1 }
  /**
   * Ask for the spans of every level that overlap steps [from, to] (the zoomed timeline);
   * answered with `spans`. Like hover inspects, not counted in `handled`.
   */
  | { readonly type: 'spans'; readonly from: number; readonly to: number }
  /**
   * Go to the next (dir 1) or previous (dir -1) step whose phase is one of PHASES_OF_INTEREST,
   * computing steps past the frontier when needed. With none left that way: the end, or step 0.
   * Ignores breakpoints, like seek.
   */
  | { readonly type: 'phase'; readonly dir: 1 | -1 }
  /** Advance `speed` steps per second until the end or a breakpoint. */
  | { readonly type: 'play'; readonly speed: number }
  | { readonly type: 'pause' }
  /**
   * Ask for one page's struct page at the current step; answered with `page`. `hover` requests
   * (the grid's tooltip) are not counted in `handled`, so pointing around never makes the UI busy.
   */
  | { readonly type: 'inspect'; readonly pfn: number; readonly purpose?: InspectPurpose }
  /** Replace the breakpoint list. Not answered (a setting, nothing to draw), so not counted in `handled`. */
  | { readonly type: 'breakpoints'; readonly list: readonly Breakpoint[] }
  /** The UI has drawn frame `seq`: the worker may post the next one. */
  | { readonly type: 'ack'; readonly seq: number };

/**
 * Test hooks, outside `Command`: the worker honours them only when it was started with the name
 * DEBUG_WORKER_NAME (the UI does that only for pages opened with `?test`).
 * `debug-crash` throws out of the message handler, as a bug in the engine would; `debug-bug`
 * makes the next session opened hit a BUG of the kernel model when it computes step `step`.
 */
export type DebugCommand = { readonly type: 'debug-crash' } | { readonly type: 'debug-bug'; readonly step: number };
export const DEBUG_WORKER_NAME = 'pfnscope-sim-test';

/** The current step as the narration shows it. */
export interface StepView {
  readonly id: number;
  /**
   * The step's narration, trace and footprint are being made again by re-execution (a step of a
   * long run computed in fast-forward): `text` says so, the rest comes from its compact record,
   * and a frame with the whole step follows unless another command comes first.
   */
  readonly pending?: boolean;
  /** The action's task name, as in trace lines ("alloc-1000"). */
  readonly task: string;
  readonly phase: Phase;
  /** The kernel function this step models. */
  readonly fn: string;
  /** Its file in the kernel tree ('' for steps the engine adds, such as an action's end). */
  readonly file: string;
  /** The file at the modelled kernel version on elixir.bootlin.com, or null when file is ''. */
  readonly sourceUrl: string | null;
  readonly text: string;
  readonly result: string | null;
  readonly pfns: readonly StepPfn[];
  /** The struct page fields the step read and wrote (its footprint), over every page it touched. */
  readonly reads: readonly FieldName[];
  readonly writes: readonly FieldName[];
  /** The same, page by page: for each of the step's pages (source, destination, ...) by role. */
  readonly footprint: readonly PageFootprint[];
}

export interface PageFootprint {
  readonly pfn: number;
  readonly role: StepPfn['role'];
  readonly reads: readonly FieldName[];
  readonly writes: readonly FieldName[];
}

/** One drawable state of memory. */
export interface FrameMsg {
  readonly type: 'frame';
  /** Answer it with `ack {seq}` once drawn. */
  readonly seq: number;
  /** Commands the worker had processed when it posted this (see WorkerMsg). */
  readonly handled: number;
  readonly scenarioName: string;
  /**
   * Present on the first frame of a newly loaded session: what to load again after a restart. A
   * share link comes back as the preset it names or the scenario it carries.
   */
  readonly source?: LoadSource;
  /** Present, with `source`, on the first frame of a newly loaded session. */
  readonly session?: SessionInfo;
  /**
   * Present, with `session` and without `source`, on the first frame of an imported session: how
   * well the rebuild matched the capture (free blocks per order against its buddyinfo, guesses).
   */
  readonly imported?: ImportReport;
  /** Present, with `session` and without `source`, on the first frame of a replayed trace. */
  readonly replay?: ReplayInfo;
  /** Current step; 0 = populated memory before the first action. */
  readonly step: number;
  /** Steps computed so far; the total once `done`. */
  readonly frontier: number;
  /** Every action has finished, so `frontier` is the last step. */
  readonly done: boolean;
  readonly playing: boolean;
  /** Null at step 0. */
  readonly stepInfo: StepView | null;
  readonly stateHash: string;
  readonly nrPfns: number;
  readonly zones: readonly Zone[];
  /** Pages per StateClass, indexed by StateClass. */
  readonly classCounts: readonly number[];
  /**
   * ftrace lines. Appended (traceReset false): the lines of the steps passed since the previous
   * frame. Replacing (traceReset true, after a load or a move backwards): the trace up to and
   * including the current step. Either way at most TRACE_KEEP lines, the newest last.
   */
  readonly trace: readonly string[];
  readonly traceReset: boolean;
  /**
   * One StateClass byte per PFN. Its buffer is *transferred* (0.1 ms for 1 MiB vs 2.7 ms copied,
   * toolchain.md §5b), so it spans exactly its own non-shared ArrayBuffer.
   */
  readonly view: Uint8Array<ArrayBuffer>;
  /** Why play or a multi-step move stopped here, e.g. "phase merge"; absent otherwise. */
  readonly breakpointHit?: string;
  /**
   * True on the first frame of a session: `markers`, `fns` and the series replace what the UI
   * holds. Otherwise they are appended: what the steps computed since the previous frame added.
   */
  readonly timelineReset: boolean;
  /** Timeline markers of the newly computed steps, in step order. */
  readonly markers: readonly Marker[];
  /** Kernel functions not seen in earlier computed steps (for breakpoint suggestions). */
  readonly fns: readonly string[];
  /**
   * Chart samples (engine/series.ts), taken as the frontier advances. Appended, or replacing when
   * `seriesReset` (a new session, or the engine thinned the series to keep it bounded).
   */
  readonly series: readonly SeriesPoint[];
  readonly seriesReset: boolean;
  /** The balloon device's state at this step; present when the scenario uses the balloon. */
  readonly balloon?: BalloonState;
  /** The compactions running at this step (migrate and free scanner of each); empty when none. */
  readonly scanners: readonly ScannerState[];
  /** The migrate_vma / migrate_device_range in progress at this step (its src[] and dst[]), or null. */
  readonly migrateVma: MigrateVmaView | null;
}

/** Longest trace text the `replay` command reads (characters): V8 strings end near 512 Mi. */
export const MAX_TRACE_TEXT = 256 * 1024 * 1024;

/** What the UI keeps of a newly loaded session: the editor's scenario and the share link. */
export interface SessionInfo {
  /** The scenario as the worker validated it: what the editor starts from and Export writes. */
  readonly scenario: Scenario;
  /**
   * The share link's head for this session: `preset=<name>` for a preset (or a link naming one),
   * else `s=<payload>` (engine/share.ts: encodeScenario). The UI adds `&step=<n>&pfn=<n>`. Null
   * when the payload would be longer than a link may be (it could not be opened again).
   */
  readonly link: string | null;
  /**
   * Sessions opened from a share link: the page the link selects (checked to be on this
   * machine), or null when it selects none. Absent for every other source.
   */
  readonly select?: number | null;
}

/** A scenario text checked: the scenario as parsed, or one line naming the field that is wrong. */
export type Validation = { readonly ok: true; readonly scenario: Scenario } | { readonly ok: false; readonly error: string };

/** The answer to `validate`. */
export type ValidationMsg = { readonly type: 'validation'; readonly handled: number; readonly id: number } & Validation;

/** The answer to `inspect`. */
export interface PageMsg {
  readonly type: 'page';
  readonly handled: number;
  readonly pfn: number;
  /** The step the detail was read at. */
  readonly step: number;
  readonly detail: PageDetail;
  /**
   * 'select' and 'follow': the page as it was before this step (what the step changed), or null
   * at step 0 or when the step's journal is no longer held. Absent for 'hover'.
   */
  readonly before?: PageDetail | null;
  readonly purpose: InspectPurpose;
  /**
   * For 'select' only: the computed steps that touched this PFN, oldest first, at most
   * HISTORY_KEEP (then `historyTotal` says how many there are).
   */
  readonly history?: readonly HistoryMark[];
  readonly historyTotal?: number;
}

export interface ErrorMsg {
  readonly type: 'error';
  /**
   * One line. `handled` as in frames. Not fatal: the input was refused and the session the UI had
   * is still there. Fatal: the session is gone (a bug); the UI offers a restart.
   */
  readonly handled?: number;
  readonly message: string;
  readonly fatal?: boolean;
}

/** The answer to `result`. */
export interface ResultMsg {
  readonly type: 'result';
  readonly handled: number;
  /** The session's name (the capture's). */
  readonly name: string;
  readonly result: CompactionResult;
}

/**
 * The answer to `footprint`, posted as each variant finishes (and every PROGRESS_MS meanwhile):
 * per design variant done so far, the struct page fields read and written per migrated page, or
 * the one line its run failed with.
 */
export interface FootprintMsg {
  readonly type: 'footprint';
  readonly handled: number;
  readonly scenarioName: string;
  /** In the order of `variants`; the ones not there yet are still to run. */
  readonly results: readonly VariantResult[];
  readonly variants: readonly string[];
  /** Steps computed so far over every variant. */
  readonly steps: number;
  readonly done: boolean;
}

/**
 * How far a long command has got, posted at most every PROGRESS_MS: the import's rebuild (PFNs
 * done of total), or computing steps (`run`, `seek`, `phase`, `span`: steps computed of an
 * estimate of the total, from what the running compaction's scanners have consumed, with the
 * rate). Carries no `handled`: the frame or error that ends the command does.
 */
export interface ProgressMsg {
  readonly type: 'progress';
  readonly what: 'import' | 'run' | 'seek' | 'phase' | 'span';
  readonly done: number;
  /** The total, or an estimate of it (0 when none can be made yet). */
  readonly total: number;
  /** What `done` counts: PFNs (import) or steps. */
  readonly unit?: 'PFNs' | 'steps';
  /** Per second, over the command so far (steps computed, for every unit but PFNs). */
  readonly rate?: number;
  /** Pages migrated so far (pgmigrate_success). */
  readonly migrated?: number;
  /** `cancel` stops it. */
  readonly cancellable?: boolean;
}

/** The span levels of the timeline, outermost first (`span` commands name them by index). */
export const SPAN_LEVEL_NAMES: readonly string[] = ['action', 'compaction run', 'pageblock', 'migrate_pages()', 'batch', 'pass', 'folio'];

/**
 * The spans of steps [from, to], per level (SPAN_LEVEL_NAMES), each [first step, last step] (those
 * still open at the frontier end there), and the markers of those steps (failures and phases of
 * interest, thinned evenly to MAX_SPANS: the frames' markers stop at MAX_MARKERS for the run).
 */
export interface SpansMsg {
  readonly type: 'spans';
  readonly from: number;
  readonly to: number;
  readonly levels: readonly (readonly (readonly [number, number])[])[];
  readonly markers: readonly Marker[];
}

/** Progress messages are at least this far apart (ms): a bar needs no more, and each is a main-thread task. */
export const PROGRESS_MS = 50;

/** Posted once when the worker starts. */
export interface ReadyMsg {
  readonly type: 'ready';
  /**
   * In the order of their groups (engine/preset-groups.ts): `group` is the heading the gallery and
   * the picker show them under, `see` one line of what stepping through them shows.
   */
  readonly presets: readonly { readonly name: string; readonly summary: string; readonly group: string; readonly see: string }[];
  /** The design variants a scenario's `variant` may name (the first is mainline, the default). */
  readonly variants: readonly string[];
}

/**
 * Worker → UI. Every message but `ready`, `progress` and `spans` carries `handled`: the number of commands other than
 * `ack`, `breakpoints`, `spans`, `footprint` and hover peeks the worker had processed. The UI counts what it sent and is idle when the two are equal
 * (e2e tests wait for that instead of sleeping); every such command is answered by a frame, a
 * page, a validation, a result or an error that carries a count covering it.
 */
export type WorkerMsg = FrameMsg | PageMsg | ValidationMsg | FootprintMsg | ResultMsg | ErrorMsg | ReadyMsg | ProgressMsg | SpansMsg;

/** The kernel version the model follows; step source links point at this version. */
export const KERNEL_VERSION = 'v6.18';

/**
 * Files a design cites that 6.18 does not have, with the first release that does: linux-7.0's
 * balloon code lives in mm/balloon.c (25b48b4cdf91 renamed mm/balloon_compaction.c).
 */
const LATER_FILES: Readonly<Record<string, string>> = { 'mm/balloon.c': 'v7.0' };

/** The release a step's file is linked at: the modelled 6.18, or the first release that has the file. */
export const kernelVersionOf = (file: string): string => LATER_FILES[file] ?? KERNEL_VERSION;

/** A kernel file (at a line) on elixir.bootlin.com at the modelled version: the one link builder. */
export function elixirUrl(file: string, line?: number): string {
  return `https://elixir.bootlin.com/linux/${kernelVersionOf(file)}/source/${file}${line ? `#L${line}` : ''}`;
}

/** Spans a `spans` answer carries at most per level (thinned evenly beyond). */
export const MAX_SPANS = 2000;

/** Trace lines a frame carries at most, and the trace panel keeps. */
export const TRACE_KEEP = 300;

/**
 * The `default:` of an exhaustive `switch (msg.type)`: a compile error if a case is missing, a
 * throw if a peer sends a type this side does not know (e.g. an old worker after an update).
 */
export function assertNever(x: never): never {
  throw new Error(`unexpected message: ${JSON.stringify(x)}`);
}
