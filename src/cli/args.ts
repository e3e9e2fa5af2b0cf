// Command-line parsing for `npm run sim`, kept apart from I/O so it can be tested.

import { DESIGN_NAMES } from '../kernel/designs/names';
import { GUARD_KINDS, parseGuardKinds, type GuardKind } from '../kernel/guards';

export interface CliArgs {
  readonly source: string;
  /** SOURCE was given (with --import, no SOURCE means no actions). */
  readonly sourceGiven: boolean;
  /** --import PREFIX: a real machine's PREFIX.kpageflags + PREFIX.kpagecount (+ /proc texts) as the memory. */
  readonly import?: string;
  /** --import-report: print the import's match report. */
  readonly importReport: boolean;
  readonly until?: number;
  readonly seek: readonly number[];
  readonly hash: boolean;
  readonly trace: boolean;
  readonly summary: boolean;
  readonly buddyinfo: boolean;
  readonly pagetypeinfo: boolean;
  readonly listPresets: boolean;
  readonly help: boolean;
  /** --version: print package.json's version. */
  readonly version: boolean;
  readonly variant: string;
  /** --variant was given (it then overrides the scenario's own). */
  readonly variantGiven: boolean;
  readonly footprint: boolean;
  /** --replay: an ftrace text (or .gz) to replay over SOURCE's memory instead of its actions. */
  readonly replay?: string;
  /** --vmemmap-base: the traced kernel's vmemmap_base, for kprobe struct page pointers. */
  readonly vmemmapBase?: bigint;
  /** --predict: a real /proc/buddyinfo to compare the reached state with. */
  readonly predict?: string;
  /** --compare A,B,…: the designs to run SOURCE under, side by side. */
  readonly compare?: readonly string[];
  /** --sweep-schedules: run every interleaving of SOURCE's race (engine/sweep.ts). */
  readonly sweepSchedules: boolean;
  /** --max-switches N: the sweep's bound on preemptions (default 2). */
  readonly maxSwitches?: number;
  /** --without-guard KIND[,KIND]: guards the sweep switches off. */
  readonly withoutGuard: readonly GuardKind[];
  /** --json: --compare's or the sweep's results as JSON. */
  readonly json: boolean;
  /** --perfetto FILE: write the run as a Chrome/Perfetto JSON trace (engine/perfetto.ts). */
  readonly perfetto?: string;
  /** --dump-kpage PREFIX: write the reached state as PREFIX.kpageflags, .kpagecount, .buddyinfo, .pagetypeinfo, .zoneinfo. */
  readonly dumpKpage?: string;
}

export class UsageError extends Error {
  override name = 'UsageError';
}

