// Device migration, mm/migrate_device.c of Linux 6.18: migrate_vma_setup() (collect a VMA range
// into src[] with MIGRATE_PFN_* flags, install migration entries, isolate and check),
// migrate_vma_pages() (the mapping moves), migrate_vma_finalize() (PTEs point at the
// destinations, references drop), and the range variant migrate_device_range() used to evict a
// device. No page->lru list anywhere: src[] and dst[] are the whole interface. The arrays live
// in journaled stores (device-state.ts) so every step shows them as they were.

import { PG } from './flags';
import { pageZone, type Kernel } from './kernel';
import { __alloc_pages, GFP_HIGHUSER_MOVABLE } from './buddy';
import { folio_get, folio_mapcount, folio_mapped, folio_put, folio_test_anon, folio_try_get, page_folio } from './folio';
import { clearPageFlag, folio_nr_pages, setPageFlag, testClearPageFlag, testPageFlag } from './memmap';
import { lruvec_add_folio, lruvec_del_folio } from './lru';
import { folio_add_lru, lru_add_drain, lru_add_drain_all } from './swap';
import { folio_isolate_lru, newFolioList } from './isolate';
import { addHolder, HOLD, removeHolder } from './pins';
import { folio_add_new_anon_rmap, folio_remove_rmap_ptes } from './rmap';
import { remove_migration_ptes, try_to_migrate } from './migrate-rmap';
import { folio_expected_ref_count, folio_migrate_flags, folio_take_anon_mapping } from './migrate';
import { folio_maybe_dma_pinned } from './gup';
import { folio_mark_dirty } from './filemap';
import { split_folio_to_list } from './huge_memory';
import { __pte_alloc } from './memory';
import { listDel, listFirst, listEmpty } from './list';
import { deviceZone, dmirror_devmem_alloc_page, isZoneDevice } from './device';
import { MAX_MIGRATE_PAGES, MV, MV_KIND } from './device-state';
import { MIGRATE_PFN_MIGRATE, MIGRATE_PFN_SHIFT, MIGRATE_PFN_VALID, migrate_pfn } from './movable-pfn-array';
import {
  mkDevicePrivateEntry, mkMigrationEntry, mkPte, pteBits, pteIsDevicePrivate, ptePfn, ptePresent,
  PTE_DIRTY, PTE_EXCLUSIVE, PTE_WRITE, PTE_YOUNG, type Vma,
} from './vm';
import { put } from './store';
import { hex, mkStep, type StepInfo, type Steps } from './step';
import { FOLIO_LIST } from './folio-lists';

const FILE = 'mm/migrate_device.c';
const DRIVER = 'lib/test_hmm.c';

export const MIGRATE_PFN_WRITE = 1 << 3;
/** migrate_vma.flags: which pages the walk collects. */
export const MIGRATE_VMA_SELECT_SYSTEM = 1;
export const MIGRATE_VMA_SELECT_DEVICE_PRIVATE = 2;

/** The PFN of a src/dst entry (migrate_pfn_to_page), or -1 without MIGRATE_PFN_VALID. */
export const mpfnToPfn = (e: number): number => (e & MIGRATE_PFN_VALID ? Math.floor(e / (1 << MIGRATE_PFN_SHIFT)) : -1);

/** An entry in words: "pfn 0x1234 VALID|MIGRATE|WRITE", "MIGRATE (no page)", or "0". */
export function decodeMpfn(e: number): string {
  if (e === 0) return '0';
  const flags = [e & MIGRATE_PFN_VALID && 'VALID', e & MIGRATE_PFN_MIGRATE && 'MIGRATE', e & MIGRATE_PFN_WRITE && 'WRITE'].filter(Boolean).join('|');
  const pfn = mpfnToPfn(e);
  return pfn >= 0 ? `pfn ${hex(pfn)} ${flags}` : `${flags} (no page)`;
}

const src = (k: Kernel, i: number): number => k.device.src.a[i]!;
const dst = (k: Kernel, i: number): number => k.device.dst.a[i]!;
const setSrc = (k: Kernel, i: number, v: number): void => put(k.st, k.device.src, i, v);
const setDst = (k: Kernel, i: number, v: number): void => put(k.st, k.device.dst, i, v);
const mv = (k: Kernel, f: number): number => k.device.mv.a[f]!;
const setMv = (k: Kernel, f: number, v: number): void => put(k.st, k.device.mv, f, v);

interface Ctx {
  readonly k: Kernel;
  readonly who: string;
  readonly npages: number;
  /** The device-private page a CPU fault is migrating back (locked by the fault), or -1. */
  readonly fault: number;
  /** The VMA and the slot of src[0], for migrate_vma_*(); null for migrate_device_range(). */
  readonly vma: Vma | null;
  readonly start: number;
}

