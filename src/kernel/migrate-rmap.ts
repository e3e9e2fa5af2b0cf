// The page-table side of migration (mm/rmap.c, mm/migrate.c): try_to_migrate() replaces every
// PTE mapping a folio with a migration entry; remove_migration_ptes() puts real PTEs back,
// pointing at the new folio (or at the old one when migration is undone).

import { PG } from './flags';
import { isZoneDevice } from './device';
import type { Kernel } from './kernel';
import { clearPageFlag, folio_nr_pages, setPageFlag, testPageFlag } from './memmap';
import { folio_get, folio_mapped, folio_put, folio_test_anon } from './folio';
import { folio_maybe_dma_pinned } from './gup';
import { folio_add_rmap_ptes, folio_remove_rmap_ptes, rmapVmas } from './rmap';
import { folio_mlock_count } from './lru';
import { folio_mark_dirty } from './filemap';
import { put } from './store';
import { mkStep, hex, type StepInfo } from './step';
import {
  mkDevicePrivateEntry, mkMigrationEntry, mkPte, pteBits, pteIsDevicePrivate, pteIsMigration, ptePfn, ptePresent, vma_address,
  PTE_DIRTY, PTE_EXCLUSIVE, PTE_WRITE, PTE_YOUNG, type Vma,
} from './vm';

// arch/x86/include/asm/pgtable_64.h: a swap PTE keeps the type in the top 5 bits and the
// inverted offset from bit 9 (L1TF mitigation). include/linux/swap.h: the special types sit above
// MAX_SWAPFILES = 32 - SWP_DEVICE_NUM(3) - SWP_MIGRATION_NUM(3) - SWP_HWPOISON_NUM(1) -
// SWP_PTE_MARKER_NUM(1) = 24 with the model's CONFIG_DEVICE_PRIVATE, CONFIG_MIGRATION and
// CONFIG_MEMORY_FAILURE: SWP_HWPOISON 24, SWP_MIGRATION_READ 25, READ_EXCLUSIVE 26, WRITE 27,
// SWP_DEVICE_WRITE 28, SWP_DEVICE_READ 29, SWP_DEVICE_EXCLUSIVE 30, SWP_PTE_MARKER 31.
// include/linux/swapops.h: a migration entry's young and dirty bits sit just above the PFN, at
// SWP_PFN_BITS = MAX_PHYSMEM_BITS(46) - PAGE_SHIFT = 34; a device-private entry's offset is the
// PFN alone. The layout is checked against the real captures' lines (set_migration_pte ...
// pte=e7ffffffdfc7c000 is a READ entry for pfn 0x101c1f); their Debian guests have no
// DEVICE_PRIVATE, so their migration types are 3 higher (28..30).
const SWP_TYPE_BITS = 5n;
const SWP_OFFSET_SHIFT = 9n + SWP_TYPE_BITS;
const SWP_MIGRATION_READ = 25n;
const SWP_MIGRATION_READ_EXCLUSIVE = 26n;
const SWP_MIGRATION_WRITE = 27n;
const SWP_DEVICE_WRITE = 28n;
const SWP_DEVICE_READ = 29n;
/**
 * x86 soft-dirty (CONFIG_MEM_SOFT_DIRTY, on in the captured kernels): pte_mkdirty() sets
 * _PAGE_SOFT_DIRTY (bit 11) with _PAGE_DIRTY, a swap entry keeps it as _PAGE_SWP_SOFT_DIRTY
 * (bit 1), and only clear_refs clears it, which the model never does: a PTE the model ever
 * dirtied is soft-dirty. The real captures print 0x867 / ...602 for such pages.
 */
const PAGE_SOFT_DIRTY = 0x800n;
const PAGE_SWP_SOFT_DIRTY = 0x2n;
const SWP_MIG_YOUNG = 1n << 34n;
const SWP_MIG_DIRTY = 1n << 35n;
const MASK64 = (1n << 64n) - 1n;

/** __swp_entry_to_pte(): the type in the top bits, the offset inverted below it. */
const swpPte = (type: bigint, offset: bigint, softDirty: boolean): string =>
  (((((~offset) & MASK64) << SWP_OFFSET_SHIFT) & MASK64) >> SWP_TYPE_BITS | (type << (64n - SWP_TYPE_BITS)) | (softDirty ? PAGE_SWP_SOFT_DIRTY : 0n)).toString(16);

/** The 64-bit value of a migration entry PTE as set_migration_pte prints it. */
export function migrationPteValue(pfn: number, bits: number): string {
  const type = bits & PTE_WRITE ? SWP_MIGRATION_WRITE : bits & PTE_EXCLUSIVE ? SWP_MIGRATION_READ_EXCLUSIVE : SWP_MIGRATION_READ;
  let offset = BigInt(pfn);
  if (bits & PTE_YOUNG) offset |= SWP_MIG_YOUNG;
  if (bits & PTE_DIRTY) offset |= SWP_MIG_DIRTY;
  return swpPte(type, offset, (bits & PTE_DIRTY) !== 0);
}

