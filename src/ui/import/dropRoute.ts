// Where a dropped file goes, by what it holds rather than by its name: the first bytes say
// whether it is an ftrace text (to the replay), a capture's dump (to the import), or trace-cmd's
// binary trace.dat, which pfnscope does not read (refused in one line saying how to convert it).
// A gzip file is judged by what it unpacks to. Only when the bytes say nothing (a short or
// unknown text) does the name decide, as before: a trace-like name goes to the replay, which
// refuses a non-trace in one line.
import { dumpKind } from './matchFiles';

export type DropRoute = { readonly to: 'replay' } | { readonly to: 'import' } | { readonly to: 'refuse'; readonly message: string };

/** How many bytes (unpacked) are looked at. */
export const SNIFF_BYTES = 4096;

/** trace-cmd's trace.dat starts with 0x17 0x08 0x44 and "tracing" (trace-cmd.dat(5)). */
const TRACE_CMD_MAGIC = [0x17, 0x08, 0x44, ...Array.from('tracing', (c) => c.charCodeAt(0))];
const startsWith = (b: Uint8Array, magic: readonly number[]): boolean => magic.every((m, i) => b[i] === m);
export const isGzip = (b: Uint8Array): boolean => startsWith(b, [0x1f, 0x8b]);
export const isTraceCmdDat = (b: Uint8Array): boolean => startsWith(b, TRACE_CMD_MAGIC);

/** The one line for a trace.dat: what it is and the command that makes it readable here. */
export const traceDatMessage = (name: string): string =>
  `${name} is trace-cmd's binary format, which pfnscope does not read: convert it with \`trace-cmd report -i ${name} > trace.txt\` and drop trace.txt`;

/** An ftrace text: the tracefs header, or an event line `task-pid [cpu] ... ts: event:`. */
const FTRACE_HEADER = /^# tracer:/m;
const FTRACE_EVENT = /^\s*\S.*-\d+\s+(\(\s*\d+\)\s+)?\[\d{3}\]\s.*?\d+\.\d+:\s+[a-z_][a-z0-9_]*:/m;
/** A /proc text the import reads: buddyinfo, zoneinfo ("Node 0, zone ..."), pagetypeinfo. */
const PROC_TEXT = /^(Node \d+, zone|Page block order:)/;
/** The name the replay used to go by alone (trace.txt, report.txt.gz, tracefs's `trace`). */
const TRACE_NAME = /(^trace|\.(txt|trace|log)(\.gz)?)$/i;

/**
 * The route for one file of `name` whose first bytes (gunzipped if it was gzip: `gzipped`) are
 * `head`. A NUL among them means binary: a dump (kpageflags, kpagecount) for the import.
 */
export function routeBytes(name: string, head: Uint8Array, gzipped = false): DropRoute {
  if (isTraceCmdDat(head)) return { to: 'refuse', message: traceDatMessage(name) };
  if (head.includes(0)) return { to: 'import' };
  const text = new TextDecoder().decode(head);
  if (FTRACE_HEADER.test(text) || FTRACE_EVENT.test(text)) return { to: 'replay' };
  if (PROC_TEXT.test(text)) return { to: 'import' };
  if (gzipped || (dumpKind(name) === null && TRACE_NAME.test(name))) return { to: 'replay' };
  return { to: 'import' };
}

/** The first `n` bytes of a gzip stream, unpacked (as many as there are, if fewer). */
async function gunzipHead(file: Blob, n: number): Promise<Uint8Array> {
  const reader = file.stream().pipeThrough(new DecompressionStream('gzip')).getReader();
  const out = new Uint8Array(n);
  let got = 0;
  try {
    while (got < n) {
      const r = await reader.read();
      if (r.done) break;
      const take = Math.min(r.value.length, n - got);
      out.set(r.value.subarray(0, take), got);
      got += take;
    }
  } finally {
    void reader.cancel().catch(() => undefined);
  }
  return out.subarray(0, got);
}

/** The first bytes of `file` as routeBytes() wants them, and whether they were gzipped. */
export async function sniff(file: Blob): Promise<{ head: Uint8Array; gzipped: boolean }> {
  const head = new Uint8Array(await file.slice(0, SNIFF_BYTES).arrayBuffer());
  if (!isGzip(head)) return { head, gzipped: false };
  try {
    return { head: await gunzipHead(file, SNIFF_BYTES), gzipped: true };
  } catch {
    // A broken gzip: the replay says so in one line when it reads it.
    return { head: new Uint8Array(), gzipped: true };
  }
}

/** Where the dropped files go: several (a capture) to the import, a lone one by its content. */
export async function routeDrop(files: readonly File[]): Promise<DropRoute> {
  if (files.length !== 1) return { to: 'import' };
  const f = files[0]!;
  const { head, gzipped } = await sniff(f);
  return routeBytes(f.name, head, gzipped);
}
