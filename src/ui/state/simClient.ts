// Owns the simulation worker: sends commands, turns its messages into store updates, acks frames,
// and restarts a dead worker at the same scenario and step. The bytes go to the canvas store
// before the metadata, so by the time React shows data-busy="false" the grid has been painted
// (the painter draws synchronously in its subscription).
//
// Idle tracking: every command but ack, breakpoints, hover inspects and spans counts as sent;
// every worker message says how many it has handled (protocol.ts: WorkerMsg). Busy = handled < sent.
//
// Long commands (run to end, a far seek, next span) compute in the worker in time slices and post
// `progress` instead of frames until they end: that fills `computing` (the progress line with
// Cancel). The worker posts no frame while such a job runs, so the next frame or error is the one
// that ends it (finished, cancelled, or preempted by a newer command) and clears the line.
//
// Share links: a link in the address bar at startup is opened with the default scenario as the
// fallback, so a bad link still leaves a working app (and its one-line error). A link pasted into
// the address bar later (hashchange) is opened without one: the session shown stays if it fails.
//
// Imports (ui/import): the dumps are transferred to the worker, so they are gone from this side;
// a restart of an imported session reads the person's files again (the File handles are kept).
import {
  assertNever, DEBUG_WORKER_NAME, TRACE_KEEP,
  type Breakpoint, type Command, type DebugCommand, type FrameMsg, type ImportFiles, type LoadSource, type Validation, type WorkerMsg,
} from '../../worker/protocol';
import { followAnswer, followStep, NO_FOLLOW } from '../inspector/follow';
import { linkInHash } from '../share/link';
import { isTestPage } from '../testPage';
import { takeEarlyWorker } from './earlyWorker';
import { resetView, syncWithFrame } from '../timeline/view';
import { chartData, EMPTY_SPANS, gridView, spanData, timelineData, traceLog, useSim } from './store';


const DEFAULT_SOURCE: LoadSource = { kind: 'preset', name: 'default' };

/** Pages opened with `?test` get the debug hooks (worker crash, a BUG) on window.__pfnscope. */
const TEST_MODE = typeof location !== 'undefined' && isTestPage(location.search);

let worker: Worker | null = null;
let sent = 0;
let handled = 0;
/** The source of the session the worker shows: what a restart loads again. */
let current: LoadSource = DEFAULT_SOURCE;
/** `validate` requests awaiting their answer, by id. */
let validations = new Map<number, (v: Validation) => void>();
let nextValidation = 1;
/** Reads an imported session's files again and imports them at a step: what a restart does for it. */
type Reimport = (step: number) => void;
/** The session shown was imported: a restart imports it again (else it loads `current`). */
let reimport: Reimport | null = null;
/** The import sent last, until its first frame makes it the session shown. */
let pendingReimport: Reimport | null = null;
/** `sent` once the import command went out: the import is over when `handled` reaches it. */
let importAt = 0;

/** performance marks: the files chosen, and the import's first frame painted into the canvas. */
export const IMPORT_START_MARK = 'pfnscope:import-start';
export const IMPORT_PAINTED_MARK = 'pfnscope:import-painted';
/** performance.measure between the two: the import's time to first paint (design.md: <= 2 s). */
export const IMPORT_MEASURE = 'pfnscope:import-first-paint';

declare global {
  interface Window {
    /** Test hooks, present only with `?test`. */
    __pfnscope?: { crash(): void; failNextSessionAt(step: number): void };
  }
}

/** Start the worker on the link in the address bar, else on preset `first` (a first visit), else the default. */
export function startSim(first?: string): void {
  spawn();
  const link = typeof location !== 'undefined' ? linkInHash(location.hash) : null;
  if (link) {
    useSim.setState({ preset: null });
    send({ type: 'load', source: { kind: 'url', url: link }, fallback: DEFAULT_SOURCE });
  } else if (first !== undefined) loadPreset(first);
  else send({ type: 'load', source: current });
  if (typeof window !== 'undefined') window.addEventListener('hashchange', onHashChange);
  if (TEST_MODE) {
    window.__pfnscope = {
      crash: () => worker?.postMessage({ type: 'debug-crash' } satisfies DebugCommand),
      failNextSessionAt: (step) => worker?.postMessage({ type: 'debug-bug', step } satisfies DebugCommand),
    };
  }
}

/**
 * Sends a command; a no-op while no worker is running (the alert offers a restart). `keepError`
 * is for commands the person did not choose (re-reading the selection at a new step, checking
 * the editor's text): they leave the error line as it is.
 */
