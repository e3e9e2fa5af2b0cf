// What a design variant is, as the core paths see it: the seam issue 17 asks for (docs/design-lab.md).
// The core calls a design's operations where it used to branch on the variant's name or on a page's
// encoding, the way mm/ calls a non-LRU page's struct movable_operations; each design lives in its own
// folder beside this file and only the registry (index.ts) names them.

import type { Kernel } from '../kernel';
import type { StepInfo, Steps } from '../step';
import type { GuardStage } from '../guard-steps';
import type { DesignName } from './names';
import type { Exclusion } from '../guards';
import type { MigrateSpec } from '../migrate-paths';
import type { MigrateCtx, MigrateMode, MigrateReason, MigrateResult, MigrateStats, NewFolioSource } from '../migrate';

/** What a PFN-array path reports: pages moved and pages left where they were. */
export interface PfnArrayOutcome {
  readonly migrated: number;
  readonly failed: number;
}

/**
 * The movable operations of pages a design marks its own way (6.12's PAGE_MAPPING_MOVABLE in
 * page->mapping) rather than with 6.18's PG_movable_ops. The core asks `owns` first, so a page keeps
 * the operations of the design that made it whichever design the run follows.
 */
export interface PageOps {
  /** Whether the page carries this design's encoding. Reads the raw arrays: no footprint. */
  owns(k: Kernel, pfn: number): boolean;
  /** isolate_movable_page(): null when isolated, else why not. */
  isolate(k: Kernel, page: number): string | null;
  /** The ops' migrate_page(): 0 or an errno, with the steps it took. */
  migrate(k: Kernel, dst: number, src: number): { rc: number; steps: StepInfo[] };
  /** Whether the page is isolated already, by this design's flag (6.12: PG_isolated). */
  isolated(k: Kernel, page: number): boolean;
  /** The step isolate_folio_to_list() shows for `isolate`: `why` as it returned, `ref` the refcount before. */
  isolateStep(k: Kernel, who: string, page: number, ref: number, why: string | null): StepInfo;
  /** putback_movable_folio(): back where isolation took it from. */
  putback(k: Kernel, page: number): void;
  /** The step putback_movable_pages() shows once `putback` ran and the isolation reference (was `ref`) is dropped. */
  putbackStep(k: Kernel, page: number, ref: number): StepInfo;
  /** How the page says "movable", for the narration. */
  readonly encoding: string;
  /** The page's type in the narration ("PageTable"); absent: PageOffline. */
  readonly kind?: string;
  /**
   * The references the page's owner holds (the invariants and the inspector count them); absent:
   * movable-owner.ts's rule for balloon and zsmalloc pages (dropped by the migration of an isolated page).
   */
  ownerRef?(k: Kernel, pfn: number): number;
  /** Who keeps dst once the core drops its allocation reference, for the narration. */
  readonly keeper?: string;
  /**
   * Called by migrate_folio_done() once the core dropped its reference on a migrated src: a design
   * that frees the old page itself, later (an RCU-deferred free), does it here, with its own steps.
   */
  migrated?(k: Kernel, src: number): void;
  /**
   * `isolate` as guard stages (guard-steps.ts), with the words its steps start with: a race's
   * migrators run them one guard a step. Absent: a race isolates the page in one step.
   */
  guards?(k: Kernel, page: number): { readonly stages: readonly GuardStage[]; readonly label: string };
  /**
   * The design's pages hold no reference (refcount frozen at 0, the thread's "frozen"): the core
   * takes none on them and drops none (it calls `put` instead), and the invariants expect 0.
   */
  readonly frozen?: boolean;
  /**
   * get_new_folio for a source of this kind: the design allocates the destination its own way
   * (offline-alloc: frozen and PageOffline from the allocator). Absent: the target's get.
   */
  newPage?(k: Kernel, src: number, target: NewFolioSource): number;
  /**
   * Where the core would folio_put() one of the design's frozen pages (the isolation reference,
   * dst's allocation reference, an unused destination): what happens instead — nothing while the
   * balloon keeps the page, a PageOffline-aware free otherwise. Returns it in words, for the step.
   */
  put?(k: Kernel, page: number, target?: NewFolioSource): string;
  /**
   * A migration path of the design's own that migrate_pages() sends the design's pages on `from`
   * through first, as it sends hugetlb folios through migrate_hugetlbs(): it takes them off
   * `from` (failures to `ret`) and returns how many were not migrated.
   */
  migratePages?(c: MigrateCtx, from: number, mode: MigrateMode, ret: number, stats: MigrateStats): Steps<number>;
}

