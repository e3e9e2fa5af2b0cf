// The 6.5 Mi-PFN dump of design.md's import row ("kpageflags import of 6.5 Mi PFNs (a 24 GiB
// machine) | reading 2 × 52 MiB"), written once per bench run to a temp dir as PREFIX.kpageflags
// and PREFIX.kpagecount (no zoneinfo: the importer's default x86-64 layout, DMA / DMA32 / Normal).
//
// From the real capture when ../shared is there: fragmented-compact/before (131,072 PFNs, Linux
// 6.1, 512 MiB: half the anon pages freed at random and half the tmpfs pages punched, twice; the
// machine design.md's compact_memory row means) tiled 52 times (6,815,744 PFNs, 52 MiB per file;
// every copy starts on a 2^17 boundary, so no buddy block or folio straddles two copies), with
// the x86-64 PCI hole 0xc0000..0x100000 (3–4 GiB) read as a 6.1 kernel reads a PFN with no online
// struct page: KPF_NOPAGE, mapcount 0. The importer accepts the tiles either way (without the
// hole they are imported as memory); the hole is what a machine of more than 4 GiB has. 6.18
// writes 0 there instead, which imports to the same layout (whole zero sections are holes).
// Until the scale issue this was balloon-compact/before, tiled the same way. Without ../shared,
// the dump is synthesized: the large-4g preset's populate spec at 6.5 Mi PFNs (its default
// layout has the PCI hole), dumped by our own procfs writers (kernel/procfs.ts dumpKpage, 6.18's
// format: 0 for the hole).
//
// bench/main.ts builds it once and passes PREFIX to bench/run.ts and bench/browser.ts in
// PFNSCOPE_BENCH_IMPORT; either run alone builds its own and removes it after (withImportDump).

import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findPreset } from '../src/engine/presets';
import { populateSpecOf } from '../src/engine/scenario';
import { KPF } from '../src/kernel/flags';
import { populate } from '../src/kernel/populate';
import { dumpKpage } from '../src/kernel/procfs';

/** PFNs of the dump: 6.5 Mi (design.md's 24 GiB machine; 52 MiB per file). */
export const IMPORT_PFNS = 52 * 131072;
/** The file prefix inside the temp dir: the CLI's --import PREFIX, the browser's capture name. */
export const IMPORT_NAME = 'bench-24g';
/** The environment variable carrying PREFIX from bench/main.ts to the two bench scripts. */
export const IMPORT_ENV = 'PFNSCOPE_BENCH_IMPORT';

const CAPTURE = fileURLToPath(new URL('../../shared/reference/real-kernel/fragmented-compact/', import.meta.url));
const TILE_PFNS = 131072;
const PCI_HOLE = { start: 0xc0000, end: 0x100000 };

export interface ImportDump {
  /** PREFIX: PREFIX.kpageflags and PREFIX.kpagecount exist. */
  readonly prefix: string;
  /** Where the PFNs came from, for the figures' notes. */
  readonly source: string;
}

/** The dump's bytes: the capture tiled, or a populated kernel's procfs dump. */
function dumpBytes(): { kpageflags: Uint8Array; kpagecount: Uint8Array; source: string } {
  const flagsFile = `${CAPTURE}before.kpageflags`;
  const countFile = `${CAPTURE}before.kpagecount`;
  if (existsSync(flagsFile) && existsSync(countFile)) {
    const f = readFileSync(flagsFile);
    const c = readFileSync(countFile);
    if (f.length !== TILE_PFNS * 8 || c.length !== TILE_PFNS * 8) throw new Error(`${CAPTURE}before.*: expected ${TILE_PFNS} PFNs per file`);
    const kpageflags = new Uint8Array(IMPORT_PFNS * 8);
    const kpagecount = new Uint8Array(IMPORT_PFNS * 8);
    for (let at = 0; at < kpageflags.length; at += f.length) {
      kpageflags.set(f, at);
      kpagecount.set(c, at);
    }
    // The PCI hole: KPF_NOPAGE, mapcount 0 (6.1's stable_page_flags(NULL) for no online page).
    const nopage = new DataView(kpageflags.buffer);
    for (let p = PCI_HOLE.start; p < PCI_HOLE.end; p++) nopage.setBigUint64(p * 8, 1n << BigInt(KPF.NOPAGE), true);
    kpagecount.fill(0, PCI_HOLE.start * 8, PCI_HOLE.end * 8);
    return { kpageflags, kpagecount, source: `52 × fragmented-compact/before (6.1), PCI hole 0xc0000..0x100000 as KPF_NOPAGE` };
  }
  const k = populate({ ...populateSpecOf(findPreset('large-4g')!.scenario), nrPfns: IMPORT_PFNS });
  return { ...dumpKpage(k), source: `no ../shared: synthesized, large-4g's populate at ${IMPORT_PFNS} PFNs dumped by kernel/procfs.ts` };
}

/** Write the dump into a new temp dir. */
export function buildImportDump(): ImportDump {
  const dir = mkdtempSync(join(tmpdir(), 'pfnscope-bench-'));
  try {
    const { kpageflags, kpagecount, source } = dumpBytes();
    const prefix = join(dir, IMPORT_NAME);
    writeFileSync(`${prefix}.kpageflags`, kpageflags);
    writeFileSync(`${prefix}.kpagecount`, kpagecount);
    writeFileSync(join(dir, 'source.txt'), source);
    return { prefix, source };
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}

/** Remove the temp dir of a dump buildImportDump() made. */
export function removeImportDump(d: ImportDump): void {
  const dir = join(d.prefix, '..');
  if (dir.startsWith(join(tmpdir(), 'pfnscope-bench-'))) rmSync(dir, { recursive: true, force: true });
}

/** The dump bench/main.ts made (PFNSCOPE_BENCH_IMPORT), or null. */
function givenDump(): ImportDump | null {
  const prefix = process.env[IMPORT_ENV];
  if (!prefix || !existsSync(`${prefix}.kpageflags`) || !existsSync(`${prefix}.kpagecount`)) return null;
  const src = join(prefix, '..', 'source.txt');
  return { prefix, source: existsSync(src) ? readFileSync(src, 'utf8') : 'given by ' + IMPORT_ENV };
}

/** Run `f` with the bench run's dump; when there is none, with one built for it and removed after. */
export async function withImportDump<T>(f: (d: ImportDump) => T | Promise<T>): Promise<T> {
  const given = givenDump();
  if (given) return f(given);
  const own = buildImportDump();
  try {
    return await f(own);
  } finally {
    removeImportDump(own);
  }
}
