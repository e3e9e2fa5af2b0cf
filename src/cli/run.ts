// `npm run sim` and the `pfnscope` command: the same kernel and engine as the browser, in Node.
// Loads a preset, a scenario file or a share URL, walks its timeline (--until, --seek) and prints
// what was asked: trace lines, state hashes, /proc views, a JSON summary. Bad input: one line, exit 2.
// main.ts runs it as a process; the CLI tests run it in-process (sim.testkit.ts).

import { readFileSync, writeFileSync } from 'node:fs';
import { buddyinfo, pagetypeinfo } from '../kernel/procfs';
import { findPreset, PRESETS } from '../engine/presets';
import { parseScenarioText, type Scenario } from '../engine/scenario';
import { parseShareUrl } from '../engine/share';
import { importedScenario, openImportedSession, openSession } from '../engine/session';
import { frontier, runToEnd, seek, timelineHash, type TimelineOptions } from '../engine/timeline';
import { traceLines } from '../engine/trace';
import { summaryOf } from '../engine/snapshot';
import { exclusionsOf } from '../engine/exclusions';
import { VM_EVENT } from '../kernel/vmstat';
import { parseArgs, USAGE } from './args';
import { footprintLines, VARIANTS } from '../engine/footprint';
import type { DesignName } from '../kernel/designs/names';
import { compareDesigns, compareTable, parseDesignList } from '../engine/compare';
import { populate } from '../kernel/populate';
import { populateSpecOf } from '../engine/scenario';
import { openReplayFile, predictFile, replaySummary } from './replay';
import { importPrefix, importReportText } from './import';
import { sweepLines, sweepSchedules } from '../engine/sweep';
import { trackSeries } from '../engine/series';
import { perfettoTrace } from '../engine/perfetto';
import { StdoutClosed } from './stdout';
import { writeKpageDump } from './dump';
// Inlined by the CLI build (dist-cli), so the installed package prints the version it was packed with.
import pkg from '../../package.json' with { type: 'json' };

interface Source {
  readonly scenario: Scenario;
  /** The step a share URL opens at. */
  readonly step?: number;
}

