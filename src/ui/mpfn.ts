// The entries of struct migrate_vma's src[] and dst[] (include/linux/migrate.h) as the
// migrate_vma panel shows them: `(pfn << MIGRATE_PFN_SHIFT) | flags`, 0 for an empty slot, and
// MIGRATE without VALID for a hole collect left for the driver to fill. The constants are
// repeated here rather than imported, so the page does not bundle the kernel model
// (mpfn.test.ts checks they match it).
import type { FrameMsg } from '../worker/protocol';
import { hex, PAGE_SIZE } from './format';

export type MigrateVma = NonNullable<FrameMsg['migrateVma']>;

export const MIGRATE_PFN_VALID = 1;
export const MIGRATE_PFN_MIGRATE = 2;
export const MIGRATE_PFN_WRITE = 1 << 3;
export const MIGRATE_PFN_SHIFT = 6;

export type MpfnFlag = 'VALID' | 'MIGRATE' | 'WRITE';

const FLAG_BITS: readonly (readonly [MpfnFlag, number])[] = [
  ['VALID', MIGRATE_PFN_VALID],
  ['MIGRATE', MIGRATE_PFN_MIGRATE],
  ['WRITE', MIGRATE_PFN_WRITE],
];

/** The panel's chips: one letter, in a fixed slot per flag, so a lost MIGRATE shows as a gap down the column. */
export const FLAG_LETTERS: Readonly<Record<MpfnFlag, string>> = { VALID: 'V', MIGRATE: 'M', WRITE: 'W' };

export const FLAGS: readonly MpfnFlag[] = FLAG_BITS.map(([name]) => name);

/** What a chip says about each flag, for its title. */
export const FLAG_TITLES: Readonly<Record<MpfnFlag, string>> = {
  VALID: 'MIGRATE_PFN_VALID: the entry holds a page (migrate_pfn_to_page() gives it)',
  MIGRATE: 'MIGRATE_PFN_MIGRATE: the page is to be migrated; cleared when it cannot be',
  WRITE: 'MIGRATE_PFN_WRITE: the page was mapped writable, so the new mapping will be too',
};

/** One decoded entry. */
export type Mpfn =
  | { readonly kind: 'empty' }
  /** No VALID: collect marked a pte_none slot MIGRATE for the driver to fill (migrate_vma_insert_page). */
  | { readonly kind: 'hole'; readonly flags: readonly MpfnFlag[] }
  | { readonly kind: 'page'; readonly pfn: number; readonly flags: readonly MpfnFlag[] };

export function decodeMpfn(e: number): Mpfn {
  if (e === 0) return { kind: 'empty' };
  const flags = FLAG_BITS.filter(([, bit]) => e & bit).map(([name]) => name);
  if (!(e & MIGRATE_PFN_VALID)) return { kind: 'hole', flags };
  return { kind: 'page', pfn: Math.floor(e / (1 << MIGRATE_PFN_SHIFT)), flags };
}

/** An entry in one line of plain text: "pfn 0x1c49 VALID|MIGRATE|WRITE", "hole (MIGRATE, no page)", "0". */
export function mpfnText(e: number): string {
  const m = decodeMpfn(e);
  switch (m.kind) {
    case 'empty':
      return '0';
    case 'hole':
      return holeText(m.flags);
    case 'page':
      return `pfn ${hex(m.pfn)} ${m.flags.join('|')}`;
  }
}

/** An entry without a page: "hole (MIGRATE, no page)", or its flags when MIGRATE is not among them. */
export function holeText(flags: readonly MpfnFlag[]): string {
  return flags.includes('MIGRATE') ? `hole (${flags.join('|')}, no page)` : `${flags.join('|')} (no page)`;
}

/**
 * A src[] entry that holds a page but lost MIGRATE: migrate_vma_setup() (a failed check, an
 * extra reference) or migrate_vma_pages() gave up on it, and the page stays where it is.
 */
export const srcNotMigrating = (e: number): boolean => (e & MIGRATE_PFN_VALID) !== 0 && (e & MIGRATE_PFN_MIGRATE) === 0;

/** Entry i's user address (migrate_vma) or device PFN (migrate_device_range). */
export function entryAt(v: MigrateVma, i: number): number {
  return v.kind === 'vma' ? v.start + i * PAGE_SIZE : v.start + i;
}

/** Every frame carries a new view: the same struct with the same entries compares equal. */
export function sameMigrateVma(a: MigrateVma | null, b: MigrateVma | null): boolean {
  if (a === b) return true;
  if (!a || !b) return false;
  return (
    a.kind === b.kind && a.npages === b.npages && a.cpages === b.cpages && a.start === b.start && a.faultPage === b.faultPage &&
    a.src.length === b.src.length && a.dst.length === b.dst.length &&
    a.src.every((e, i) => e === b.src[i]) && a.dst.every((e, i) => e === b.dst[i])
  );
}

/** A step's pages as PFN ranges (StepPfn: pfn and nr). */
export interface PfnRange {
  readonly pfn: number;
  readonly nr?: number;
}

/** The entries whose src or dst page the current step touches: the rows to mark and scroll to. */
export function entriesTouched(v: MigrateVma, pages: readonly PfnRange[]): number[] {
  const hit = (e: number): boolean => {
    const m = decodeMpfn(e);
    return m.kind === 'page' && pages.some((p) => m.pfn >= p.pfn && m.pfn < p.pfn + (p.nr ?? 1));
  };
  const out: number[] = [];
  for (let i = 0; i < v.npages; i++) if (hit(v.src[i] ?? 0) || hit(v.dst[i] ?? 0)) out.push(i);
  return out;
}
