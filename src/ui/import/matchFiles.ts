// Which of the files a person gave make up one capture: PREFIX.kpageflags and PREFIX.kpagecount
// (required) with PREFIX.buddyinfo, .pagetypeinfo and .zoneinfo when present — the naming of a
// capture folder (`before.*`, `after.*`) and of the CLI's `--import PREFIX`. A file named just
// `kpageflags` (as `cat /proc/kpageflags > kpageflags` leaves it) has the empty prefix. Files
// of any other kind (.meminfo, .vmstat, a trace) are ignored. Pure, over anything with a name,
// so it is tested without a browser.

export const DUMP_KINDS = ['kpageflags', 'kpagecount', 'buddyinfo', 'pagetypeinfo', 'zoneinfo'] as const;
export type DumpKind = (typeof DUMP_KINDS)[number];
const KINDS: ReadonlySet<string> = new Set(DUMP_KINDS);

export interface Capture<F> {
  /** The file prefix ("before"); '' for files named just `kpageflags`, ... */
  readonly prefix: string;
  readonly kpageflags: F;
  readonly kpagecount: F;
  readonly texts: Partial<Record<'buddyinfo' | 'pagetypeinfo' | 'zoneinfo', F>>;
}

export type Matched<F> =
  | { readonly kind: 'one'; readonly capture: Capture<F> }
  /** Several complete captures (a whole folder: before.* and after.*): the person picks one. */
  | { readonly kind: 'choose'; readonly captures: readonly Capture<F>[] }
  | { readonly kind: 'error'; readonly error: string };

/** The kind and prefix a file name says, or null for a file of no dump kind. */
export function dumpKind(name: string): { readonly prefix: string; readonly kind: DumpKind } | null {
  const dot = name.lastIndexOf('.');
  const kind = dot < 0 ? name : name.slice(dot + 1);
  if (!KINDS.has(kind)) return null;
  return { prefix: dot < 0 ? '' : name.slice(0, dot), kind: kind as DumpKind };
}

const label = (prefix: string, kind: string): string => (prefix ? `${prefix}.${kind}` : kind);
const list = (names: readonly string[], max = 4): string =>
  names.length <= max ? names.join(', ') : `${names.slice(0, max).join(', ')} and ${names.length - max} more`;

export function matchCaptures<F extends { readonly name: string }>(files: readonly F[]): Matched<F> {
  if (files.length === 0) return { kind: 'error', error: 'no files given: give a .kpageflags and a .kpagecount file' };
  const byPrefix = new Map<string, Partial<Record<DumpKind, F>>>();
  for (const f of files) {
    const k = dumpKind(f.name);
    if (!k) continue;
    const group = byPrefix.get(k.prefix) ?? {};
    if (group[k.kind]) return { kind: 'error', error: `two files named ${label(k.prefix, k.kind)}: give the files of one capture` };
    group[k.kind] = f;
    byPrefix.set(k.prefix, group);
  }
  const complete: Capture<F>[] = [];
  for (const [prefix, g] of byPrefix) {
    if (!g.kpageflags || !g.kpagecount) continue;
    const texts: Capture<F>['texts'] = {};
    if (g.buddyinfo) texts.buddyinfo = g.buddyinfo;
    if (g.pagetypeinfo) texts.pagetypeinfo = g.pagetypeinfo;
    if (g.zoneinfo) texts.zoneinfo = g.zoneinfo;
    complete.push({ prefix, kpageflags: g.kpageflags, kpagecount: g.kpagecount, texts });
  }
  complete.sort((a, b) => a.prefix.localeCompare(b.prefix));
  if (complete.length === 1) return { kind: 'one', capture: complete[0]! };
  if (complete.length > 1) return { kind: 'choose', captures: complete };
  // Nothing complete: say what is missing from the first half-capture, or that no dump was given.
  for (const [prefix, g] of byPrefix) {
    if (g.kpageflags) return { kind: 'error', error: `${label(prefix, 'kpagecount')} is missing: give it with ${label(prefix, 'kpageflags')}` };
    if (g.kpagecount) return { kind: 'error', error: `${label(prefix, 'kpageflags')} is missing: give it with ${label(prefix, 'kpagecount')}` };
  }
  return {
    kind: 'error',
    error: `no .kpageflags and .kpagecount among the files given (${list(files.map((f) => f.name))})`,
  };
}

/** What a capture is called: its prefix under the folder it came from, when known ("balloon-compact/before"). */
export function captureName(prefix: string, folder: string | null): string {
  const base = prefix || 'kpageflags';
  return folder ? `${folder}/${base}` : base;
}

/** The file names of a capture, for the chooser: "kpageflags, kpagecount, buddyinfo, zoneinfo". */
export function captureKinds<F>(c: Capture<F>): string {
  return ['kpageflags', 'kpagecount', ...Object.keys(c.texts)].join(', ');
}
