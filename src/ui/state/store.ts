// UI state in stores split by size and by who reads them. `useSim` holds the small things React
// renders (frame metadata, busy, error, presets, selection, playback, breakpoints, layout, the
// session's scenario and share link).
// `traceLog` holds the trace panel's lines. `gridView` holds the frame's bytes (1 byte per PFN,
// up to 4 MiB); only the canvas painter subscribes to it, so a new frame repaints the canvas
// without a React render. `timelineData` (scrubber markers, functions seen) and `chartData` (the
// series) grow with the frontier; the timeline strip and the d3 charts draw them from
// subscriptions. `spanData` holds the spans of the zoomed timeline's visible steps (the worker's
// latest `spans` answer). Selectors live at module scope and return primitives or stable references, so a
// frame re-renders only the components that show something it changed.
import { create } from 'zustand';
import { createStore } from 'zustand/vanilla';
import { SPAN_LEVEL_NAMES } from '../../worker/protocol';
import type { Breakpoint, FootprintMsg, FrameMsg, ImportReport, Marker, PageMsg, ReadyMsg, ReplayInfo, ResultMsg, Scenario, SeriesPoint, SpansMsg, StepView, Zone } from '../../worker/protocol';
import type { ComputingState } from '../progress/progressText';
import { NO_FOLLOW, type FollowState } from '../inspector/follow';

/** What React renders of a frame: everything but the bytes, the trace and the flow-control fields. */
export type FrameMeta = Omit<
  FrameMsg,
  'type' | 'view' | 'trace' | 'traceReset' | 'seq' | 'handled' | 'source' | 'session' | 'imported' | 'timelineReset' | 'markers' | 'fns' | 'series' | 'seriesReset'
>;
export type PresetInfo = ReadyMsg['presets'][number];

export interface SimError {
  /** One line of plain text. */
  readonly message: string;
  /** The worker died or lost its session: only a restart helps. */
  readonly restartable: boolean;
}

/** An import under way: reading the files (total 0), then the worker's rebuild of `total` PFNs. */
export interface ImportingState {
  readonly name: string;
  readonly done: number;
  readonly total: number;
}

/** What Previous / Next span moves by: a span level (an index into SPAN_LEVEL_NAMES) or a failed step. */
export type SpanNavLevel = number | 'fail';

/** The overlays over the grid (one at a time). */
export type Panel = 'gallery' | 'editor' | 'footprint' | 'import' | 'match' | 'result';

export interface SimState {
  /** Commands are in flight: e2e tests wait for false instead of sleeping. */
  readonly busy: boolean;
  readonly error: SimError | null;
  /** A restart is under way: the alert stays until the new worker's first frame. */
  readonly restarting: boolean;
  /** A worker is running and can take commands. */
  readonly alive: boolean;
  readonly meta: FrameMeta | null;
  readonly presets: readonly PresetInfo[];
  /** The design variants a scenario may name (the worker's `ready`). */
  readonly variants: readonly string[];
  /** The preset the picker shows; null for a scenario that is not a preset. */
  readonly preset: string | null;
  /**
   * The pinned PFN (a click on the grid or the narration, a typed PFN, a link); the inspector
   * shows `page` for it. Null: the inspector follows the current step's pages (`follow`).
   */
  readonly selectedPfn: number | null;
  /** The pages the inspector follows while nothing is pinned, and their latest reads. */
  readonly follow: FollowState;
  /** The selected page's details, re-read at every new step. */
  readonly page: PageMsg | null;
  /** The page under the pointer (the grid's tooltip). */
  readonly hover: PageMsg | null;
  /** Play speed, steps per second. */
  readonly speed: number;
  /** Where play and multi-step moves stop; sent to the worker whenever it changes. */
  readonly breakpoints: readonly Breakpoint[];
  /** The keyboard shortcuts panel is open. */
  readonly helpOpen: boolean;
  /** The overlay open over the grid: the preset gallery, the scenario editor, the footprint table, Import or its match report. */
  readonly panel: Panel | null;
  /** The footprint tables of the session numbered `session`, once the worker has answered. */
  readonly footprint: { readonly session: number; readonly msg: FootprintMsg } | null;
  /** The result of the imported session numbered `session`'s run (the result view), once answered. */
  readonly result: { readonly session: number; readonly msg: ResultMsg } | null;
  /** The loaded session's scenario, as the worker validated it (the editor starts from it). */
  readonly scenario: Scenario | null;
  /** The loaded session's share link head (`preset=…` or `s=…`); null before a load or when too long. */
  readonly link: string | null;
  /** Counts loaded sessions: a new value means a new session (the editor's draft starts over). */
  readonly session: number;
  /** An import is being read or rebuilt (the progress bar); null otherwise. */
  readonly importing: ImportingState | null;
  /** The session shown was imported from a real machine's dump: how well it matched. Null otherwise. */
  readonly imported: ImportReport | null;
  /**
   * The session shown replays a trace: what the trace held. Null otherwise. Over imported memory
   * `imported` stays: the memory is still the capture's.
   */
  readonly replay: ReplayInfo | null;
  /** A long command is computing steps in the worker (the progress line with Cancel); null otherwise. */
  readonly computing: ComputingState | null;
  /** The level Previous / Next span and [ / ] move by. */
  readonly spanLevel: SpanNavLevel;
}

