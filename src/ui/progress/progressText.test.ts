import { describe, expect, it } from 'vitest';
import { formatApprox, percentDone, progressText } from './progressText';

describe('progress line', () => {
  it('writes numbers to three significant digits above 9,999', () => {
    expect([0, 999, 1234, 9999, 10_000, 12_345, 410_236, 999_999, 10_400_000, 759_000, 2.5e9].map(formatApprox)).toEqual([
      '0', '999', '1,234', '9,999', '10 k', '12.3 k', '410 k', '1 M', '10.4 M', '759 k', '2.5 G',
    ]);
  });

  it('says steps computed of the estimate, the rate and the pages migrated', () => {
    expect(progressText({ what: 'run', done: 1_234_567, total: 10_400_000, rate: 410_236, migrated: 759_120 })).toBe(
      'Computing steps (run to end): 1,234,567 of ~10.4 M (11 %), 410 k steps/s, 759 k pages migrated',
    );
  });

  it('leaves the total out while the worker cannot estimate it', () => {
    expect(progressText({ what: 'span', done: 5000, total: 0, rate: 1200, migrated: 3 })).toBe(
      'Computing steps (next span): 5,000, 1,200 steps/s, 3 pages migrated',
    );
  });

  it('says 100 % only once every step is in (the total is an estimate)', () => {
    expect(percentDone(999, 1000)).toBe(99);
    expect(percentDone(1000, 1000)).toBe(100);
    expect(percentDone(1200, 1000)).toBe(100);
    expect(percentDone(5, 0)).toBe(0);
  });
});
