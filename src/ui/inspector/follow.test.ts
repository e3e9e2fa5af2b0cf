import { describe, expect, it } from 'vitest';
import type { PageMsg, StepPfn, StepView } from '../../worker/protocol';
import { followAnswer, followStep, followTargets, NO_FOLLOW, sameTargets } from './follow';

const step = (pfns: StepPfn[]): StepView => ({
  id: 1, task: 't', phase: 'copy', fn: 'f', file: '', sourceUrl: null, text: '', result: null, pfns, reads: [], writes: [], footprint: [],
});

describe('followTargets', () => {
  it('a source and a destination: both, source first, whatever order the step names them in', () => {
    expect(followTargets(step([{ pfn: 9, role: 'dst' }, { pfn: 4, role: 'src', nr: 512 }]))).toEqual([{ pfn: 4, role: 'src' }, { pfn: 9, role: 'dst' }]);
  });
  it('several sources (a migrate_pages() batch): the first one', () => {
    expect(followTargets(step([{ pfn: 4099, role: 'src' }, { pfn: 4100, role: 'src' }]))).toEqual([{ pfn: 4099, role: 'src' }]);
  });
  it('a step with one page (a free, an allocation) follows it; scanner positions are not followed', () => {
    expect(followTargets(step([{ pfn: 7, role: 'scanner' }, { pfn: 3, role: 'freed' }]))).toEqual([{ pfn: 3, role: 'freed' }]);
    expect(followTargets(step([{ pfn: 7, role: 'scanner' }]))).toEqual([]);
    expect(followTargets(step([]))).toEqual([]);
    expect(followTargets(null)).toEqual([]);
  });
  it('sameTargets compares pages and roles in order', () => {
    expect(sameTargets([{ pfn: 1, role: 'src' }], [{ pfn: 1, role: 'src' }])).toBe(true);
    expect(sameTargets([{ pfn: 1, role: 'src' }], [{ pfn: 1, role: 'dst' }])).toBe(false);
    expect(sameTargets([], [{ pfn: 1, role: 'src' }])).toBe(false);
  });
});

describe('followStep', () => {
  const src = (pfn: number): StepPfn => ({ pfn, role: 'src' });
  const dst = (pfn: number): StepPfn => ({ pfn, role: 'dst' });
  const read = (pfn: number, at: number): PageMsg => ({ type: 'page', handled: 0, pfn, step: at, detail: {} as PageMsg['detail'], purpose: 'follow' });

  it('reads both pages of a new step, keeps their answers, and reads them again at the next step', () => {
    const a = followStep(NO_FOLLOW, step([src(4), dst(9)]), 3);
    expect(a.read).toEqual([4, 9]);
    const answered = followAnswer(followAnswer(a.state, read(4, 3)), read(9, 3));
    expect(followStep(answered, step([src(4), dst(9)]), 3).read).toEqual([]);
    const next = followStep(answered, step([src(4), dst(9)]), 4);
    expect(next.read).toEqual([4, 9]);
    expect(next.state.pages[4]!.step).toBe(3); // shown until the new read arrives
  });

  it('a step naming no page keeps the previous pages; a new pair drops the old answers; step 0 follows nothing', () => {
    const s = followAnswer(followStep(NO_FOLLOW, step([src(4), dst(9)]), 3).state, read(4, 3));
    const none = followStep(s, step([]), 4);
    expect(none.state.targets.map((t) => t.pfn)).toEqual([4, 9]);
    expect(none.read).toEqual([4, 9]);
    const other = followStep(s, step([src(5)]), 5);
    expect(other.state.pages).toEqual({});
    expect(other.read).toEqual([5]);
    expect(followStep(s, null, 0)).toEqual({ state: { targets: [], pages: {} }, read: [] });
  });

  it('an answer for a page no longer followed is dropped', () => {
    const s = followStep(NO_FOLLOW, step([src(4)]), 3).state;
    expect(followAnswer(s, read(7, 3))).toBe(s);
  });
});