function resolveSource(source: string): Source {
  const preset = findPreset(source);
  if (preset) return { scenario: preset.scenario };
  if (source.includes('#') || /^https?:/.test(source)) {
    const st = parseShareUrl(source);
    return { scenario: st.scenario, step: st.step };
  }
  if (!/[./\\]/.test(source)) throw new Error(`unknown preset "${source}" (presets: ${PRESETS.map((p) => p.name).join(', ')})`);
  let text: string;
  try {
    text = readFileSync(source, 'utf8');
  } catch (e) {
    throw new Error(`cannot read scenario file ${source}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  try {
    return { scenario: parseScenarioText(text) };
  } catch (e) {
    throw new Error(`${source}: ${(e as Error).message}`);
  }
}

function main(argv: readonly string[], out: (s: string) => void): number {
  const args = parseArgs(argv);
  if (args.help) {
    out(USAGE + '\n');
    return 0;
  }
  if (args.version) {
    out(`pfnscope ${pkg.version}\n`);
    return 0;
  }
  if (args.listPresets) {
    for (const p of PRESETS) out(p.name + '\n');
    return 0;
  }
  if (args.perfetto && (args.compare || args.sweepSchedules)) throw new Error('--perfetto writes one run: it cannot go with --compare or --sweep-schedules');
  if (args.compare) {
    if (args.variantGiven || args.import || args.replay) throw new Error('--compare runs SOURCE under each design it names: it cannot be combined with --variant, --import or --replay');
    const other = args.until !== undefined ? '--until' : args.seek.length ? '--seek' : (['hash', 'trace', 'summary', 'buddyinfo', 'pagetypeinfo', 'footprint'] as const).find((f) => args[f]);
    if (other) throw new Error(`--compare prints its own table of whole runs: ${other.startsWith('--') ? other : '--' + other} cannot go with it`);
    if (args.predict) throw new Error('--compare prints its own table of whole runs: --predict cannot go with it');
    if (args.dumpKpage) throw new Error('--compare prints its own table of whole runs: --dump-kpage cannot go with it');
    const variants = parseDesignList(args.compare.join(','));
    const results = compareDesigns(resolveSource(args.source).scenario, variants);
    out((args.json ? JSON.stringify(results) : compareTable(args.source, results).join('\n')) + '\n');
    return 0;
  }
  if (!VARIANTS.includes(args.variant)) {
    throw new Error(`variant "${args.variant}" is not modelled yet (modelled: ${VARIANTS.join(', ')}; other designs are not modelled)`);
  }
  if (args.importReport && !args.import) throw new Error('--import-report needs --import PREFIX');
  if (args.import && args.variant !== 'linux-6.18') throw new Error(`--import rebuilds balloon pages in the linux-6.18 design: --variant ${args.variant} cannot run on it`);
  const resolved = resolveSource(args.source);
  const src = args.variantGiven ? { ...resolved, scenario: { ...resolved.scenario, variant: args.variant as DesignName } } : resolved;
  if (args.sweepSchedules) {
    if (args.import || args.replay) throw new Error('--sweep-schedules runs SOURCE\'s own race: it cannot take --import or --replay');
    if (args.dumpKpage) throw new Error('--sweep-schedules runs many schedules: --dump-kpage has no one state to write');
    const r = sweepSchedules(resolved.scenario, {
      ...(args.variantGiven ? { variants: [args.variant as DesignName] } : {}),
      ...(args.maxSwitches !== undefined ? { maxSwitches: args.maxSwitches } : {}),
      guardsOff: args.withoutGuard,
    });
    out(args.json ? JSON.stringify(r) + '\n' : sweepLines(r, resolved.scenario.name).join('\n') + '\n');
    return 0;
  }
  // --replay: the trace's events are the timeline, over SOURCE's memory (its actions do not run).
  // --import: a real machine's memory; SOURCE, when given, contributes only its actions.
  const imported = args.import ? importPrefix(args.import) : null;
  const actions = args.sourceGiven ? src.scenario.actions ?? [] : [];
  const target = args.until ?? src.step;
  // --trace records every step and prints it as it is computed: a run of millions of steps is
  // never held whole.
  const opts: TimelineOptions = args.trace ? { keepFull: 512, onStep: (st) => { if (target === undefined || st.id <= target) for (const line of traceLines(st)) out(line + '\n'); } } : {};
  const replay = args.replay
    ? openReplayFile(args.replay, imported ? imported.k : populate(populateSpecOf(src.scenario)), imported ? importedScenario(imported) : src.scenario, args.vmemmapBase, opts)
    : null;
  const s = replay ?? (imported ? openImportedSession(imported, actions, opts) : openSession(src.scenario, opts));
  const t = s.t;
  const series = args.perfetto ? trackSeries(t) : null;
  const reached = target === undefined ? runToEnd(t) : seek(t, target);
  if (target !== undefined && reached < target) throw new Error(`step ${target} is past the end of the timeline (${reached} steps)`);
  if (args.perfetto && series) {
    // The run up to where it was asked to stop (--until), before --seek moves the timeline.
    const text = JSON.stringify(perfettoTrace(s, series.points, reached));
    try {
      writeFileSync(args.perfetto, text);
    } catch (e) {
      throw new Error(`cannot write ${args.perfetto}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
  }
  if (args.hash && args.seek.length === 0) out(timelineHash(t) + '\n');
  for (const n of args.seek) {
    const at = seek(t, n);
    if (at !== n) throw new Error(`--seek ${n} is past the end of the timeline (${at} steps)`);
    if (args.hash) out(timelineHash(t) + '\n');
  }
  // Written before anything is printed, so a reader that closes stdout early cannot cut it short.
  if (args.dumpKpage) writeKpageDump(s.k, args.dumpKpage);
  if (args.footprint) out(footprintLines(s, s.scenario.variant ?? 'linux-6.18').join('\n') + '\n');
  if (args.buddyinfo) out(buddyinfo(s.k));
  if (args.pagetypeinfo) out(pagetypeinfo(s.k));
  if (args.predict) out(predictFile(s.k, args.predict));
  if (args.importReport && imported) out(importReportText(imported.report));
  const wantSummary = args.summary || (!args.buddyinfo && !args.pagetypeinfo && !args.hash && !args.trace && !args.footprint && !args.predict && !args.importReport && !args.perfetto && !args.dumpKpage);
  if (wantSummary) {
    // `steps` is the whole timeline's length: compute it all, then come back to where we were.
    const here = t.cur;
    runToEnd(t);
    const steps = frontier(t);
    const exclusions = exclusionsOf(t);
    seek(t, here);
    const ev = s.k.events.a;
    out(JSON.stringify({
      steps,
      step: here,
      migrated: ev[VM_EVENT.PGMIGRATE_SUCCESS],
      failed: ev[VM_EVENT.PGMIGRATE_FAIL],
      exclusions,
      ...summaryOf(s.k),
      ...(replay ? replaySummary(replay) : {}),
      ...(imported ? { import: imported.report } : {}),
    }) + '\n');
  }
  return 0;
}

/**
 * The CLI with its output given: `out` for stdout, `err` for the one-line error. Returns the exit
 * code: 0, or 2 for bad input (a thrown error's first line); a reader closing stdout ends it quietly.
 */
export function runCli(argv: readonly string[], out: (s: string) => void, err: (s: string) => void): number {
  try {
    return main(argv, out);
  } catch (e) {
    if (e instanceof StdoutClosed) return 0; // the reader closed the pipe: not an error
    err(`pfnscope: ${(e as Error).message.split('\n')[0]}\n`);
    return 2;
  }
}
