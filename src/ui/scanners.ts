// Compaction's two scanners as the UI names and colours them, shared by the grid's overlay and the
// Compaction panel so a colour on the grid and a swatch in the panel always mean the same scanner.
import type { FrameMsg } from '../worker/protocol';

/** One running compaction: its zone, cc->order and both scanner positions. */
export type ScannerState = FrameMsg['scanners'][number];

/** pageblock_order on x86-64: one grid row. */
const PAGEBLOCK_ORDER = 9;

export type ScannerKind = 'migrate' | 'free';

/**
 * Apart from every page-state colour and step-role outline (roles.ts): a blue-violet and a cyan.
 * The free scanner's cyan is a deeper shade of the 'compact-free' cells it leaves behind.
 */
export const SCANNER_COLORS: Readonly<Record<ScannerKind, string>> = {
  migrate: '#7c4dff',
  free: '#00b8d4',
};

export const SCANNER_LABELS: Readonly<Record<ScannerKind, string>> = {
  migrate: 'migrate scanner',
  free: 'free scanner',
};

export const scannerPfn = (s: ScannerState, kind: ScannerKind): number => (kind === 'migrate' ? s.migratePfn : s.freePfn);

/**
 * Pageblocks between the scanners, counted as compact_scanners_met() compares them (free_pfn and
 * migrate_pfn shifted by pageblock_order): 0 is where compaction stops.
 */
export function scannerGap(s: ScannerState): number {
  return Math.max(0, (s.freePfn >> PAGEBLOCK_ORDER) - (s.migratePfn >> PAGEBLOCK_ORDER));
}

/** cc->order as the panel shows it: -1 is a whole-zone compaction with no allocation waiting. */
export function orderText(order: number): string {
  return order === -1 ? '-1 (compact_memory)' : String(order);
}

/** Same compactions at the same positions: every frame carries a new array, so compare contents. */
export function sameScanners(a: readonly ScannerState[], b: readonly ScannerState[]): boolean {
  return (
    a.length === b.length &&
    a.every((x, i) => {
      const y = b[i]!;
      return x.zone === y.zone && x.order === y.order && x.migratePfn === y.migratePfn && x.freePfn === y.freePfn;
    })
  );
}

/** The zone's name, or its index when the frame has no such zone (a newer worker, say). */
export function zoneName(zones: readonly { readonly name: string }[], zone: number): string {
  return zones[zone]?.name ?? `zone ${zone}`;
}
