// hugetlb folios in migrate_pages() (mm/migrate.c, Linux 6.18): migrate_hugetlbs() runs before
// any batch, up to 10 passes, one folio at a time, never batched and never split; each goes
// through unmap_and_move_huge_page(): destination from alloc_hugetlb_folio_nodemask(), lock,
// try_to_migrate() of its one huge mapping, move_to_new_folio(), remove_migration_ptes(),
// move_hugetlb_state(), and the old folio put back (and freed: to the pool, or to the buddy).
// The rmap halves here are try_to_migrate_one()'s and remove_migration_pte()'s hugetlb branches.

import { PG, PGTY } from './flags';
import { pageZone, type Kernel } from './kernel';
import { clearPageFlag, setPageFlag, testPageFlag } from './memmap';
import { folio_get, folio_mapped, folio_put, folio_ref_count, folio_test_anon } from './folio';
import { folio_maybe_dma_pinned } from './gup';
import { listDel } from './list';
import { folioListPfns, listMoveTail } from './isolate';
import { rmapVmas } from './rmap';
import { addHolder, HOLD, removeHolder } from './pins';
import { put } from './store';
import { hex, mkStep, type StepInfo, type Steps } from './step';
import { mappingId, mkMigrationEntry, mkPte, pteBits, pteIsMigration, ptePfn, ptePresent, vma_address, PTE_DIRTY, PTE_EXCLUSIVE, PTE_WRITE, PTE_YOUNG, type Vma } from './vm';
import { migrationPteValue, presentPteValue } from './migrate-rmap';
import {
  EAGAIN, ENOMEM, errName, MIGRATE_MODE, MODE_NAMES, move_to_new_folio,
  type MigrateCtx, type MigrateMode, type MigrateStats,
} from './migrate';
import { folio_putback_hugetlb, freedText, hpgTest, hugetlbFate, move_hugetlb_state, poolText } from './hugetlb';
import { folio_entire_mapcount, hugetlb_add_anon_rmap, hugetlb_remove_rmap } from './hugetlb-fault';
import { HPAGE_NR, HPG, HS, HUGETLB_ORDER, hugetlbCounter } from './hugetlb-state';

const NR_MAX_MIGRATE_PAGES_RETRY = 10;
const NR = HPAGE_NR;

const address = (vma: Vma, slot: number): string => ((vma.start + slot) * 4096).toString(16);
const mmName = (k: Kernel, vma: Vma): string => `${k.vm.mms[vma.mm]!.comm}[${k.vm.mms[vma.mm]!.pid}]`;
const refs = (k: Kernel, folio: number): string => `refcount ${folio_ref_count(k, folio)}, mapcount ${folio_entire_mapcount(k, folio)}`;

/** x86-64 huge entries carry _PAGE_PSE (arch_make_huge_pte() → pte_mkhuge()). */
const hugePteValue = (pfn: number, bits: number, softDirty: boolean): string => (BigInt('0x' + presentPteValue(pfn, bits, softDirty)) | 0x80n).toString(16);

