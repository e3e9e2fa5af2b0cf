// How well an import matched its capture: per zone, the free blocks per order rebuilt from the
// dump's runs of KPF_BUDDY pages next to what the capture's /proc/buddyinfo says, differences
// marked; then what the rebuild had to guess. Every string here came from the person's files
// through the worker and is rendered as text (React escapes it), never as markup.
import { useEffect, useRef } from 'react';
import { formatCount } from '../format';
import { OverlayDialog } from '../OverlayDialog';
import { selectImported, useSim } from '../state/store';
import type { ImportReport, ZoneFreeReport } from '../../worker/protocol';
import { pagesOf, verdict } from './verdict';

/** A zone's rows: rebuilt, and beside it (`compare`: some buddyinfo was given) the given counts and the verdict. */
function ZoneRows({ z, orders, compare }: { readonly z: ZoneFreeReport; readonly orders: number; readonly compare: boolean }) {
  const v = verdict(z);
  const row = (kind: 'rebuilt' | 'given', counts: readonly number[] | null) => (
    <tr data-zone={z.zone} data-row={kind} className={kind}>
      {kind === 'rebuilt' && (
        <th scope="rowgroup" rowSpan={compare ? 2 : 1} className="zone">
          {z.zone}
        </th>
      )}
      <th scope="row" className="kind">
        {kind === 'rebuilt' ? 'rebuilt' : 'buddyinfo'}
      </th>
      {counts === null ? (
        <td colSpan={orders + 1} className="none muted">
          not given
        </td>
      ) : (
        <>
          {Array.from({ length: orders }, (_, o) => {
            const other = kind === 'rebuilt' ? z.given?.[o] : z.rebuilt[o];
            const differs = z.given !== null && (counts[o] ?? 0) !== (other ?? 0);
            return (
              <td key={o} data-order={o} className={differs ? 'diff' : undefined}>
                {formatCount(counts[o] ?? 0)}
              </td>
            );
          })}
          <td className="pages" data-testid="free-pages">
            {formatCount(pagesOf(counts))}
          </td>
        </>
      )}
      {kind === 'rebuilt' && compare && (
        <td rowSpan={2} className="verdict-cell" data-exact={v.exact === null ? undefined : String(v.exact)}>
          {v.text}
        </td>
      )}
    </tr>
  );
  return (
    <tbody data-zone={z.zone}>
      {row('rebuilt', z.rebuilt)}
      {compare && row('given', z.given)}
    </tbody>
  );
}

/** Pageblock migratetypes in MT order, as pagetypeinfo names them. */
const MIGRATETYPES = ['Unmovable', 'Movable', 'Reclaimable', 'HighAtomic', 'Isolate'] as const;

/** Pageblocks per migratetype, rebuilt next to pagetypeinfo's counts; shown only when it was given. */
function PageblockTable({ r }: { readonly r: ImportReport }) {
  const zones = (r.pageblocks ?? []).filter((z) => z.given !== null);
  if (zones.length === 0) return null;
  return (
    <>
      <p className="match-sub">
        Pageblocks per migratetype, chosen to match the capture&apos;s <code>/proc/pagetypeinfo</code>:
      </p>
      <table className="match-table" data-testid="pageblock-table">
        <thead>
          <tr>
            <th scope="col">zone</th>
            <th scope="col" />
            {MIGRATETYPES.map((m) => (
              <th key={m} scope="col">
                {m}
              </th>
            ))}
          </tr>
        </thead>
        {zones.map((z) => (
          <tbody key={z.zone} data-zone={z.zone}>
            {(['rebuilt', 'given'] as const).map((kind) => (
              <tr key={kind} className={kind} data-row={kind}>
                {kind === 'rebuilt' && (
                  <th scope="rowgroup" rowSpan={2} className="zone">
                    {z.zone}
                  </th>
                )}
                <th scope="row" className="kind">
                  {kind === 'rebuilt' ? 'rebuilt' : 'pagetypeinfo'}
                </th>
                {MIGRATETYPES.map((m, i) => {
                  const v = (kind === 'rebuilt' ? z.rebuilt : z.given!)[i] ?? 0;
                  const other = (kind === 'rebuilt' ? z.given! : z.rebuilt)[i] ?? 0;
                  return (
                    <td key={m} className={v !== other ? 'diff' : undefined}>
                      {formatCount(v)}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        ))}
      </table>
    </>
  );
}

function summary(r: ImportReport): string {
  const zones = r.zonesFrom === 'zoneinfo' ? 'zones from its zoneinfo' : 'no zoneinfo: the default x86-64 zones';
  return `${formatCount(r.pfns)} PFNs; ${zones}`;
}

export function MatchPanel() {
  const report = useSim(selectImported);
  const closeRef = useRef<HTMLButtonElement>(null);
  useEffect(() => closeRef.current?.focus(), []);
  if (!report) return null;
  const orders = Math.max(11, ...report.freeByOrder.flatMap((z) => [z.rebuilt.length, z.given?.length ?? 0]));
  const given = report.freeByOrder.filter((z) => z.given !== null);
  const exact = given.filter((z) => verdict(z).exact).length;
  return (
    <OverlayDialog
      className="match-panel"
      label="How the import matched"
      testId="match-panel"
      title={`Imported ${report.name}`}
      subtitle={summary(report)}
      closeRef={closeRef}
    >
      <div className="match-body">
        <p>
          Free blocks per order, rebuilt from the runs of <code>KPF_BUDDY</code> pages
          {given.length > 0 ? (
            <>
              , next to the capture&apos;s <code>/proc/buddyinfo</code>: exact in {exact} of {given.length} zones.
            </>
          ) : (
            <> (no buddyinfo given: nothing to compare them with).</>
          )}
          {given.length > exact && ' Differences are marked; on a live machine the files are read moments apart.'}
        </p>
        <table className="match-table" data-testid="match-table">
          <thead>
            <tr>
              <th scope="col">zone</th>
              <th scope="col" />
              {Array.from({ length: orders }, (_, o) => (
                <th key={o} scope="col" title={`order ${o}: blocks of ${2 ** o} pages`}>
                  {o}
                </th>
              ))}
              <th scope="col">free pages</th>
              {given.length > 0 && <th scope="col" />}
            </tr>
          </thead>
          {report.freeByOrder.map((z) => (
            <ZoneRows key={z.zone} z={z} orders={orders} compare={given.length > 0} />
          ))}
        </table>
        <PageblockTable r={report} />
        {report.ambiguities.length > 0 && (
          <section className="match-guesses" aria-label="What the rebuild guessed">
            <h3>What the rebuild had to guess</h3>
            <ul data-testid="ambiguities">
              {report.ambiguities.map((a, i) => (
                <li key={i}>{a}</li>
              ))}
            </ul>
          </section>
        )}
      </div>
    </OverlayDialog>
  );
}