export const useSim = create<SimState>()(() => ({
  busy: true,
  error: null,
  restarting: false,
  alive: false,
  meta: null,
  presets: [],
  variants: [],
  preset: 'default',
  selectedPfn: null,
  follow: NO_FOLLOW,
  page: null,
  hover: null,
  speed: 5,
  breakpoints: [],
  helpOpen: false,
  panel: null,
  footprint: null,
  result: null,
  scenario: null,
  link: null,
  session: 0,
  importing: null,
  imported: null,
  replay: null,
  computing: null,
  spanLevel: SPAN_LEVEL_NAMES.length - 1, // folio: the innermost level, the one a person steps through first
}));

export const selectBusy = (s: SimState): boolean => s.busy;
export const selectError = (s: SimState): SimError | null => s.error;
export const selectRestarting = (s: SimState): boolean => s.restarting;
export const selectAlive = (s: SimState): boolean => s.alive;
export const selectMeta = (s: SimState): FrameMeta | null => s.meta;
export const selectPresets = (s: SimState): readonly PresetInfo[] => s.presets;
export const selectVariants = (s: SimState): readonly string[] => s.variants;
export const selectPreset = (s: SimState): string | null => s.preset;
export const selectSpeed = (s: SimState): number => s.speed;
export const selectSelectedPfn = (s: SimState): number | null => s.selectedPfn;
export const selectPage = (s: SimState): PageMsg | null => s.page;
export const selectFollow = (s: SimState): FollowState => s.follow;
export const selectHover = (s: SimState): PageMsg | null => s.hover;
export const selectStep = (s: SimState): number => s.meta?.step ?? 0;
export const selectFrontier = (s: SimState): number => s.meta?.frontier ?? 0;
export const selectDone = (s: SimState): boolean => s.meta?.done ?? false;
export const selectPlaying = (s: SimState): boolean => s.meta?.playing ?? false;
export const selectLoaded = (s: SimState): boolean => s.meta !== null;
export const selectNrPfns = (s: SimState): number => s.meta?.nrPfns ?? 0;
export const selectScenarioName = (s: SimState): string => s.meta?.scenarioName ?? '';
export const selectStepInfo = (s: SimState): StepView | null => s.meta?.stepInfo ?? null;
export const selectBreakpointHit = (s: SimState): string | null => s.meta?.breakpointHit ?? null;
export const selectBreakpoints = (s: SimState): readonly Breakpoint[] => s.breakpoints;
export const selectHelpOpen = (s: SimState): boolean => s.helpOpen;
export const selectPanel = (s: SimState): SimState['panel'] => s.panel;
export const selectFootprint = (s: SimState): SimState['footprint'] => s.footprint;
export const selectResult = (s: SimState): SimState['result'] => s.result;
export const selectScenario = (s: SimState): Scenario | null => s.scenario;
/** The design variant of the session shown (the scenario's default when it names none). */
export const selectVariant = (s: SimState): string => s.scenario?.variant ?? 'linux-6.18';
export const selectLink = (s: SimState): string | null => s.link;
export const selectSession = (s: SimState): number => s.session;
export const selectImporting = (s: SimState): ImportingState | null => s.importing;
export const selectImported = (s: SimState): ImportReport | null => s.imported;
export const selectReplay = (s: SimState): ReplayInfo | null => s.replay;
export const selectComputing = (s: SimState): ComputingState | null => s.computing;
export const selectRunningToEnd = (s: SimState): boolean => s.computing?.what === 'run';
export const selectSpanLevel = (s: SimState): SpanNavLevel => s.spanLevel;
/** At the last step of a finished timeline: nothing further to step to. */
export const selectAtEnd = (s: SimState): boolean => !s.meta || (s.meta.done && s.meta.step === s.meta.frontier);

export interface GridView {
  readonly view: Uint8Array;
  readonly nrPfns: number;
  readonly zones: readonly Zone[];
}

export const gridView = createStore<{ readonly current: GridView | null }>()(() => ({ current: null }));

/**
 * The trace panel's lines: the trace up to the current step, the newest last. `first` numbers
 * lines[0] among every line the panel has shown (never reused), so a line keeps its React key
 * while the window slides and a frame re-renders only the lines it added.
 */
export const traceLog = createStore<{ readonly lines: readonly string[]; readonly first: number }>()(() => ({ lines: [], first: 0 }));

/** The scrubber's markers and the kernel functions seen, for the computed steps. */
export const timelineData = createStore<{ readonly markers: readonly Marker[]; readonly fns: readonly string[] }>()(() => ({
  markers: [],
  fns: [],
}));

/** The charts' samples (engine/series.ts), at most MAX_SAMPLES + 1, oldest first. */
export const chartData = createStore<{ readonly points: readonly SeriesPoint[] }>()(() => ({ points: [] }));

/** The spans of the visible steps, per level (the worker's latest `spans` answer); empty for a new session. */
export type SpanData = Pick<SpansMsg, 'from' | 'to' | 'levels' | 'markers'>;
export const EMPTY_SPANS: SpanData = { from: 0, to: -1, levels: [], markers: [] };
export const spanData = createStore<SpanData>()(() => EMPTY_SPANS);
