// A BUG the kernel throws in one interleaving is a finding of the sweep, not the end of it: the
// run stops there, the state goes back to the base, and the other schedules still run. Separate
// file because vi.mock replaces the step module (every kernel path's mkStep) for the whole file:
// here the step where migrator-1011 wins the test-and-set on 0x1003 throws the bad-page BUG, which
// happens in some interleavings of no-refcount's balloon-race and not in others.
import { describe, expect, test, vi } from 'vitest';
import { findPreset } from './presets';
import { sweepVariant } from './sweep';
import { BadPageError } from '../kernel/buddy';

vi.mock('../kernel/step', async (importOriginal) => {
  const real = await importOriginal<typeof import('../kernel/step')>();
  return {
    ...real,
    mkStep: (...args: Parameters<typeof real.mkStep>) => {
      if (args[1].text.startsWith('migrator-1011: test-and-set of PG_movable_ops_isolated on 0x1003 succeeds')) {
        throw new BadPageError('BUG: Bad page state: pfn:1003 planted by the test');
      }
      return real.mkStep(...args);
    },
  };
});

describe('a BUG in some interleavings', () => {
  test('is counted and shown with its schedule; the sweep goes on with the others', () => {
    const v = sweepVariant({ ...findPreset('balloon-race')!.scenario, variant: 'no-refcount' }, 'no-refcount', { maxSwitches: 1 });
    expect(v.bugs).toBeGreaterThan(0);
    expect(v.errors + v.violations).toBe(0);
    // The other schedules ran to their end: every schedule is a BUG or an outcome.
    const ended = v.outcomes.reduce((n, o) => n + o.schedules, 0);
    expect(ended).toBeGreaterThan(0);
    expect(ended + v.bugs).toBe(v.schedules);
    expect(v.findings[0]).toMatchObject({ kind: 'BUG', text: 'BUG: Bad page state: pfn:1003 planted by the test' });
  }, 600_000);
});
