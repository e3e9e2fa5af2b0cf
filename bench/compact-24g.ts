// compact_memory on the 24 GiB import (design.md: the compact_memory row; bench/targets.ts), in
// Node: the 6.5 Mi-PFN dump of bench/import-dump.ts (52 tiles of fragmented-compact/before) with
// the compact-memory preset's actions (compact every zone).
// - cliFigures: the CLI end to end in a fresh Node process, as a user runs it. Wall time from
//   spawn to exit (Node's start-up and tsx's compile included) and the process's peak RSS.
// - sessionFigures: the same session in this process (openImportedSession + runToEnd, default
//   timeline options as the CLI's), then time travel over it: step back at the end, random seeks,
//   the timeline's memory beyond the stores, the journal and checkpoints held, and one step in
//   the middle made in full (materialize: re-execution).
// One 24 GiB session at a time: each function drops its own before returning (callers gc()).

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readImportFiles } from '../src/cli/import';
import { journalHeld } from '../src/engine/history';
import { findPreset } from '../src/engine/presets';
import { openImportedSession } from '../src/engine/session';
import { markAt, materialize, materializeCost, runToEnd, seek, stepBy, timelineBytes, timelineHash } from '../src/engine/timeline';
import { importDump } from '../src/kernel/import/rebuild';
import { VM_EVENT } from '../src/kernel/vmstat';
import type { ImportDump } from './import-dump';
import { median, type Figure } from './report';
import { T } from './targets';

const MI = 1 << 20;
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const TIME = '/usr/bin/time';

function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

/** Live memory after a full GC (run.ts runs with --expose-gc), and what timelineBytes accounts for, MiB. */
function liveMemory(t: Parameters<typeof timelineBytes>[0]): string {
  gc();
  const m = process.memoryUsage();
  const b = timelineBytes(t);
  const counted = b.steps + b.spans + b.journal + b.checkpoints + b.full;
  return `array buffers ${(m.arrayBuffers / MI).toFixed(0)} MiB (timelineBytes ${(counted / MI).toFixed(0)} MiB of it), heap ${(m.heapUsed / MI).toFixed(0)} MiB, RSS ${(m.rss / MI).toFixed(0)} MiB`;
}

function time<T>(f: () => T): [T, number] {
  const t0 = performance.now();
  const r = f();
  return [r, performance.now() - t0];
}

/** What the CLI's --summary and the in-process run agree on (a cross-check in the notes). */
export interface RunSummary {
  readonly steps: number;
  readonly migrated: number;
  readonly failed: number;
  readonly stateHash: string;
}

const sameRun = (a: RunSummary, b: RunSummary): boolean =>
  a.steps === b.steps && a.migrated === b.migrated && a.failed === b.failed && a.stateHash === b.stateHash;

/**
 * `node --import tsx src/cli/main.ts compact-memory --import PREFIX --summary` in a fresh process.
 * Peak RSS: GNU time's %M (the child's ru_maxrss) when /usr/bin/time exists, else a `--import`ed
 * exit hook printing process.resourceUsage().maxRSS (the same number, read by Node itself). Both
 * are the whole process: tsx's loader thread included. Wall time is measured here, spawn to exit.
 */
