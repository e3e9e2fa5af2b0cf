// Design "linux-7.0": what followed 6.18 upstream — David Hildenbrand's balloon series, merged
// for 7.0 (docs/upstream-balloon-2026.md): one device-independent balloon_pages_lock and balloon
// code without the page lock. Balloon pages look as in 6.18 (PageOffline + PG_movable_ops, on the
// list through page->lru, one reference); only the balloon's own functions change, so the core
// (isolate_movable_ops_page() with its trylock and PG_movable_ops_isolated, migrate_pages()) runs
// as in 6.18 and calls this design's balloon_mops.

import { balloon_deflate_70, balloon_inflate_70, BALLOON_MOPS_70 } from './balloon-70';
import type { Design } from '../types';

export const linux70 = {
  name: 'linux-7.0',
  summary: 'Linux 7.0: one global balloon_pages_lock (8202313e3dfa), no page lock in mm/balloon.c (a3fafdd38967); isolate_page() reads page->private under the spinlock, deflate never skips a page',
  assumes: [
    'the release is named after the first tag that has the series: 7.0 (inferred: the series was in mm-unstable on 1 Feb 2026 after 6.19-rc1, so too late for 6.19, and v7.0-rc1 came at the end of February; the tag itself was not read)',
    'the core is 6.18\'s: isolate_movable_ops_page() still trylocks the page and tests PG_movable_ops_isolated under it (read at torvalds/linux c17ee635); the "atomic test-and-set" a3fafdd38967 mentions was not found in any release',
    'each balloon_pages_lock section runs whole inside one step (irq-off, never sleeps): a CPU that would spin on it is shown running after it',
    'only virtio_balloon is modelled; vmw_balloon and the pseries cmm driver changed in the same series and are not',
  ],
  inflate: (k, pages, got) => balloon_inflate_70(k, pages, got),
  deflate: (k, pages) => balloon_deflate_70(k, pages),
  balloonMops: BALLOON_MOPS_70,
} as const satisfies Design;