export const USAGE = `usage: pfnscope [SOURCE] [options]   (in the repository: npm run --silent sim -- [SOURCE] [options])
  SOURCE           a preset name (default: default), a scenario JSON file, or a share URL
  --import PREFIX  the memory of a real machine instead of SOURCE's: PREFIX.kpageflags and
                   PREFIX.kpagecount (and PREFIX.buddyinfo, .pagetypeinfo, .zoneinfo when present);
                   SOURCE, if given, contributes its actions; without SOURCE nothing runs
  --import-report  print the import's report: free blocks per order rebuilt vs buddyinfo, and guesses
  --until N        run to step N (default: the end of the timeline)
  --seek A,B,C     then visit these steps in this order, forwards or backwards
  --hash           print the state hash after each visited step (or once at the end)
  --trace          print the trace lines of the steps run, in ftrace's format
  --summary        print one JSON object: steps, migrated, failed, stateHash, freeArea, classes
  --buddyinfo      print the reached state as /proc/buddyinfo
  --pagetypeinfo   print the reached state as /proc/pagetypeinfo
  --list-presets   print the preset names, one per line
  --variant NAME   the design variant the run follows: ${DESIGN_NAMES.join(', ')} (the first is the default)
  --footprint      print the struct page fields the migrations read and wrote, per migrated page:
                   '<variant> <field> reads=<n> writes=<n>' lines and '<variant> atomics=<n>', then the
                   same by what the page was when touched: '<variant> [offline|isolated|buddy|other] ...'
  --replay FILE    replay an ftrace text (/sys/kernel/tracing/trace or trace-cmd report; .gz too)
                   over SOURCE's memory, one step per migrate or compaction event; SOURCE's
                   actions do not run. --trace prints the recorded lines, --summary the counts
  --vmemmap-base X the traced kernel's vmemmap_base (hex), to read kprobe struct page pointers
                   as PFNs (default: inferred from the trace when it can be)
  --predict FILE   compare the reached state's free blocks per order with a real /proc/buddyinfo
                   (e.g. a capture's after.buddyinfo): the error per order and in total
  --compare A,B,…  run SOURCE under each named design and print one table, a column per design:
                   steps, outcome (migrated/failed/excluded), atomics and struct page fields touched
                   per migrated page, locks taken, tracking memory (list or PFN arrays)
  --sweep-schedules  run every interleaving of SOURCE's race action (at most --max-switches
                   preemptions) under each design (or --variant's), checking the invariants after
                   every resume: a table of schedules, exclusions by guard, migrated/failed, BUGs,
                   violations, then one line per finding with its schedule ("0:3 1:2": migrator 0
                   for 3 steps, migrator 1 for 2, then it runs on — the race's "schedule")
  --max-switches N the sweep's bound on preemptions per schedule, 0 to 6 (default 2)
  --without-guard KIND[,KIND]  switch guards off in the sweep, to see a design without them:
                   ${GUARD_KINDS.join(', ')}
  --json           with --compare or --sweep-schedules: the results as JSON
  --perfetto FILE  write the run (to --until) as a JSON trace for ui.perfetto.dev: a track per
                   task, spans as slices, free pages per order as counters; 1 step = 1 µs
  --dump-kpage PREFIX  write the reached state as a real machine's files, which --import PREFIX
                   reads back: PREFIX.kpageflags and PREFIX.kpagecount (a little-endian u64 per PFN,
                   as /proc/kpageflags and /proc/kpagecount), PREFIX.buddyinfo, .pagetypeinfo, .zoneinfo
  -h, --help       print this text
  -V, --version    print pfnscope's version`;

function stepNumber(opt: string, v: string | undefined): number {
  if (v === undefined || !/^\d{1,9}$/.test(v)) throw new UsageError(`${opt} needs a step number, got ${v === undefined ? 'nothing' : JSON.stringify(v)}`);
  return Number(v);
}

function fileArg(opt: string, v: string | undefined, what: string): string {
  if (v === undefined || v === '' || v.startsWith('--')) throw new UsageError(`${opt} needs ${what}`);
  return v;
}

