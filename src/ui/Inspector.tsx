// The page inspector: the selected page's struct page as the kernel has it, field by field with
// the kernel's names, read at the current step (the selection follows the step), and its history
// over the computed steps. Refcount is shown beside what its holders add up to, so a reference
// nobody accounts for, or the extra one that makes migration fail, is in plain sight.
import type { ReactNode } from 'react';
import { GoToPfn } from './GoToPfn';
import { PageHistory } from './PageHistory';
import { selectPfn, setBreakpoints } from './state/simClient';
import { selectBreakpoints, selectNrPfns, selectPage, selectSelectedPfn, selectStep, useSim } from './state/store';
import type { PageDetail } from '../worker/protocol';
import { hex } from './format';


export function Inspector() {
  const selected = useSim(selectSelectedPfn);
  const page = useSim(selectPage);
  const step = useSim(selectStep);
  const nrPfns = useSim(selectNrPfns);
  const detail = page && page.pfn === selected ? page.detail : null;
  // A selection kept from a larger machine (another preset) has no page here.
  const missing = selected !== null && nrPfns > 0 && selected >= nrPfns;
  return (
    <section className="panel inspector" aria-label="Page inspector" data-testid="inspector" data-pfn={detail?.pfn}>
      <div className="panel-head">
        <h2>struct page</h2>
        <GoToPfn />
      </div>
      {selected === null ? (
        <p className="hint">Click a page on the grid, or type its PFN, to see its struct page here as the step changes it.</p>
      ) : missing ? (
        <p className="hint">PFN {hex(selected)} is past the end of this machine (0x0–{hex(nrPfns - 1)}).</p>
      ) : !detail ? (
        <p className="hint">Reading PFN {hex(selected)}…</p>
      ) : (
        <>
          <PfnLine d={detail} stale={page!.step !== step} at={page!.step} />
          <Fields d={detail} />
          <PageHistory marks={page!.history ?? []} total={page!.historyTotal ?? 0} action={<BreakOnPfn pfn={detail.pfn} />} />
        </>
      )}
    </section>
  );
}

function PfnLine({ d, stale, at }: { readonly d: PageDetail; readonly stale: boolean; readonly at: number }) {
  return (
    <div className="pfn-line">
      <strong className="mono">PFN {hex(d.pfn)}</strong>
      <span className="muted">
        ({d.pfn}) · zone {d.zone}
        {stale ? ` · as of step ${at}` : ''}
      </span>
      <span className="spacer" />
      <button type="button" className="small" aria-label="Clear the selection" title="Clear the selection" onClick={() => selectPfn(null)}>
        ×
      </button>
    </div>
  );
}

function Row({ name, title, children }: { readonly name: string; readonly title?: string; readonly children: ReactNode }) {
  return (
    <tr>
      <th scope="row" title={title}>
        {name}
      </th>
      <td>{children}</td>
    </tr>
  );
}