const addr = (c: Ctx, i: number): string => (c.vma ? hex((c.vma.start + c.start + i) * 4096) : 'none');
const slotOf = (c: Ctx, i: number): number => c.start + i;
const entryPfns = (k: Kernel, i: number): { pfn: number; role: 'src' | 'dst' }[] => {
  const out: { pfn: number; role: 'src' | 'dst' }[] = [];
  if (mpfnToPfn(src(k, i)) >= 0) out.push({ pfn: mpfnToPfn(src(k, i)), role: 'src' });
  if (mpfnToPfn(dst(k, i)) >= 0) out.push({ pfn: mpfnToPfn(dst(k, i)), role: 'dst' });
  return out;
};

function begin(c: Ctx, kind: number): void {
  const { k } = c;
  for (let i = 0; i < MAX_MIGRATE_PAGES; i++) {
    if (src(k, i)) setSrc(k, i, 0);
    if (dst(k, i)) setDst(k, i, 0);
  }
  setMv(k, MV.ACTIVE, 1);
  setMv(k, MV.NPAGES, c.npages);
  setMv(k, MV.CPAGES, 0);
  setMv(k, MV.VMA, c.vma ? c.vma.id : -1);
  setMv(k, MV.START, c.start);
  setMv(k, MV.FAULT, c.fault + 1);
  setMv(k, MV.KIND, kind);
}

function end(k: Kernel): void {
  setMv(k, MV.ACTIVE, 0);
}

