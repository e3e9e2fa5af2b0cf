// zsmalloc pages as the second movable_ops user (mm/zsmalloc.c, mm/zpdesc.h, 6.18): a zspage is
// a chain of 1-4 PageZsmalloc pages (zpdesc->next in page->index, zpdesc->zspage in
// page->private, PG_private on the first page), each with PG_movable_ops and one reference.
// zs_page_migrate() copies the objects, splices the new page into the chain in place of the old
// (replace_sub_page) and moves the reference; zs_page_putback() does nothing.

import { PG, PGTY } from './flags';
import type { Kernel } from './kernel';
import { __alloc_pages, GFP_HIGHUSER_MOVABLE } from './buddy';
import { clearPageFlag, pageIndex, pagePrivate, setPageFlag, setPageIndex, setPagePrivate, setPageType, testPageFlag } from './memmap';
import { folio_get, folio_put, folio_ref_count } from './folio';
import { put } from './store';
import { hex, mkStep, type Steps, type StepInfo } from './step';

/** page->index of a zspage page: the next page of the chain + 1, 0 for the last. */
const next = (k: Kernel, pfn: number): number => pageIndex(k, pfn) - 1;

/** Pages of zspage `id`, first to last. */
export function zspagePages(k: Kernel, id: number): number[] {
  const out: number[] = [];
  for (let p = k.zs.first.a[id]!; p >= 0 && out.length < 4; p = next(k, p)) out.push(p);
  return out;
}

// mm/zsmalloc.c: create_page_chain()
function create_page_chain(k: Kernel, id: number, pages: readonly number[]): void {
  pages.forEach((p, i) => {
    setPagePrivate(k, p, id + 1); // zpdesc->zspage
    setPageIndex(k, p, i + 1 < pages.length ? pages[i + 1]! + 1 : 0); // zpdesc->next
    if (i === 0) setPageFlag(k, p, PG.private);
    else clearPageFlag(k, p, PG.private);
  });
  put(k.st, k.zs.first, id, pages[0]!);
}

// mm/zsmalloc.c: alloc_zspage() — pages allocated movable, typed PageZsmalloc, chained, and
// marked PG_movable_ops (__zpdesc_set_movable).
export function* alloc_zspage(k: Kernel, nrPages: number): Steps<number> {
  const id = k.zs.n.a[0]!;
  if (id >= k.zs.first.a.length) {
    yield mkStep(k, { phase: 'alloc', fn: 'alloc_zspage', file: 'mm/zsmalloc.c', text: `the model holds at most ${k.zs.first.a.length} zspages`, pfns: [], result: 'NULL' });
    return -1;
  }
  const pages: number[] = [];
  for (let i = 0; i < nrPages; i++) {
    const p = __alloc_pages(k, GFP_HIGHUSER_MOVABLE, 0);
    if (p < 0) break;
    setPageType(k, p, PGTY.zsmalloc); // __zpdesc_set_zsmalloc()
    setPageFlag(k, p, PG.uptodate); // PG_movable_ops
    pages.push(p);
  }
  if (pages.length < nrPages) {
    for (const p of pages) {
      setPageType(k, p, PGTY.none);
      clearPageFlag(k, p, PG.uptodate);
      folio_put(k, p);
    }
    yield mkStep(k, { phase: 'alloc', fn: 'alloc_zspage', file: 'mm/zsmalloc.c', text: 'no memory for a whole zspage: the pages already taken go back', pfns: [], result: 'NULL' });
    return -1;
  }
  create_page_chain(k, id, pages);
  put(k.st, k.zs.n, 0, id + 1);
  yield mkStep(k, {
    phase: 'alloc', fn: 'alloc_zspage', file: 'mm/zsmalloc.c',
    text: `zspage #${id}: ${pages.map(hex).join(' → ')} (PageZsmalloc, PG_movable_ops; zpdesc->next in index, the zspage in private, PG_private on the first page; one reference each)`,
    pfns: pages.map((p) => ({ pfn: p, role: 'allocated' as const })),
  });
  return id;
}

// mm/zsmalloc.c: zs_page_isolate() — movable while it still belongs to a zspage.
export function zs_page_isolate(k: Kernel, page: number): boolean {
  return pagePrivate(k, page) !== 0;
}

// mm/zsmalloc.c: zs_page_migrate()
export function zs_page_migrate(k: Kernel, dst: number, src: number): { rc: number; steps: StepInfo[] } {
  const id = pagePrivate(k, src) - 1;
  if (id < 0) return { rc: 0, steps: [] }; // the zspage went away meanwhile: nothing to move
  setPageType(k, dst, PGTY.zsmalloc);
  const chain = zspagePages(k, id).map((p) => (p === src ? dst : p));
  create_page_chain(k, id, chain); // replace_sub_page()
  setPageFlag(k, dst, PG.uptodate); // __zpdesc_set_movable()
  folio_get(k, dst); // zpdesc_get(newzpdesc)
  clearPageFlag(k, src, PG.private); // reset_zpdesc(): PageZsmalloc stays until freed
  setPagePrivate(k, src, 0);
  setPageIndex(k, src, 0);
  const ref = folio_ref_count(k, src);
  folio_put(k, src); // zpdesc_put(zpdesc)
  return {
    rc: 0,
    steps: [mkStep(k, {
      phase: 'copy', fn: 'zs_page_migrate', file: 'mm/zsmalloc.c',
      text: `objects copied ${hex(src)} → ${hex(dst)}, handles re-recorded; replace_sub_page() splices ${hex(dst)} into zspage #${id} (${chain.map(hex).join(' → ')}); zpdesc_get(dst) (refcount ${folio_ref_count(k, dst)}), reset_zpdesc(src), zpdesc_put(src) (refcount ${ref} → ${ref - 1})`,
      pfns: [{ pfn: src, role: 'src' }, { pfn: dst, role: 'dst' }], result: '0',
    })],
  };
}

/** A zsmalloc page (for the movable_ops dispatch). */
export const isZsmalloc = (k: Kernel, pfn: number): boolean => k.mem.pageType.a[pfn] === PGTY.zsmalloc && testPageFlag(k, pfn, PG.uptodate);
