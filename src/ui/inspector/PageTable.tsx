// struct page field by field with the kernel's names, one column per page (the step's source and
// destination side by side, or the pinned page), rows aligned so the same field of both pages is
// on one line. A field the current step changed is marked, with its value before the step.
// Refcount is shown beside what its holders add up to, so a reference nobody accounts for, or the
// extra one that makes migration fail, is in plain sight.
import type { ReactNode } from 'react';
import { ROLE_COLORS, ROLE_LABELS } from '../grid/roles';
import { hex } from '../format';
import type { PageDetail, Role } from '../../worker/protocol';
import { changeText, diffPage, type FieldChange, type FieldKey } from './pageDiff';

export interface Column {
  readonly detail: PageDetail;
  /** The page before the current step (null: unknown, undefined: not asked). */
  readonly before: PageDetail | null | undefined;
  /** The step's role for this page; none for a pinned page. */
  readonly role?: Role;
  /** The step this detail was read at, when it is not the current one. */
  readonly staleAt?: number;
  /** Pin this column's page (the followed pages offer it). */
  readonly onPin?: () => void;
}

interface Row {
  readonly key: FieldKey;
  readonly name: (cols: readonly PageDetail[]) => string;
  readonly title: string;
  /** Also marked changed when one of these changed (holders sit in the _refcount cell). */
  readonly with?: readonly FieldKey[];
  /** Shown only when some column has it. */
  readonly when?: (d: PageDetail) => boolean;
  readonly cell: (d: PageDetail, tid: (id: string) => string | undefined) => ReactNode;
}

const isTail = (d: PageDetail): boolean => d.folioHead !== d.pfn;

/** An lru link: a PFN, or a list head (the kernel's &lruvec->lists[...], our -1). */
const link = (n: number): string => (n < 0 ? 'list head' : hex(n));

const ROWS: readonly Row[] = [
  {
    key: 'flags', name: () => 'flags', title: 'page->flags, decoded with the kernel\'s PG_ names (a tail page shows its head\'s)',
    cell: (d) => (
      <>
        <code className="raw">{hex(d.flagsRaw)}</code>{' '}
        {d.flags.length === 0 ? <span className="muted">none</span> : d.flags.map((f) => <code key={f} className="flag">PG_{f}</code>)}
      </>
    ),
  },
  {
    key: 'page_type', name: () => 'page_type', title: 'the top byte of page->page_type (enum pagetype); none = no type',
    cell: (d) => (d.pageType === 'none' ? <span className="muted">none</span> : <code>PGTY_{d.pageType}</code>),
  },
  {
    key: '_refcount', name: () => '_refcount', with: ['holders'],
    title: 'page->_refcount, and what the holders listed under it add up to (PageDetail.expectedRefcount). Migration\'s own expectation, folio_expected_ref_count(), is in the narration of a refcount step.',
    cell: (d, tid) => {
      const mismatch = d.refcount !== d.expectedRefcount;
      return (
        <>
          <span className={mismatch ? 'refcount mismatch' : 'refcount'} data-testid={tid('inspector-refcount')}>
            <strong>{d.refcount}</strong>
          </span>{' '}
          <span className="muted" data-testid={tid('inspector-expected')}>
            (expected from holders: {d.expectedRefcount}
            {mismatch ? `, ${d.refcount - d.expectedRefcount} unaccounted` : ''})
          </span>
          {d.holders.length > 0 && (
            <ul className="holders" aria-label="Reference holders" data-testid={tid('inspector-holders')}>
              {d.holders.map((h, i) => (
                <li key={i}>
                  <span className="refs">+{h.refs}</span> {h.what}
                </li>
              ))}
            </ul>
          )}
        </>
      );
    },
  },
  {
    key: '_mapcount', name: () => '_mapcount', title: 'page->_mapcount is mappings - 1 (-1: not mapped); folio_mapcount() counts every page of the folio',
    cell: (d) => (
      <>
        <code>{d.mapcountRaw}</code> <span className="muted">raw · folio_mapcount</span> <code>{d.folioMapcount}</code>
        {d.ptes.length > 0 && (
          <ul className="ptes" aria-label="PTEs mapping it">
            {d.ptes.map((p) => (
              <li key={p}>
                <code>{p}</code>
              </li>
            ))}
          </ul>
        )}
      </>
    ),
  },
  { key: 'mapping', name: () => 'mapping', title: 'page->mapping: the address_space, or the anon_vma with FOLIO_MAPPING_ANON set', cell: (d) => <code>{d.mapping}</code> },
  { key: 'index', name: () => 'index', title: 'page->index: the offset in the mapping, in pages', cell: (d) => <code>{hex(d.index)}</code> },
  {
    key: 'private', name: () => 'private', title: 'page->private: the buddy order on a free block\'s head, buffer heads on a file page, the HPG_* flags on a hugetlb folio',
    cell: (d) => (
      <>
        <code>{d.private}</code>
        {d.buddyOrder !== null && <span className="muted"> (buddy order)</span>}
        {d.hugetlb && d.folioHead === d.pfn && d.hugetlb.flags.map((f) => <code key={f} className="flag">{f}</code>)}
      </>
    ),
  },
  {
    key: 'pcp', name: () => 'pcp', when: (d) => d.pcp !== undefined,
    title: 'zone->per_cpu_pageset: which CPU\'s per-CPU page list holds this free page, and which of its lists (migratetype, order)',
    cell: (d) => (d.pcp ? d.pcp.state : <span className="muted">not on a per-CPU list</span>),
  },
  {
    key: 'hstate', name: () => 'hstate', when: (d) => d.hugetlb !== undefined,
    title: 'the 2 MiB hstate: where this hugetlb folio is, and the pool\'s counters (/proc/meminfo\'s HugePages_*)',
    cell: (d) => (d.hugetlb ? <>{d.hugetlb.state} <span className="muted">· {d.hugetlb.pool}</span></> : <span className="muted">not hugetlb</span>),
  },
  {
    key: 'lru', name: (cols) => (cols.every(isTail) ? 'compound_head' : 'lru'),
    title: 'lru links and the list they thread: an LRU list, a free list (buddy_list), a migration list, the balloon\'s list; a tail page keeps its head in lru.next (bit 0 set)',
    cell: (d, tid) =>
      isTail(d) ? (
        <>
          <span className="muted">compound_head</span> <code>{hex(d.folioHead)}</code>
        </>
      ) : d.mlockCount !== null ? (
        <>unevictable LRU (a count, not a list) <span className="muted">· lru holds</span> mlock_count <code>{d.mlockCount}</code></>
      ) : d.lru ? (
        <>
          <span data-testid={tid('inspector-list')}>on {d.lru.list}</span>
          <br />
          <span className="muted">prev</span> <code>{link(d.lru.prev)}</code> <span className="muted">next</span> <code>{link(d.lru.next)}</code>
        </>
      ) : (
        <span className="muted">not on a list</span>
      ),
  },
  {
    key: 'folio', name: () => 'folio', title: 'the folio this page belongs to: head and order; a free page shows its buddy order',
    cell: (d) => {
      const nr = 1 << d.folioOrder;
      return d.buddyOrder !== null ? (
        <>free block head, order {d.buddyOrder} ({1 << d.buddyOrder} pages)</>
      ) : (
        <>
          {isTail(d) ? 'tail of ' : ''}head <code>{hex(d.folioHead)}</code>, order {d.folioOrder} ({nr} page{nr > 1 ? 's' : ''})
          {d.deferredSplit && <span className="muted"> · on the deferred split queue (partially mapped)</span>}
        </>
      );
    },
  },
  {
    key: 'pageblock', name: () => 'pageblock', title: 'the migratetype of the pageblock (2 MiB) this page is in',
    cell: (d) => (
      <>
        <code>{hex(d.pageblock.start)}</code> {d.pageblock.migratetype}
        {d.pageblock.skip && <span className="muted"> (compaction skip)</span>}
      </>
    ),
  },
];

