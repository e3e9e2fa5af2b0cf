// The guided tour's state and its moves. Starting it loads lru-anon when something else is shown
// (asking first when that is the person's own scenario or imported memory, which a load would
// replace), waits for the run's full length, finds the migrated folio at the first isolation
// marker and the stops in that folio's page history (tourStops.ts). Going to a stop reads the
// stop's page at the step it is compared with, then at the stop itself, so the text can say
// "refcount 2 → 3" with the real numbers. Every wait is on the store (a frame, a page reply).
import { create } from 'zustand';
import { loadPreset, seekTo, selectPfn } from '../state/simClient';
import { timelineData, useSim, type SimState } from '../state/store';
import { INTRO_PRESET } from './firstVisit';
import { findStops, type StopValues, type TourStop } from './tourStops';

export type TourState =
  | { readonly kind: 'closed' }
  /** The session shown is the person's (edited, imported, replayed): loading lru-anon replaces it. */
  | { readonly kind: 'confirm'; readonly replaces: string }
  | { readonly kind: 'finding' }
  | { readonly kind: 'failed'; readonly message: string }
  | {
      readonly kind: 'stop';
      readonly stops: readonly TourStop[];
      readonly index: number;
      /** The stop's values once its page has been read at both steps; null while moving there. */
      readonly values: StopValues | null;
    };

export const tourStore = create<TourState>()(() => ({ kind: 'closed' }));

/** Bumped by every start, move and close: an older move that wakes up finds it changed and stops. */
let generation = 0;
let src = -1;
let dst: number | null = null;

class Abandoned extends Error {}

/** Resolves with the first state that satisfies `ok` (now or later); rejects on a worker error or when the tour moved on. */
function until(gen: number, ok: (s: SimState) => boolean): Promise<SimState> {
  return new Promise((resolve, reject) => {
    const check = (s: SimState): boolean => {
      if (gen !== generation) reject(new Abandoned());
      else if (s.error && !s.busy) reject(new Error(s.error.message));
      else if (ok(s)) resolve(s);
      else return false;
      return true;
    };
    if (check(useSim.getState())) return;
    const stop = useSim.subscribe((s) => {
      if (check(s)) stop();
    });
  });
}

/** What a load of lru-anon would replace that the person cannot get back from the picker, or null. */
function replaced(s: SimState): string | null {
  if (s.preset !== null || !s.meta) return null;
  if (s.imported) return `the imported memory of ${s.imported.name}`;
  return `the scenario "${s.meta.scenarioName}"`;
}

export function startTour(confirmed = false): void {
  const what = replaced(useSim.getState());
  if (what && !confirmed) {
    generation++;
    tourStore.setState({ kind: 'confirm', replaces: what });
    return;
  }
  const gen = ++generation;
  tourStore.setState({ kind: 'finding' });
  void find(gen).catch((e: unknown) => fail(gen, e));
}

export function endTour(): void {
  generation++;
  tourStore.setState({ kind: 'closed' });
}

export function goToStop(index: number): void {
  const t = tourStore.getState();
  if (t.kind !== 'stop' || index < 0 || index >= t.stops.length) return;
  const gen = ++generation;
  tourStore.setState({ ...t, index, values: null });
  void visit(gen, t.stops[index]!).then(
    (values) => {
      if (gen === generation) tourStore.setState({ ...t, index, values });
    },
    (e: unknown) => fail(gen, e),
  );
}

function fail(gen: number, e: unknown): void {
  if (e instanceof Abandoned || gen !== generation) return;
  tourStore.setState({ kind: 'failed', message: `the tour cannot go on: ${e instanceof Error ? e.message : String(e)}` });
}

async function find(gen: number): Promise<void> {
  const s0 = useSim.getState();
  if (s0.preset !== INTRO_PRESET || !s0.meta) {
    const session = s0.session;
    loadPreset(INTRO_PRESET);
    await until(gen, (s) => s.session !== session && !s.busy);
  }
  // The page history covers computed steps only: wait for the run's end (lru-anon is short).
  await until(gen, (s) => s.meta?.done === true && !s.busy);
  const first = timelineData.getState().markers.find((m) => m.kind === 'isolate');
  if (!first) throw new Error(`${INTRO_PRESET} has no isolation step`);
  seekTo(first.step);
  const at = await until(gen, (s) => s.meta?.step === first.step && !s.busy);
  const source = at.meta?.stepInfo?.pfns.find((p) => p.role === 'src');
  if (!source) throw new Error(`step ${first.step} names no source page`);
  src = source.pfn;
  dst = null;
  selectPfn(src);
  const page = await until(gen, (s) => s.page?.pfn === src && s.page.history !== undefined && !s.busy);
  const stops = findStops(page.page?.history ?? []);
  if (!stops) throw new Error(`the history of ${src} lacks one of the phases`);
  tourStore.setState({ kind: 'stop', stops, index: 0, values: null });
  goToStop(0);
}

/** Seek to `step` and read the stop's page there. */
async function readAt(gen: number, stop: TourStop, step: number): Promise<SimState> {
  seekTo(step);
  const s = await until(gen, (x) => x.meta?.step === step && !x.busy);
  dst = s.meta?.stepInfo?.pfns.find((p) => p.role === 'dst')?.pfn ?? dst;
  const pfn = stop.def.page === 'dst' && dst !== null ? dst : src;
  if (useSim.getState().selectedPfn !== pfn) selectPfn(pfn);
  return until(gen, (x) => x.page?.pfn === pfn && x.page.step === step && !x.busy);
}

async function visit(gen: number, stop: TourStop): Promise<StopValues> {
  const before = await readAt(gen, stop, stop.from);
  const now = await readAt(gen, stop, stop.step);
  return {
    src,
    dst,
    before: before.page!.detail,
    now: now.page!.detail,
    narration: now.meta?.stepInfo?.text ?? '',
  };
}
