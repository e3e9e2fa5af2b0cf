// The footprint side panel: the session's scenario run to its end under every design variant, and
// per variant (a column each) the struct page fields its migrations read and wrote per migrated
// page (source and destination together) and the atomic _refcount operations. The counts are what
// the memmap accessors recorded while the kernel code ran (engine/footprint.ts), the same as
// `npm run sim -- <preset> --variant NAME --footprint` prints. It docks on the right, over the
// inspector column, so the grid and the step controls stay in use while the variants run in the
// worker's background; a variant whose run fails shows its one line in place of its column.
import { useEffect, useRef, useState } from 'react';
import type { VariantFailure, VariantFootprint, VariantResult } from '../engine/footprint';
import type { FpState } from '../kernel/memmap';
import { bytesText, type TrackingCost } from '../kernel/designs/tracking';
import { closePanel } from './actions';
import { footprintRows, perPage, type Cell } from './footprint/rows';
import { requestFootprint, stopFootprint } from './state/simClient';
import { selectFootprint, selectSession, selectVariant, useSim } from './state/store';

const STATE_LABEL: Readonly<Record<FpState, { readonly label: string; readonly title: string }>> = {
  offline: { label: 'PageOffline', title: 'a balloon page (PageOffline), isolated or not; the write that makes a page PageOffline or ends it counts here' },
  isolated: { label: 'isolated', title: 'taken for migration and not PageOffline: an LRU folio off its LRU, on a migration list (from the clearing of PG_lru), or a zsmalloc page with PG_movable_ops_isolated' },
  buddy: { label: 'free (buddy, pcp)', title: 'free in the page allocator: a PageBuddy block (buddy_list links, order, type) or a page on a per-CPU list (pcp_list links)' },
  other: { label: 'other', title: 'none of these: a new page before it becomes PageOffline or gets its mapping, a page being freed, a page in use' },
};

/** engine/footprint.ts's isFailure, repeated: a value import from the engine would bundle the engine into the page. */
const isFailure = (r: VariantResult): r is VariantFailure => 'failure' in r;

const ATOMICS_TITLE = 'writes of _refcount per migrated page: every get, put, freeze and unfreeze is an atomic';

/** "0 B (page->lru)", "16 B (1 entry)", "8 KiB (512 entries)". */
function trackingText(t: TrackingCost): string {
  return t.kind === 'list' ? '0 B (page->lru)' : `${bytesText(t.bytes)} (${t.entries} entr${t.entries === 1 ? 'y' : 'ies'})`;
}

function cellText(c: Cell, atomics: boolean): string {
  if (c === null) return '';
  if (atomics) return perPage(c.writes);
  return c.reads === 0 && c.writes === 0 ? '·' : `${perPage(c.reads)} / ${perPage(c.writes)}`;
}

