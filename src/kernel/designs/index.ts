// The registry of designs: the one place that names them (with names.ts). Core files import designs
// from here only (designs.test.ts checks), so adding a design is its folder, one line below and its
// name in names.ts.

import type { Kernel } from '../kernel';
import { linux612 } from './linux-6.12';
import { linux618 } from './linux-6.18';
import { noRefcount } from './no-refcount';
import { pfnArray } from './pfn-array';
import { linux70 } from './linux-7.0';
import { pgtableMovable } from './pgtable-movable';
import { converged } from './converged';
import { offlineAlloc } from './offline-alloc';
import { offlineMigrate } from './offline-migrate';
import type { DesignName } from './names';
import type { Design, PageOps } from './types';

export { DESIGN_NAMES, type DesignName } from './names';
export type { BalloonMops, Design, PageOps, PfnArrayOutcome, TrackingKind } from './types';
export { TRACKING_KINDS } from './types';
export { bytesText, MPFN_BYTES, trackingCost, type TrackingCost } from './tracking';

/** Every design, in DESIGN_NAMES order. */
export const DESIGNS = [linux618, linux612, noRefcount, pfnArray, linux70, pgtableMovable, converged, offlineAlloc, offlineMigrate] as const;

export function designOf(name: DesignName): Design {
  const d = DESIGNS.find((x) => x.name === name);
  if (!d) throw new Error(`no design named ${JSON.stringify(name)}`);
  return d;
}

// Pure: a bundle that imports the registry without calling it (the UI's, through the engine) drops it.
const PAGE_OPS: readonly PageOps[] = /* @__PURE__ */ DESIGNS.flatMap((d): PageOps[] => ('pageOps' in d ? [d.pageOps] : []));

/**
 * The operations of a page that a design encodes its own way, or null for 6.18's movable_ops (and
 * for pages that are not movable at all). Like page_movable_ops(), decided by the page, not by the
 * run's design: reads the raw arrays, so asking adds nothing to a footprint.
 */
export function pageOpsOf(k: Kernel, pfn: number): PageOps | null {
  for (const ops of PAGE_OPS) if (ops.owns(k, pfn)) return ops;
  return null;
}

/** The design the run follows (k.variant, the scenario's): for choices that depend on the run, not the page. */
export const runDesign = (k: Kernel): Design => designOf(k.variant);

/** Whether a design owns the page's operations (see pageOpsOf). */
export const hasPageOps = (k: Kernel, pfn: number): boolean => pageOpsOf(k, pfn) !== null;