export function send(cmd: Command, keepError = false, transfer: readonly Transferable[] = []): void {
  if (!worker) return;
  if (cmd.type !== 'ack' && cmd.type !== 'breakpoints' && cmd.type !== 'spans' && cmd.type !== 'footprint' && !(cmd.type === 'inspect' && cmd.purpose === 'hover')) {
    sent++;
    const { error } = useSim.getState();
    // A new command is the person's answer to a refused one; a fatal error stays until a new load.
    const clear = !keepError && error && !useSim.getState().restarting && (!error.restartable || cmd.type === 'load');
    useSim.setState({ busy: true, ...(clear ? { error: null } : {}) });
  }
  worker.postMessage(cmd, [...transfer]);
}

/**
 * Import a capture read from the person's files; its two dump buffers are transferred (they are
 * unusable here afterwards). `again` reads the files anew for a restart. Without a worker the
 * import cannot run: the alert says so and offers the restart.
 */
export function sendImport(files: ImportFiles, transfer: readonly ArrayBuffer[], actions: readonly unknown[], again: Reimport, step?: number): void {
  if (!worker) {
    useSim.setState({ importing: null });
    return;
  }
  useSim.setState({ importing: { name: files.name, done: 0, total: 0 } });
  send({ type: 'import', files, ...(actions.length > 0 ? { actions } : {}), ...(step !== undefined ? { step } : {}) }, false, transfer);
  importAt = sent;
  pendingReimport = again;
}

/** Ask the worker to check scenario JSON text (the editor, Import). */
export function validateScenario(text: string): Promise<Validation> {
  if (!worker) return Promise.resolve({ ok: false, error: 'the simulation is not running: restart it first' });
  const id = nextValidation++;
  const answer = new Promise<Validation>((res) => validations.set(id, res));
  send({ type: 'validate', id, text }, true);
  return answer;
}

/** Ask for the footprint tables of the session shown, under every design variant: they come in the background. */
export function requestFootprint(): void {
  send({ type: 'footprint' }, true);
}

/** Ask for the result of the imported session's run, against a real /proc/buddyinfo when given. */
export function requestResult(realAfter?: { readonly name: string; readonly text: string }): void {
  send({ type: 'result', ...(realAfter ? { realAfter } : {}) });
}

/** Stop the footprint comparison under way (its panel closed before it ended). */
export function stopFootprint(): void {
  send({ type: 'footprint', stop: true }, true);
}

/** Open a scenario (the editor's Apply); if the worker refuses it, the session shown stays. */
export function loadScenario(scenario: unknown): void {
  send({ type: 'load', source: { kind: 'scenario', scenario } });
}

/** A link typed or pasted into the address bar of the open page. */
function onHashChange(): void {
  const link = linkInHash(location.hash);
  if (link) send({ type: 'load', source: { kind: 'url', url: link } });
}

/**
 * Pin a page (the inspector keeps it from step to step), or unpin: the inspector follows the
 * current step's pages again.
 */
export function selectPfn(pfn: number | null): void {
  useSim.setState({ selectedPfn: pfn, ...(pfn === null ? { page: null } : {}) });
  if (pfn !== null) send({ type: 'inspect', pfn, purpose: 'select' });
  else followCurrentStep();
}

/** While nothing is pinned: read the current step's pages (those not read at this step yet). */
function followCurrentStep(): void {
  const { meta, follow, selectedPfn } = useSim.getState();
  if (!meta || selectedPfn !== null) return;
  const next = followStep(follow, meta.stepInfo, meta.step);
  if (next.state !== follow) useSim.setState({ follow: next.state });
  for (const pfn of next.read) if (pfn < meta.nrPfns) send({ type: 'inspect', pfn, purpose: 'follow' }, true);
}

/** Ask about the page under the pointer (tooltip); null clears it. Not counted as busy. */
export function hoverPfn(pfn: number | null): void {
  if (pfn === null) {
    useSim.setState({ hover: null });
    return;
  }
  send({ type: 'inspect', pfn, purpose: 'hover' });
}

/** Go to step n (the scrubber, a history mark, a trace line). */
export function seekTo(step: number): void {
  send({ type: 'seek', step });
}

/**
 * Give up an import under way. The worker is rebuilding the dump in one piece and reads no message
 * meanwhile, so it is replaced: a new worker opens what was shown before the import, at its step
 * (as a restart does), and the dump is dropped.
 */
