// Command-line parsing for `npm run sim`, kept apart from I/O so it can be tested.

export interface CliArgs {
  readonly source: string;
  readonly buddyinfo: boolean;
  readonly pagetypeinfo: boolean;
  readonly summary: boolean;
  readonly listPresets: boolean;
  readonly help: boolean;
}

export class UsageError extends Error {
  override name = 'UsageError';
}

export const USAGE = `usage: npm run --silent sim -- [SOURCE] [--buddyinfo] [--pagetypeinfo] [--summary] [--list-presets]
  SOURCE         a preset name (default: default) or a scenario JSON file
  --buddyinfo    print the state as /proc/buddyinfo
  --pagetypeinfo print the state as /proc/pagetypeinfo
  --summary      print one JSON object: classes, freeArea, stateHash
  --list-presets print the preset names, one per line`;

export function parseArgs(argv: readonly string[]): CliArgs {
  const flags = { buddyinfo: false, pagetypeinfo: false, summary: false, listPresets: false, help: false };
  let source: string | undefined;
  for (const a of argv) {
    switch (a) {
      case '--buddyinfo': flags.buddyinfo = true; break;
      case '--pagetypeinfo': flags.pagetypeinfo = true; break;
      case '--summary': flags.summary = true; break;
      case '--list-presets': flags.listPresets = true; break;
      case '-h': case '--help': flags.help = true; break;
      default:
        if (a.startsWith('-')) throw new UsageError(`unknown option ${a} (try --help)`);
        if (source !== undefined) throw new UsageError(`more than one SOURCE: ${source} and ${a}`);
        source = a;
    }
  }
  return { source: source ?? 'default', ...flags };
}
