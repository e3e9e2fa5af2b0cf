// The compare view's state and its worker (worker/compare.worker.ts): a scenario opened once per
// design, the runs lined up on their phases (align.ts), and the panes moved together. The
// single-session app and its worker go on behind it untouched: leaving the view shows them as
// they were. The address bar follows the view (`#…&compare=A,B&steps=a,b`, link.ts) while it is
// open and the app's own link again once it is closed (share/urlSync.ts holds off meanwhile).
import { create } from 'zustand';
import type { CompareCommand, CompareMsg, PaneFrame, PaneRun } from '../../worker/compareProtocol';
import type { Zone } from '../../worker/protocol';
import { currentFragment } from '../share/urlSync';
import { useSim } from '../state/store';
import { alignSteps, phaseMove, rowAt, type Row } from './align';
import { compareHash, isCompareHash } from './link';

export interface CompareState {
  /** The compare view is shown (over the app). */
  readonly open: boolean;
  /** A compare link is being opened or shown: the address bar is the view's (urlSync holds off). */
  readonly ownsHash: boolean;
  /** A command is in flight: e2e tests wait for false. */
  readonly busy: boolean;
  /** One line: what the last open or move could not do. */
  readonly error: string | null;
  readonly scenarioName: string;
  /** The link head of the scenario (`preset=…` or `s=…`), null when it is too long for a link. */
  readonly head: string | null;
  readonly runs: readonly PaneRun[];
  readonly rows: readonly Row[];
  /** The steps asked for, one per pane (the frame follows). */
  readonly steps: readonly number[];
  /** The aligned row the panes have reached (align.ts: rowAt), -1 before the first. */
  readonly row: number;
  readonly frames: readonly PaneFrame[] | null;
  readonly nrPfns: number;
  readonly zones: readonly Zone[];
}

const CLOSED: Omit<CompareState, 'open'> = {
  ownsHash: false, busy: false, error: null, scenarioName: '', head: null, runs: [], rows: [], steps: [], row: -1, frames: null, nrPfns: 0, zones: [],
};

export const useCompare = create<CompareState>()(() => ({ open: false, ...CLOSED }));

let worker: Worker | null = null;
let seq = 0;
/** Whether the view has shown a comparison since it was opened (a failed open then keeps it). */
let shown = false;

function post(cmd: CompareCommand): void {
  if (!worker) {
    worker = new Worker(new URL('../../worker/compare.worker.ts', import.meta.url), { type: 'module', name: 'pfnscope-compare' });
    worker.addEventListener('message', (ev: MessageEvent<CompareMsg>) => receive(ev.data));
    worker.addEventListener('error', (ev: ErrorEvent) => fail(`the compare worker stopped: ${ev.message || 'it failed to load'}`));
  }
  worker.postMessage(cmd);
}

/** Open a compare link (`#preset=…&compare=A,B&steps=…`); a link that fails leaves the page as it was and says why. */
export function openCompareLink(hash: string): void {
  useCompare.setState({ busy: true, ownsHash: true });
  post({ type: 'open', url: hash });
}

/**
 * The app's session compared under `designs` (from the header's Compare); a session with no link
 * (imported memory, a replay, a scenario too long for a link) cannot be.
 */
export function compareSession(designs: readonly string[]): void {
  const link = useSim.getState().link;
  if (!link) return;
  openCompareLink(compareHash(link, designs, designs.map(() => 0)));
}

/** Change the panes' designs: the same scenario opened again under them, at step 0. */
export function setDesigns(designs: readonly string[]): void {
  const { head } = useCompare.getState();
  if (head) openCompareLink(compareHash(head, designs, designs.map(() => 0)));
}

/** Leave the view: the app as it was, its link back in the address bar (unless a new link is there). */
export function closeCompare(keepHash = false): void {
  worker?.terminate();
  worker = null;
  shown = false;
  useCompare.setState({ open: false, ...CLOSED });
  if (keepHash) return;
  const frag = currentFragment();
  history.replaceState(history.state, '', `${location.pathname}${location.search}${frag ?? ''}`);
}

function seekAll(steps: readonly number[], row?: number): void {
  const { rows } = useCompare.getState();
  useCompare.setState({ busy: true, steps, row: row ?? rowAt(rows, steps) });
  post({ type: 'seek', seq: ++seq, steps });
}

const lasts = (): number[] => useCompare.getState().runs.map((r) => r.last);

/** → / ←: every pane one step (each stops at its own ends). */
export function stepAll(delta: 1 | -1): void {
  const { open, steps } = useCompare.getState();
  if (!open || steps.length === 0) return;
  const l = lasts();
  seekAll(steps.map((s, i) => Math.max(0, Math.min(l[i]!, s + delta))));
}

/** Shift+→ / Shift+←: every pane to the next (previous) aligned moment. */
export function phaseAll(dir: 1 | -1): void {
  const { open, steps, rows } = useCompare.getState();
  if (!open || steps.length === 0) return;
  const to = phaseMove(rows, steps, lasts(), dir);
  seekAll(to.steps, to.row);
}

/** Home / End: step 0 everywhere, or each pane's last step. */
export function edgeAll(end: boolean): void {
  const { open, steps } = useCompare.getState();
  if (!open || steps.length === 0) return;
  seekAll(end ? lasts() : steps.map(() => 0));
}

function fail(message: string): void {
  useCompare.setState({ busy: false, error: message });
  // A link that never showed anything: the app's own error line says why, and the app stays.
  if (!shown) {
    useCompare.setState({ open: false, ownsHash: false });
    useSim.setState({ error: { message: `cannot open the compare link: ${message}`, restartable: false } });
  }
}

function receive(msg: CompareMsg): void {
  switch (msg.type) {
    case 'opened': {
      shown = true;
      const rows = alignSteps(msg.panes.map((p) => p.keys));
      useCompare.setState({
        open: true, error: null, scenarioName: msg.scenarioName, head: msg.head, runs: msg.panes, rows,
        steps: msg.steps, row: rowAt(rows, msg.steps), nrPfns: msg.nrPfns, zones: msg.zones, frames: null,
      });
      return;
    }
    case 'frame':
      if (msg.seq !== seq && msg.seq !== 0) return; // an older move's frame: the newer one follows
      useCompare.setState({ frames: msg.panes, busy: msg.seq !== seq });
      writeHash();
      return;
    case 'error':
      fail(msg.message);
      return;
  }
}

/** Chromium drops replaceState beyond 200 per 10 s: a held arrow key writes at most 4 a second. */
const MIN_GAP_MS = 250;
let lastWrite = -Infinity;
let timer: ReturnType<typeof setTimeout> | null = null;

function writeHash(): void {
  if (timer !== null) return;
  const write = (): void => {
    timer = null;
    const { open, head, runs, frames } = useCompare.getState();
    if (!open || !head || !frames) return;
    lastWrite = performance.now();
    const frag = compareHash(head, runs.map((r) => r.design), frames.map((f) => f.step));
    if (frag !== location.hash) history.replaceState(history.state, '', `${location.pathname}${location.search}${frag}`);
  };
  const wait = lastWrite + MIN_GAP_MS - performance.now();
  if (wait <= 0) write();
  else timer = setTimeout(write, wait);
}

/** At startup and whenever a link is pasted: a compare link opens the view (over the app, which opens the same scenario). */
export function startCompareLinks(): void {
  if (isCompareHash(location.hash)) openCompareLink(location.hash);
  window.addEventListener('hashchange', () => {
    if (isCompareHash(location.hash)) openCompareLink(location.hash);
    else if (useCompare.getState().open) closeCompare(true);
  });
}
