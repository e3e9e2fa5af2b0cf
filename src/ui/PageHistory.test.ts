import { describe, expect, it } from 'vitest';
import { BUCKETS, bucketMarks } from './PageHistory';
import type { HistoryMark } from '../worker/protocol';

const mark = (step: number, failed = false): HistoryMark => ({ step, phase: 'refcount', role: 'src', failed });

describe('page history strip', () => {
  it('one button per slot, the earliest failed step of a slot before the earliest step', () => {
    const frontier = BUCKETS * 10; // 10 steps per slot
    const b = bucketMarks([mark(1), mark(3, true), mark(5, true), mark(25), mark(639)], frontier);
    expect(b.map((x) => [x.slot, x.mark.step, x.n, x.failed])).toEqual([
      [0, 3, 3, true],
      [2, 25, 1, false],
      [BUCKETS - 1, 639, 1, false],
    ]);
  });

  it('the last step of the timeline stays in the last slot', () => {
    expect(bucketMarks([mark(7)], 7).map((x) => x.slot)).toEqual([BUCKETS - 1]);
  });
});
