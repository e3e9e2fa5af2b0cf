// The compactions running at the current step (compact_zone() between mm_compaction_begin and
// mm_compaction_end): per compact_control its zone, cc->order, both scanner positions with the
// colours the grid draws them in, and how many pageblocks still lie between them. Shown only while
// one runs. Zone names come from the worker, so they are rendered as text.
import { selectPfn } from './state/simClient';
import { useSim, type SimState } from './state/store';
import { hex } from './format';
import { orderText, sameScanners, SCANNER_COLORS, SCANNER_LABELS, scannerGap, zoneName, type ScannerKind, type ScannerState } from './scanners';

const NONE: readonly ScannerState[] = [];
let shown: readonly ScannerState[] = NONE;
/** Every frame carries new arrays: the panel re-renders only when a scanner moved or a run began or ended. */
const selectScanners = (s: SimState): readonly ScannerState[] => {
  const now = s.meta?.scanners ?? NONE;
  if (!sameScanners(now, shown)) shown = now.length > 0 ? now : NONE;
  return shown;
};
/** A string, so equal names compare equal from frame to frame. */
const selectZoneNames = (s: SimState): string => JSON.stringify(s.meta?.zones.map((z) => z.name) ?? []);

const FIELD: Readonly<Record<ScannerKind, { name: string; title: string }>> = {
  migrate: {
    name: 'migrate_pfn',
    title: 'cc->migrate_pfn: the migrate scanner walks up from the zone start, isolating movable pages a pageblock at a time',
  },
  free: {
    name: 'free_pfn',
    title: 'cc->free_pfn: the free scanner walks down from the zone end, taking free blocks onto cc->freepages',
  },
};

function Scanner({ kind, pfn }: { readonly kind: ScannerKind; readonly pfn: number }) {
  return (
    <>
      <dt title={FIELD[kind].title}>
        <code>{FIELD[kind].name}</code>
      </dt>
      <dd>
        <span className="scanner-swatch" style={{ background: SCANNER_COLORS[kind] }} aria-hidden="true" />
        <button
          type="button"
          className="pfn-link"
          title={`Inspect PFN ${hex(pfn)}`}
          data-testid={`compaction-${kind}-pfn`}
          onClick={() => selectPfn(pfn)}
        >
          {hex(pfn)}
        </button>
        <span className="muted">{SCANNER_LABELS[kind]}</span>
      </dd>
    </>
  );
}

export function CompactionStatus() {
  const scanners = useSim(selectScanners);
  const zoneNames = useSim(selectZoneNames);
  if (scanners.length === 0) return null;
  const zones = (JSON.parse(zoneNames) as string[]).map((name) => ({ name }));
  return (
    <section className="panel compaction" aria-label="Compaction" data-testid="compaction-status">
      {scanners.map((s, i) => {
        const gap = scannerGap(s);
        return (
          <dl key={i} data-testid="compaction-run">
            <dt title="compact_zone() is running in this zone (mm/compaction.c); the rows below are its struct compact_control">
              <code>compact_zone()</code>
            </dt>
            <dd>
              <b data-testid="compaction-zone">{zoneName(zones, s.zone)}</b>
            </dd>
            <dt title="cc->order: the allocation order compaction works for; -1 compacts the whole zone">
              <code>order</code>
            </dt>
            <dd data-testid="compaction-order">{orderText(s.order)}</dd>
            <Scanner kind="migrate" pfn={s.migratePfn} />
            <Scanner kind="free" pfn={s.freePfn} />
            <dt title="free_pfn and migrate_pfn in pageblocks, as compact_scanners_met() compares them: compaction of the zone ends at 0">
              gap
            </dt>
            <dd data-testid="compaction-gap">{`${gap} pageblock${gap === 1 ? '' : 's'}${gap === 0 ? ': the scanners met' : ''}`}</dd>
          </dl>
        );
      })}
    </section>
  );
}
