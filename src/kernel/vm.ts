// Processes, VMAs, page tables, anon_vmas and address_spaces: the light page-table model that
// reverse mapping walks. The kernel finds the PTEs of a folio from folio->mapping (anon_vma or
// address_space) and folio->index through the VMAs attached to it (vma_address()); we do the
// same, so rmap needs no per-page storage: mapping + index are the whole of it, as in mm/rmap.c.
//
// A PTE is one Int32 in its VMA's store: 0 = pte_none; ((pfn+1) << 4 | bits) = present;
// the negative of that = a migration entry for pfn; the negative with PTE_DEVICE_PRIVATE (bit
// 30) added = a device-private entry (SWP_DEVICE_WRITE/READ). The 4 bits are write, dirty, young
// and anon-exclusive (a PFN below 4 Mi fits in the 26 bits left below bit 30).

import { addStore, type Store, type Stores } from './store';

export const PTE_NONE = 0;
export const PTE_WRITE = 1;
export const PTE_DIRTY = 2;
export const PTE_YOUNG = 4;
/** RMAP_EXCLUSIVE on a present PTE; SWP_MIGRATION_READ_EXCLUSIVE on a migration entry. */
export const PTE_EXCLUSIVE = 8;

const PTE_BITS_SHIFT = 4;
const PTE_BITS_MASK = (1 << PTE_BITS_SHIFT) - 1;

/** Marks a non-present PTE as a device-private swap entry rather than a migration entry. */
const PTE_DEVICE_PRIVATE = 1 << 30;

export const ptePresent = (v: number): boolean => v > 0;
export const pteIsDevicePrivate = (v: number): boolean => v < 0 && (-v & PTE_DEVICE_PRIVATE) !== 0;
export const pteIsMigration = (v: number): boolean => v < 0 && (-v & PTE_DEVICE_PRIVATE) === 0;
export const ptePfn = (v: number): number => ((Math.abs(v) & ~PTE_DEVICE_PRIVATE) >> PTE_BITS_SHIFT) - 1;
export const pteBits = (v: number): number => Math.abs(v) & PTE_BITS_MASK;
export const mkPte = (pfn: number, bits = 0): number => ((pfn + 1) << PTE_BITS_SHIFT) | bits;
export const mkMigrationEntry = (pfn: number, bits = 0): number => -mkPte(pfn, bits);
/** make_writable/readable_device_private_entry(): write and exclusivity travel in the bits. */
export const mkDevicePrivateEntry = (pfn: number, bits = 0): number => -(mkPte(pfn, bits & (PTE_WRITE | PTE_EXCLUSIVE)) | PTE_DEVICE_PRIVATE);

/** Entries per page-table page (PTRS_PER_PTE on x86-64). */
export const PTRS_PER_PTE = 512;

export interface MmStruct {
  readonly id: number;
  readonly pid: number;
  readonly comm: string;
  readonly vmas: number[];
}

export type AddressSpaceKind = 'file' | 'shmem' | 'ramfs';

export interface Vma {
  readonly id: number;
  readonly mm: number;
  /** vm_start / PAGE_SIZE */
  readonly start: number;
  readonly nrPages: number;
  /** vm_pgoff: the file offset (or anon linear index) of vm_start. */
  readonly pgoff: number;
  readonly anonVma: number;
  readonly file: number;
  readonly writable: boolean;
  /**
   * VM_HUGETLB: a MAP_HUGETLB mapping of 2 MiB pages. Its PTE store keeps one slot per 4 KiB like
   * any VMA, but only the slot at each 2 MiB boundary is used: it holds the huge entry (the PMD
   * the kernel sets with set_huge_pte_at()) for the whole folio; there are no PTE-table pages.
   */
  readonly hugetlb?: boolean;
  /** VM_LOCKED: mlock()ed; the folios it maps fully are PG_mlocked and unevictable (mm/mlock.c). */
  readonly locked?: boolean;
  readonly pte: Store & { a: Int32Array };
  /** PFN of the page-table page covering each PTRS_PER_PTE-entry chunk, -1 if none. */
  readonly ptPages: Store & { a: Int32Array };
}

export interface AnonVma {
  readonly id: number;
  readonly vmas: number[];
}

export interface AddressSpace {
  readonly id: number;
  readonly name: string;
  readonly kind: AddressSpaceKind;
  /** i_pages: the folio head PFN at each index it covers, -1 if none. */
  readonly pages: Store & { a: Int32Array };
  /** i_mmap: VMAs mapping this file. */
  readonly iMmap: number[];
}

export interface Vm {
  readonly mms: MmStruct[];
  readonly vmas: Vma[];
  readonly anonVmas: AnonVma[];
  readonly spaces: AddressSpace[];
}

