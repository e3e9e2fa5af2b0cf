// The converged design's array entry: migrate_vma_*()'s encoding (include/linux/migrate.h: the PFN
// above MIGRATE_PFN_SHIFT, flags below) plus MIGRATE_PFN_COMPOUND, the flag Balbir Singh's device
// THP series added after 6.18 (bit 4). There a THP still takes 512 entries, the head flagged and
// 511 zeroed; here — Alistair Popple's wish for (m)THP — a large folio is ONE entry. The six flag
// bits leave no room for an order: this model reads it from the head page (folio_order()), which the
// collecting migrator holds isolated, so it cannot change under it (an assumption: the thread did
// not say where the order lives).

import { hex } from '../../step';
import { MIGRATE_PFN_MIGRATE, MIGRATE_PFN_SHIFT, MIGRATE_PFN_VALID, migrate_pfn } from '../../movable-pfn-array';

export { MIGRATE_PFN_MIGRATE, MIGRATE_PFN_VALID, migrate_pfn };
/** include/linux/migrate.h after 6.18: the entry stands for a compound (large) folio. */
export const MIGRATE_PFN_COMPOUND = 1 << 4;

/** The PFN an entry names, or -1 (no MIGRATE_PFN_VALID). */
export const entryPfn = (e: number): number => (e & MIGRATE_PFN_VALID ? Math.floor(e / (1 << MIGRATE_PFN_SHIFT)) : -1);

/** "0x1200|VALID|MIGRATE|COMPOUND (order 9)", or "0" for an empty entry. */
export function entryText(e: number, order = 0): string {
  if (e === 0) return '0';
  const flags = [e & MIGRATE_PFN_VALID && 'VALID', e & MIGRATE_PFN_MIGRATE && 'MIGRATE', e & MIGRATE_PFN_COMPOUND && 'COMPOUND'].filter(Boolean);
  const pfn = entryPfn(e);
  return `${pfn >= 0 ? hex(pfn) : 'none'}|${flags.join('|')}${e & MIGRATE_PFN_COMPOUND ? ` (order ${order})` : ''}`;
}