// mm/migrate_device.c: migrate_vma_collect_pmd() for one PTE — src[i] and, for a page it takes,
// the migration entry in place of its PTE.
function* collect_one(c: Ctx, i: number, flags: number): Steps<void> {
  const { k } = c;
  const vma = c.vma!;
  const slot = slotOf(c, i);
  let pte = vma.pte.a[slot]!;
  const say = (text: string): StepInfo => mkStep(k, {
    phase: 'isolate', fn: 'migrate_vma_collect_pmd', file: FILE,
    text: `${c.who}: src[${i}] (${addr(c, i)}) = ${decodeMpfn(src(k, i))}: ${text}`,
    pfns: entryPfns(k, i),
  });
  if (pte === 0) {
    // A hole in an anonymous VMA: the driver may fill it (migrate_vma_insert_page).
    if (vma.anonVma >= 0) {
      setSrc(k, i, MIGRATE_PFN_MIGRATE);
      setMv(k, MV.CPAGES, mv(k, MV.CPAGES) + 1);
      yield say('pte_none in an anonymous VMA: MIGRATE with no page, a new page can be put there');
    } else yield say('pte_none outside an anonymous VMA: skipped');
    return;
  }
  let mpfn = 0;
  const device = pteIsDevicePrivate(pte);
  if (!ptePresent(pte) && !device) {
    yield say('a migration entry: someone else is migrating this page, skipped');
    return;
  }
  let page = ptePfn(pte);
  if (device && !(flags & MIGRATE_VMA_SELECT_DEVICE_PRIVATE)) {
    yield say(`a device-private entry, but the caller did not ask for MIGRATE_VMA_SELECT_DEVICE_PRIVATE: skipped`);
    return;
  }
  if (!device && !(flags & MIGRATE_VMA_SELECT_SYSTEM)) {
    yield say(`a system page ${hex(page)}, but the caller did not ask for MIGRATE_VMA_SELECT_SYSTEM: skipped`);
    return;
  }
  let folio = page_folio(k, page);
  if (folio_nr_pages(k, folio) > 1 && k.mem.order.a[folio] === 9 && !device) {
    // A THP: in the kernel it is PMD-mapped here, and collect splits it (split_folio) before
    // looking at its PTEs; 6.18 has no MIGRATE_PFN_COMPOUND to move it whole.
    folio_get(k, folio);
    addHolder(k.st, k.pins, folio, HOLD.TEMP);
    if (testPageFlag(k, folio, PG.locked)) {
      removeHolder(k.st, k.pins, folio, HOLD.TEMP);
      folio_put(k, folio);
      yield say(`THP ${hex(folio)} is locked by someone else: its whole range is skipped (migrate_vma_collect_skip)`);
      return;
    }
    setPageFlag(k, folio, PG.locked);
    yield mkStep(k, {
      phase: 'split', fn: 'migrate_vma_collect_pmd', file: FILE,
      text: `${c.who}: ${hex(page)} belongs to a 2 MiB THP ${hex(folio)}: 6.18 cannot migrate it whole on this path (MIGRATE_PFN_COMPOUND comes after 6.18), so collect splits it first (split_folio)`,
      pfns: [{ pfn: folio, role: 'src', nr: 512 }],
    });
    const pieces = newFolioList(k, FOLIO_LIST.split_pieces);
    // The kernel splits it on the LRU (lru_add_split_folio puts the new folios beside the head,
    // the LRU size in pages unchanged); here it leaves the LRU for the split and all 512 come back.
    const onLru = testClearPageFlag(k, folio, PG.lru);
    if (onLru) lruvec_del_folio(k, pageZone(k, folio), folio);
    const rc = yield* split_folio_to_list(k, folio, pieces);
    if (onLru) { // the head never left the LRU in the kernel: no batch on the way back
      setPageFlag(k, folio, PG.lru);
      lruvec_add_folio(k, pageZone(k, folio), folio);
    }
    while (!listEmpty(k.lists, pieces)) {
      const p = listFirst(k, k.lists, pieces);
      listDel(k, k.lists, pieces, p);
      setPageFlag(k, p, PG.lru);
      lruvec_add_folio(k, pageZone(k, p), p);
      removeHolder(k.st, k.pins, p, HOLD.ISOLATED);
      folio_put(k, p);
    }
    clearPageFlag(k, folio, PG.locked);
    removeHolder(k.st, k.pins, folio, HOLD.TEMP);
    folio_put(k, folio);
    if (rc) {
      yield say(`the THP could not be split (${rc}): skipped`);
      return;
    }
    pte = vma.pte.a[slot]!;
    page = ptePfn(pte);
    folio = page_folio(k, page);
  }
  mpfn = migrate_pfn(page) | MIGRATE_PFN_MIGRATE | (pteBits(pte) & PTE_WRITE ? MIGRATE_PFN_WRITE : 0);
  if (k.mem.mapping.a[folio] === 0 || folio_nr_pages(k, folio) > 1) {
    yield say(folio_nr_pages(k, folio) > 1
      ? `${hex(page)} is part of an order-${k.mem.order.a[folio]} folio (PageTransCompound): 6.18 migrates only small folios here, the entry stays 0`
      : `${hex(page)} has no ->mapping: skipped`);
    return;
  }
  folio_get(k, folio);
  addHolder(k.st, k.pins, folio, HOLD.TEMP);
  const isFault = folio === c.fault;
  if (!isFault && testPageFlag(k, folio, PG.locked)) {
    removeHolder(k.st, k.pins, folio, HOLD.TEMP);
    folio_put(k, folio);
    yield say(`${hex(page)} is locked by someone else (folio_trylock fails): the entry stays 0`);
    return;
  }
  if (!isFault) setPageFlag(k, folio, PG.locked);
  const bits = pteBits(pte);
  const exclusive = folio_test_anon(k, folio) && testPageFlag(k, page, PG.owner_2);
  if (exclusive && folio_maybe_dma_pinned(k, folio)) {
    // folio_try_share_anon_rmap_pte() refuses a page that may be DMA-pinned: PTE restored.
    if (!isFault) clearPageFlag(k, folio, PG.locked);
    removeHolder(k.st, k.pins, folio, HOLD.TEMP);
    folio_put(k, folio);
    yield say(`${hex(page)} is anon-exclusive and may be DMA-pinned (refcount ${k.mem.refcount.a[folio]} ≥ 1024): folio_try_share_anon_rmap_pte() fails, the PTE is put back and the entry stays 0`);
    return;
  }
  if (exclusive) clearPageFlag(k, page, PG.owner_2);
  setSrc(k, i, mpfn);
  setMv(k, MV.CPAGES, mv(k, MV.CPAGES) + 1);
  if (bits & PTE_DIRTY) folio_mark_dirty(k, folio);
  const ebits = (bits & (PTE_WRITE | PTE_YOUNG | PTE_DIRTY)) | (exclusive ? PTE_EXCLUSIVE : 0);
  put(k.st, vma.pte, slot, mkMigrationEntry(page, ebits));
  folio_remove_rmap_ptes(k, folio, page, 1, vma);
  folio_put(k, folio); // the mapping's reference; collect keeps its own
  const ref = k.mem.refcount.a[folio]!;
  const maps = folio_mapcount(k, folio);
  const other = ref - 1 - maps;
  const held = `collect's own${maps ? ` + ${maps} other mapping${maps > 1 ? 's' : ''}` : ''}${other > 0 ? ` + ${other} other reference${other > 1 ? 's' : ''}` : ''}`;
  yield say(`${device ? 'the device-private entry' : 'the PTE'} becomes a ${bits & PTE_WRITE ? 'writable' : exclusive ? 'readable-exclusive' : 'readable'} migration entry at once; ${hex(page)} is locked, its rmap and the mapping's reference dropped (refcount ${ref}: ${held})`);
}

// mm/migrate_device.c: migrate_vma_check_page() — only the references the path itself knows of.
function migrate_vma_check_page(k: Kernel, folio: number, fault: number): { ok: boolean; why: string } {
  let extra = 1 + (folio === fault ? 1 : 0);
  if (folio_nr_pages(k, folio) > 1) return { ok: false, why: 'a large folio' };
  if (isZoneDevice(k, folio)) extra++;
  const mapping = k.mem.mapping.a[folio]!;
  const fileMapped = mapping !== 0 && !folio_test_anon(k, folio);
  if (fileMapped) extra += 1 + (testPageFlag(k, folio, PG.private) ? 1 : 0);
  const ref = k.mem.refcount.a[folio]!;
  const mc = folio_mapcount(k, folio);
  return { ok: ref - extra <= mc, why: `refcount ${ref} - ${extra} expected = ${ref - extra} ${ref - extra > mc ? '>' : '<='} mapcount ${mc}` };
}

