// Bench output: one line per figure, beside its target from design.md, with a verdict.

export interface Figure {
  readonly what: string;
  readonly value: number;
  readonly unit: string;
  /** Target and the direction that passes; both absent for a figure printed as information only. */
  readonly target?: number;
  readonly better?: 'lower' | 'higher';
  readonly note?: string;
}

/** A figure with a target (information-only figures have none and never miss). */
export function hasTarget(f: Figure): boolean {
  return f.target !== undefined && f.better !== undefined;
}

export function verdict(f: Figure): boolean {
  if (!hasTarget(f)) return true;
  return f.better === 'lower' ? f.value <= f.target! : f.value >= f.target!;
}

export function formatFigure(f: Figure): string {
  const v = f.value >= 100 ? f.value.toFixed(0) : f.value === 0 || f.value >= 0.01 ? f.value.toFixed(2) : f.value.toPrecision(2);
  const head = `${f.what.padEnd(44)} ${v.padStart(9)} ${f.unit.padEnd(6)}`;
  if (!hasTarget(f)) return `info  ${head} no target${f.note ? `  (${f.note})` : ''}`;
  const cmp = f.better === 'lower' ? '<=' : '>=';
  return `${verdict(f) ? 'ok  ' : 'MISS'}  ${head} target ${cmp} ${f.target} ${f.unit}${f.note ? `  (${f.note})` : ''}`;
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}