export function createVm(): Vm {
  return { mms: [], vmas: [], anonVmas: [], spaces: [] };
}

// folio->mapping encoding, like a pointer with two flag bits: FOLIO_MAPPING_ANON (bit 0) marks an
// anon_vma; bit 1 alone is 6.12's PAGE_MAPPING_MOVABLE (the movable_operations of a non-LRU
// page); neither bit: an address_space; 0 is NULL. The "pointer" is the object's index + 1.
export const MAPPING_FLAGS = 3;
export const PAGE_MAPPING_MOVABLE = 2;
export const anonMapping = (anonVma: number): number => ((anonVma + 1) << 2) | 1;
export const fileMapping = (space: number): number => (space + 1) << 2;
export const movableMapping = (ops: number): number => ((ops + 1) << 2) | PAGE_MAPPING_MOVABLE;
export const mappingIsAnon = (m: number): boolean => (m & MAPPING_FLAGS) === 1;
export const mappingIsMovable = (m: number): boolean => (m & MAPPING_FLAGS) === PAGE_MAPPING_MOVABLE;
export const mappingIsFile = (m: number): boolean => m !== 0 && (m & MAPPING_FLAGS) === 0;
export const mappingId = (m: number): number => (m >> 2) - 1;

interface VmOwner {
  readonly st: Stores;
  readonly vm: Vm;
}

function assertNotJournaled(k: VmOwner, what: string): void {
  // Objects are created while populating (step 0). Creating them inside a journaled step would
  // need their creation rewound too; no action does that yet.
  if (k.st.j.on) throw new Error(`creating ${what} inside a journaled step is not supported`);
}

export function createMm(k: VmOwner, pid: number, comm: string): MmStruct {
  assertNotJournaled(k, 'an mm_struct');
  const mm = { id: k.vm.mms.length, pid, comm, vmas: [] };
  k.vm.mms.push(mm);
  return mm;
}

export function createAnonVma(k: VmOwner): AnonVma {
  assertNotJournaled(k, 'an anon_vma');
  const av = { id: k.vm.anonVmas.length, vmas: [] };
  k.vm.anonVmas.push(av);
  return av;
}

export function createAddressSpace(k: VmOwner, name: string, kind: AddressSpaceKind, nrPages: number): AddressSpace {
  assertNotJournaled(k, 'an address_space');
  const id = k.vm.spaces.length;
  const as = { id, name, kind, pages: addStore(k.st, `as${id}.i_pages`, new Int32Array(nrPages).fill(-1), -1), iMmap: [] };
  k.vm.spaces.push(as);
  return as;
}

export interface VmaSpec {
  readonly mm: MmStruct;
  readonly start: number;
  readonly nrPages: number;
  readonly pgoff: number;
  readonly anonVma?: AnonVma;
  readonly file?: AddressSpace;
  readonly writable: boolean;
  readonly hugetlb?: boolean;
  readonly locked?: boolean;
}

export function createVma(k: VmOwner, s: VmaSpec): Vma {
  assertNotJournaled(k, 'a VMA');
  const id = k.vm.vmas.length;
  const vma: Vma = {
    id,
    mm: s.mm.id,
    start: s.start,
    nrPages: s.nrPages,
    pgoff: s.pgoff,
    anonVma: s.anonVma ? s.anonVma.id : -1,
    file: s.file ? s.file.id : -1,
    writable: s.writable,
    hugetlb: s.hugetlb === true,
    locked: s.locked === true,
    pte: addStore(k.st, `vma${id}.pte`, new Int32Array(s.nrPages)),
    ptPages: addStore(k.st, `vma${id}.pt_pages`, new Int32Array(Math.ceil(s.nrPages / PTRS_PER_PTE) + 1).fill(-1), -1),
  };
  k.vm.vmas.push(vma);
  s.mm.vmas.push(id);
  s.anonVma?.vmas.push(id);
  s.file?.iMmap.push(id);
  return vma;
}

/** Page-table chunk of a PTE slot: chunks are aligned to virtual 2 MiB like real PMDs. */
export function ptChunk(vma: Vma, slot: number): number {
  return ((vma.start + slot) >> 9) - (vma.start >> 9);
}

/** mm/internal.h: vma_address() — where page index `index` of the mapping sits in this VMA, or -1. */
export function vma_address(vma: Vma, index: number): number {
  const slot = index - vma.pgoff;
  return slot >= 0 && slot < vma.nrPages ? slot : -1;
}

export function describeVma(k: VmOwner, vma: Vma): string {
  const mm = k.vm.mms[vma.mm]!;
  return `${mm.comm}[${mm.pid}] ${hex((vma.start) * 4096)}`;
}

const hex = (n: number): string => '0x' + n.toString(16);
