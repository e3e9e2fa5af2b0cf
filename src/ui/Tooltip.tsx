// The grid's hover tooltip: the PFN under the pointer, the state its cell shows, and from the
// worker's reading of its struct page the order (folio or free block), refcount and mapcount.
// The grid controller places it (a style transform per animation frame, no React render); this
// renders only when the hovered PFN, its class or the worker's answer changes. All text, never HTML.
import type { Ref } from 'react';
import { useStore } from 'zustand';
import { STATE_CLASSES } from '../kernel/classes';
import type { PageDetail } from '../worker/protocol';
import { gridHover } from './grid/hover';
import { selectHover, useSim } from './state/store';
import { hex } from './format';


/**
 * "head of an order-3 folio" / "free block of order 4" / "order-0 page". Only the head of a free
 * block is PageBuddy with the order in page->private, so a free page elsewhere in the block (its
 * cell is a free colour) is said to be inside one.
 */
export function orderLine(d: PageDetail, free: boolean): string {
  if (d.buddyOrder !== null) return `head of a free block of order ${d.buddyOrder} (${1 << d.buddyOrder} pages)`;
  if (free) return 'inside a free block (its head page holds the order)';
  if (d.folioOrder > 0) {
    return d.folioHead === d.pfn
      ? `head of an order-${d.folioOrder} folio (${1 << d.folioOrder} pages)`
      : `tail of the order-${d.folioOrder} folio at ${hex(d.folioHead)}`;
  }
  return 'order-0 page';
}

/** Refcount and mapcount, with the tail/free cases said in words (their counts live elsewhere). */
export function countsLine(d: PageDetail): string {
  if (d.folioHead !== d.pfn) return `refcount ${d.refcount} (a tail page: the folio's count is on its head)`;
  const map = d.folioMapcount > 0 ? `, mapcount ${d.folioMapcount}` : '';
  return `refcount ${d.refcount}${map}`;
}

export function Tooltip({ ref }: { ref?: Ref<HTMLDivElement> }) {
  const { pfn, cls } = useStore(gridHover);
  const hover = useSim(selectHover);
  const info = STATE_CLASSES.find((c) => c.id === cls);
  const detail = hover && hover.pfn === pfn ? hover.detail : null;
  const step = useSim.getState().meta?.step;
  return (
    <div
      ref={ref}
      className="pfn-tooltip"
      role="tooltip"
      data-testid="pfn-tooltip"
      data-pfn={pfn ?? undefined}
      data-loaded={detail ? 'true' : 'false'}
      hidden={pfn === null}
    >
      {pfn !== null && (
        <>
          <div className="tt-head">
            <span className="tt-pfn">PFN {hex(pfn)}</span>
            {detail && <span className="tt-zone">{detail.zone} · {detail.pageblock.migratetype} pageblock</span>}
          </div>
          <div className="tt-class">
            <span className="swatch" style={{ background: info?.color ?? 'transparent' }} />
            {info?.label ?? `state ${cls}`}
          </div>
          {detail ? (
            <>
              <div>{orderLine(detail, info?.key.startsWith('free-') ?? false)}</div>
              <div>
                {countsLine(detail)}
                {detail.pageType !== 'none' && <> · page_type {detail.pageType}</>}
              </div>
              {detail.flags.length > 0 && <div className="tt-flags">{detail.flags.join(' ')}</div>}
              {hover && step !== undefined && hover.step !== step && <div className="tt-stale">as of step {hover.step}</div>}
            </>
          ) : (
            <div className="tt-stale">reading struct page…</div>
          )}
        </>
      )}
    </div>
  );
}
