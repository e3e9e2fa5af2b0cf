import { describe, expect, test } from 'vitest';
import { alignSteps, phaseMove, rowAt, stepsAtRow, type StepKey } from './align';
import type { Phase } from '../../worker/protocol';

const st = (step: number, phase: Phase, task: string, fn: string): StepKey => ({ step, phase, task, fn });

// Worked by hand. Design A isolates for both migrators before migrating (m2 is excluded at step 3);
// design B migrates m1's page before m2 tries. Steps of other phases (alloc, scan) take no part.
const A: StepKey[] = [
  st(1, 'alloc', 'balloon', 'balloon_page_alloc'),
  st(2, 'isolate', 'm1', 'isolate_movable_ops_page'),
  st(3, 'isolate', 'm2', 'isolate_movable_ops_page'),
  st(4, 'scan', 'm1', 'compact_zone'),
  st(5, 'unmap', 'm1', 'migrate_folio_unmap'),
  st(6, 'copy', 'm1', 'virtballoon_migratepage'),
  st(7, 'done', 'm1', 'migrate_pages'),
];
const B: StepKey[] = [
  st(1, 'alloc', 'balloon', 'balloon_page_alloc'),
  st(2, 'isolate', 'm1', 'isolate_movable_ops_page'),
  st(3, 'unmap', 'm1', 'migrate_folio_unmap'),
  st(4, 'copy', 'm1', 'virtballoon_migratepage'),
  st(5, 'isolate', 'm2', 'isolate_movable_ops_page'),
  st(6, 'done', 'm1', 'migrate_pages'),
];
// Matching m2's isolate (A3 with B5) would cost unmap, copy and done (3 moments): it stays apart.
const ROWS = [[2, 2], [3, null], [5, 3], [6, 4], [null, 5], [7, 6]];

describe('alignSteps', () => {
  test('two designs: the same moments side by side, the rest in rows of their own', () => {
    expect(alignSteps([A, B])).toEqual(ROWS);
  });

  test('a third pane is aligned against the rows so far', () => {
    // C has no unmap and a putback at the end.
    const C = [st(2, 'isolate', 'm1', 'isolate_movable_ops_page'), st(3, 'copy', 'm1', 'x'), st(4, 'putback', 'm1', 'putback_movable_ops_page')];
    expect(alignSteps([A, B, C])).toEqual([[2, 2, 2], [3, null, null], [5, 3, null], [6, 4, 3], [null, 5, null], [7, 6, null], [null, null, 4]]);
  });

  test('a phase in one design only never matches another phase', () => {
    expect(alignSteps([[st(1, 'isolate', 't', 'f')], [st(1, 'refcount', 't', 'f')]])).toEqual([[1, null], [null, 1]]);
  });

  test('one pane: its own moments', () => {
    expect(alignSteps([A])).toEqual([[2], [3], [5], [6], [7]]);
  });
});

describe('moving by row', () => {
  test('a pane without the moment keeps its last step', () => {
    expect(stepsAtRow(ROWS, 1, 2)).toEqual([3, 2]);
    expect(stepsAtRow(ROWS, 4, 2)).toEqual([6, 5]);
    expect(stepsAtRow(ROWS, -1, 2)).toEqual([0, 0]);
  });

  test('rowAt: the last row both panes have reached', () => {
    expect(rowAt(ROWS, [0, 0])).toBe(-1);
    expect(rowAt(ROWS, [5, 3])).toBe(2);
    expect(rowAt(ROWS, [7, 5])).toBe(4); // stepped on by one: B's step 6 is not reached yet
  });

  test('next and previous phase walk the rows; past the last row, the last steps', () => {
    const lasts = [9, 8];
    let at = { row: -1, steps: [0, 0] };
    const seen: number[][] = [];
    for (let i = 0; i < 7; i++) {
      at = phaseMove(ROWS, at.steps, lasts, 1);
      seen.push(at.steps);
    }
    expect(seen).toEqual([[2, 2], [3, 2], [5, 3], [6, 4], [6, 5], [7, 6], [9, 8]]);
    expect(phaseMove(ROWS, [9, 8], lasts, -1)).toEqual({ row: 5, steps: [7, 6] });
    expect(phaseMove(ROWS, [7, 6], lasts, -1)).toEqual({ row: 4, steps: [6, 5] });
    // Stepped on past a row (→ from row 3): back to that row first.
    expect(phaseMove(ROWS, [7, 5], lasts, -1)).toEqual({ row: 4, steps: [6, 5] });
    expect(phaseMove(ROWS, [6, 5], lasts, -1)).toEqual({ row: 3, steps: [6, 4] });
    expect(phaseMove(ROWS, [2, 2], lasts, -1)).toEqual({ row: -1, steps: [0, 0] });
  });
});
