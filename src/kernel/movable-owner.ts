// Who holds a movable_ops page (balloon, zsmalloc, 6.12's PAGE_MAPPING_MOVABLE pages): one rule
// for the inspector's holders and the invariant checker's refcount accounting. Each question
// comes in two forms: asking the design registry (pageOpsOf), or given its answer, for a caller
// that asks several of them about one page (the checker, once per PFN).
import { PGTY } from './flags';
import type { Kernel } from './kernel';
import { HOLD, hasHolder } from './pins';
import { hasPageOps, pageOpsOf, type PageOps } from './designs';

/** A movable_ops page is never a user folio, whatever else holds it (isolation, a new folio's allocation). */
export const isMovableOpsOwned = (k: Kernel, pfn: number): boolean => ownedByType(k, pfn) || hasPageOps(k, pfn);
/** isMovableOpsOwned(), given pageOpsOf(k, pfn). */
export const movableOpsOwnedWith = (k: Kernel, pfn: number, ops: PageOps | null): boolean => ownedByType(k, pfn) || ops !== null;
/** PageOffline and zsmalloc pages, whichever design encodes their ops. */
function ownedByType(k: Kernel, pfn: number): boolean {
  const type = k.mem.pageType.a[pfn];
  return type === PGTY.offline || type === PGTY.zsmalloc;
}

/**
 * The owner's reference (1 or 0): held until the migration of an isolated page clears
 * page->private and puts it (balloon_page_finalize() + put_page(), reset_zpdesc() + zpdesc_put());
 * a deflated page off the list keeps the driver's until it is released.
 */
export const movableOpsOwnerRef = (k: Kernel, pfn: number): number => ownerRefWith(k, pfn, pageOpsOf(k, pfn));
/** movableOpsOwnerRef(), given pageOpsOf(k, pfn). */
export function ownerRefWith(k: Kernel, pfn: number, ops: PageOps | null): number {
  const own = ops?.ownerRef;
  if (own) return own(k, pfn);
  return k.mem.private_.a[pfn] !== 0 || !hasHolder(k.pins, pfn, HOLD.ISOLATED) ? 1 : 0;
}

/** A page of a design whose pages hold no reference (PageOps.frozen): refcount 0 whoever holds it. */
export const isFrozenOwned = (k: Kernel, pfn: number): boolean => frozenWith(pageOpsOf(k, pfn));
/** isFrozenOwned(), given pageOpsOf(k, pfn). */
export const frozenWith = (ops: PageOps | null): boolean => ops?.frozen === true;
