// The contract of importing a real machine's page frame array (issue 10): the raw files, what
// the rebuild reports, and the error it throws. The rebuild itself lives beside this file
// (rebuild.ts: importDump); the worker, the CLI and the trace replay code against these types.

import type { Kernel } from '../kernel';

/** The files of one capture: PREFIX.kpageflags, PREFIX.kpagecount and optional /proc texts. */
export interface DumpFiles {
  /** Raw /proc/kpageflags: one little-endian u64 per PFN from PFN 0. */
  readonly kpageflags: Uint8Array;
  /** Raw /proc/kpagecount: one little-endian u64 per PFN (the mapcount, not the refcount). */
  readonly kpagecount: Uint8Array;
  readonly buddyinfo?: string;
  readonly pagetypeinfo?: string;
  readonly zoneinfo?: string;
  /** A name for messages and the UI (the prefix or the file name). */
  readonly name?: string;
}

/** Free blocks per order of one zone: rebuilt from the dump, and as the given buddyinfo says. */
export interface ZoneFreeReport {
  readonly zone: string;
  readonly rebuilt: readonly number[];
  /** null when no buddyinfo was given. */
  readonly given: readonly number[] | null;
}

/**
 * Pageblocks per migratetype of one zone, in MT order (Unmovable, Movable, Reclaimable,
 * HighAtomic, Isolate): rebuilt, and as pagetypeinfo's "Number of blocks type" says.
 */
export interface ZonePageblockReport {
  readonly zone: string;
  readonly rebuilt: readonly number[];
  /** null when no pagetypeinfo was given (or it has no such zone). */
  readonly given: readonly number[] | null;
}

export interface ImportReport {
  readonly name: string;
  readonly pfns: number;
  readonly zones: readonly { readonly name: string; readonly start: number; readonly end: number }[];
  /** Where the zone boundaries came from: zoneinfo, or the default x86-64 layout. */
  readonly zonesFrom: 'zoneinfo' | 'default';
  readonly freeByOrder: readonly ZoneFreeReport[];
  /** Pages per category, counted from the raw KPF bits (one category per PFN, first rule wins). */
  readonly rawClasses: Readonly<Record<string, number>>;
  /** What the rebuild had to guess, in sentences (flags-0 pages, pageblock types, ...). */
  readonly ambiguities: readonly string[];
  /** Pageblock migratetypes per zone, rebuilt against pagetypeinfo's counts. */
  readonly pageblocks?: readonly ZonePageblockReport[];
  /** Where the pageblock migratetypes came from: pagetypeinfo, or the documented rule (pageblocks.ts). */
  readonly pagetypesFrom?: 'pagetypeinfo' | 'rule';
}

/** A dump the rebuild cannot use; the message is one line naming what is wrong. */
export class ImportError extends Error {
  override name = 'ImportError';
}

/** Progress callback: PFNs processed so far out of the total (for a progress bar). */
export type ImportProgress = (done: number, total: number) => void;

export interface ImportResult {
  readonly k: Kernel;
  readonly report: ImportReport;
}