export function cancelImport(): void {
  if (!useSim.getState().importing) return;
  pendingReimport = null;
  useSim.setState({ importing: null });
  restart();
}

/** Stop the long command the worker is computing; the session stays at the last step computed. */
export function cancelJob(): void {
  send({ type: 'cancel' });
}

/** Ask for the spans of steps [from, to] (the zoomed timeline). Not counted: it never makes the UI busy. */
export function requestSpans(from: number, to: number): void {
  send({ type: 'spans', from, to });
}

/** Replace the breakpoint list, here and in the worker. */
export function setBreakpoints(list: readonly Breakpoint[]): void {
  useSim.setState({ breakpoints: list });
  send({ type: 'breakpoints', list });
}

export function loadPreset(name: string): void {
  useSim.setState({ preset: name });
  send({ type: 'load', source: { kind: 'preset', name } });
}

/** A new worker, loading what the old one showed, at the step it showed. */
export function restart(): void {
  const step = useSim.getState().meta?.step ?? 0;
  worker?.terminate();
  spawn();
  useSim.setState({ restarting: true });
  if (reimport) reimport(step);
  else send({ type: 'load', source: current, step });
  // A new worker starts with none: give it the breakpoints the page shows.
  const { breakpoints } = useSim.getState();
  if (breakpoints.length > 0) send({ type: 'breakpoints', list: breakpoints });
}

function spawn(): void {
  sent = 0;
  handled = 0;
  // The old worker will not answer: its pending checks say so rather than wait forever.
  for (const res of validations.values()) res({ ok: false, error: 'the simulation restarted before it answered: edit again' });
  validations = new Map();
  const w = takeEarlyWorker() ?? new Worker(new URL('../../worker/sim.worker.ts', import.meta.url), {
    type: 'module',
    name: TEST_MODE ? DEBUG_WORKER_NAME : 'pfnscope-sim',
  });
  worker = w;
  useSim.setState({ alive: true, computing: null });
  w.addEventListener('message', (ev: MessageEvent<WorkerMsg>) => {
    if (w === worker) receive(w, ev.data);
  });
  // An uncaught exception in the worker, or a module worker that fails to load (a plain Event
  // with no message, hence the fallback). Either way its state is unknown: it is done.
  w.addEventListener('error', (ev: ErrorEvent) => {
    if (w === worker) died(ev.message || 'the simulation worker failed to load');
  });
  w.addEventListener('messageerror', () => {
    if (w === worker) died('a message from the simulation worker could not be read');
  });
}

function died(message: string): void {
  worker?.terminate();
  worker = null;
  useSim.setState({ busy: false, alive: false, restarting: false, importing: null, computing: null, error: { message, restartable: true } });
}

/** The import in flight is answered (by its frame or its error): the progress bar goes. */
function importAnswered(): void {
  if (handled >= importAt && useSim.getState().importing) useSim.setState({ importing: null });
}

function receive(w: Worker, msg: WorkerMsg): void {
  switch (msg.type) {
    case 'frame':
      frame(w, msg);
      return;
    case 'page':
      handled = Math.max(handled, msg.handled);
      if (msg.purpose === 'hover') useSim.setState({ hover: msg, busy: handled < sent });
      else if (msg.purpose === 'follow') useSim.setState((s) => ({ follow: followAnswer(s.follow, msg), busy: handled < sent }));
      else if (msg.pfn === useSim.getState().selectedPfn) useSim.setState({ page: msg, busy: handled < sent });
      else useSim.setState({ busy: handled < sent });
      return;
    case 'validation': {
      handled = Math.max(handled, msg.handled);
      useSim.setState({ busy: handled < sent });
      const res = validations.get(msg.id);
      validations.delete(msg.id);
      res?.(msg.ok ? { ok: true, scenario: msg.scenario } : { ok: false, error: msg.error });
      return;
    }
    case 'result':
      handled = Math.max(handled, msg.handled);
      useSim.setState((s) => ({ busy: handled < sent, result: { session: s.session, msg } }));
      return;
    case 'footprint':
      // Not counted (it runs beside the session): the UI's busy state is the other commands'.
      useSim.setState((s) => ({ footprint: { session: s.session, msg } }));
      return;
    case 'error':
      // A worker that predates `handled` is taken to have handled everything.
      handled = Math.max(handled, msg.handled ?? sent);
      useSim.setState({ busy: handled < sent, restarting: false, computing: null, error: { message: msg.message, restartable: msg.fatal === true } });
      importAnswered();
      return;
    case 'progress': {
      if (msg.what === 'import') {
        const importing = useSim.getState().importing;
        if (importing) useSim.setState({ importing: { ...importing, done: msg.done, total: msg.total } });
      } else if (handled < sent) {
        // (With nothing outstanding the job has been answered already: a late message is dropped.)
        useSim.setState({ computing: { what: msg.what, done: msg.done, total: msg.total, rate: msg.rate ?? 0, migrated: msg.migrated ?? 0 } });
      }
      return;
    }
    case 'ready':
      useSim.setState({ presets: msg.presets, variants: msg.variants ?? [] });
      return;
    case 'spans':
      spanData.setState({ from: msg.from, to: msg.to, levels: msg.levels, markers: msg.markers ?? [] });
      return;
    default:
      assertNever(msg);
  }
}