function Fields({ d }: { readonly d: PageDetail }) {
  const tail = d.folioHead !== d.pfn;
  const nr = 1 << d.folioOrder;
  const mismatch = d.refcount !== d.expectedRefcount;
  return (
    <table className="fields">
      <tbody>
        <Row name="flags" title="page->flags, decoded with the kernel's PG_ names (a tail page shows its head's)">
          <code className="raw">{hex(d.flagsRaw)}</code>{' '}
          {d.flags.length === 0 ? <span className="muted">none</span> : d.flags.map((f) => <code key={f} className="flag">PG_{f}</code>)}
        </Row>
        <Row name="page_type" title="the top byte of page->page_type (enum pagetype); none = no type">
          {d.pageType === 'none' ? <span className="muted">none</span> : <code>PGTY_{d.pageType}</code>}
        </Row>
        <Row name="_refcount" title="page->_refcount, and what the holders listed under it add up to (PageDetail.expectedRefcount). Migration's own expectation, folio_expected_ref_count(), is in the narration of a refcount step.">
          <span className={mismatch ? 'refcount mismatch' : 'refcount'} data-testid="inspector-refcount">
            <strong>{d.refcount}</strong>
          </span>{' '}
          <span className="muted" data-testid="inspector-expected">
            (expected from holders: {d.expectedRefcount}
            {mismatch ? `, ${d.refcount - d.expectedRefcount} unaccounted` : ''})
          </span>
          {d.holders.length > 0 && (
            <ul className="holders" aria-label="Reference holders" data-testid="inspector-holders">
              {d.holders.map((h, i) => (
                <li key={i}>
                  <span className="refs">+{h.refs}</span> {h.what}
                </li>
              ))}
            </ul>
          )}
        </Row>
        <Row name="_mapcount" title="page->_mapcount is mappings - 1 (-1: not mapped); folio_mapcount() counts every page of the folio">
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
        </Row>
        <Row name="mapping" title="page->mapping: the address_space, or the anon_vma with FOLIO_MAPPING_ANON set">
          <code>{d.mapping}</code>
        </Row>
        <Row name="index" title="page->index: the offset in the mapping, in pages">
          <code>{hex(d.index)}</code>
        </Row>
        <Row name="private" title="page->private: the buddy order on a free block's head, buffer heads on a file page, the HPG_* flags on a hugetlb folio">
          <code>{d.private}</code>
          {d.buddyOrder !== null && <span className="muted"> (buddy order)</span>}
          {d.hugetlb && d.folioHead === d.pfn && d.hugetlb.flags.map((f) => <code key={f} className="flag">{f}</code>)}
        </Row>
        {d.pcp && (
          <Row name="pcp" title="zone->per_cpu_pageset: which CPU's per-CPU page list holds this free page, and which of its lists (migratetype, order)">
            {d.pcp.state}
          </Row>
        )}
        {d.hugetlb && (
          <Row name="hstate" title="the 2 MiB hstate: where this hugetlb folio is, and the pool's counters (/proc/meminfo's HugePages_*)">
            {d.hugetlb.state} <span className="muted">· {d.hugetlb.pool}</span>
          </Row>
        )}
        <Row name={tail ? 'compound_head' : 'lru'} title={tail ? 'a tail page keeps its head in lru.next (bit 0 set)' : 'lru links and the list they thread: an LRU list, a free list (buddy_list), a migration list, the balloon\'s list'}>
          {tail ? (
            <code>{hex(d.folioHead)}</code>
          ) : d.mlockCount !== null ? (
            <>unevictable LRU (a count, not a list) <span className="muted">· lru holds</span> mlock_count <code>{d.mlockCount}</code></>
          ) : d.lru ? (
            <>
              <span data-testid="inspector-list">on {d.lru.list}</span>
              <br />
              <span className="muted">prev</span> <code>{link(d.lru.prev)}</code> <span className="muted">next</span> <code>{link(d.lru.next)}</code>
            </>
          ) : (
            <span className="muted">not on a list</span>
          )}
        </Row>
        <Row name="folio" title="the folio this page belongs to: head and order; a free page shows its buddy order">
          {d.buddyOrder !== null ? (
            <>free block head, order {d.buddyOrder} ({1 << d.buddyOrder} pages)</>
          ) : (
            <>
              head <code>{hex(d.folioHead)}</code>, order {d.folioOrder} ({nr} page{nr > 1 ? 's' : ''})
              {d.deferredSplit && <span className="muted"> · on the deferred split queue (partially mapped)</span>}
            </>
          )}
        </Row>
        <Row name="pageblock" title="the migratetype of the pageblock (2 MiB) this page is in">
          <code>{hex(d.pageblock.start)}</code> {d.pageblock.migratetype}
          {d.pageblock.skip && <span className="muted"> (compaction skip)</span>}
        </Row>
      </tbody>
    </table>
  );
}

/** An lru link: a PFN, or a list head (the kernel's &lruvec->lists[...], our -1). */
function link(n: number): string {
  return n < 0 ? 'list head' : hex(n);
}

function BreakOnPfn({ pfn }: { readonly pfn: number }) {
  const breakpoints = useSim(selectBreakpoints);
  const has = breakpoints.some((b) => b.kind === 'pfn' && b.pfn === pfn);
  return (
    <button
      type="button"
      className="small"
      disabled={has}
      title={has ? 'a breakpoint on this PFN is set' : 'stop play when a step touches this page'}
      onClick={() => setBreakpoints([...breakpoints, { kind: 'pfn', pfn }])}
    >
      Break on this PFN
    </button>
  );
}