// mm/rmap.c: try_to_migrate() → try_to_migrate_one()'s hugetlb branches for an anon hugetlb
// folio: huge_ptep_clear_flush() (a dirty entry dirties the folio), hugetlb_try_share_anon_rmap()
// (-EBUSY if the folio may be DMA-pinned: the entry is put back and the walk stops), then one
// migration entry for all 512 pages, hugetlb_remove_rmap() and the mapping's reference put.
function try_to_migrate_hugetlb(k: Kernel, folio: number): StepInfo[] {
  const steps: StepInfo[] = [];
  const anon = folio_test_anon(k, folio);
  for (const vma of rmapVmas(k, k.mem.mapping.a[folio]!)) {
    const slot = vma_address(vma, k.mem.index.a[folio]!);
    if (slot < 0) continue;
    const pte = vma.pte.a[slot]!;
    if (!ptePresent(pte) || ptePfn(pte) !== folio) continue;
    const bits = pteBits(pte);
    const exclusive = anon && testPageFlag(k, folio, PG.owner_2);
    if (exclusive && folio_maybe_dma_pinned(k, folio)) {
      steps.push(mkStep(k, {
        phase: 'unmap', fn: 'try_to_migrate_one', file: 'mm/rmap.c',
        text: `${hex(folio)} is anon-exclusive and folio_maybe_dma_pinned() (a FOLL_PIN holds it): hugetlb_try_share_anon_rmap() returns -EBUSY, the huge entry of ${mmName(k, vma)} at 0x${address(vma, slot)} is put back, the folio stays mapped and try_to_migrate_one() returns false`,
        pfns: [{ pfn: folio, role: 'src', nr: NR }], result: 'false',
      }));
      return steps;
    }
    if (bits & PTE_DIRTY) setPageFlag(k, folio, PG.dirty); // folio_mark_dirty()
    if (exclusive) clearPageFlag(k, folio, PG.owner_2); // hugetlb_try_share_anon_rmap()
    const ebits = (bits & (PTE_WRITE | PTE_YOUNG | PTE_DIRTY)) | (exclusive ? PTE_EXCLUSIVE : 0);
    const before = refs(k, folio);
    put(k.st, vma.pte, slot, mkMigrationEntry(folio, ebits)); // set_huge_pte_at()
    hugetlb_remove_rmap(k, folio);
    folio_put(k, folio);
    const kind = bits & PTE_WRITE ? 'writable' : exclusive ? 'readable-exclusive' : 'readable';
    steps.push(mkStep(k, {
      phase: 'unmap', fn: 'try_to_migrate_one', file: 'mm/rmap.c',
      text: `the huge entry of ${mmName(k, vma)} at 0x${address(vma, slot)} (all ${NR} pages) → one ${kind} migration entry for ${hex(folio)}${bits & PTE_DIRTY ? '; the entry was dirty, so the folio is marked dirty' : ''}; hugetlb_remove_rmap() and the mapping's reference put (${before} → ${refs(k, folio)})`,
      pfns: [{ pfn: folio, role: 'src', nr: NR }],
      trace: [`set_migration_pte: addr=${address(vma, slot)}, pte=${migrationPteValue(folio, ebits)} order=${HUGETLB_ORDER}`],
    }));
  }
  return steps;
}

// mm/migrate.c: remove_migration_ptes() → remove_migration_pte()'s hugetlb branch: the migration
// entry for src becomes a huge entry to dst (arch_make_huge_pte), write/young/dirty from the
// entry, hugetlb_add_anon_rmap() (RMAP_EXCLUSIVE unless the entry was readable) and a reference.
function remove_migration_ptes_hugetlb(k: Kernel, src: number, dst: number): StepInfo[] {
  const steps: StepInfo[] = [];
  const anon = folio_test_anon(k, dst);
  for (const vma of rmapVmas(k, k.mem.mapping.a[dst]!)) {
    const slot = vma_address(vma, k.mem.index.a[dst]!);
    if (slot < 0) continue;
    const pte = vma.pte.a[slot]!;
    if (!pteIsMigration(pte) || ptePfn(pte) !== src) continue;
    const ebits = pteBits(pte);
    folio_get(k, dst);
    let bits = ebits & (PTE_WRITE | PTE_YOUNG);
    if (ebits & PTE_DIRTY && testPageFlag(k, dst, PG.dirty)) bits |= PTE_DIRTY;
    const exclusive = anon && (ebits & (PTE_WRITE | PTE_EXCLUSIVE)) !== 0; // !is_readable_migration_entry()
    if (exclusive) bits |= PTE_EXCLUSIVE;
    hugetlb_add_anon_rmap(k, dst, exclusive);
    put(k.st, vma.pte, slot, mkPte(dst, bits)); // set_huge_pte_at()
    steps.push(mkStep(k, {
      phase: 'remap', fn: 'remove_migration_pte', file: 'mm/migrate.c',
      text: `migration entry of ${mmName(k, vma)} at 0x${address(vma, slot)} → huge entry to ${hex(dst)}${src === dst ? ' (undo: the old folio again)' : ''}; hugetlb_add_anon_rmap()${exclusive ? ' with RMAP_EXCLUSIVE' : ''} and a reference (${refs(k, dst)})`,
      pfns: src === dst ? [{ pfn: dst, role: 'src', nr: NR }] : [{ pfn: src, role: 'src', nr: NR }, { pfn: dst, role: 'dst', nr: NR }],
      trace: [`remove_migration_pte: addr=${address(vma, slot)}, pte=${hugePteValue(dst, bits, (ebits & PTE_DIRTY) !== 0)} order=${HUGETLB_ORDER}`],
    }));
  }
  return steps;
}