/** folio_putback_lru() for a folio this path isolated. */
function putback_lru(k: Kernel, folio: number): void {
  folio_add_lru(k, folio);
  removeHolder(k.st, k.pins, folio, HOLD.ISOLATED);
  folio_put(k, folio);
}

// mm/migrate_device.c: migrate_device_unmap() — isolate system pages from the LRU, unmap what is
// still mapped, check the references; a page that fails loses MIGRATE and gets its PTEs back.
function* migrate_device_unmap(c: Ctx): Steps<number> {
  const { k } = c;
  let unmapped = 0;
  const restore: number[] = [];
  lru_add_drain(k, c.who);
  let allowDrain = true;
  for (let i = 0; i < c.npages; i++) {
    const e = src(k, i);
    const page = mpfnToPfn(e);
    if (page < 0) {
      if (e & MIGRATE_PFN_MIGRATE) unmapped++;
      continue;
    }
    const folio = page_folio(k, page);
    const fail = (why: string): StepInfo => {
      setSrc(k, i, src(k, i) & ~MIGRATE_PFN_MIGRATE);
      restore.push(i);
      return mkStep(k, {
        phase: 'isolate', fn: 'migrate_device_unmap', file: FILE,
        text: `${c.who}: src[${i}] ${hex(page)}: ${why}: MIGRATE cleared (${decodeMpfn(src(k, i))}), the page stays`,
        pfns: entryPfns(k, i), result: 'restore',
      });
    };
    if (!isZoneDevice(k, folio)) {
      if (!testPageFlag(k, folio, PG.lru) && allowDrain) {
        lru_add_drain_all(k, c.who); // another CPU's batch may hold it: drain once
        allowDrain = false;
      }
      if (!folio_isolate_lru(k, folio)) {
        yield fail('PG_lru is clear, folio_isolate_lru() fails');
        continue;
      }
      removeHolder(k.st, k.pins, folio, HOLD.TEMP);
      folio_put(k, folio); // collect's reference; the isolation keeps one
    }
    if (folio_mapped(k, folio)) for (const s of try_to_migrate(k, folio).steps) yield s;
    const check = migrate_vma_check_page(k, folio, c.fault);
    if (folio_mapped(k, folio) || !check.ok) {
      if (!isZoneDevice(k, folio)) {
        folio_get(k, folio);
        addHolder(k.st, k.pins, folio, HOLD.TEMP);
        putback_lru(k, folio);
      }
      yield fail(folio_mapped(k, folio) ? 'still mapped after try_to_migrate()' : `migrate_vma_check_page(): ${check.why} — someone else holds a reference (a GUP pin?)`);
      continue;
    }
    unmapped++;
    yield mkStep(k, {
      phase: 'isolate', fn: 'migrate_device_unmap', file: FILE,
      text: `${c.who}: src[${i}] ${hex(page)} ${isZoneDevice(k, folio) ? 'is a device page (never on the LRU)' : 'isolated from the LRU'}, unmapped; migrate_vma_check_page(): ${check.why}: it can move`,
      pfns: entryPfns(k, i),
    });
  }
  for (const i of restore) {
    const page = mpfnToPfn(src(k, i));
    const folio = page_folio(k, page);
    for (const s of remove_migration_ptes(k, folio, folio)) yield s;
    setSrc(k, i, 0);
    if (folio !== c.fault) clearPageFlag(k, folio, PG.locked);
    removeHolder(k.st, k.pins, folio, HOLD.TEMP);
    folio_put(k, folio);
  }
  return unmapped;
}

/** The arrays after a phase, for the narration: "src[0..3] = ...". */
function arraysText(k: Kernel, n: number): string {
  const migrating = Array.from({ length: n }, (_, i) => i).filter((i) => src(k, i) & MIGRATE_PFN_MIGRATE).length;
  return `${migrating} of ${n} entries still MIGRATE`;
}

export interface MigrateVmaArgs {
  readonly vma: Vma;
  readonly start: number;
  readonly npages: number;
  readonly flags: number;
  readonly fault: number;
}

