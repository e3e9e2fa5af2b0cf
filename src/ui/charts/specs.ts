// The four small multiples over the timeline, as data: what each chart plots from an engine
// series point, in which colours, stacked or as lines. Free pages are stacked (the band heights
// add up to the free pages of the machine); counts that do not add up are lines.
import type { SeriesPoint } from '../../worker/protocol';

export interface Layer {
  readonly key: string;
  readonly label: string;
  readonly color: string;
  readonly value: (p: SeriesPoint) => number;
}

export interface Readout {
  readonly text: string;
  readonly color?: string;
}

export interface ChartSpec {
  readonly id: string;
  readonly title: string;
  /**
   * The numbers beside the title at the current step, each in its layer's colour (so a chart of
   * lines needs no key); null where another chart shows the number.
   */
  readonly readout: ((p: SeriesPoint) => readonly Readout[]) | null;
  readonly stacked: boolean;
  readonly layers: readonly Layer[];
  /** Show the layers' key under the chart (the order ramp is explained in words instead). */
  readonly key: 'layers' | 'ramp' | 'none';
}

const count = new Intl.NumberFormat('en-US');

/** Order 0 light to order 10 dark: a sequential ramp, as orders are. */
export const ORDER_COLORS = [
  '#c6dbef', '#a9cce6', '#8bbddc', '#6baed6', '#5199c9', '#3c86bd', '#2a72b0', '#1a5fa0', '#0f4c8a', '#093a70', '#042a57',
] as const;

/** Migratetype hues: the free-* tints of the grid's palette (kernel/classes.ts), saturated enough for a line. */
export const MIGRATETYPE_COLORS = ['#c9783a', '#5a9e4b', '#8a6cc2', '#b8a400', '#2e9fb5'] as const;
const MIGRATETYPES = ['Unmovable', 'Movable', 'Reclaimable', 'HighAtomic', 'Isolate'] as const;

const MIGRATED_COLOR = '#2e8b3e';
const FAILED_COLOR = '#d01818';

const sum = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);

export const CHARTS: readonly ChartSpec[] = [
  {
    id: 'order',
    title: 'free by order',
    readout: (p) => [{ text: `${count.format(sum(p.freeByOrder))} pages` }],
    stacked: true,
    key: 'ramp',
    layers: ORDER_COLORS.map((color, o) => ({ key: `o${o}`, label: `order ${o}`, color, value: (p: SeriesPoint) => p.freeByOrder[o] ?? 0 })),
  },
  {
    id: 'migratetype',
    title: 'free by migratetype',
    readout: null,
    stacked: true,
    key: 'layers',
    layers: MIGRATETYPE_COLORS.map((color, mt) => ({ key: MIGRATETYPES[mt]!, label: MIGRATETYPES[mt]!, color, value: (p: SeriesPoint) => p.freeByType[mt] ?? 0 })),
  },
  {
    id: 'big',
    title: 'free blocks, order ≥ 9',
    readout: (p) => [{ text: count.format(p.bigBlocks) }],
    stacked: false,
    key: 'none',
    layers: [{ key: 'big', label: 'blocks ≥ 2 MiB', color: '#1a5fa0', value: (p) => p.bigBlocks }],
  },
  {
    id: 'migrations',
    title: 'migrations',
    readout: (p) => [
      { text: `${count.format(p.migrated)} ok`, color: MIGRATED_COLOR },
      { text: `${count.format(p.failed)} failed`, color: FAILED_COLOR },
    ],
    stacked: false,
    key: 'none',
    layers: [
      { key: 'migrated', label: 'pgmigrate_success', color: MIGRATED_COLOR, value: (p) => p.migrated },
      { key: 'failed', label: 'pgmigrate_fail', color: FAILED_COLOR, value: (p) => p.failed },
    ],
  },
];

/** The last point at or before `step` (points are in step order), or undefined. */
export function pointAt(points: readonly SeriesPoint[], step: number): SeriesPoint | undefined {
  let lo = 0;
  let hi = points.length - 1;
  if (hi < 0 || points[0]!.step > step) return undefined;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (points[mid]!.step <= step) lo = mid;
    else hi = mid - 1;
  }
  return points[lo];
}
