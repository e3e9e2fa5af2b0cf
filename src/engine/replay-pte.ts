// The PFN inside a PTE value printed by set_migration_pte / remove_migration_pte, for x86-64
// (arch/x86/include/asm/pgtable_64.h, pgtable_types.h). The events print no PFN, but their `pte=`
// carries one: remove_migration_pte's is the present PTE of the page now mapped, and
// set_migration_pte's is the migration entry (a swap entry whose offset is the old PFN).
// Checked on the captures in ../shared/reference/real-kernel: the decoded PFNs equal the
// kprobe-derived ones of migrations.csv. Other architectures lay PTEs out differently.

/** PTE_PFN_MASK: bits 12..51 of a present PTE. */
const PTE_PFN_MASK = 0x000f_ffff_ffff_f000n;
const U64 = (1n << 64n) - 1n;
/** SWP_TYPE_BITS and SWP_OFFSET_SHIFT (= SWP_OFFSET_FIRST_BIT 9 + SWP_TYPE_BITS). */
const SWP_TYPE_BITS = 5n;
const SWP_OFFSET_SHIFT = 14n;
/**
 * A migration entry's offset is the PFN, with the young and dirty bits above SWP_PFN_BITS
 * (34 with 4-level paging, 40 with 5-level). 34 bits of PFN (64 TiB) read both correctly.
 */
const SWP_PFN_MASK = (1n << 34n) - 1n;

/** The PFN a present PTE maps, or null for a non-present one. */
export function ptePfn(pte: bigint): number | null {
  if ((pte & 1n) === 0n) return null;
  return Number((pte & PTE_PFN_MASK) >> 12n);
}

/**
 * The PFN of a migration entry: __swp_offset() undoes the L1TF inversion of the offset bits
 * (~pte << SWP_TYPE_BITS >> SWP_OFFSET_SHIFT), then swp_offset_pfn() masks the A/D bits.
 */
export function swpPfn(pte: bigint): number | null {
  if ((pte & 1n) !== 0n || pte === 0n) return null;
  const offset = ((~pte & U64) << SWP_TYPE_BITS & U64) >> SWP_OFFSET_SHIFT;
  return Number(offset & SWP_PFN_MASK);
}
