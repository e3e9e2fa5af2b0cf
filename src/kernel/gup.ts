// GUP (mm/gup.c): pin_user_pages() / get_user_pages() on one user address, and the unpin.
// A FOLL_PIN on a small folio adds GUP_PIN_COUNTING_BIAS (1024) to the refcount so that
// folio_maybe_dma_pinned() can guess from the count alone; a large folio gets +1 and _pincount.

import type { Kernel } from './kernel';
import { folio_put_refs, folio_ref_add, folio_test_large, page_folio } from './folio';
import { addHolder, GUP_PIN_COUNTING_BIAS, HOLD, removeHolder } from './pins';
import { ptePfn, ptePresent, type Vma } from './vm';

function pinRefs(k: Kernel, folio: number, kind: number): number {
  if (kind !== HOLD.FOLL_PIN) return 1;
  return folio_test_large(k, folio) ? 1 : GUP_PIN_COUNTING_BIAS;
}

/** Pin (or get) the page mapped at vma/slot. Returns the page's PFN, or -1 if nothing is mapped. */
export function pin_user_page(k: Kernel, vma: Vma, slot: number, kind: typeof HOLD.FOLL_PIN | typeof HOLD.FOLL_GET): number {
  const pte = vma.pte.a[slot]!;
  if (!ptePresent(pte)) return -1;
  const page = ptePfn(pte);
  const folio = page_folio(k, page);
  folio_ref_add(k, folio, pinRefs(k, folio, kind));
  addHolder(k.st, k.pins, folio, kind);
  return page;
}

// mm/gup.c: unpin_user_page() / put_page() for a FOLL_GET reference.
export function unpin_user_page(k: Kernel, page: number, kind: typeof HOLD.FOLL_PIN | typeof HOLD.FOLL_GET): void {
  const folio = page_folio(k, page);
  if (!removeHolder(k.st, k.pins, folio, kind)) throw new Error(`pfn ${page.toString(16)} is not pinned`);
  folio_put_refs(k, folio, pinRefs(k, folio, kind));
}

// include/linux/mm.h: folio_maybe_dma_pinned()
export function folio_maybe_dma_pinned(k: Kernel, folio: number): boolean {
  if (folio_test_large(k, folio)) {
    for (let i = 0; i < k.pins.n.a[0]!; i++) if (k.pins.pfn.a[i] === folio && k.pins.kind.a[i] === HOLD.FOLL_PIN) return true;
    return false;
  }
  return k.mem.refcount.a[folio]! >= GUP_PIN_COUNTING_BIAS;
}
