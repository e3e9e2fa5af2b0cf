// Who holds a movable_ops page (balloon, zsmalloc, 6.12's PAGE_MAPPING_MOVABLE pages): one rule
// for the inspector's holders and the invariant checker's refcount accounting.
import { PGTY } from './flags';
import type { Kernel } from './kernel';
import { HOLD, hasHolder } from './pins';
import { hasPageOps, pageOpsOf } from './designs';

/** A movable_ops page is never a user folio, whatever else holds it (isolation, a new folio's allocation). */
export function isMovableOpsOwned(k: Kernel, pfn: number): boolean {
  const type = k.mem.pageType.a[pfn];
  return type === PGTY.offline || type === PGTY.zsmalloc || hasPageOps(k, pfn);
}

/**
 * The owner's reference (1 or 0): held until the migration of an isolated page clears
 * page->private and puts it (balloon_page_finalize() + put_page(), reset_zpdesc() + zpdesc_put());
 * a deflated page off the list keeps the driver's until it is released.
 */
export function movableOpsOwnerRef(k: Kernel, pfn: number): number {
  const own = pageOpsOf(k, pfn)?.ownerRef;
  if (own) return own(k, pfn);
  return k.mem.private_.a[pfn] !== 0 || !hasHolder(k.pins, pfn, HOLD.ISOLATED) ? 1 : 0;
}

/** A page of a design whose pages hold no reference (PageOps.frozen): refcount 0 whoever holds it. */
export const isFrozenOwned = (k: Kernel, pfn: number): boolean => pageOpsOf(k, pfn)?.frozen === true;
