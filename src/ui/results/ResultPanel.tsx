// The result view of a run over an imported capture: per zone the free blocks per order before
// the run (the import's rebuild), after it (simulated) and, when the capture's after.buddyinfo is
// given, after it on the real machine with the difference marked; the error --predict prints for
// it; the pages migrated and failed; and a chart of the three, summed over the zones. Every
// string from the person's files is rendered as text (React escapes it), never as markup.
import { useEffect, useRef } from 'react';
import { formatCount } from '../format';
import { OverlayDialog } from '../OverlayDialog';
import { selectResult, selectSession, useSim } from '../state/store';
import type { CompactionResult, ZoneResult } from '../../engine/compaction-result';
import { drawResultChart, SERIES } from './resultChart';
import { compareWith, seriesByOrder } from './resultFlow';

const pagesOf = (blocks: readonly number[]): number => blocks.reduce((n, b, o) => n + b * 2 ** o, 0);

function ZoneRows({ z, orders }: { readonly z: ZoneResult; readonly orders: number }) {
  const rows: { kind: 'before' | 'after' | 'real-after'; label: string; counts: readonly number[] | null }[] = [
    { kind: 'before', label: 'before', counts: z.before },
    { kind: 'after', label: 'after (simulated)', counts: z.after },
    { kind: 'real-after', label: 'after (real)', counts: z.realAfter },
  ];
  const shown = rows.filter((r) => r.counts !== null);
  return (
    <tbody data-zone={z.zone}>
      {shown.map((r, i) => (
        <tr key={r.kind} data-zone={z.zone} data-row={r.kind} className={r.kind}>
          {i === 0 && (
            <th scope="rowgroup" rowSpan={shown.length} className="zone">
              {z.zone}
            </th>
          )}
          <th scope="row" className="kind">
            {r.label}
          </th>
          {Array.from({ length: orders }, (_, o) => {
            // The simulated after is what the prediction is: marked where the real machine differs.
            const differs = r.kind === 'after' && z.realAfter !== null && (z.realAfter[o] ?? 0) !== (r.counts![o] ?? 0);
            return (
              <td key={o} data-order={o} className={differs ? 'diff' : undefined} title={differs ? `real: ${formatCount(z.realAfter![o] ?? 0)}` : undefined}>
                {formatCount(r.counts![o] ?? 0)}
              </td>
            );
          })}
          <td className="pages">{formatCount(pagesOf(r.counts!))}</td>
        </tr>
      ))}
    </tbody>
  );
}

function Chart({ result }: { readonly result: CompactionResult }) {
  const ref = useRef<SVGSVGElement>(null);
  useEffect(() => {
    if (ref.current) drawResultChart(ref.current, seriesByOrder(result), 680, 210);
  }, [result]);
  return (
    <figure className="result-chart">
      <svg ref={ref} role="img" aria-label="Free blocks per order, summed over the zones: before, after simulated and after on the real machine" data-testid="result-chart" />
      <figcaption>
        {SERIES.filter((s) => s.key !== 'realAfter' || result.real).map((s) => (
          <span key={s.key} className={`key ${s.key}`}>
            {s.label}
          </span>
        ))}
        <span className="muted"> · free blocks per order over every zone, symlog scale</span>
      </figcaption>
    </figure>
  );
}

export function ResultPanel() {
  const res = useSim(selectResult);
  const session = useSim(selectSession);
  const closeRef = useRef<HTMLButtonElement>(null);
  const fileRef = useRef<HTMLInputElement>(null);
  useEffect(() => closeRef.current?.focus(), []);
  const msg = res && res.session === session ? res.msg : null;
  const r = msg?.result ?? null;
  const orders = r?.zones[0]?.before.length ?? 0;
  return (
    <OverlayDialog
      className="result-panel"
      label="Result of the run"
      testId="result-panel"
      title="Result"
      subtitle={msg ? `${msg.name}, from the import to the end of the run` : 'reading the end of the run…'}
      closeRef={closeRef}
      data={{ 'data-ready': r ? 'true' : 'false' }}
    >
      {r && (
        <div className="result-body">
          <p className="result-counts" data-testid="result-counts">
            <span>
              <strong>{formatCount(r.migrated)}</strong> pages migrated
            </span>
            <span>
              <strong>{formatCount(r.failed)}</strong> failed
            </span>
            <span className="muted">(pgmigrate_success, pgmigrate_fail over the run)</span>
          </p>
          {r.real ? (
            <p className="result-error" data-testid="result-error">
              Prediction against <code>{r.real.name}</code> (as <code>--predict</code> prints it): <strong>{r.real.errorLine}</strong>
            </p>
          ) : (
            <p className="muted" data-testid="result-no-real">
              No real after.buddyinfo given: give the one the capture made after the same run to see how far the model's prediction is.
            </p>
          )}
          <div className="result-give">
            <button type="button" className="small" onClick={() => fileRef.current?.click()}>
              {r.real ? 'Compare with another buddyinfo…' : 'Compare with a real buddyinfo…'}
            </button>
            <input
              ref={fileRef}
              type="file"
              hidden
              data-testid="result-real-input"
              onChange={(e) => {
                const f = e.currentTarget.files?.[0];
                if (f) compareWith(f);
                e.currentTarget.value = '';
              }}
            />
          </div>
          <table className="match-table result-table" data-testid="result-table">
            <caption className="muted">
              Free blocks per order (blocks of 2^order pages) in each zone{r.real ? '; marked: the simulated after is not the real one (hover for the real count)' : ''}
            </caption>
            <thead>
              <tr>
                <th scope="col">zone</th>
                <th scope="col" />
                {Array.from({ length: orders }, (_, o) => (
                  <th key={o} scope="col">
                    {o}
                  </th>
                ))}
                <th scope="col">free pages</th>
              </tr>
            </thead>
            {r.zones.map((z) => (
              <ZoneRows key={z.zone} z={z} orders={orders} />
            ))}
          </table>
          <Chart result={r} />
        </div>
      )}
    </OverlayDialog>
  );
}
