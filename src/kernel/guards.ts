// The guards that keep a second migrator away from a page it races for (issue 17: "what stops a
// second migrator?"). A path that is kept out yields a step carrying an Exclusion: which guard
// and, in plain words with the real values, why ("refcount 3, expected 2"). The engine lists
// them (engine/exclusions.ts); the schedule sweep counts them by guard and can switch a guard off
// to show what happens to a design without it.

import type { Kernel } from './kernel';

/**
 * lru-flag: PG_lru test-and-clear (folio_isolate_lru, isolate_migratepages_block);
 * try-get: folio_try_get() / folio_get_nontail_page() on a refcount of 0 (freed or frozen);
 * trylock: folio_trylock() / trylock_page() on a locked page;
 * isolated-flag: the isolated flag's test-and-set (PG_movable_ops_isolated, 6.12's PG_isolated);
 * refcount: the refcount against what the migrator expects (folio_migrate_mapping, folio_ref_freeze);
 * driver: the owner's isolate_page() refused (page->private NULL: deflated; not on its list);
 * lock: a lock other than the page lock (balloon_pages_lock, the page-table lock).
 */
export const GUARD_KINDS = ['lru-flag', 'try-get', 'trylock', 'isolated-flag', 'refcount', 'driver', 'lock'] as const;
export type GuardKind = (typeof GUARD_KINDS)[number];

export interface Exclusion {
  readonly guard: GuardKind;
  /** What the loser found, with the values: "PG_movable_ops_isolated already set". */
  readonly why: string;
}

/** Whether a guard is in force: the sweep switches guards off to show a design without one. */
export const guardOn = (k: Kernel, g: GuardKind): boolean => !k.guardsOff.has(g);

export function parseGuardKinds(list: string): GuardKind[] {
  return list.split(',').filter(Boolean).map((g) => {
    if (!(GUARD_KINDS as readonly string[]).includes(g)) throw new Error(`unknown guard ${JSON.stringify(g)}: one of ${GUARD_KINDS.join(', ')}`);
    return g as GuardKind;
  });
}
