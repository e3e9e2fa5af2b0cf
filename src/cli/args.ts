// Command-line parsing for `npm run sim`, kept apart from I/O so it can be tested.

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
}

export class UsageError extends Error {
  override name = 'UsageError';
}

export const USAGE = `usage: npm run --silent sim -- [SOURCE] [options]
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
  --variant NAME   the design variant the balloon follows: linux-6.18 (default), linux-6.12, no-refcount, pfn-array,
                   offline-alloc or offline-migrate
  --footprint      print the struct page fields the migrations read and wrote, per migrated page:
                   '<variant> <field> reads=<n> writes=<n>' lines and '<variant> atomics=<n>', then the
                   same by what the page was when touched: '<variant> [offline|isolated|buddy|other] ...'
  --replay FILE    replay an ftrace text (/sys/kernel/tracing/trace or trace-cmd report; .gz too)
                   over SOURCE's memory, one step per migrate or compaction event; SOURCE's
                   actions do not run. --trace prints the recorded lines, --summary the counts
  --vmemmap-base X the traced kernel's vmemmap_base (hex), to read kprobe struct page pointers
                   as PFNs (default: inferred from the trace when it can be)
  --predict FILE   compare the reached state's free blocks per order with a real /proc/buddyinfo
                   (e.g. a capture's after.buddyinfo): the error per order and in total`;

function stepNumber(opt: string, v: string | undefined): number {
  if (v === undefined || !/^\d{1,9}$/.test(v)) throw new UsageError(`${opt} needs a step number, got ${v === undefined ? 'nothing' : JSON.stringify(v)}`);
  return Number(v);
}

function fileArg(opt: string, v: string | undefined, what: string): string {
  if (v === undefined || v === '' || v.startsWith('--')) throw new UsageError(`${opt} needs ${what}`);
  return v;
}

export function parseArgs(argv: readonly string[]): CliArgs {
  const flags = { hash: false, trace: false, summary: false, buddyinfo: false, pagetypeinfo: false, listPresets: false, help: false, footprint: false, importReport: false };
  let variant = 'linux-6.18';
  let variantGiven = false;
  let source: string | undefined;
  let until: number | undefined;
  let seek: number[] = [];
  let replay: string | undefined;
  let vmemmapBase: bigint | undefined;
  let predict: string | undefined;
  let importPrefix: string | undefined;
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
      case '--vmemmap-base': {
        const v = value();
        if (!v || !/^(0x)?[0-9a-f]{1,16}$/i.test(v)) throw new UsageError(`--vmemmap-base needs a hexadecimal address, e.g. 0xffd4000000000000, got ${v === undefined ? 'nothing' : JSON.stringify(v)}`);
        vmemmapBase = BigInt(v.toLowerCase().startsWith('0x') ? v : '0x' + v);
        break;
      }
      case '-h': case '--help': flags.help = true; break;
      default:
        if (arg.startsWith('-')) throw new UsageError(`unknown option ${arg} (try --help)`);
        if (source !== undefined) throw new UsageError(`more than one SOURCE: ${source} and ${arg}`);
        source = arg;
    }
  }
  return { source: source ?? 'default', sourceGiven: source !== undefined, ...(importPrefix !== undefined ? { import: importPrefix } : {}), until, seek, variant, variantGiven, ...flags, ...(replay !== undefined ? { replay } : {}), ...(vmemmapBase !== undefined ? { vmemmapBase } : {}), ...(predict !== undefined ? { predict } : {}) };
}
