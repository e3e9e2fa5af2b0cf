// Where the converged design's destinations come from (get_new_folio): alloc_migration_target() for a
// migrate action, compaction_alloc() from one compact_control per zone for reason compaction — as
// migrate-paths.ts's callers of migrate_pages() choose them.

import { pageZone, type Kernel } from '../../kernel';
import { MR, type NewFolioSource } from '../../migrate';
import { alloc_migration_target, type MigrateSpec } from '../../migrate-paths';
import { compactionTarget, endCompactControl, newCompactControl, release_free_list, type CompactControl } from '../../compaction';
import { MT, PAGEBLOCK_NR_PAGES } from '../../zone';
import type { FolioArrays } from './collect';
import { entryPfn } from './entries';

/** The destinations: alloc_migration_target, or one compact_control per zone for reason compaction. */
export function targetFor(k: Kernel, spec: MigrateSpec, who: string, a: FolioArrays): { target: NewFolioSource; end: () => void } {
  if (spec.reason !== MR.COMPACTION) return { target: alloc_migration_target(spec.zone), end: () => {} };
  const ccs = new Map<number, CompactControl>();
  for (let i = 0; i < a.src.length; i++) {
    const f = entryPfn(a.src[i]!);
    const zone = pageZone(k, f);
    let cc = ccs.get(zone);
    if (!cc) {
      cc = newCompactControl(k, {
        zone, order: -1, mode: spec.mode, migratetype: MT.MOVABLE, who, whole_zone: false, ignore_skip_hint: true, ignore_block_suitable: false,
        direct_compaction: false, proactive_compaction: false, alloc_contig: false, no_set_skip_hint: true,
      });
      cc.free_pfn = (k.zones[zone]!.end - 1) & ~(PAGEBLOCK_NR_PAGES - 1);
      cc.migrate_pfn = 0;
      ccs.set(zone, cc);
    }
    cc.nr_migratepages += 1 << a.order[i]!;
    cc.migrate_pfn = Math.min(k.zones[zone]!.end - 1, Math.max(cc.migrate_pfn, f + (1 << a.order[i]!)));
  }
  const targets = new Map([...ccs].map(([z, cc]) => [z, compactionTarget(cc)]));
  return {
    target: {
      name: 'compaction_alloc',
      get: (kk, src) => targets.get(pageZone(kk, src))!.get(kk, src),
      put: (kk, dst) => targets.get(pageZone(kk, dst))!.put!(kk, dst),
    },
    end: () => {
      for (const cc of ccs.values()) {
        if (cc.nr_freepages > 0) release_free_list(k, cc);
        cc.nr_freepages = 0;
        endCompactControl(k, cc);
      }
    },
  };
}

