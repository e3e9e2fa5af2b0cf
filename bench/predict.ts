// The prediction figures (issues 10 and 15), one set per real capture in
// ../shared/reference/real-kernel (Linux 6.1) and real-kernel-6.12: import the capture's
// `before`, run compact_memory on it ({type:'compact'}, compact_nodes), and compare with what
// the real kernel did:
// - free blocks per order against after.buddyinfo: Σ|Δ blocks × 2^order| over the real free
//   pages of the zone, worst zone (engine/predict.ts) — target 5 %;
// - migrated and failed pages against the trace's mm_migrate_pages totals — target 5 %;
// - single pages against migrations.csv (every real src → dst in order): the sources both
//   migrated, the (src, dst) pairs reproduced, the length of the common in-order prefix of sources.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { comparePrediction, deltaLine } from '../src/engine/predict';
import { openImportedSession } from '../src/engine/session';
import { allSteps, runToEnd } from '../src/engine/timeline';
import { importDump } from '../src/kernel/import/rebuild';
import { VM_EVENT } from '../src/kernel/vmstat';
import type { Figure } from './report';

const REFERENCE = fileURLToPath(new URL('../../shared/reference/', import.meta.url));
const FOLDERS = ['real-kernel', 'real-kernel-6.12'];
const TARGET_PCT = 5;

/** Capture folders with the files the prediction needs, as "folder/capture". */
function captures(): string[] {
  return FOLDERS.flatMap((f) => {
    const root = `${REFERENCE}${f}/`;
    if (!existsSync(root)) return [];
    return readdirSync(root).filter((d) => ['before.kpageflags', 'before.kpagecount', 'after.buddyinfo'].every((x) => existsSync(`${root}${d}/${x}`))).sort().map((d) => `${f}/${d}`);
  });
}

const text = (path: string): string | undefined => (existsSync(path) ? readFileSync(path, 'utf8') : undefined);
const pct = (a: number, b: number): number => (b === 0 ? (a === 0 ? 0 : Infinity) : (Math.abs(a - b) / b) * 100);

/** Every real (src, dst) migration in order, from migrations.csv (header: seq,…,src_pfn,dst_pfn,…). */
function realPairs(dir: string): [number, number][] | null {
  const csv = text(dir + 'migrations.csv');
  if (!csv) return null;
  const [head, ...rows] = csv.trim().split('\n');
  const cols = head!.split(',');
  const s = cols.indexOf('src_pfn'), d = cols.indexOf('dst_pfn');
  return rows.map((r) => r.split(',')).map((c) => [Number(c[s]), Number(c[d])]);
}

/** The simulated (src, dst) pairs in order: each folio whose flags moved, each balloon page moved. */
function simulatedPairs(steps: ReturnType<typeof allSteps>): [number, number][] {
  const out: [number, number][] = [];
  for (const st of steps) {
    const moved = st.fn === 'folio_migrate_flags' || ((st.fn === 'virtballoon_migratepage' || st.fn === 'balloon_page_migrate') && st.result === '0');
    if (!moved) continue;
    const src = st.pfns.find((p) => p.role === 'src'), dst = st.pfns.find((p) => p.role === 'dst');
    if (src && dst) out.push([src.pfn, dst.pfn]);
  }
  return out;
}