/** make_{writable,readable}_device_private_entry() as a PTE: what remove_migration_pte prints for a device page. */
export function devicePrivatePteValue(pfn: number, bits: number, softDirty: boolean): string {
  return swpPte(bits & PTE_WRITE ? SWP_DEVICE_WRITE : SWP_DEVICE_READ, BigInt(pfn), softDirty);
}

/** The 64-bit value of a present x86-64 PTE as remove_migration_pte prints it (soft-dirty: see above). */
export function presentPteValue(pfn: number, bits: number, softDirty = (bits & PTE_DIRTY) !== 0): string {
  // _PAGE_PRESENT | _PAGE_USER (0x005), RW 0x002, ACCESSED 0x020, DIRTY 0x040, NX bit 63.
  let v = (1n << 63n) | (BigInt(pfn) << 12n) | 0x5n;
  if (bits & PTE_WRITE) v |= 0x2n;
  if (bits & PTE_YOUNG) v |= 0x20n;
  if (bits & PTE_DIRTY) v |= 0x40n;
  if (softDirty) v |= PAGE_SOFT_DIRTY;
  return v.toString(16);
}

const address = (vma: Vma, slot: number): string => ((vma.start + slot) * 4096).toString(16);

function mmName(k: Kernel, vma: Vma): string {
  const mm = k.vm.mms[vma.mm]!;
  return `${mm.comm}[${mm.pid}]`;
}

export interface MigrateRmapResult {
  readonly steps: StepInfo[];
  readonly ok: boolean;
}

// mm/rmap.c: try_to_migrate() → try_to_migrate_one() per VMA. Each present PTE of the folio
// becomes a migration entry (writable, readable-exclusive or readable, keeping young/dirty);
// the rmap and the mapping's reference go. Clearing a dirty PTE moves its dirtiness to the folio
// (folio_mark_dirty()), which folio_migrate_flags() then copies to the destination. An anon-exclusive page that may be DMA-pinned
// cannot be shared (folio_try_share_anon_rmap_pte() → -EBUSY): its PTE is put back and the
// walk stops, leaving the folio mapped.
export function try_to_migrate(k: Kernel, folio: number): MigrateRmapResult {
  const steps: StepInfo[] = [];
  const nr = folio_nr_pages(k, folio);
  const index = k.mem.index.a[folio]!;
  const anon = folio_test_anon(k, folio);
  let pinned: boolean | undefined; // folio_maybe_dma_pinned(), asked once
  for (const vma of rmapVmas(k, k.mem.mapping.a[folio]!)) {
    for (let i = 0; i < nr; i++) {
      const slot = vma_address(vma, index + i);
      if (slot < 0) continue;
      const pte = vma.pte.a[slot]!;
      // A device-private page is mapped by device-private entries, which become migration
      // entries the same way (try_to_migrate_one's folio_is_device_private branch).
      if (!(ptePresent(pte) || pteIsDevicePrivate(pte)) || ptePfn(pte) !== folio + i) continue;
      const page = folio + i;
      const bits = pteBits(pte);
      const exclusive = anon && testPageFlag(k, page, PG.owner_2);
      if (exclusive) pinned ??= folio_maybe_dma_pinned(k, folio);
      if (exclusive && pinned) {
        steps.push(mkStep(k, {
          phase: 'unmap', fn: 'try_to_migrate_one', file: 'mm/rmap.c',
          text: `${hex(page)} is anon-exclusive and folio_maybe_dma_pinned() (refcount ${k.mem.refcount.a[folio]} ≥ 1024 or _pincount): folio_try_share_anon_rmap_pte() returns -EBUSY, the PTE at ${mmName(k, vma)} 0x${address(vma, slot)} stays, the folio stays mapped and try_to_migrate_one() returns false`,
          pfns: [{ pfn: folio, role: 'src', nr }], result: 'false',
        }));
        return { steps, ok: false };
      }
      // ptep_clear_flush(): a present PTE's dirty bit would be lost with it (a device-private entry has none).
      const dirtied = ptePresent(pte) && (bits & PTE_DIRTY) !== 0 && !testPageFlag(k, folio, PG.dirty);
      if (ptePresent(pte) && bits & PTE_DIRTY) folio_mark_dirty(k, folio);
      if (exclusive) clearPageFlag(k, page, PG.owner_2); // folio_try_share_anon_rmap_pte(): the entry now carries exclusivity
      const ebits = (bits & (PTE_WRITE | PTE_YOUNG | PTE_DIRTY)) | (exclusive ? PTE_EXCLUSIVE : 0);
      put(k.st, vma.pte, slot, mkMigrationEntry(page, ebits));
      const wasMlocked = testPageFlag(k, folio, PG.mlocked);
      folio_remove_rmap_ptes(k, folio, page, 1, vma);
      const munlocked = vma.locked && wasMlocked && !testPageFlag(k, folio, PG.mlocked)
        ? '; VM_LOCKED area: munlock_vma_folio() clears PG_mlocked at once (the folio is off the LRU)' : '';
      const kind = bits & PTE_WRITE ? 'writable' : exclusive ? 'readable-exclusive' : 'readable';
      folio_put(k, folio);
      steps.push(mkStep(k, {
        phase: 'unmap', fn: 'try_to_migrate_one', file: 'mm/rmap.c',
        text: `PTE of ${mmName(k, vma)} at 0x${address(vma, slot)} → ${kind} migration entry for ${hex(page)}${dirtied ? ' (the PTE was dirty: folio_mark_dirty() sets PG_dirty on the folio)' : ''}; rmap and the mapping's reference dropped (refcount ${k.mem.refcount.a[folio]}, mapcount ${mapcountOf(k, folio)})${munlocked}`,
        pfns: [{ pfn: folio, role: 'src', nr }],
        trace: [`set_migration_pte: addr=${address(vma, slot)}, pte=${migrationPteValue(page, ebits)} order=${k.mem.order.a[folio]}`],
      }));
    }
  }
  return { steps, ok: !folio_mapped(k, folio) };
}