export function FootprintPanel() {
  const session = useSim(selectSession);
  const fp = useSim(selectFootprint);
  const current = useSim(selectVariant);
  const closeRef = useRef<HTMLButtonElement>(null);
  const [split, setSplit] = useState(false);
  const [onlyDiffering, setOnlyDiffering] = useState(false);
  const msg = fp !== null && fp.session === session ? fp.msg : null;
  const complete = msg?.done === true;
  // Asked for when opened (unless this session's comparison is complete); stopped when closed unfinished.
  useEffect(() => {
    if (complete) return;
    requestFootprint();
    return () => {
      const now = useSim.getState().footprint;
      if (!now || now.session !== session || !now.msg.done) stopFootprint();
    };
  }, [complete, session]);
  useEffect(() => closeRef.current?.focus(), []);

  const variants = msg?.variants ?? [];
  const results = msg?.results ?? [];
  const resultOf = (v: string) => results.find((r) => r.variant === v);
  const running = msg && !msg.done ? variants[results.length] : undefined;
  const rows = footprintRows(results, variants, split, onlyDiffering);
  const failures = results.filter(isFailure);
  const tables = results.filter((r): r is VariantFootprint => !isFailure(r));
  return (
    <aside
      className="footprint-side"
      aria-label="Footprint by design variant"
      data-testid="footprint-panel"
      data-done={complete ? 'true' : 'false'}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.stopPropagation();
          closePanel();
        }
      }}
    >
      <div className="panel-head">
        <h2>Footprint</h2>
        <button ref={closeRef} type="button" className="small close" onClick={closePanel}>
          Close
        </button>
      </div>
      <p className="muted footprint-what">
        {msg ? `${msg.scenarioName}, run to its end under each design variant` : 'starting…'}: struct page fields read / written per migrated page (source and
        destination together); · = not touched; <mark className="differs">marked</mark> = not as in {variants[0] ?? 'linux-6.18'}.
      </p>
      {running !== undefined && (
        <p className="footprint-running" role="status" data-testid="footprint-running">
          running {running} ({results.length + 1} of {variants.length}), {msg!.steps.toLocaleString('en-US')} steps so far; the grid and the controls stay in use
        </p>
      )}
      {failures.length > 0 && (
        <ul className="footprint-failures" aria-label="Variants that failed" data-testid="footprint-failures">
          {failures.map((f) => (
            <li key={f.variant} data-variant={f.variant}>
              <strong>{f.variant}</strong> failed: {f.failure}
            </li>
          ))}
        </ul>
      )}
      <div className="footprint-toggles" role="group" aria-label="Table options">
        <button type="button" className="small" aria-pressed={split} onClick={() => setSplit(!split)} title="under each field, the part counted while the page was PageOffline, isolated, free, or none of these">
          split by page state
        </button>
        <button type="button" className="small" aria-pressed={onlyDiffering} onClick={() => setOnlyDiffering(!onlyDiffering)}>
          only fields that differ
        </button>
      </div>
      <div className="footprint-scroll">
        <table className="footprint-table" data-testid="footprint-table" data-split={split ? 'state' : 'all'}>
          <thead>
            <tr>
              <th scope="col">field</th>
              {variants.map((v) => {
                const r = resultOf(v);
                const state = !r ? (v === running ? 'running' : 'waiting') : isFailure(r) ? 'failed' : 'done';
                return (
                  <th key={v} scope="col" aria-current={v === current ? 'true' : undefined} data-variant={v} data-state={state} title={v === current ? 'the variant the grid shows' : undefined}>
                    {v}
                    {state !== 'done' && <span className="muted state"> {state === 'running' ? 'running…' : state}</span>}
                  </th>
                );
              })}
            </tr>
          </thead>
          <tbody>
            <tr className="pages">
              <th scope="row">pages migrated</th>
              {variants.map((v) => {
                const r = resultOf(v);
                return (
                  <td key={v} data-variant={v} data-testid="footprint-pages">
                    {r && !isFailure(r) ? r.pages : r ? '—' : ''}
                  </td>
                );
              })}
            </tr>
            <tr className="tracking">
              <th scope="row" title="src[] + dst[] bytes for the folios the run collected: 8 B per entry each; a list reuses page->lru (0 B) but needs it free">tracking memory</th>
              {variants.map((v) => {
                const r = resultOf(v);
                return (
                  <td key={v} data-variant={v} data-testid="footprint-tracking">
                    {r && !isFailure(r) ? (r.tracking ? trackingText(r.tracking) : '') : r ? '—' : ''}
                  </td>
                );
              })}
            </tr>
            {rows.map((r) => {
              const atomics = r.field === 'atomics';
              return (
                  <tr key={`${r.field}/${r.state ?? ''}`} className={`${atomics ? 'atomics' : ''}${r.state ? ' part' : ''}`} data-state={r.state ?? undefined}>
                    <th scope="row" title={r.state ? STATE_LABEL[r.state].title : atomics ? ATOMICS_TITLE : undefined}>
                      {r.state ? <span className="muted">while {STATE_LABEL[r.state].label}</span> : atomics ? 'atomic refcount ops' : <code>{r.field}</code>}
                    </th>
                    {r.cells.map((c, i) => (
                      <td
                        key={variants[i]}
                        data-variant={variants[i]}
                        data-field={r.state ? undefined : r.field}
                        data-part={r.state ? `${r.field}/${r.state}` : undefined}
                        data-testid={atomics && !r.state ? 'footprint-atomics' : undefined}
                        className={r.differs[i] ? 'differs' : undefined}
                      >
                        {cellText(c, atomics)}
                      </td>
                    ))}
                  </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {complete && tables.length > 0 && tables.every((t) => t.pages === 0) && <p className="muted">This scenario migrates no page, so there is nothing to count: open a balloon-migrate preset.</p>}
      <p className="muted note">
        Counts include what the page allocator does for the pages a migration allocates and frees: buddy_list shares its words with lru, and freeing checks _refcount is 0
        (__free_pages_prepare()); the split shows that part under free (buddy, pcp) and other. Atomic refcount ops are writes of _refcount.
      </p>
    </aside>
  );
}
