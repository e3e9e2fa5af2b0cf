// The footprint view: the session's scenario run to its end under every design variant, and per
// variant the struct page fields its migrations read and wrote per migrated page (source and
// destination together) and the atomic _refcount operations. The counts are what the memmap
// accessors recorded while the kernel code ran (engine/footprint.ts), the same as
// `npm run sim -- <preset> --variant NAME --footprint` prints; "touched while the page was" shows
// the part counted while the page was PageOffline, isolated, free in the buddy, or none of these.
import { useEffect, useRef, useState } from 'react';
import type { FpState } from '../kernel/memmap';
import { OverlayDialog } from './OverlayDialog';
import { requestFootprint } from './state/simClient';
import { selectFootprint, selectSession, selectVariant, useSim } from './state/store';

const cell = (reads: number, writes: number): string => (reads === 0 && writes === 0 ? '·' : `${reads} / ${writes}`);

type Shown = 'all' | FpState;

const SPLITS: readonly { readonly id: Shown; readonly label: string; readonly title: string }[] = [
  { id: 'all', label: 'all', title: 'every page the migrations touched' },
  { id: 'offline', label: 'PageOffline', title: 'a balloon page (PageOffline), isolated or not; the write that makes a page PageOffline or ends it counts here' },
  { id: 'isolated', label: 'isolated', title: 'taken for migration and not PageOffline: an LRU folio off its LRU, on a migration list (from the clearing of PG_lru), or a zsmalloc page with PG_movable_ops_isolated' },
  { id: 'buddy', label: 'free (buddy, pcp)', title: 'free in the page allocator: a PageBuddy block (buddy_list links, order, type) or a page on a per-CPU list (pcp_list links)' },
  { id: 'other', label: 'other', title: 'none of these: a new page before it becomes PageOffline or gets its mapping, a page being freed, a page in use' },
];

export function FootprintPanel() {
  const session = useSim(selectSession);
  const fp = useSim(selectFootprint);
  const current = useSim(selectVariant);
  const closeRef = useRef<HTMLButtonElement>(null);
  const [shown, setShown] = useState<Shown>('all');
  const fresh = fp !== null && fp.session === session;
  useEffect(() => {
    if (!fresh) requestFootprint();
  }, [fresh, session]);
  useEffect(() => closeRef.current?.focus(), []);
  const tables = (fresh ? fp.msg.tables : []).map((t) => {
    const part = shown === 'all' ? t : t.byState.find((x) => x.state === shown)!;
    return { variant: t.variant, pages: t.pages, fields: part.fields, atomics: part.atomics };
  });
  const rows = tables[0]?.fields.map((f, i) => ({ field: f.field, cells: tables.map((t) => t.fields[i]!) })) ?? [];
  const used = rows.filter((r) => r.cells.some((c) => c.reads || c.writes));
  return (
    <OverlayDialog
      className="footprint-panel"
      label="Footprint by design variant"
      testId="footprint-panel"
      title="Footprint"
      subtitle={fresh ? `${fp.msg.scenarioName}, run to its end under each design variant` : 'running the scenario under each design variant…'}
      closeRef={closeRef}
    >
      {fresh && (
        <div className="footprint-body">
          <p className="muted">
            struct page fields read / written per migrated page (source and destination together), counted by the memmap accessors while each variant's path ran; · = not touched.
          </p>
          <div className="footprint-split" role="group" aria-label="Touched while the page was" data-testid="footprint-split">
            <span className="muted">touched while the page was:</span>
            {SPLITS.map((x) => (
              <button key={x.id} type="button" aria-pressed={shown === x.id} className="small" title={x.title} onClick={() => setShown(x.id)}>
                {x.label}
              </button>
            ))}
          </div>
          <table className="footprint-table" data-testid="footprint-table" data-split={shown}>
            <thead>
              <tr>
                <th scope="col">field</th>
                {tables.map((t) => (
                  <th key={t.variant} scope="col" aria-current={t.variant === current ? 'true' : undefined}>
                    {t.variant}
                    {t.variant === current && <span className="muted"> (shown)</span>}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              <tr className="pages">
                <th scope="row">pages migrated</th>
                {tables.map((t) => (
                  <td key={t.variant} data-variant={t.variant} data-testid="footprint-pages">
                    {t.pages}
                  </td>
                ))}
              </tr>
              {used.map((r) => (
                <tr key={r.field}>
                  <th scope="row">
                    <code>{r.field}</code>
                  </th>
                  {r.cells.map((c, i) => (
                    <td key={tables[i]!.variant} data-variant={tables[i]!.variant} data-field={r.field}>
                      {cell(c.reads, c.writes)}
                    </td>
                  ))}
                </tr>
              ))}
              <tr className="atomics">
                <th scope="row" title="writes of _refcount per migrated page: every get, put, freeze and unfreeze is an atomic">
                  atomic refcount ops
                </th>
                {tables.map((t) => (
                  <td key={t.variant} data-variant={t.variant} data-testid="footprint-atomics">
                    {t.atomics}
                  </td>
                ))}
              </tr>
            </tbody>
          </table>
          <p className="muted note">
            All counts include what the page allocator does for the pages a migration allocates and frees: buddy_list shares its words with lru, and freeing checks _refcount
            is 0 (__free_pages_prepare()). Most of that is counted under free (buddy, pcp) and other; freeing still reads {"->"}mapping (folio_test_anon()) while the old page is
            PageOffline. Atomic refcount ops are writes of _refcount.
          </p>
          {tables.every((t) => t.pages === 0) && <p className="muted">This scenario migrates no page, so there is nothing to count: open a balloon-migrate preset.</p>}
        </div>
      )}
    </OverlayDialog>
  );
}
