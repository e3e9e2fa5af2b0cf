// The registry of designs: the one file that names them. Core files import designs from here
// only (designs.test.ts checks), so adding a design is its folder and one line below.

import type { Kernel } from '../kernel';
import { linux612 } from './linux-6.12';
import { linux618 } from './linux-6.18';
import { noRefcount } from './no-refcount';
import { pfnArray } from './pfn-array';
import type { Design, PageOps } from './types';

export type { Design, PageOps, PfnArrayOutcome } from './types';

/** Every design, in the order the footprint comparison runs them; the first is the default. */
export const DESIGNS = [linux618, linux612, noRefcount, pfnArray] as const;

export type DesignName = (typeof DESIGNS)[number]['name'];

export const DESIGN_NAMES = DESIGNS.map((d) => d.name) as unknown as readonly [DesignName, ...DesignName[]];

export function designOf(name: DesignName): Design {
  const d = DESIGNS.find((x) => x.name === name);
  if (!d) throw new Error(`no design named ${JSON.stringify(name)}`);
  return d;
}

const PAGE_OPS: readonly PageOps[] = DESIGNS.flatMap((d): PageOps[] => ('pageOps' in d ? [d.pageOps] : []));

/**
 * The operations of a page that a design encodes its own way, or null for 6.18's movable_ops (and
 * for pages that are not movable at all). Like page_movable_ops(), decided by the page, not by the
 * run's design: reads the raw arrays, so asking adds nothing to a footprint.
 */
export function pageOpsOf(k: Kernel, pfn: number): PageOps | null {
  for (const ops of PAGE_OPS) if (ops.owns(k, pfn)) return ops;
  return null;
}

/** Whether a design owns the page's operations (see pageOpsOf). */
export const hasPageOps = (k: Kernel, pfn: number): boolean => pageOpsOf(k, pfn) !== null;