// mm/migrate_device.c: migrate_vma_setup() — after it, every src[] entry with MIGRATE is locked,
// isolated and unmapped (migration entries in its PTEs).
export function* migrate_vma_setup(k: Kernel, a: MigrateVmaArgs, who: string): Steps<Ctx | null> {
  const why = a.npages < 1 || a.npages > MAX_MIGRATE_PAGES ? `npages ${a.npages} is outside 1..${MAX_MIGRATE_PAGES}`
    : a.start < 0 || a.start + a.npages > a.vma.nrPages ? 'the range is outside the VMA' : null;
  if (why) {
    yield mkStep(k, { phase: 'isolate', fn: 'migrate_vma_setup', file: FILE, text: `${who}: ${why}: -EINVAL`, pfns: [], result: '-EINVAL' });
    return null;
  }
  const c: Ctx = { k, who, npages: a.npages, fault: a.fault, vma: a.vma, start: a.start };
  begin(c, MV_KIND.VMA);
  const sel = [a.flags & MIGRATE_VMA_SELECT_SYSTEM && 'MIGRATE_VMA_SELECT_SYSTEM', a.flags & MIGRATE_VMA_SELECT_DEVICE_PRIVATE && 'MIGRATE_VMA_SELECT_DEVICE_PRIVATE'].filter(Boolean).join('|');
  yield mkStep(k, {
    phase: 'isolate', fn: 'migrate_vma_setup', file: FILE,
    text: `${who}: migrate_vma_setup() for ${a.npages} page(s) at ${addr(c, 0)}, flags ${sel}${a.fault >= 0 ? `, fault_page ${hex(a.fault)}` : ''}: src[] and dst[] zeroed; the page-table walk (migrate_vma_collect) fills src[]`,
    pfns: [],
  });
  for (let i = 0; i < a.npages; i++) yield* collect_one(c, i, a.flags);
  const cpages = mv(k, MV.CPAGES);
  if (cpages) setMv(k, MV.CPAGES, yield* migrate_device_unmap(c));
  yield mkStep(k, {
    phase: 'unmap', fn: 'migrate_vma_setup', file: FILE,
    text: `${who}: migrate_vma_setup() returns 0 with cpages = ${mv(k, MV.CPAGES)} (${arraysText(k, a.npages)}): those pages are locked, isolated and unmapped; now the driver allocates destinations and copies`,
    pfns: Array.from({ length: a.npages }, (_, i) => i).flatMap((i) => entryPfns(k, i)), result: '0',
  });
  return c;
}

/** Where the driver allocates destinations: device-private pages, or system memory on the way back. */
export type DestKind = 'device' | 'system';

// lib/test_hmm.c: dmirror_migrate_alloc_and_copy() / dmirror_devmem_fault_alloc_and_copy() — a
// destination for every MIGRATE entry, locked, in dst[], then the "DMA" copy (or zero fill).
function* driver_alloc_and_copy(c: Ctx, to: DestKind): Steps<void> {
  const { k } = c;
  for (let i = 0; i < c.npages; i++) {
    const e = src(k, i);
    if (!(e & MIGRATE_PFN_MIGRATE)) continue;
    let d: number;
    if (to === 'device') d = dmirror_devmem_alloc_page(k);
    else {
      d = __alloc_pages(k, GFP_HIGHUSER_MOVABLE, 0);
      if (d >= 0) setPageFlag(k, d, PG.locked); // lock_page()
    }
    if (d < 0) {
      yield mkStep(k, {
        phase: 'alloc', fn: to === 'device' ? 'dmirror_devmem_alloc_page' : 'alloc_page_vma', file: DRIVER,
        text: `${c.who}: no free ${to === 'device' ? 'device page in the driver\'s pool' : 'system page'} for src[${i}]: dst[${i}] stays 0, the entry will not migrate`,
        pfns: entryPfns(k, i), result: 'NULL',
      });
      continue;
    }
    addHolder(k.st, k.pins, d, HOLD.MIGRATE_NEW);
    setDst(k, i, migrate_pfn(d));
    const s = mpfnToPfn(e);
    yield mkStep(k, {
      phase: 'copy', fn: to === 'device' ? 'dmirror_migrate_alloc_and_copy' : 'dmirror_devmem_fault_alloc_and_copy', file: DRIVER,
      text: `${c.who}: dst[${i}] = ${decodeMpfn(dst(k, i))}: ${to === 'device' ? 'a device page from the driver\'s pool (zone_device_page_init: refcount 1, locked)' : 'a system page (alloc_page_vma, locked)'}; ` +
        (s >= 0 ? `the device's DMA engine copies ${hex(s)} → ${hex(d)}` : 'no source page: the destination is zero-filled'),
      pfns: entryPfns(k, i),
    });
  }
}

// mm/migrate.c: __folio_migrate_mapping() for an anonymous folio not in the swap cache (the
// only kind this path takes): the refcount must be what migration expects, then the new folio
// takes the anon_vma and index.
function migrate_anon_mapping(k: Kernel, newFolio: number, folio: number, extra: number): { ok: boolean; why: string } {
  const expected = folio_expected_ref_count(k, folio).count + extra + 1;
  const ref = k.mem.refcount.a[folio]!;
  if (ref !== expected) return { ok: false, why: `refcount ${ref}, expected ${expected}: -EAGAIN` };
  folio_take_anon_mapping(k, newFolio, folio);
  return { ok: true, why: `refcount ${ref} = expected ${expected}` };
}