export function cliFigures(dump: ImportDump): { figures: Figure[]; summary: RunSummary | null } {
  const cli = ['--import', 'tsx', 'src/cli/main.ts', 'compact-memory', '--import', dump.prefix, '--summary'];
  const withTime = existsSync(TIME);
  const dir = mkdtempSync(join(tmpdir(), 'pfnscope-bench-rss-'));
  const rssFile = join(dir, 'maxrss');
  const hook = 'data:text/javascript,process.on("exit",()=>process.stderr.write("\\npfnscope-bench maxrss "+process.resourceUsage().maxRSS+"\\n"))';
  const [cmd, args] = withTime
    ? [TIME, ['-f', '%M', '-o', rssFile, process.execPath, ...cli]]
    : [process.execPath, ['--import', hook, ...cli]];
  try {
    const t0 = performance.now();
    const r = spawnSync(cmd, args, { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * MI, timeout: 30 * 60_000 });
    const wall = performance.now() - t0;
    if (r.error || r.status !== 0) throw new Error(`the CLI failed (${r.error?.message ?? `exit ${r.status}`}): ${(r.stderr ?? '').trim().slice(-400)}`);
    const kib = withTime ? Number(readFileSync(rssFile, 'utf8').trim().split('\n').at(-1)) : Number(/pfnscope-bench maxrss (\d+)/.exec(r.stderr)?.[1]);
    const out = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as RunSummary;
    const summary: RunSummary = { steps: out.steps, migrated: out.migrated, failed: out.failed, stateHash: out.stateHash };
    const how = withTime ? `${TIME} -f %M` : 'process.resourceUsage().maxRSS in an exit hook';
    return {
      summary,
      figures: [
        {
          what: 'compact_memory 24 GiB import, CLI end to end',
          value: wall,
          unit: 'ms',
          target: T.cliCompactMs,
          better: 'lower',
          note: `one run of \`node --import tsx src/cli/main.ts compact-memory --import PREFIX --summary\`, spawn to exit (Node start-up, tsx, reading 2 × 52 MiB, import, compaction, JSON); ` +
            `${summary.migrated} pages migrated, ${summary.failed} failed, ${summary.steps} steps; ${dump.source}`,
        },
        {
          what: 'compact_memory 24 GiB import, CLI peak RSS',
          value: kib / 1024,
          unit: 'MiB',
          target: T.cliCompactRssMiB,
          better: 'lower',
          note: `the same run's peak resident set (${how}), the whole process`,
        },
      ],
    };
  } catch (e) {
    const why = (e as Error).message;
    return {
      summary: null,
      figures: [
        { what: 'compact_memory 24 GiB import, CLI end to end', value: NaN, unit: 'ms', target: T.cliCompactMs, better: 'lower', note: why },
        { what: 'compact_memory 24 GiB import, CLI peak RSS', value: NaN, unit: 'MiB', target: T.cliCompactRssMiB, better: 'lower', note: why },
      ],
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Random seeks stop being started once they have taken this long (each re-execution can take tens of seconds). */
const SEEK_BUDGET_MS = 90_000;
const SEEKS = 20;

/** The 24 GiB session in this process, then time travel over it. `cli`: the CLI's summary, to cross-check. */
export function sessionFigures(dump: ImportDump, cli: RunSummary | null): Figure[] {
  const figures: Figure[] = [];
  const [s, importMs] = time(() => openImportedSession(importDump(readImportFiles(dump.prefix)), findPreset('compact-memory')!.scenario.actions));
  const t = s.t;
  const [, runMs] = time(() => runToEnd(t));
  const n = t.rec.n;
  const ev = s.k.events.a;
  const run: RunSummary = { steps: n, migrated: ev[VM_EVENT.PGMIGRATE_SUCCESS]!, failed: ev[VM_EVENT.PGMIGRATE_FAIL]!, stateHash: timelineHash(t) };
  const writes = markAt(t, n); // absolute journal position after the last step: every journaled write
  const live0 = liveMemory(t);
  figures.push({
    what: 'compact_memory 24 GiB import, in-process',
    value: importMs + runMs,
    unit: 'ms',
    note: `the CLI figure above has the target: import + session ${importMs.toFixed(0)} ms, runToEnd ${runMs.toFixed(0)} ms (${((n / runMs) * 1000 / 1e6).toFixed(2)} M steps/s, ` +
      `${((run.migrated / runMs) * 1000 / 1000).toFixed(0)} k migrations/s); ${run.migrated} migrated, ${run.failed} failed, ${n} steps; after it, live: ${live0}; ` +
      (cli ? (sameRun(cli, run) ? 'same steps, migrations and state hash as the CLI' : `DIFFERS from the CLI: ${JSON.stringify(cli)} vs ${JSON.stringify(run)}`) : 'no CLI run to compare'),
  });
  figures.push({
    what: 'journaled writes per migrated page, 24 GiB',
    value: writes / Math.max(1, run.migrated),
    unit: 'wr',
    note: `${writes} value-changing store writes (kernel/store.ts put) over ${run.migrated} migrated pages, scanners, free-list and LRU work included`,
  });

  // Memory beyond the stores, right after the run (as the session stands before anyone looks back).
  const b = timelineBytes(t);
  const held = journalHeld(t.hist);
  figures.push({
    what: 'timeline memory per step beyond the stores',
    value: (b.steps + b.spans) / n,
    unit: 'B',
    target: T.bytesPerStep,
    better: 'lower',
    note: `(step records ${(b.steps / MI).toFixed(1)} MiB + spans ${(b.spans / MI).toFixed(1)} MiB) / ${n} steps; besides, bounded by budgets: journal ${(b.journal / MI).toFixed(0)} MiB, checkpoints ${(b.checkpoints / MI).toFixed(0)} MiB, full steps ${(b.full / MI).toFixed(1)} MiB`,
  });
  figures.push({
    what: 'journal held, 24 GiB run',
    value: b.journal / MI,
    unit: 'MiB',
    note: `${held} of ${writes} writes held at 16 B (budget ${t.hist.journalBudget}, segments of ${t.hist.segmentEntries}); ${t.hist.segs.length} segments, ${t.hist.evictions} journals dropped after the run`,
  });
  figures.push({
    what: 'checkpoint bytes, 24 GiB run',
    value: b.checkpoints / MI,
    unit: 'MiB',
    note: `${t.hist.cps.length} checkpoints, ${t.hist.cps.filter((c) => c.chunks !== null).length} still restorable (chunk versions of what each segment changed); ` +
      `step 0's full copy ${(t.hist.baseBytes / MI).toFixed(0)} MiB + ${((b.checkpoints - t.hist.baseBytes) / MI).toFixed(0)} MiB of versions (budget ${(t.hist.checkpointBudget / MI).toFixed(0)} MiB beyond step 0)`,
  });

  // Step back at the end: 200 single steps back from the last one.
  const back: number[] = [];
  for (let i = 0; i < 200; i++) back.push(time(() => stepBy(t, -1))[1]);
  const sortedBack = [...back].sort((x, y) => x - y);
  figures.push({
    what: 'step back at the end of the 24 GiB run',
    value: median(back),
    unit: 'ms',
    target: T.stepBackMs,
    better: 'lower',
    note: `median of ${back.length} stepBy(t, -1) from step ${n}; p99 ${sortedBack[Math.floor(back.length * 0.99)]!.toFixed(3)} ms, max ${sortedBack.at(-1)!.toFixed(3)} ms`,
  });

  // One step in the middle made in full, before the seeks move the generators: the live generators
  // stand at the end, past it, so materialize re-executes from step 0.
  const mid = Math.floor(n / 2);
  const cost = materializeCost(t, mid);
  const r0 = t.reexecuted;
  const [made, matMs] = time(() => materialize(t, mid));
  if (made?.id !== mid) throw new Error(`materialize(${mid}) made ${made?.id}`);
  figures.push({
    what: 'materialize a step in the middle of the 24 GiB run',
    value: matMs,
    unit: 'ms',
    note: `step ${mid} in full (narration, trace lines, footprint) from the state at step ${t.cur}; materializeCost said ${cost} steps, ${t.reexecuted - r0} steps were run again; ` +
      `live after the run: ${live0}; after this: ${liveMemory(t)}`,
  });

  // Seeks to random steps in [0, n]: seek() alone (the state; no narration is made).
  const seeks: { ms: number; target: number; reexec: number }[] = [];
  let x = 11;
  let spent = 0;
  const evict0 = t.hist.evictions;
  while (seeks.length < SEEKS && spent < SEEK_BUDGET_MS) {
    x = (x * 1103515245 + 12345) >>> 0;
    const target = x % (n + 1);
    const r0 = t.reexecuted;
    const [at, ms] = time(() => seek(t, target));
    if (at !== target) throw new Error(`seek(${target}) reached ${at}`);
    seeks.push({ ms, target, reexec: t.reexecuted - r0 });
    spent += ms;
  }
  const worst = seeks.reduce((a, c) => (c.ms > a.ms ? c : a));
  const replayed = seeks.filter((q) => q.reexec === 0);
  const reexecuted = seeks.filter((q) => q.reexec > 0);
  figures.push({
    what: 'seek to any step of the 24 GiB run',
    value: worst.ms,
    unit: 'ms',
    target: T.seekAnyMs,
    better: 'lower',
    note: `worst of ${seeks.length} random seeks${seeks.length < SEEKS ? ` (stopped after ${(spent / 1000).toFixed(0)} s of seeking)` : ''}, to step ${worst.target}; median ${median(seeks.map((q) => q.ms)).toFixed(0)} ms; ` +
      `${replayed.length} by checkpoint + journal (worst ${replayed.length ? Math.max(...replayed.map((q) => q.ms)).toFixed(0) : '-'} ms), ` +
      `${reexecuted.length} by re-execution into a dropped journal (${reexecuted.reduce((a, q) => a + q.reexec, 0)} steps run again, ${reexecuted.length ? (reexecuted.reduce((a, q) => a + q.ms, 0) / reexecuted.length / 1000).toFixed(1) : '-'} s each on average); ` +
      `${t.hist.evictions - evict0} journals dropped meanwhile; all: ${seeks.map((q) => `${q.ms.toFixed(0)}${q.reexec > 0 ? 'R' : ''}`).join(', ')} ms (R: re-executed); ` +
      `live after them: ${liveMemory(t)}`,
  });

  return figures;
}
