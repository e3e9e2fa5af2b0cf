// The registry's names, apart from the designs' code: the scenario schema (a zod enum wants a
// literal tuple) and the footprint's list need only these, and a design's `name` is typed by them.
// designs.test.ts checks they match DESIGNS in index.ts, in order.

/** Every design's name, in the order the footprint comparison runs them; the first is the default. */
export const DESIGN_NAMES = ['linux-6.18', 'linux-6.12', 'no-refcount', 'pfn-array', 'linux-7.0', 'pgtable-movable', 'converged', 'offline-alloc', 'offline-migrate'] as const;

export type DesignName = (typeof DESIGN_NAMES)[number];