// mm/migrate_device.c: migrate_vma_insert_page() — a hole gets the new page as a fresh anon page.
function migrate_vma_insert_page(c: Ctx, i: number, page: number): string | null {
  const { k } = c;
  const vma = c.vma!;
  const slot = slotOf(c, i);
  if (vma.anonVma < 0) return 'not an anonymous VMA';
  if (!__pte_alloc(k, vma, slot)) return 'no page-table page';
  if (vma.pte.a[slot] !== 0) return 'the PTE is no longer none';
  setPageFlag(k, page, PG.uptodate);
  setPageFlag(k, page, PG.swapbacked);
  folio_add_new_anon_rmap(k, page, vma, slot, true);
  if (!isZoneDevice(k, page)) folio_add_lru(k, page);
  folio_get(k, page);
  const bits = (vma.writable ? PTE_WRITE : 0) | PTE_EXCLUSIVE;
  // mk_pte(), and pte_mkwrite(pte_mkdirty()) in a writable VMA; a device page gets its entry.
  put(k.st, vma.pte, slot, isZoneDevice(k, page) ? mkDevicePrivateEntry(page, bits) : mkPte(page, bits | (vma.writable ? PTE_DIRTY : 0) | PTE_YOUNG));
  return null;
}

// mm/migrate_device.c: __migrate_device_pages() — the commit: for each entry the mapping moves
// from src to dst (or, for a hole, dst is inserted); failures clear MIGRATE.
function* migrate_device_pages(c: Ctx, fn: string): Steps<void> {
  const { k } = c;
  for (let i = 0; i < c.npages; i++) {
    const e = src(k, i);
    const newPage = mpfnToPfn(dst(k, i));
    const page = mpfnToPfn(e);
    const clear = (why: string): StepInfo => {
      setSrc(k, i, src(k, i) & ~MIGRATE_PFN_MIGRATE);
      return mkStep(k, { phase: 'move-mapping', fn, file: FILE, text: `${c.who}: entry ${i}: ${why}: MIGRATE cleared`, pfns: entryPfns(k, i), result: 'fail' });
    };
    if (newPage < 0) {
      if (e & MIGRATE_PFN_MIGRATE) yield clear('no destination in dst[]');
      else setSrc(k, i, e & ~MIGRATE_PFN_MIGRATE);
      continue;
    }
    if (page < 0) {
      if (!(e & MIGRATE_PFN_MIGRATE)) continue;
      const why = migrate_vma_insert_page(c, i, newPage);
      if (why) {
        yield clear(`migrate_vma_insert_page() cannot fill the hole: ${why}`);
        continue;
      }
      yield mkStep(k, {
        phase: 'move-mapping', fn: 'migrate_vma_insert_page', file: FILE,
        text: `${c.who}: entry ${i} was a hole: ${hex(newPage)} becomes a new anonymous page of the process (folio_add_new_anon_rmap), mapped by a ${isZoneDevice(k, newPage) ? 'device-private entry' : 'PTE'} at ${addr(c, i)}`,
        pfns: entryPfns(k, i),
      });
      continue;
    }
    if (!(e & MIGRATE_PFN_MIGRATE)) continue;
    const folio = page_folio(k, page);
    if (isZoneDevice(k, newPage) && k.mem.mapping.a[folio] !== 0 && !folio_test_anon(k, folio)) {
      yield clear('a file-backed page cannot move to device-private memory (only anonymous memory can)');
      continue;
    }
    const r = migrate_anon_mapping(k, newPage, folio, folio === c.fault ? 1 : 0);
    if (!r.ok) {
      yield clear(`folio_migrate_mapping(): ${r.why}`);
      continue;
    }
    const moved = folio_migrate_flags(k, newPage, folio);
    // folio_migrate_mapping() opens with the path's refcount check (refcount == expected, else
    // -EAGAIN): the step's phase, though it also moves the mapping.
    yield mkStep(k, {
      phase: 'refcount', fn, file: FILE,
      text: `${c.who}: entry ${i}: folio_migrate_mapping() (${r.why}${folio === c.fault ? ', +1 for the fault page' : ''}): ${hex(newPage)} takes the anon_vma and index of ${hex(page)}; folio_migrate_flags(): ${moved.join(', ') || 'nothing to copy'}`,
      pfns: entryPfns(k, i),
    });
  }
}

