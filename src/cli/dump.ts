// `--dump-kpage PREFIX`: the reached state written as the files a real machine gives and
// `--import PREFIX` reads (cli/import.ts): PREFIX.kpageflags and PREFIX.kpagecount (one
// little-endian u64 per PFN, as /proc/kpageflags and /proc/kpagecount) and the /proc texts
// PREFIX.buddyinfo, .pagetypeinfo, .zoneinfo. So a simulated machine can be re-imported, or fed
// to tools that read those files (page-types, scripts over a capture).

import { writeFileSync } from 'node:fs';
import type { Kernel } from '../kernel/kernel';
import { buddyinfo, dumpKpage, pagetypeinfo, zoneinfo } from '../kernel/procfs';

/** The file names written, in the order written. */
export const DUMP_EXTS = ['.kpageflags', '.kpagecount', '.buddyinfo', '.pagetypeinfo', '.zoneinfo'] as const;

export function writeKpageDump(k: Kernel, prefix: string): void {
  const { kpageflags, kpagecount } = dumpKpage(k);
  const contents: Record<(typeof DUMP_EXTS)[number], Uint8Array | string> = {
    '.kpageflags': kpageflags, '.kpagecount': kpagecount,
    '.buddyinfo': buddyinfo(k), '.pagetypeinfo': pagetypeinfo(k), '.zoneinfo': zoneinfo(k),
  };
  for (const ext of DUMP_EXTS) {
    try {
      writeFileSync(prefix + ext, contents[ext]);
    } catch (e) {
      throw new Error(`--dump-kpage: cannot write ${prefix}${ext}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
  }
}
