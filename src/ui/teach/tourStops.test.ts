import { describe, expect, it } from 'vitest';
import { findPreset } from '../../engine/presets';
import { openSession } from '../../engine/session';
import { allSteps, runToEnd } from '../../engine/timeline';
import type { HistoryMark, Phase } from '../../worker/protocol';
import { INTRO_PRESET } from './firstVisit';
import { expectedFromNarration, findStops, TOUR_STOPS } from './tourStops';

/** lru-anon's steps, and the history of its migrated source page as the worker's index gives it. */
function introRun() {
  const s = openSession(findPreset(INTRO_PRESET)!.scenario);
  runToEnd(s.t);
  const steps = allSteps(s.t);
  const src = steps.find((st) => st.phase === 'isolate')!.pfns.find((p) => p.role === 'src')!.pfn;
  const history: HistoryMark[] = steps
    .filter((st) => st.pfns.some((p) => src >= p.pfn && src < p.pfn + (p.nr ?? 1)))
    .map((st) => ({ step: st.id, phase: st.phase, role: st.pfns.find((p) => src >= p.pfn && src < p.pfn + (p.nr ?? 1))!.role, failed: false }));
  return { steps, history };
}

describe('the tour\'s stops', () => {
  it('land on a step of each phase of the refcount story, in order, in the intro preset', () => {
    const { steps, history } = introRun();
    const stops = findStops(history);
    expect(stops).not.toBeNull();
    expect(stops!.map((s) => steps[s.step - 1]!.phase)).toEqual(TOUR_STOPS.map((d) => d.phase));
    for (let i = 1; i < stops!.length; i++) expect(stops![i]!.step, stops![i]!.def.phase).toBeGreaterThan(stops![i - 1]!.step);
    // Each stop is compared with where the previous one left the page; the first with the step before it.
    expect(stops!.map((s) => s.from)).toEqual([stops![0]!.step - 1, ...stops!.slice(0, -1).map((s) => s.step)]);
  }, 30_000);

  it('read folio_expected_ref_count() from the refcount step\'s narration', () => {
    const { steps } = introRun();
    const check = steps.find((st) => st.phase === 'refcount')!;
    const e = expectedFromNarration(check.text);
    expect(e, check.text).not.toBeNull();
    expect(e!.expected).toBe(e!.fn + 1); // + the isolation's reference
  }, 30_000);

  it('take the last free step of the run that follows the copy, and the last unmap and remap steps', () => {
    const marks = (list: [number, Phase][]): HistoryMark[] => list.map(([step, phase]) => ({ step, phase, role: 'src', failed: false }));
    const stops = findStops(marks([[1, 'isolate'], [3, 'unmap'], [4, 'unmap'], [5, 'refcount'], [6, 'copy'], [7, 'remap'], [8, 'remap'], [9, 'free'], [10, 'free'], [12, 'alloc'], [13, 'free']]));
    expect(stops!.map((s) => s.step)).toEqual([1, 4, 5, 6, 8, 10]);
  });

  it('are not found in the history of a page that was never migrated', () => {
    expect(findStops([{ step: 3, phase: 'isolate', role: 'src', failed: false }, { step: 4, phase: 'putback', role: 'src', failed: false }])).toBeNull();
  });
});