function pageFigures(name: string, real: [number, number][], sim: [number, number][]): Figure[] {
  const simSrc = new Set(sim.map((p) => p[0]));
  const simPair = new Set(sim.map((p) => `${p[0]}>${p[1]}`));
  const common = real.filter((p) => simSrc.has(p[0])).length;
  const pairs = real.filter((p) => simPair.has(`${p[0]}>${p[1]}`)).length;
  let prefix = 0;
  while (prefix < real.length && prefix < sim.length && real[prefix]![0] === sim[prefix]![0]) prefix++;
  const is612 = name.startsWith('real-kernel-6.12/');
  return [
    { what: `sources in common, ${name}`, value: (common / real.length) * 100, unit: '%', note: `${common} of ${real.length} real sources also migrated here (${sim.length} simulated)` },
    {
      what: `pairs reproduced, ${name}`, value: (pairs / real.length) * 100, unit: '%', note: `${pairs} of ${real.length} (src, dst) pairs`,
      // 6.12 hands out destinations as 6.18 does (isolated free pages kept per order): aim at 90 %.
      ...(is612 ? { target: 90, better: 'higher' as const } : {}),
    },
    { what: `in-order source prefix, ${name}`, value: prefix, unit: 'pages', note: `the first ${prefix} sources in the same order` },
  ];
}

export function predictionFigures(): Figure[] {
  return captures().flatMap((name): Figure[] => {
    const dir = `${REFERENCE}${name}/`;
    const t0 = performance.now();
    const imported = importDump({
      name: `${name}/before`,
      kpageflags: readFileSync(dir + 'before.kpageflags'),
      kpagecount: readFileSync(dir + 'before.kpagecount'),
      buddyinfo: text(dir + 'before.buddyinfo'),
      pagetypeinfo: text(dir + 'before.pagetypeinfo'),
      zoneinfo: text(dir + 'before.zoneinfo'),
    });
    const s = openImportedSession(imported, [{ type: 'compact' }]);
    runToEnd(s.t);
    const ms = performance.now() - t0;
    const p = comparePrediction(s.k, readFileSync(dir + 'after.buddyinfo', 'utf8'));
    const misplaced = p.absDeltaPages.reduce((a, b) => a + b, 0);
    // Worst zone: Σ|Δ blocks × 2^order| over that zone's real free pages.
    const zoneErr = p.zones.map((z) => {
      const realPages = z.real.reduce((n, b, o) => n + b * 2 ** o, 0);
      const off = z.real.reduce((n, b, o) => n + Math.abs((z.simulated[o] ?? 0) - b) * 2 ** o, 0);
      return { zone: z.zone, err: realPages ? (off / realPages) * 100 : off ? Infinity : 0 };
    });
    const worst = zoneErr.reduce((a, b) => (b.err > a.err ? b : a), { zone: '-', err: 0 });
    const ev = s.k.events.a;
    const migrated = ev[VM_EVENT.PGMIGRATE_SUCCESS]!, failed = ev[VM_EVENT.PGMIGRATE_FAIL]!;
    const figures: Figure[] = [{
      what: `prediction error, ${name}`,
      value: worst.err,
      unit: '%',
      target: TARGET_PCT,
      better: 'lower',
      note: `worst zone ${worst.zone}; ${zoneErr.map((z) => `${z.zone} ${z.err.toFixed(1)} %`).join(', ')}; all zones Σ|Δ| ${misplaced} of ${p.realFreePages} real free pages (${(p.error * 100).toFixed(1)} %, simulated ${p.simulatedFreePages}); ${deltaLine(p)}; import + compaction ${ms.toFixed(0)} ms`,
    }];
    const summary = text(dir + 'summary.json');
    const totals = summary ? (JSON.parse(summary) as { mm_migrate_pages_totals?: { nr_succeeded: number; nr_failed: number } }).mm_migrate_pages_totals : undefined;
    if (totals) {
      figures.push(
        { what: `migrated vs trace, ${name}`, value: pct(migrated, totals.nr_succeeded), unit: '%', target: TARGET_PCT, better: 'lower', note: `${migrated} simulated, ${totals.nr_succeeded} real` },
        { what: `failed vs trace, ${name}`, value: pct(failed, totals.nr_failed), unit: '%', target: TARGET_PCT, better: 'lower', note: `${failed} simulated, ${totals.nr_failed} real` },
      );
    }
    const real = realPairs(dir);
    if (real) figures.push(...pageFigures(name, real, simulatedPairs(allSteps(s.t))));
    return figures;
  });
}
