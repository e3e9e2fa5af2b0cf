// The result of a run over an imported capture (issue 16: import + compaction ends on a result
// view): free blocks per zone and order before the run (the import's rebuild), after it (the
// simulated end), and after it on the real machine when the capture's after.buddyinfo is given,
// with the error the CLI's --predict prints (predict.ts, the same functions) and the pages the
// run migrated and failed to. The end is kept when the run reaches it, so the result stays
// available after the person steps back.
import type { ZoneFreeReport } from '../kernel/import/types';
import type { Kernel } from '../kernel/kernel';
import { VM_EVENT } from '../kernel/vmstat';
import { NR_PAGE_ORDERS } from '../kernel/zone';
import { compareFreeAreas, errorLine, simulatedFreeAreas } from './predict';

/** What a run ended with: its free areas per zone and the migrate events. */
export interface RunEnd {
  readonly after: ReadonlyMap<string, readonly number[]>;
  readonly migrated: number;
  readonly failed: number;
}

export function runEnd(k: Kernel): RunEnd {
  return { after: simulatedFreeAreas(k), migrated: k.events.a[VM_EVENT.PGMIGRATE_SUCCESS]!, failed: k.events.a[VM_EVENT.PGMIGRATE_FAIL]! };
}

export interface ZoneResult {
  readonly zone: string;
  readonly before: readonly number[];
  readonly after: readonly number[];
  /** The real machine's after.buddyinfo for this zone; null when none was given. */
  readonly realAfter: readonly number[] | null;
}

export interface CompactionResult {
  readonly zones: readonly ZoneResult[];
  readonly migrated: number;
  readonly failed: number;
  /** Against the real after.buddyinfo, when given: its name, the error and --predict's line for it. */
  readonly real: { readonly name: string; readonly error: number; readonly errorLine: string; readonly deltaBlocks: readonly number[] } | null;
}

/**
 * The result of a run from `before` (the import report's rebuilt free areas) to `end`, against
 * `realAfter` (a /proc/buddyinfo text) when given. A bad buddyinfo throws the parser's one line.
 */
export function compactionResult(before: readonly ZoneFreeReport[], end: RunEnd, realAfter?: { readonly name: string; readonly text: string }): CompactionResult {
  const zero = (): number[] => new Array<number>(NR_PAGE_ORDERS).fill(0);
  const p = realAfter ? compareFreeAreas(end.after, realAfter.text) : null;
  const names = p ? p.zones.map((z) => z.zone) : [...end.after.keys()];
  const zones = names.map((zone) => ({
    zone,
    before: before.find((b) => b.zone === zone)?.rebuilt ?? zero(),
    after: end.after.get(zone) ?? zero(),
    realAfter: p ? p.zones.find((z) => z.zone === zone)!.real : null,
  }));
  return {
    zones,
    migrated: end.migrated,
    failed: end.failed,
    real: p && realAfter ? { name: realAfter.name, error: p.error, errorLine: errorLine(p), deltaBlocks: p.deltaBlocks } : null,
  };
}