export interface Design {
  /** The scenario's `variant`, the CLI's `--variant`. */
  readonly name: DesignName;
  /** One line for the gallery and the README. */
  readonly summary: string;
  /** What the discussion left open and this model decided. */
  readonly assumes: readonly string[];
  /** update_balloon_size_func() growing the balloon by `pages`; the pages it took go to `got`. */
  inflate(k: Kernel, pages: number, got: number[]): Steps<number>;
  /** update_balloon_size_func() shrinking the balloon by `pages`. */
  deflate(k: Kernel, pages: number): Steps<number>;
  /**
   * The path a migrate action sends the balloon's PageOffline pages through, when the design has
   * its own; absent: they take migrate_pages() with every other page.
   */
  readonly offlinePath?: (k: Kernel, pfns: readonly number[], who: string) => Steps<PfnArrayOutcome>;
  /** Operations for pages carrying this design's own encoding; absent: 6.18's movable_ops. */
  readonly pageOps?: PageOps;
  /**
   * The path a migrate action sends ALL its pages through (LRU folios, movable_ops pages), when the
   * design replaces migrate_pages() itself; absent: offlinePath for the balloon's pages, and
   * migrate_pages() for the rest. Taken before offlinePath.
   */
  readonly path?: (k: Kernel, spec: MigrateSpec, who: string) => Steps<PfnArrayOutcome>;
  /**
   * How the design's migrations track the pages they move (engine/tracking.ts prices each):
   * 'list' threads page->lru (0 bytes more, but the page must have a free lru), 'pfn-array' keeps
   * src[]/dst[] entries per base page as migrate_vma_*() does, 'compound-array' one entry per folio.
   */
  readonly tracking?: TrackingKind;
  /**
   * migrate_pages() as compaction calls it, on folios it already isolated onto `list`
   * (cc->migratepages), when the design replaces migrate_pages(); absent: migrate_pages(). Same
   * contract: what is not migrated is put back or left on `list` for the caller's putback.
   */
  readonly migrateIsolated?: (k: Kernel, list: number, target: NewFolioSource, mode: MigrateMode, reason: MigrateReason, who: string, pfMemalloc: boolean) => Steps<MigrateResult>;
  /**
   * The balloon's struct movable_operations (balloon_mops) as this design's tree has them, for
   * pages with 6.18's encoding (PageOffline + PG_movable_ops): the core's isolate_movable_ops_page(),
   * putback_movable_ops_page() and migrate_movable_ops_page() call them for the run's design
   * (runDesign), as a kernel calls the ops it registered with set_movable_ops(). Absent: 6.18's.
   */
  readonly balloonMops?: BalloonMops;
}

/** balloon_mops: what the core calls once it holds the page lock (isolate, putback) or both (migrate). */
export interface BalloonMops {
  /** isolate_page(): null when the page is now isolated, else the exclusion (why the driver refused). */
  isolate_page(k: Kernel, page: number): Exclusion | null;
  /** putback_page(): back on the balloon list. */
  putback_page(k: Kernel, page: number): void;
  /** migrate_page(): 0 or an errno; PG_movable_ops_isolated is the core's to clear. */
  migrate_page(k: Kernel, dst: number, src: number): Steps<number>;
}

/** The ways a design tracks the pages it migrates (Design.tracking). */
export const TRACKING_KINDS = ['list', 'pfn-array', 'compound-array'] as const;
export type TrackingKind = (typeof TRACKING_KINDS)[number];
