// The words of the progress line of a long command (run to end, a far seek, next span): steps
// computed of the estimated total, the rate and the pages migrated, in numbers a person reads at
// a glance while they change 20 times a second ("410 k steps/s", not "410,236 steps/s").
import { formatCount } from '../format';

/** A long command the worker is computing (protocol.ts: ProgressMsg with unit 'steps'). */
export interface ComputingState {
  readonly what: 'run' | 'seek' | 'phase' | 'span';
  /** Steps computed so far. */
  readonly done: number;
  /** Estimate of every step of the run; 0 while none can be made. */
  readonly total: number;
  /** Steps per second over the command so far. */
  readonly rate: number;
  /** Pages migrated so far (pgmigrate_success). */
  readonly migrated: number;
}

/** Three significant digits with a k / M / G suffix above 9,999: 1,234 · 12.3 k · 410 k · 10.4 M. */
export function formatApprox(n: number): string {
  if (!Number.isFinite(n)) return '?';
  const a = Math.abs(n);
  if (a < 10_000) return formatCount(Math.round(n));
  const units: readonly [number, string][] = [[1e9, 'G'], [1e6, 'M'], [1e3, 'k']];
  for (const [size, suffix] of units) {
    if (a >= size * 0.9995 || size === 1e3) {
      const v = n / size;
      return `${Number(v.toPrecision(3))} ${suffix}`;
    }
  }
  return formatCount(n);
}

const WHY: Readonly<Record<ComputingState['what'], string>> = {
  run: 'run to end',
  seek: 'seek',
  phase: 'next phase',
  span: 'next span',
};

/** Whole percent done, below 100 until the last step is in (the total is an estimate). */
export function percentDone(done: number, total: number): number {
  if (!(total > 0)) return 0;
  return Math.max(0, Math.min(done >= total ? 100 : 99, Math.floor((100 * done) / total)));
}

/** "Computing steps (run to end): 1,234,567 of ~10.4 M (12 %), 410 k steps/s, 759 k pages migrated" */
export function progressText(p: ComputingState): string {
  const of = p.total > 0 ? ` of ~${formatApprox(p.total)} (${percentDone(p.done, p.total)} %)` : '';
  return `Computing steps (${WHY[p.what]}): ${formatCount(p.done)}${of}, ${formatApprox(p.rate)} steps/s, ${formatApprox(p.migrated)} pages migrated`;
}
