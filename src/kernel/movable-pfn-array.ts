// Design variant "pfn-array": non-folio (movable_ops) pages migrated through a PFN-array path in
// the style of migrate_vma_setup()/migrate_vma_pages()/migrate_vma_finalize() instead of
// migrate_pages()'s lists — the idea raised in the discussion for converging the two paths. The
// pages keep 6.18's balloon (refcount, balloon list, movable_ops); only the migration path
// changes: src[] and dst[] arrays of MIGRATE_PFN_* entries, and no page->lru threading.
// A model of a proposal, not of a released kernel: each step says so.

import { PG } from './flags';
import type { Kernel } from './kernel';
import { __alloc_pages, GFP_HIGHUSER_MOVABLE } from './buddy';
import { clearPageFlag, setPageFlag, testPageFlag } from './memmap';
import { folio_put } from './folio';
import { isolate_movable_ops_page, isolate_movable_ops_page_steps, putback_movable_ops_page } from './isolate';
import { balloon_page_migrate } from './balloon';
import { addHolder, removeHolder, HOLD } from './pins';
import { count_vm_events, VM_EVENT } from './vmstat';
import { hex, mkStep, type Steps } from './step';

// include/linux/migrate.h: the entry encoding migrate_vma uses.
export const MIGRATE_PFN_VALID = 1;
export const MIGRATE_PFN_MIGRATE = 2;
export const MIGRATE_PFN_SHIFT = 6;
export const migrate_pfn = (pfn: number): number => pfn * (1 << MIGRATE_PFN_SHIFT) + MIGRATE_PFN_VALID;
const mpfnText = (e: number): string => (e === 0 ? '0' : `${hex(Math.floor(e / (1 << MIGRATE_PFN_SHIFT)))}|${e & MIGRATE_PFN_VALID ? 'VALID' : ''}${e & MIGRATE_PFN_MIGRATE ? '|MIGRATE' : ''}`);

const VARIANT = 'pfn-array design variant';