function mapcountOf(k: Kernel, folio: number): number {
  let m = 0;
  for (let i = 0; i < folio_nr_pages(k, folio); i++) m += k.mem.mapcount.a[folio + i]! + 1;
  return m;
}

// mm/migrate.c: remove_migration_ptes(src, dst) → remove_migration_pte() per VMA of dst: every
// migration entry for a page of src becomes a present PTE to the same page of dst, with a
// reference and the rmap; write, young, dirty and anon-exclusivity come back from the entry.
export function remove_migration_ptes(k: Kernel, src: number, dst: number): StepInfo[] {
  const steps: StepInfo[] = [];
  const nr = folio_nr_pages(k, dst);
  const index = k.mem.index.a[dst]!;
  const anon = folio_test_anon(k, dst);
  for (const vma of rmapVmas(k, k.mem.mapping.a[dst]!)) {
    for (let i = 0; i < nr; i++) {
      const slot = vma_address(vma, index + i);
      if (slot < 0) continue;
      const pte = vma.pte.a[slot]!;
      if (!pteIsMigration(pte) || ptePfn(pte) !== src + i) continue;
      const ebits = pteBits(pte);
      const page = dst + i;
      folio_get(k, dst);
      let bits = ebits & (PTE_WRITE | PTE_YOUNG);
      if (ebits & PTE_DIRTY && testPageFlag(k, dst, PG.dirty)) bits |= PTE_DIRTY;
      const exclusive = anon && (ebits & (PTE_WRITE | PTE_EXCLUSIVE)) !== 0; // !is_readable_migration_entry()
      if (exclusive) {
        setPageFlag(k, page, PG.owner_2); // RMAP_EXCLUSIVE
        bits |= PTE_EXCLUSIVE;
      }
      folio_add_rmap_ptes(k, dst, page, 1, vma);
      const mlocked = vma.locked && testPageFlag(k, dst, PG.mlocked)
        ? `; VM_LOCKED area: mlock_vma_folio() → PG_mlocked${testPageFlag(k, dst, PG.lru) ? `, on the unevictable LRU (mlock_count ${folio_mlock_count(k, dst)})` : ' (off the LRU: putback makes it unevictable)'}` : '';
      // A device-private destination is mapped by a device-private entry, not a present PTE.
      const device = isZoneDevice(k, dst);
      put(k.st, vma.pte, slot, device ? mkDevicePrivateEntry(page, bits) : mkPte(page, bits));
      steps.push(mkStep(k, {
        phase: 'remap', fn: 'remove_migration_pte', file: 'mm/migrate.c',
        text: `migration entry of ${mmName(k, vma)} at 0x${address(vma, slot)} → ${device ? `device-private entry (${bits & PTE_WRITE ? 'SWP_DEVICE_WRITE' : 'SWP_DEVICE_READ'})` : 'present PTE'} to ${hex(page)}${src === dst ? ' (undo: the old page again)' : ''}; rmap and a reference added (refcount ${k.mem.refcount.a[dst]}, mapcount ${mapcountOf(k, dst)})${mlocked}`,
        pfns: src === dst ? [{ pfn: dst, role: 'src', nr }] : [{ pfn: src, role: 'src', nr }, { pfn: dst, role: 'dst', nr }],
        trace: [`remove_migration_pte: addr=${address(vma, slot)}, pte=${device ? devicePrivatePteValue(page, bits, (ebits & PTE_DIRTY) !== 0) : presentPteValue(page, bits, (ebits & PTE_DIRTY) !== 0)} order=${k.mem.order.a[dst]}`],
      }));
    }
  }
  return steps;
}
