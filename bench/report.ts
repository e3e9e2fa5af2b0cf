// Bench output: one line per figure, beside its target from design.md, with a verdict.

export interface Figure {
  readonly what: string;
  readonly value: number;
  readonly unit: string;
  /** Target and the direction that passes. */
  readonly target: number;
  readonly better: 'lower' | 'higher';
  readonly note?: string;
}

export function verdict(f: Figure): boolean {
  return f.better === 'lower' ? f.value <= f.target : f.value >= f.target;
}

export function formatFigure(f: Figure): string {
  const cmp = f.better === 'lower' ? '<=' : '>=';
  const v = f.value >= 100 ? f.value.toFixed(0) : f.value.toFixed(2);
  return `${verdict(f) ? 'ok  ' : 'MISS'}  ${f.what.padEnd(44)} ${v.padStart(9)} ${f.unit.padEnd(6)} target ${cmp} ${f.target} ${f.unit}${f.note ? `  (${f.note})` : ''}`;
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}