function frame(w: Worker, msg: FrameMsg): void {
  const { type: _type, view, trace, traceReset, seq, handled: h, source, session, imported, replay, timelineReset, markers, fns, series, seriesReset, ...meta } = msg;
  handled = Math.max(handled, h);
  try {
    gridView.setState({ current: { view, nrPfns: meta.nrPfns, zones: meta.zones } });
  } catch (e) {
    // The painter runs inside setState; if it throws, say so rather than stay busy forever.
    useSim.setState({ error: { message: `cannot draw the frame: ${e instanceof Error ? e.message : String(e)}`, restartable: false } });
  }
  if (imported && performance.getEntriesByName(IMPORT_START_MARK).length > 0) {
    performance.mark(IMPORT_PAINTED_MARK);
    performance.measure(IMPORT_MEASURE, IMPORT_START_MARK, IMPORT_PAINTED_MARK);
  }
  traceLog.setState((s) => {
    const end = s.first + s.lines.length; // the number the next line gets
    if (traceReset) return { lines: trace, first: end };
    const all = [...s.lines, ...trace];
    const kept = all.slice(-TRACE_KEEP);
    return { lines: kept, first: end + trace.length - kept.length };
  });
  // A new session's spans are asked for again (timeline/spanRequests.ts watches the session).
  if (timelineReset) spanData.setState(EMPTY_SPANS);
  if (timelineReset || markers.length > 0 || fns.length > 0) {
    timelineData.setState((s) =>
      timelineReset ? { markers, fns } : { markers: [...s.markers, ...markers], fns: [...s.fns, ...fns] },
    );
  }
  if (seriesReset || series.length > 0) chartData.setState((s) => ({ points: seriesReset ? series : [...s.points, ...series] }));
  if (source) current = source;
  // A new session: an import restarts by reading its files again; anything else does not.
  if (session) reimport = imported ? pendingReimport : null;
  if (session) {
    useSim.setState((s) => ({
      scenario: session.scenario,
      link: session.link,
      session: s.session + 1,
      replay: replay ?? null,
      follow: NO_FOLLOW, // another machine: the pages followed are read anew
      // A link selects exactly what it says (or nothing); other loads keep the selection.
      ...(session.select !== undefined ? { selectedPfn: session.select, page: null } : {}),
    }));
  }
  const { restarting } = useSim.getState();
  // The selected page follows the step: ask for it again at the new state.
  const selected = useSim.getState().selectedPfn;
  const stale = selected !== null && useSim.getState().page?.step !== meta.step;
  useSim.setState({
    busy: handled < sent,
    // No frame is posted while a long command computes: this one ends it.
    computing: null,
    meta,
    ...(source ? { preset: source.kind === 'preset' ? source.name : null, imported: null } : {}),
    // The match report opens over the grid with the imported memory behind it.
    ...(imported ? { preset: null, imported, panel: 'match' as const } : {}),
    // A replayed trace is no preset: the header names it (scenarioName) as a custom session. Over
    // imported memory the capture stays named (the memory is the capture's).
    ...(replay ? { preset: null } : {}),
    ...(restarting ? { restarting: false, error: null } : {}),
  });
  importAnswered();
  if (timelineReset) resetView();
  syncWithFrame(meta.frontier, meta.step);
  if (stale && selected !== null && selected < meta.nrPfns) send({ type: 'inspect', pfn: selected, purpose: 'select' }, true);
  followCurrentStep();
  // Ack once the browser has had a chance to present the frame: at most one frame per display
  // refresh, and none while the tab is hidden (play goes on in the worker meanwhile).
  requestAnimationFrame(() => {
    if (w === worker) w.postMessage({ type: 'ack', seq } satisfies Command);
  });
}