// mm/migrate_device.c: __migrate_device_finalize() — PTEs (migration entries) point at dst where
// the entry migrated, back at src where it did not; locks and references go.
function* migrate_device_finalize(c: Ctx, fn: string): Steps<void> {
  const { k } = c;
  for (let i = 0; i < c.npages; i++) {
    const newPage = mpfnToPfn(dst(k, i));
    const page = mpfnToPfn(src(k, i));
    const releaseDst = (d: number): void => {
      clearPageFlag(k, d, PG.locked);
      removeHolder(k.st, k.pins, d, HOLD.MIGRATE_NEW);
      folio_put(k, d);
    };
    if (page < 0) {
      if (newPage >= 0) releaseDst(newPage);
      continue;
    }
    const s = page_folio(k, page);
    let d = newPage >= 0 ? page_folio(k, newPage) : -1;
    const migrated = (src(k, i) & MIGRATE_PFN_MIGRATE) !== 0 && d >= 0;
    if (!migrated) {
      if (d >= 0) releaseDst(d);
      d = s;
    }
    if (!isZoneDevice(k, d)) folio_add_lru(k, d);
    for (const st of remove_migration_ptes(k, s, d)) yield st;
    if (s !== c.fault) clearPageFlag(k, s, PG.locked);
    const ref = k.mem.refcount.a[s]!;
    removeHolder(k.st, k.pins, s, HOLD.ISOLATED);
    removeHolder(k.st, k.pins, s, HOLD.TEMP);
    folio_put(k, s);
    if (d !== s) releaseDst(d);
    yield mkStep(k, {
      phase: 'remap', fn, file: FILE,
      text: migrated
        ? `${c.who}: entry ${i}: ${hex(page)} → ${hex(newPage)} done; src unlocked and put (refcount ${ref} → ${ref - 1}${ref - 1 === 0 ? (isZoneDevice(k, s) ? ': page_free() gives it back to the driver' : ': freed') : ''}), dst unlocked and its allocation reference dropped (refcount ${k.mem.refcount.a[d]})`
        : `${c.who}: entry ${i}: ${hex(page)} did not migrate: its PTEs point at it again, unlocked, put back`,
      pfns: migrated ? [{ pfn: page, role: 'src' }, { pfn: newPage, role: 'dst' }] : [{ pfn: page, role: 'src' }],
    });
  }
  end(k);
}

// The hmm.rst recipe (dmirror_migrate_to_device / _to_system): setup, allocate and copy,
// migrate_vma_pages, finalize. Returns the number of pages that moved.
export function* migrate_vma_path(k: Kernel, vma: Vma, start: number, npages: number, to: DestKind, who: string, fault = -1): Steps<number> {
  const flags = to === 'device' ? MIGRATE_VMA_SELECT_SYSTEM : MIGRATE_VMA_SELECT_DEVICE_PRIVATE;
  const c = yield* migrate_vma_setup(k, { vma, start, npages, flags, fault }, who);
  if (!c) return 0;
  yield* driver_alloc_and_copy(c, to);
  yield* migrate_device_pages(c, 'migrate_vma_pages');
  let moved = 0;
  for (let i = 0; i < npages; i++) if (src(k, i) & MIGRATE_PFN_MIGRATE && dst(k, i)) moved++;
  yield mkStep(k, {
    phase: 'move-mapping', fn: 'migrate_vma_pages', file: FILE,
    text: `${who}: migrate_vma_pages() done: ${moved} of ${npages} entries keep MIGRATE; the driver now points its own page tables at the destinations, then calls migrate_vma_finalize()`,
    pfns: [],
  });
  yield* migrate_device_finalize(c, 'migrate_vma_finalize');
  yield mkStep(k, {
    phase: 'done', fn: 'migrate_vma_finalize', file: FILE,
    text: `${who}: ${moved} page(s) now ${to === 'device' ? 'in device-private memory, mapped by device-private entries' : 'back in system memory'}; ${npages - moved} stayed where they were`,
    pfns: [], result: String(moved),
  });
  return moved;
}

// mm/memory.c: do_swap_page() on a device-private entry → pgmap->ops->migrate_to_ram()
// (dmirror_devmem_fault): the CPU touched a page that lives on the device; it migrates back.
export function* device_fault_path(k: Kernel, vma: Vma, slot: number, who: string): Steps<number> {
  const pte = slot >= 0 && slot < vma.nrPages ? vma.pte.a[slot]! : 0;
  if (!pteIsDevicePrivate(pte)) {
    yield mkStep(k, {
      phase: 'fault', fn: 'do_swap_page', file: 'mm/memory.c',
      text: `${who}: the page at ${hex((vma.start + slot) * 4096)} is ${pte === 0 ? 'not mapped' : ptePresent(pte) ? 'in system memory already' : 'under migration'}: no device fault`,
      pfns: [], result: '0',
    });
    return 0;
  }
  const page = ptePfn(pte);
  if (testPageFlag(k, page, PG.locked) || !folio_try_get(k, page)) {
    yield mkStep(k, { phase: 'fault', fn: 'do_swap_page', file: 'mm/memory.c', text: `${who}: device page ${hex(page)} is locked: the fault returns and will be retried`, pfns: [{ pfn: page, role: 'src' }], result: '0' });
    return 0;
  }
  setPageFlag(k, page, PG.locked); // trylock_page()
  addHolder(k.st, k.pins, page, HOLD.TEMP);
  yield mkStep(k, {
    phase: 'fault', fn: 'do_swap_page', file: 'mm/memory.c',
    text: `${who}: the CPU touches ${hex((vma.start + slot) * 4096)}: its PTE is a device-private entry for ${hex(page)}, which the CPU cannot address. do_swap_page() locks the page, takes a reference (refcount ${k.mem.refcount.a[page]}) and calls the driver's migrate_to_ram()`,
    pfns: [{ pfn: page, role: 'src' }],
  });
  const moved = yield* migrate_vma_path(k, vma, slot, 1, 'system', who, page);
  clearPageFlag(k, page, PG.locked);
  removeHolder(k.st, k.pins, page, HOLD.TEMP);
  const ref = k.mem.refcount.a[page]!;
  folio_put(k, page);
  yield mkStep(k, {
    phase: 'done', fn: 'do_swap_page', file: 'mm/memory.c',
    text: `${who}: back from migrate_to_ram(): the fault's lock and reference on ${hex(page)} go (refcount ${ref} → ${ref - 1}${ref === 1 ? ': page_free() returns it to the driver\'s pool' : ''}); the access is retried against the new PTE`,
    pfns: [{ pfn: page, role: 'src' }], result: moved ? '0' : 'VM_FAULT_SIGBUS',
  });
  return moved;
}

