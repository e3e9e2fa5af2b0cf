// When the result view opens and with what: an imported session whose run (compaction) reaches
// its end opens it once by itself; the Result button opens it again afterwards. The real
// machine's after.buddyinfo comes with the files given at import (before.* beside after.*), or is
// given later in the view; its text goes to the worker, which compares it (engine/predict.ts).
import { createStore } from 'zustand/vanilla';
import type { CompactionResult } from '../../engine/compaction-result';
import { requestResult } from '../state/simClient';
import { useSim, type SimState } from '../state/store';
import { dumpKind } from '../import/matchFiles';

/** The after.buddyinfo for the session numbered `session` (null: not known yet). */
export const resultDraft = createStore<{ readonly realAfter: File | null; readonly forImport: boolean; readonly session: number | null; readonly opened: number | null }>()(() => ({
  realAfter: null,
  forImport: false,
  session: null,
  opened: null,
}));

/** The real machine's state after the run, among the files given with a capture: `after.buddyinfo` beside `before.*` (any folder prefix). */
export function realAfterFor<F extends { readonly name: string }>(prefix: string, files: readonly F[]): F | null {
  if (!/(^|[./-])before$/.test(prefix)) return null;
  const want = prefix.replace(/before$/, 'after');
  return files.find((f) => {
    const k = dumpKind(f.name);
    return k !== null && k.kind === 'buddyinfo' && k.prefix === want;
  }) ?? null;
}

/** Called by the import just before it is sent: the next imported session's after.buddyinfo. */
export function expectRealAfter(file: File | null): void {
  resultDraft.setState({ realAfter: file, forImport: true, session: null, opened: null });
}

/** The session shown is an imported one whose run has reached its end (step = last step). */
export function atRunEnd(s: Pick<SimState, 'imported' | 'meta' | 'scenario'>): boolean {
  const m = s.meta;
  return s.imported !== null && m !== null && m.done && m.step === m.frontier && (s.scenario?.actions ?? []).length > 0;
}

/** Ask for the result (again), with the session's after.buddyinfo when there is one. */
export async function askResult(): Promise<void> {
  const file = resultDraft.getState().realAfter;
  if (!file) return requestResult();
  let text: string;
  try {
    text = await file.text();
  } catch (e) {
    useSim.setState({ error: { message: `cannot read ${file.name}: ${e instanceof Error ? e.message : String(e)}`, restartable: false } });
    return requestResult();
  }
  requestResult({ name: file.name, text });
}

export function openResult(): void {
  useSim.setState({ panel: 'result' });
  void askResult();
}

/** A real buddyinfo given in the view: compare with it from now on. */
export function compareWith(file: File): void {
  resultDraft.setState({ realAfter: file });
  void askResult();
}

/** Open the view once per imported session, the first time its run is at its end. */
export function watchResults(): () => void {
  return useSim.subscribe((s) => {
    const d = resultDraft.getState();
    if (s.imported === null) return;
    // The first frame of the session the import made adopts the file it was given with.
    if (d.session !== s.session) {
      resultDraft.setState({ session: s.session, opened: null, ...(d.forImport ? { forImport: false } : { realAfter: null }) });
    }
    if (resultDraft.getState().opened === s.session || !atRunEnd(s) || s.panel !== null) return;
    resultDraft.setState({ opened: s.session });
    openResult();
  });
}

/** Per order, summed over the zones: the chart's three series (null: no real after given). */
export function seriesByOrder(r: CompactionResult): { readonly before: number[]; readonly after: number[]; readonly realAfter: number[] | null } {
  const orders = r.zones[0]?.before.length ?? 0;
  const sum = (pick: (z: CompactionResult['zones'][number]) => readonly number[]) => Array.from({ length: orders }, (_, o) => r.zones.reduce((n, z) => n + (pick(z)[o] ?? 0), 0));
  return { before: sum((z) => z.before), after: sum((z) => z.after), realAfter: r.real ? sum((z) => z.realAfter ?? []) : null };
}
