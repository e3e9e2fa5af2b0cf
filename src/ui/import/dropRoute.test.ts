// A lone dropped file is routed by its first bytes (dropRoute.ts): ftrace text (plain or gzipped)
// to the replay, a binary dump or a /proc text to the import, trace-cmd's trace.dat refused in
// one line that names the conversion. Names that say otherwise do not change the route; only a
// text the bytes do not place falls back on its name.
import { gzipSync } from 'node:zlib';
import { describe, expect, test } from 'vitest';
import { routeDrop, traceDatMessage } from './dropRoute';

const file = (name: string, bytes: Uint8Array | string): File => new File([typeof bytes === 'string' ? new TextEncoder().encode(bytes) : new Uint8Array(bytes)], name);
const route = (name: string, bytes: Uint8Array | string) => routeDrop([file(name, bytes)]);

/** The start of a trace.dat as trace-cmd writes it: magic, "tracing", version, endianness, ... */
const TRACE_DAT = Uint8Array.from([0x17, 0x08, 0x44, ...Buffer.from('tracing6\0'), 0, 8, 0, 0, 0, 0x10, 0, 0]);
const TRACEFS = '# tracer: nop\n#\n            init-1       [001] .....    18.972169: mm_compaction_suitable: node=0 zone=DMA      order=-1 ret=continue\n';
const REPORT = 'cpus=2\n     kcompactd0-35    [000]  1234.567890: mm_compaction_begin: zone_start=0x1000 migrate_pfn=0x1000 free_pfn=0x1fe00 zone_end=0x20000, mode=sync\n';
const REPORT_TGID = 'cpus=2\n           <...>-35    (   35) [001] ..... 1.0: mm_migrate_pages: nr_succeeded=1 nr_failed=0\n';
/** kpageflags: a little-endian u64 per PFN; the first PFNs of a machine are reserved (bit 32). */
const KPAGEFLAGS = new Uint8Array(new BigUint64Array([1n << 32n, 1n << 32n, 1n << 10n, 1n << 10n]).buffer);
const BUDDYINFO = 'Node 0, zone      DMA      1      0      1      0      2      1      1      0      1      1      3\n';
const PAGETYPEINFO = 'Page block order: 9\nPages per block:  512\n';

describe('routeDrop(): a lone file by its first bytes', () => {
  test("trace-cmd's trace.dat is refused in one line saying it is not read and how to convert it, whatever its name", async () => {
    for (const name of ['trace.dat', 'trace.txt', 'run1']) {
      const r = await route(name, TRACE_DAT);
      expect(r, name).toEqual({ to: 'refuse', message: traceDatMessage(name) });
    }
    expect(traceDatMessage('trace.dat')).toBe("trace.dat is trace-cmd's binary format, which pfnscope does not read: convert it with `trace-cmd report -i trace.dat > trace.txt` and drop trace.txt");
    // Gzipped, it is still a trace.dat.
    expect(await route('trace.dat.gz', gzipSync(TRACE_DAT))).toMatchObject({ to: 'refuse' });
  });

  test('ftrace texts go to the replay: tracefs (header), trace-cmd report (event lines, with tgid), gzipped, under any name', async () => {
    for (const [name, text] of [['out.bin', TRACEFS], ['compaction', REPORT], ['x.kpageflags', REPORT_TGID]] as const) {
      expect(await route(name, text), name).toEqual({ to: 'replay' });
    }
    expect(await route('capture.data', gzipSync(TRACEFS))).toEqual({ to: 'replay' });
    // The header alone, as a trace with no event in its first 4 KiB would start.
    expect(await route('x', `# tracer: nop\n${'#\n'.repeat(3000)}`)).toEqual({ to: 'replay' });
  });

  test('a binary dump or a /proc text goes to the import, even named like a trace', async () => {
    expect(await route('trace', KPAGEFLAGS)).toEqual({ to: 'import' });
    expect(await route('before.kpagecount', KPAGEFLAGS)).toEqual({ to: 'import' });
    expect(await route('trace.log', BUDDYINFO)).toEqual({ to: 'import' });
    expect(await route('notes.txt', PAGETYPEINFO)).toEqual({ to: 'import' });
  });

  test('a text the bytes do not place: a trace-like name goes to the replay (which refuses it in one line), else the import', async () => {
    expect(await route('notes.txt', 'hello, this is not a trace\n')).toEqual({ to: 'replay' });
    expect(await route('report.txt.gz', gzipSync('hello\n'))).toEqual({ to: 'replay' });
    expect(await route('before.buddyinfo', 'hello\n')).toEqual({ to: 'import' });
    expect(await route('trace.txt', '')).toEqual({ to: 'replay' });
  });

  test('several files are a capture: the import, whatever they hold', async () => {
    expect(await routeDrop([file('trace.txt', TRACEFS), file('before.kpageflags', KPAGEFLAGS)])).toEqual({ to: 'import' });
  });
});