export function* migrate_movable_pfns(k: Kernel, pfns: readonly number[], who: string): Steps<{ migrated: number; failed: number }> {
  // "setup": collect and isolate into src[] (no list: the array is the collection).
  const src: number[] = [];
  for (const p of pfns) {
    // A race's migrator isolates one guard a step (the same stages as migrate_pages()' isolation).
    const why = k.raced ? yield* isolate_movable_ops_page_steps(k, p, who, VARIANT) : isolate_movable_ops_page(k, p);
    // A page this migrator could not isolate gets a zero entry, as migrate_vma_collect() /
    // migrate_device_unmap() leave one, so finalize neither puts it back nor drops a reference
    // it never took (another migrator may hold it isolated).
    src.push(why ? 0 : migrate_pfn(p) | MIGRATE_PFN_MIGRATE);
    yield mkStep(k, {
      phase: 'isolate', fn: 'migrate_movable_setup', file: '',
      text: `${VARIANT}, ${who}: src[${src.length - 1}] = ${mpfnText(src[src.length - 1]!)}${why ? ` — not isolated: ${why}` : ' — isolated (+1 reference, PG_movable_ops_isolated); no page->lru list is built'}`,
      pfns: [{ pfn: p, role: 'src' }], result: why ? 'false' : 'true',
    });
  }
  // The caller fills dst[] for every entry still marked MIGRATE.
  const dst = src.map((e) => {
    if (!(e & MIGRATE_PFN_MIGRATE)) return 0;
    const d = __alloc_pages(k, GFP_HIGHUSER_MOVABLE, 0);
    if (d < 0) return 0;
    addHolder(k.st, k.pins, d, HOLD.MIGRATE_NEW); // the allocation's reference, dropped at finalize
    setPageFlag(k, d, PG.locked);
    return migrate_pfn(d);
  });
  yield mkStep(k, {
    phase: 'alloc', fn: 'migrate_movable_setup', file: '',
    text: `${VARIANT}: dst[] = [${dst.map(mpfnText).join(', ')}] (new pages, locked)`,
    pfns: dst.filter(Boolean).map((e) => ({ pfn: Math.floor(e / (1 << MIGRATE_PFN_SHIFT)), role: 'dst' as const })),
  });
  // "pages": the driver migrates each pair; a failure clears MIGRATE in src[i].
  let migrated = 0;
  let failed = 0;
  for (let i = 0; i < src.length; i++) {
    const s = Math.floor(src[i]! / (1 << MIGRATE_PFN_SHIFT));
    if (!(src[i]! & MIGRATE_PFN_MIGRATE) || !dst[i]) continue;
    const d = Math.floor(dst[i]! / (1 << MIGRATE_PFN_SHIFT));
    if (!testPageFlag(k, s, PG.reclaim)) {
      // migrate_movable_ops_page()'s VM_WARN_ON_ONCE_PAGE(!PageMovableOpsIsolated(src)): only
      // reached when a second migrator got past isolation with a guard switched off and the
      // first has migrated the page meanwhile. The entry is dropped; its reference stays (leaked).
      src[i] = src[i]! & ~MIGRATE_PFN_MIGRATE;
      yield mkStep(k, { phase: 'move-mapping', fn: 'migrate_movable_ops_page', file: 'mm/migrate.c', text: `${VARIANT}: VM_WARN_ON_ONCE_PAGE: ${hex(s)} is no longer PG_movable_ops_isolated — another migrator isolated and migrated it too: the entry is dropped, its isolation reference leaked`, pfns: [{ pfn: s, role: 'src' }], result: '-EBUSY' });
      continue;
    }
    setPageFlag(k, s, PG.locked);
    const rc = yield* balloon_page_migrate(k, d, s);
    if (rc) src[i] = src[i]! & ~MIGRATE_PFN_MIGRATE;
    else clearPageFlag(k, s, PG.reclaim); // ClearPageMovableOpsIsolated()
  }
  // "finalize": unlock; drop dst's allocation reference, src's isolation reference; put back what failed.
  for (let i = 0; i < src.length; i++) {
    const s = Math.floor(src[i]! / (1 << MIGRATE_PFN_SHIFT));
    const d = dst[i] ? Math.floor(dst[i]! / (1 << MIGRATE_PFN_SHIFT)) : -1;
    const ok = (src[i]! & MIGRATE_PFN_MIGRATE) !== 0 && d >= 0;
    if (d >= 0) {
      clearPageFlag(k, d, PG.locked);
      removeHolder(k.st, k.pins, d, HOLD.MIGRATE_NEW);
      folio_put(k, d);
    }
    if (!(src[i]! & MIGRATE_PFN_VALID)) continue;
    if (ok) {
      clearPageFlag(k, s, PG.locked);
      removeHolder(k.st, k.pins, s, HOLD.ISOLATED);
      folio_put(k, s);
      migrated++;
    } else if (k.mem.flags.a[s]! & (1 << PG.reclaim)) {
      clearPageFlag(k, s, PG.locked);
      putback_movable_ops_page(k, s);
      failed++;
    } else failed++;
    yield mkStep(k, {
      phase: ok ? 'free' : 'putback', fn: 'migrate_movable_finalize', file: '',
      text: ok ? `${VARIANT}: ${hex(s)} → ${hex(d)} done; references dropped by index (dst's allocation, src's isolation)` : `${VARIANT}: ${hex(s)} not migrated: put back`,
      pfns: d >= 0 ? [{ pfn: s, role: 'src' }, { pfn: d, role: 'dst' }] : [{ pfn: s, role: 'src' }],
    });
  }
  count_vm_events(k, VM_EVENT.PGMIGRATE_SUCCESS, migrated);
  count_vm_events(k, VM_EVENT.PGMIGRATE_FAIL, failed);
  return { migrated, failed };
}