export function parseArgs(argv: readonly string[]): CliArgs {
  let compare: string[] | undefined;
  const flags = { hash: false, trace: false, summary: false, buddyinfo: false, pagetypeinfo: false, listPresets: false, help: false, version: false, footprint: false, importReport: false, sweepSchedules: false, json: false };
  let maxSwitches: number | undefined;
  let withoutGuard: GuardKind[] = [];
  let variant = 'linux-6.18';
  let variantGiven = false;
  let source: string | undefined;
  let until: number | undefined;
  let seek: number[] = [];
  let replay: string | undefined;
  let vmemmapBase: bigint | undefined;
  let predict: string | undefined;
  let importPrefix: string | undefined;
  let perfetto: string | undefined;
  let dumpKpage: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    const value = (): string | undefined => (eq > 0 ? arg.slice(eq + 1) : argv[++i]);
    switch (name) {
      case '--until': until = stepNumber('--until', value()); break;
      case '--seek': {
        const v = value();
        if (v === undefined || v === '') throw new UsageError('--seek needs a list of step numbers, e.g. --seek 10,3,7');
        seek = v.split(',').map((x) => stepNumber('--seek', x.trim()));
        break;
      }
      case '--hash': flags.hash = true; break;
      case '--trace': flags.trace = true; break;
      case '--summary': flags.summary = true; break;
      case '--buddyinfo': flags.buddyinfo = true; break;
      case '--pagetypeinfo': flags.pagetypeinfo = true; break;
      case '--list-presets': flags.listPresets = true; break;
      case '--footprint': flags.footprint = true; break;
      case '--variant': {
        const v = value();
        if (!v) throw new UsageError('--variant needs a name (linux-6.18)');
        variant = v;
        variantGiven = true;
        break;
      }
      case '--replay': replay = fileArg('--replay', value(), 'an ftrace text file'); break;
      case '--predict': predict = fileArg('--predict', value(), 'a /proc/buddyinfo file'); break;
      case '--import': importPrefix = fileArg('--import', value(), 'a file prefix (PREFIX.kpageflags, PREFIX.kpagecount)'); break;
      case '--import-report': flags.importReport = true; break;
      case '--dump-kpage': dumpKpage = fileArg('--dump-kpage', value(), 'a file prefix (PREFIX.kpageflags, PREFIX.kpagecount, …)'); break;
      case '--compare': {
        const v = value();
        if (!v || v.startsWith('--')) throw new UsageError('--compare needs design names, e.g. --compare linux-6.18,no-refcount');
        compare = v.split(',').map((x) => x.trim());
        if (compare.length < 2 || compare.some((x) => !x)) throw new UsageError(`--compare needs two or more design names separated by commas, got ${JSON.stringify(v)}`);
        break;
      }
      case '--json': flags.json = true; break;
      case '--vmemmap-base': {
        const v = value();
        if (!v || !/^(0x)?[0-9a-f]{1,16}$/i.test(v)) throw new UsageError(`--vmemmap-base needs a hexadecimal address, e.g. 0xffd4000000000000, got ${v === undefined ? 'nothing' : JSON.stringify(v)}`);
        vmemmapBase = BigInt(v.toLowerCase().startsWith('0x') ? v : '0x' + v);
        break;
      }
      case '--sweep-schedules': flags.sweepSchedules = true; break;
      case '--max-switches': {
        const v = value();
        if (v === undefined || !/^[0-6]$/.test(v)) throw new UsageError(`--max-switches needs a number from 0 to 6, got ${v === undefined ? 'nothing' : JSON.stringify(v)}`);
        maxSwitches = Number(v);
        break;
      }
      case '--without-guard': {
        const v = value();
        if (!v || v.startsWith('--')) throw new UsageError(`--without-guard needs a guard kind (${GUARD_KINDS.join(', ')})`);
        try {
          withoutGuard = parseGuardKinds(v);
        } catch (e) {
          throw new UsageError(`--without-guard: ${(e as Error).message}`);
        }
        break;
      }
      case '--perfetto': perfetto = fileArg('--perfetto', value(), 'a file to write the JSON trace to'); break;
      case '-h': case '--help': flags.help = true; break;
      case '-V': case '--version': flags.version = true; break;
      default:
        if (arg.startsWith('-')) throw new UsageError(`unknown option ${arg} (try --help)`);
        if (source !== undefined) throw new UsageError(`more than one SOURCE: ${source} and ${arg}`);
        source = arg;
    }
  }
  if (!flags.sweepSchedules) {
    const sweepOnly = maxSwitches !== undefined ? '--max-switches' : withoutGuard.length ? '--without-guard' : null;
    if (sweepOnly) throw new UsageError(`${sweepOnly} applies to --sweep-schedules`);
    if (flags.json && compare === undefined) throw new UsageError('--json applies to --compare or --sweep-schedules');
  }
  return { source: source ?? 'default', sourceGiven: source !== undefined, ...(importPrefix !== undefined ? { import: importPrefix } : {}), until, seek, variant, variantGiven, ...flags, ...(maxSwitches !== undefined ? { maxSwitches } : {}), withoutGuard, ...(replay !== undefined ? { replay } : {}), ...(vmemmapBase !== undefined ? { vmemmapBase } : {}), ...(predict !== undefined ? { predict } : {}), ...(compare !== undefined ? { compare } : {}), ...(perfetto !== undefined ? { perfetto } : {}), ...(dumpKpage !== undefined ? { dumpKpage } : {}) };
}