// mm/migrate.c: unmap_and_move_huge_page() — 0 (src put back and freed), -EAGAIN (stays on
// `from`), -ENOMEM (no destination: stays on `from`, and everything stops), or another error
// (src to `ret`).
function* unmap_and_move_huge_page(c: MigrateCtx, src: number, force: boolean, mode: MigrateMode, from: number, ret: number): Steps<number> {
  const { k } = c;
  const srcOnly = [{ pfn: src, role: 'src' as const, nr: NR }];
  if (folio_ref_count(k, src) === 1) {
    // Only the isolation reference is left: the process unmapped it while it sat on our list.
    listDel(k, k.lists, from, src);
    removeHolder(k.st, k.pins, src, HOLD.ISOLATED);
    folio_putback_hugetlb(k, src);
    yield mkStep(k, {
      phase: 'putback', fn: 'unmap_and_move_huge_page', file: 'mm/migrate.c',
      text: `${hex(src)} has refcount 1: only the isolation reference is left, it was freed under us; folio_putback_hugetlb() drops it and ${freedText(hugetlbFate(k, src, false) ?? 'pool')} (counted as migrated)`,
      pfns: srcOnly, result: '0',
    });
    return 0;
  }
  const free = hugetlbCounter(k, HS.FREE_HUGE_PAGES);
  const total = hugetlbCounter(k, HS.NR_HUGE_PAGES);
  const where = c.target.zone ? `in ${c.target.zone}${c.target.zone === 'DMA' ? '' : ' or below'}` : 'anywhere';
  const noPool = free ? `none of the pool's ${free} free folio(s) is ${where}` : 'the pool has no free folio (free_huge_pages 0)';
  const dst = c.target.get(k, src);
  if (dst < 0) {
    yield mkStep(k, {
      phase: 'alloc', fn: 'alloc_hugetlb_folio_nodemask', file: 'mm/hugetlb.c',
      text: `destination for ${hex(src)}: ${noPool} and alloc_migrate_hugetlb_folio() finds no free order-9 block ${where} for a temporary one: NULL, so unmap_and_move_huge_page() returns -ENOMEM`,
      pfns: srcOnly, result: '-ENOMEM',
    });
    return ENOMEM;
  }
  addHolder(k.st, k.pins, dst, HOLD.MIGRATE_NEW);
  const both = [{ pfn: src, role: 'src' as const, nr: NR }, { pfn: dst, role: 'dst' as const, nr: NR }];
  const zone = k.zones[pageZone(k, dst)]!.name;
  const temporaryDst = hpgTest(k, dst, HPG.temporary);
  yield mkStep(k, temporaryDst
    ? {
      phase: 'alloc', fn: 'alloc_migrate_hugetlb_folio', file: 'mm/hugetlb.c',
      text: `destination for ${hex(src)}: ${noPool}, so a fresh order-9 folio ${hex(dst)} comes from the buddy allocator (zone ${zone}) marked HPG_temporary: nr_huge_pages ${total} → ${hugetlbCounter(k, HS.NR_HUGE_PAGES)}, not counted as surplus, on no list (refcount ${folio_ref_count(k, dst)})`,
      pfns: both,
    }
    : {
      phase: 'alloc', fn: 'alloc_hugetlb_folio_nodemask', file: 'mm/hugetlb.c',
      text: `destination for ${hex(src)}: available_huge_pages() = ${free}, so dequeue_hugetlb_folio_nodemask() takes the pool's free folio ${hex(dst)} (zone ${zone}) onto hugepage_activelist: refcount 0 → ${folio_ref_count(k, dst)}, free_huge_pages ${free} → ${hugetlbCounter(k, HS.FREE_HUGE_PAGES)}`,
      pfns: both,
    });
  let rc = EAGAIN;
  let locked = false;
  let mapped = false;
  // folio_trylock(src); only a forced pass (the fourth on) in MIGRATE_SYNC may sleep for it.
  let gaveUp = false;
  if (testPageFlag(k, src, PG.locked)) {
    if (!force || mode !== MIGRATE_MODE.SYNC) {
      gaveUp = true;
      yield mkStep(k, {
        phase: 'unmap', fn: 'unmap_and_move_huge_page', file: 'mm/migrate.c',
        text: `${hex(src)} is locked by someone else and ${!force ? 'this is one of the first three passes (no force)' : `${MODE_NAMES[mode]} does not wait`}: -EAGAIN`,
        pfns: srcOnly, result: '-EAGAIN',
      });
    } else {
      while (testPageFlag(k, src, PG.locked)) {
        yield mkStep(k, { phase: 'unmap', fn: 'folio_lock', file: 'mm/filemap.c', text: `${hex(src)} is locked by someone else: ${c.who} sleeps until it is unlocked (forced pass, MIGRATE_SYNC)`, pfns: srcOnly });
      }
    }
  }
  if (!gaveUp) {
    setPageFlag(k, src, PG.locked);
    locked = true;
    const anonVma = folio_test_anon(k, src) ? mappingId(k.mem.mapping.a[src]!) : -1;
    setPageFlag(k, dst, PG.locked); // folio_trylock(dst): a folio nobody else can see
    yield mkStep(k, {
      phase: 'unmap', fn: 'unmap_and_move_huge_page', file: 'mm/migrate.c',
      text: `${c.who} locks ${hex(src)} and the destination ${hex(dst)}; no subpool (MAP_HUGETLB on the internal hugetlbfs mount), so the "being freed" check passes; ${anonVma >= 0 ? `folio_get_anon_vma() pins anon_vma #${anonVma}; ` : ''}${folio_mapped(k, src) ? `try_to_migrate() takes its ${folio_entire_mapcount(k, src)} huge mapping(s) (${refs(k, src)})` : 'it is not mapped'}`,
      pfns: both,
    });
    if (folio_mapped(k, src)) {
      for (const s of try_to_migrate_hugetlb(k, src)) yield s;
      mapped = true;
    }
    if (!folio_mapped(k, src)) rc = yield* move_to_new_folio(c, dst, src, mode);
    if (mapped) for (const s of remove_migration_ptes_hugetlb(k, src, rc === 0 ? dst : src)) yield s;
    clearPageFlag(k, dst, PG.locked);
    if (rc === 0) {
      const st = move_hugetlb_state(k, src, dst);
      yield mkStep(k, {
        phase: 'remap', fn: 'move_hugetlb_state', file: 'mm/hugetlb.c',
        text: st.temporary
          ? `${hex(dst)} was temporary: HPG_temporary moves to the old folio ${hex(src)}, which will be freed. Same node, so 6.18 returns early here: ${hex(dst)} gets neither HPG_migratable nor a place on hugepage_activelist, and can never be isolated again (fixed upstream after 6.18)`
          : `HPG_migratable set on ${hex(dst)} and it moves to hugepage_activelist: it can be isolated again (${refs(k, dst)})`,
        pfns: both,
      });
    }
  }
  if (locked) clearPageFlag(k, src, PG.locked);
  if (rc === 0) {
    listDel(k, k.lists, from, src);
    removeHolder(k.st, k.pins, src, HOLD.ISOLATED);
    const wasTemporary = hpgTest(k, src, HPG.temporary);
    const ref = folio_ref_count(k, src);
    folio_putback_hugetlb(k, src);
    const fate = hugetlbFate(k, src, wasTemporary);
    yield mkStep(k, {
      phase: 'free', fn: 'folio_putback_hugetlb', file: 'mm/hugetlb.c',
      text: `${hex(src)} unlocked; folio_putback_hugetlb() drops the isolation reference (refcount ${ref} → ${ref - 1})${fate ? ` and ${freedText(fate)}` : ''} (${poolText(k)})`,
      pfns: [{ pfn: src, role: fate === 'pool' ? 'src' : 'freed', nr: NR }],
    });
  } else if (rc !== EAGAIN) listMoveTail(k, src, from, ret);
  // put_new_folio is NULL for alloc_migration_target: folio_put(dst) either way.
  removeHolder(k.st, k.pins, dst, HOLD.MIGRATE_NEW);
  const dref = folio_ref_count(k, dst);
  const dstTemporary = hpgTest(k, dst, HPG.temporary);
  if (c.target.put && rc !== 0) c.target.put(k, dst);
  else folio_put(k, dst);
  const dfate = hugetlbFate(k, dst, dstTemporary);
  yield mkStep(k, {
    phase: rc === 0 ? 'remap' : 'free', fn: 'unmap_and_move_huge_page', file: 'mm/migrate.c',
    text: rc === 0
      ? `folio_put(dst) drops the allocation reference of ${hex(dst)} (refcount ${dref} → ${dref - 1}: its huge mapping keeps it): migrated`
      : `${errName(rc)}: the unused destination ${hex(dst)} is put (refcount ${dref} → 0) and ${freedText(dfate ?? 'pool')}${rc === EAGAIN ? `; ${hex(src)} stays on the list for the next pass` : ''}`,
    pfns: rc === 0 ? both : [{ pfn: dst, role: 'freed', nr: NR }], result: errName(rc),
  });
  return rc;
}

