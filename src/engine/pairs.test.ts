// Single pages against the real 6.12 captures (../shared/reference/real-kernel-6.12): compact_memory
// on the imported `before`, its free scanner against the real trace, its (src, dst) pairs against
// migrations.csv. 6.12 keeps isolated free pages per order (cc->freepages[]) and hands them out as
// 6.18 does, so where both machines migrate the same sources from the same free pages, the
// destinations must be the real ones.

import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, test } from 'vitest';
import { importDump } from '../kernel/import/rebuild';
import { LO } from '../kernel/import/dump';
import { openImportedSession } from './session';
import { allSteps, runToEnd } from './timeline';
import { captureSet, REFERENCE } from '../reference.testkit';

const REF = REFERENCE + 'real-kernel-6.12/';
const SET = captureSet(['fragmented-compact', 'balloon-compact'], 'migrations.csv', REF);
const CAPTURES = SET.dirs;

function run(name: string): { sim: [number, number][]; trace: string[]; flags: Uint32Array; real: [number, number][]; realTrace: string[] } {
  const dir = `${REF}${name}/`;
  const text = (f: string): string => readFileSync(dir + f, 'utf8');
  const kpageflags = readFileSync(dir + 'before.kpageflags');
  const s = openImportedSession(importDump({
    name, kpageflags, kpagecount: readFileSync(dir + 'before.kpagecount'),
    buddyinfo: text('before.buddyinfo'), pagetypeinfo: text('before.pagetypeinfo'), zoneinfo: text('before.zoneinfo'),
  }), [{ type: 'compact' }]);
  runToEnd(s.t);
  const steps = allSteps(s.t);
  const sim: [number, number][] = [];
  for (const st of steps) {
    const moved = st.fn === 'folio_migrate_flags' || ((st.fn === 'virtballoon_migratepage' || st.fn === 'balloon_page_migrate') && st.result === '0');
    const src = st.pfns.find((p) => p.role === 'src'), dst = st.pfns.find((p) => p.role === 'dst');
    if (moved && src && dst) sim.push([src.pfn, dst.pfn]);
  }
  const real = text('migrations.csv').trim().split('\n').slice(1).map((l) => l.split(',')).map((c): [number, number] => [Number(c[3]), Number(c[4])]);
  const freeLines = (lines: string[]): string[] => lines.map((l) => /mm_compaction_isolate_freepages: .*/.exec(l)?.[0]).filter((l): l is string => l !== undefined);
  return {
    sim, real,
    trace: freeLines(steps.flatMap((x) => x.trace ?? [])),
    realTrace: freeLines(gunzipSync(readFileSync(dir + 'trace.txt.gz')).toString().split('\n')),
    flags: new Uint32Array(kpageflags.buffer, kpageflags.byteOffset, kpageflags.byteLength / 4),
  };
}

SET.describe('compact_memory on the 6.12 captures, page by page', () => {
  test.each(CAPTURES)('%s: the free scanner takes the real blocks, and while the sources are the real ones every destination the dump shows free is handed out in the real order', (name) => {
    const r = run(name);
    // The free scanner's first calls (DMA32's top): the same ranges, scanned and taken counts.
    // Later ones differ where pages sat on per-CPU lists in the dump (flags 0) and were free by then.
    expect(r.trace.slice(0, 2)).toEqual(r.realTrace.slice(0, 2));
    // The common in-order prefix of sources: the same folios, migrated in the same order.
    let prefix = 0;
    while (prefix < r.real.length && prefix < r.sim.length && r.real[prefix]![0] === r.sim[prefix]![0]) prefix++;
    expect(prefix).toBeGreaterThanOrEqual(32);
    // Its real destinations that read KPF_BUDDY in the dump come in the same order among ours
    // (ours may hold a free page the real kernel saw merged with a per-CPU page drained since).
    const buddy = (pfn: number): boolean => (r.flags[2 * pfn]! & LO.BUDDY) !== 0;
    const want = r.real.slice(0, prefix).map((p) => p[1]).filter(buddy);
    const ours = r.sim.slice(0, prefix).map((p) => p[1]);
    let j = 0;
    for (const d of ours) if (d === want[j]) j++;
    expect(want.length).toBeGreaterThan(0.9 * prefix);
    expect(want.slice(j), `real destinations (free in the dump) not handed out in order here: ${want.slice(j, j + 5).join(', ')}…`).toEqual([]);
  }, 300_000);
});
