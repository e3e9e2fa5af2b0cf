// `npm run sim -- --import PREFIX`: a real machine's dumps read from disk (PREFIX.kpageflags,
// PREFIX.kpagecount and, when present, PREFIX.buddyinfo / .pagetypeinfo / .zoneinfo — the naming
// of ../shared/reference/real-kernel/*/before.*), rebuilt by kernel/import, and the import's
// report as text: free blocks per order rebuilt against the given buddyinfo, side by side.

import { existsSync, readFileSync } from 'node:fs';
import { importDump } from '../kernel/import/rebuild';
import type { DumpFiles, ImportReport, ImportResult } from '../kernel/import/types';
import { MT_NAMES, NR_PAGE_ORDERS } from '../kernel/zone';

/** Read PREFIX's files; a missing or unreadable dump is one line. */
export function readImportFiles(prefix: string): DumpFiles {
  const bin = (ext: string): Uint8Array => {
    try {
      return new Uint8Array(readFileSync(prefix + ext));
    } catch (e) {
      throw new Error(`--import: cannot read ${prefix}${ext}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
  };
  const text = (ext: string): string | undefined => (existsSync(prefix + ext) ? readFileSync(prefix + ext, 'utf8') : undefined);
  const files: { -readonly [K in keyof DumpFiles]: DumpFiles[K] } = { name: prefix, kpageflags: bin('.kpageflags'), kpagecount: bin('.kpagecount') };
  for (const kind of ['buddyinfo', 'pagetypeinfo', 'zoneinfo'] as const) {
    const t = text('.' + kind);
    if (t !== undefined) files[kind] = t;
  }
  return files;
}

export function importPrefix(prefix: string): ImportResult {
  return importDump(readImportFiles(prefix));
}

const pad = (s: string | number, w: number): string => String(s).padStart(w);

/** The report as text: per zone, free blocks per order rebuilt / given / difference; pageblocks; guesses. */
export function importReportText(r: ImportReport): string {
  let out = `import: ${r.name}: ${r.pfns} PFNs, zones from ${r.zonesFrom}\n`;
  for (const f of r.freeByOrder) {
    out += `zone ${f.zone}: free blocks per order, rebuilt${f.given ? ' vs buddyinfo' : ' (no buddyinfo given)'}\n`;
    out += '  order   ' + Array.from({ length: NR_PAGE_ORDERS }, (_, o) => pad(o, 7)).join('') + '    pages\n';
    const row = (label: string, a: readonly number[]): string =>
      `  ${label.padEnd(8)}${a.map((c) => pad(c, 7)).join('')}${pad(a.reduce((s, c, o) => s + c * (1 << o), 0), 9)}\n`;
    out += row('rebuilt', f.rebuilt);
    if (f.given) {
      out += row('given', f.given);
      out += row('diff', f.rebuilt.map((c, o) => c - f.given![o]!));
    }
  }
  for (const p of r.pageblocks ?? []) {
    out += `zone ${p.zone}: pageblocks ` + p.rebuilt.map((c, t) => `${MT_NAMES[t]} ${c}${p.given ? ` (${p.given[t]})` : ''}`).join(', ') +
      (p.given ? ' — rebuilt (pagetypeinfo)' : ` — by rule`) + '\n';
  }
  out += 'pages by class (raw KPF bits): ' + Object.entries(r.rawClasses).map(([c, n]) => `${c} ${n}`).join(', ') + '\n';
  out += 'ambiguities:\n' + r.ambiguities.map((a) => `- ${a}\n`).join('');
  return out;
}