// mm/migrate.c: migrate_hugetlbs() — the number of hugetlb folios not migrated, or -ENOMEM.
// hugepage_migration_supported() holds for the PMD-sized 2 MiB hstate on x86-64.
export function* migrate_hugetlbs(c: MigrateCtx, from: number, mode: MigrateMode, ret: number, stats: MigrateStats): Steps<number> {
  const { k } = c;
  let retry = 1;
  let nrFailed = 0;
  let nrRetryPages = 0;
  for (let pass = 0; pass < NR_MAX_MIGRATE_PAGES_RETRY && retry; pass++) {
    retry = 0;
    nrRetryPages = 0;
    const folios = folioListPfns(k, from).filter((f) => k.mem.pageType.a[f] === PGTY.hugetlb);
    if (!folios.length) break;
    yield mkStep(k, {
      phase: 'unmap', fn: 'migrate_hugetlbs', file: 'mm/migrate.c',
      text: `pass ${pass + 1} of at most ${NR_MAX_MIGRATE_PAGES_RETRY} over ${folios.length} hugetlb folio(s), before any batch: one at a time, never batched, never split${pass > 2 ? ' (forced: MIGRATE_SYNC may sleep on the folio lock)' : ''}`,
      pfns: folios.map((p) => ({ pfn: p, role: 'src' as const, nr: NR })),
    });
    for (const folio of folios) {
      const rc = yield* unmap_and_move_huge_page(c, folio, pass > 2, mode, from, ret);
      if (rc === ENOMEM) {
        // When memory is low, the other folios are not even tried.
        stats.nr_failed_pages += NR + nrRetryPages;
        return ENOMEM;
      } else if (rc === EAGAIN) {
        retry++;
        nrRetryPages += NR;
      } else if (rc === 0) stats.nr_succeeded += NR;
      else {
        nrFailed++;
        stats.nr_failed_pages += NR;
      }
    }
  }
  nrFailed += retry;
  stats.nr_failed_pages += nrRetryPages;
  return nrFailed;
}
