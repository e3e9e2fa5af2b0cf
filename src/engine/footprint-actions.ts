// The actions whose struct page field counts the footprint table sums (footprint.ts:
// migrationCounts): the migrations. A session's timeline counts only theirs (session.ts); classifying
// every page an allocation, a fault or a compaction touched cost ~10% of a run, for totals nobody read.
import type { Action } from './scenario';

export const footprintCounted = (a: Action | undefined): boolean => a?.type === 'migrate' || a?.type === 'race';