/** The change shown in a cell: the row's own field, else one it carries (holders under _refcount). */
function changeOf(row: Row, diff: ReadonlyMap<FieldKey, FieldChange> | null): FieldChange | 'holders' | null {
  if (!diff) return null;
  const own = diff.get(row.key);
  if (own) return own;
  return row.with?.some((k) => diff.has(k)) ? 'holders' : null;
}

export function PageTable({ columns }: { readonly columns: readonly Column[] }) {
  const details = columns.map((c) => c.detail);
  const diffs = columns.map((c) => (c.before && c.staleAt === undefined ? diffPage(c.before, c.detail) : null));
  const many = columns.length > 1;
  // Test ids stay unique: suffixed by role when there are several columns.
  const tidFor = (c: Column) => (id: string): string | undefined => (many ? `${id}-${c.role ?? 'pinned'}` : id);
  const changedCount = diffs.map((d) => d?.size ?? 0);
  return (
    <table className={many ? 'fields page-columns' : 'fields'} data-columns={columns.length}>
      {many && (
        <thead>
          <tr>
            <td />
            {columns.map((c, i) => (
              <th key={i} scope="col" className="page-col-head" data-role={c.role}>
                <span className="role-box" style={{ borderColor: c.role ? ROLE_COLORS[c.role] : undefined }} aria-hidden="true" />
                <abbr title={c.role ? ROLE_LABELS[c.role] : 'pinned'}>{c.role ?? 'pinned'}</abbr>{' '}
                {c.onPin ? (
                  <button type="button" className="pfn-link" title={`pin PFN ${hex(c.detail.pfn)}: keep it in the inspector from step to step`} onClick={c.onPin}>
                    {hex(c.detail.pfn)}
                  </button>
                ) : (
                  <code>{hex(c.detail.pfn)}</code>
                )}
              </th>
            ))}
          </tr>
        </thead>
      )}
      <tbody>
        {ROWS.filter((r) => !r.when || details.some(r.when)).map((row) => (
          <tr key={row.key}>
            <th scope="row" title={row.title}>
              {row.name(details)}
            </th>
            {columns.map((c, i) => {
              const ch = changeOf(row, diffs[i]!);
              return (
                <td key={i} className={ch ? 'changed' : undefined} data-changed={ch ? row.key : undefined}>
                  {ch && ch !== 'holders' && (
                    <span className="change" title="what this step changed">
                      {row.key === 'flags' ? changeText(ch) : <>was <code>{ch.before}</code> → </>}
                      {row.key === 'flags' ? <br /> : null}
                    </span>
                  )}
                  {ch === 'holders' && <span className="change" title="what this step changed">holders changed: </span>}
                  {row.cell(c.detail, tidFor(c))}
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr>
          <td />
          {columns.map((c, i) => (
            <td key={i} className="muted change-note">
              {c.staleAt !== undefined
                ? `as of step ${c.staleAt}`
                : c.before === null
                  ? 'what this step changed is not known here'
                  : c.before === undefined
                    ? ''
                    : changedCount[i] === 0
                      ? 'this step changed nothing here'
                      : `${changedCount[i]} field${changedCount[i] === 1 ? '' : 's'} changed by this step`}
            </td>
          ))}
        </tr>
      </tfoot>
    </table>
  );
}
