// What a design pays to track the pages one migration moves (Design.tracking), in bytes: the
// thread's question of whether migrate_pages()' lists and migrate_vma_*()'s PFN arrays should
// converge is partly a question of this memory. Pure arithmetic on folio sizes: the kernel paths
// quote it in their narration, engine/tracking.ts and the footprint table show it per run.

import type { TrackingKind } from './types';

/** sizeof(unsigned long): one src[] or dst[] entry. */
export const MPFN_BYTES = 8;

export interface TrackingCost {
  readonly kind: TrackingKind;
  /** Array entries per direction (0 for lists). */
  readonly entries: number;
  /** src[] + dst[] bytes; 0 for lists, which reuse page->lru. */
  readonly bytes: number;
  /** Whether every page tracked must have page->lru free to thread a list through. */
  readonly needsLru: boolean;
}

/**
 * The tracking memory of migrating folios of `nrs` pages each:
 * - 'list': migrate_pages() threads the folios through page->lru, 0 bytes beyond struct page, but
 *   only pages whose lru is free (not a frozen PageOffline page, not a page table) can be tracked;
 * - 'pfn-array': migrate_vma_*()'s src[] and dst[], one unsigned long per base page each — also
 *   after 6.18, where MIGRATE_PFN_COMPOUND marks a THP's head entry but the other 511 stay, zeroed,
 *   so the folio can still be split: 2 × 8 B × 512 = 8 KiB for a 2 MiB THP;
 * - 'compound-array': the converged proposal, one entry per folio whatever its size: 2 × 8 B = 16 B.
 */
export function trackingCost(kind: TrackingKind, nrs: readonly number[]): TrackingCost {
  const entries = kind === 'list' ? 0 : kind === 'pfn-array' ? nrs.reduce((n, nr) => n + nr, 0) : nrs.length;
  return { kind, entries, bytes: 2 * MPFN_BYTES * entries, needsLru: kind === 'list' };
}

/** "16 B", "8 KiB": bytes the way the narration says them. */
export function bytesText(b: number): string {
  if (b >= 1024 && b % 1024 === 0) return `${b / 1024} KiB`;
  if (b >= 1024) return `${(b / 1024).toFixed(1)} KiB`;
  return `${b} B`;
}