// mm/migrate_device.c: migrate_device_range() + lib/test_hmm.c dmirror_device_evict_chunk() —
// driver unload: every device page in use goes back to system memory, by PFN, without a VMA.
export function* migrate_device_range_path(k: Kernel, who: string): Steps<number> {
  const z = deviceZone(k);
  if (!z) {
    yield mkStep(k, { phase: 'done', fn: 'migrate_device_range', file: FILE, text: `${who}: this machine has no device memory`, pfns: [], result: '-EINVAL' });
    return 0;
  }
  let moved = 0;
  for (let start = z.start; start < z.end; start += MAX_MIGRATE_PAGES) {
    const npages = Math.min(MAX_MIGRATE_PAGES, z.end - start);
    let used = 0;
    for (let p = start; p < start + npages; p++) if (k.mem.refcount.a[p]! > 0) used++;
    if (!used) continue;
    const c: Ctx = { k, who, npages, fault: -1, vma: null, start };
    begin(c, MV_KIND.RANGE);
    // migrate_device_pfn_lock() per PFN: folio_get_nontail_page + folio_trylock.
    for (let i = 0; i < npages; i++) {
      const pfn = start + i;
      if (k.mem.refcount.a[pfn] === 0 || testPageFlag(k, pfn, PG.locked)) continue;
      folio_get(k, pfn);
      addHolder(k.st, k.pins, pfn, HOLD.TEMP);
      setPageFlag(k, pfn, PG.locked);
      setSrc(k, i, migrate_pfn(pfn) | MIGRATE_PFN_MIGRATE);
    }
    yield mkStep(k, {
      phase: 'isolate', fn: 'migrate_device_range', file: FILE,
      text: `${who}: device PFNs ${hex(start)}..${hex(start + npages)}: ${used} page(s) in use get a reference and their lock, src[] = migrate_pfn(pfn) | MIGRATE for each (no VMA: the pages are found by PFN)`,
      pfns: Array.from({ length: npages }, (_, i) => i).flatMap((i) => entryPfns(k, i)),
    });
    yield* migrate_device_unmap(c);
    yield* driver_alloc_and_copy(c, 'system');
    yield* migrate_device_pages(c, 'migrate_device_pages');
    for (let i = 0; i < npages; i++) if (src(k, i) & MIGRATE_PFN_MIGRATE && dst(k, i)) moved++;
    yield* migrate_device_finalize(c, 'migrate_device_finalize');
  }
  yield mkStep(k, {
    phase: 'done', fn: 'dmirror_device_evict_chunk', file: DRIVER,
    text: `${who}: the device is empty: ${moved} page(s) went back to system memory`,
    pfns: [], result: String(moved),
  });
  return moved;
}

/** A live migrate_vma's arrays, for frames: null when none is in progress. */
export interface MigrateVmaView {
  readonly kind: 'vma' | 'range';
  readonly npages: number;
  readonly cpages: number;
  /** The address of src[0] (migrate_vma) or its PFN (migrate_device_range). */
  readonly start: number;
  readonly faultPage: number;
  readonly src: readonly number[];
  readonly dst: readonly number[];
}

export function migrateVmaView(k: Kernel): MigrateVmaView | null {
  if (!mv(k, MV.ACTIVE)) return null;
  const n = mv(k, MV.NPAGES);
  const vma = mv(k, MV.VMA) >= 0 ? k.vm.vmas[mv(k, MV.VMA)] : undefined;
  return {
    kind: mv(k, MV.KIND) === MV_KIND.RANGE ? 'range' : 'vma',
    npages: n,
    cpages: mv(k, MV.CPAGES),
    start: vma ? (vma.start + mv(k, MV.START)) * 4096 : mv(k, MV.START),
    faultPage: mv(k, MV.FAULT) - 1,
    src: Array.from(k.device.src.a.subarray(0, n)),
    dst: Array.from(k.device.dst.a.subarray(0, n)),
  };
}
