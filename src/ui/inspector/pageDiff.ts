// The struct page fields the inspector shows, as short texts, and what a step changed in them:
// the page read before the step against the page read after it (worker: inspect's `before`), so
// a change is exact whatever code path made it. Flags are told as set / cleared, the rest as
// before → after.
import type { PageDetail } from '../../worker/protocol';
import { hex } from '../format';

export type FieldKey =
  | 'flags' | 'page_type' | '_refcount' | 'holders' | '_mapcount' | 'mapping' | 'index' | 'private'
  | 'pcp' | 'hstate' | 'lru' | 'folio' | 'pageblock';

/** One field of one page as text: what is compared, and what "before" shows. */
export function fieldText(d: PageDetail, key: FieldKey): string {
  switch (key) {
    case 'flags':
      return d.flags.map((f) => `PG_${f}`).join(' ') || 'none';
    case 'page_type':
      return d.pageType === 'none' ? 'none' : `PGTY_${d.pageType}`;
    case '_refcount':
      return String(d.refcount);
    case 'holders':
      return d.holders.map((h) => `+${h.refs} ${h.what}`).join('; ');
    case '_mapcount':
      return `${d.mapcountRaw} (folio_mapcount ${d.folioMapcount})`;
    case 'mapping':
      return d.mapping;
    case 'index':
      return hex(d.index);
    case 'private':
      return String(d.private);
    case 'pcp':
      return d.pcp ? `CPU ${d.pcp.cpu} ${d.pcp.migratetype} order-${d.pcp.order}` : 'none';
    case 'hstate':
      return d.hugetlb?.state ?? 'none';
    case 'lru':
      if (d.folioHead !== d.pfn) return `compound_head ${hex(d.folioHead)}`;
      if (d.mlockCount !== null) return `mlock_count ${d.mlockCount}`;
      return d.lru ? `on ${d.lru.list}` : 'not on a list';
    case 'folio':
      return d.buddyOrder !== null ? `free block, order ${d.buddyOrder}` : `head ${hex(d.folioHead)}, order ${d.folioOrder}`;
    case 'pageblock':
      return `${d.pageblock.migratetype}${d.pageblock.skip ? ' (skip)' : ''}`;
  }
}

export interface FieldChange {
  readonly before: string;
  readonly after: string;
  /** For flags: the PG_ names this step set and cleared. */
  readonly set?: readonly string[];
  readonly cleared?: readonly string[];
}

export const FIELD_KEYS: readonly FieldKey[] = [
  'flags', 'page_type', '_refcount', 'holders', '_mapcount', 'mapping', 'index', 'private', 'pcp', 'hstate', 'lru', 'folio', 'pageblock',
];

/** The fields that differ between the page before the step and after it, by key. */
export function diffPage(before: PageDetail, after: PageDetail): ReadonlyMap<FieldKey, FieldChange> {
  const out = new Map<FieldKey, FieldChange>();
  for (const key of FIELD_KEYS) {
    const a = fieldText(before, key);
    const b = fieldText(after, key);
    if (a === b) continue;
    if (key === 'flags') {
      const set = after.flags.filter((f) => !before.flags.includes(f)).map((f) => `PG_${f}`);
      const cleared = before.flags.filter((f) => !after.flags.includes(f)).map((f) => `PG_${f}`);
      out.set(key, { before: a, after: b, set, cleared });
    } else out.set(key, { before: a, after: b });
  }
  return out;
}

/** One line for a change: "PG_locked set, PG_lru cleared", or "3 → 2". */
export function changeText(c: FieldChange): string {
  if (c.set || c.cleared) {
    const parts = [...(c.set ?? []).map((f) => `${f} set`), ...(c.cleared ?? []).map((f) => `${f} cleared`)];
    return parts.join(', ');
  }
  return `${c.before} → ${c.after}`;
}
