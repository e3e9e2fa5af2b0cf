// The host's `import` command: progress while the rebuild runs, a first frame carrying the
// report and no source, restarts at a step, actions on top, and bad input refused in one line
// with the session shown untouched. Synthetic dumps here; the real captures are in the rebuild's
// own tests (kernel/import) and in e2e/import.spec.ts.
import { describe, expect, it } from 'vitest';
import { harness, type Harness } from './host.harness';
import type { FrameMsg, ImportFiles, ProgressMsg } from './protocol';

const KPF_BUDDY = 10n;

/**
 * n PFNs, `free` of them free (KPF_BUDDY) from PFN 1024 on, the rest unflagged kernel pages.
 * Not from PFN 0: without a zoneinfo the layout is x86-64's, whose ZONE_DMA starts at PFN 1.
 */
function dump(n: number, free: number, name = 'syn'): ImportFiles {
  const flags = new BigUint64Array(n);
  for (let i = 1024; i < 1024 + free; i++) flags[i] = 1n << KPF_BUDDY;
  return { name, kpageflags: flags.buffer, kpagecount: new ArrayBuffer(n * 8) };
}

function loaded(): { h: Harness; first: FrameMsg } {
  const h = harness();
  h.send({ type: 'load', source: { kind: 'preset', name: 'buddy-split-merge' }, step: 3 });
  const first = h.one('frame');
  h.send({ type: 'ack', seq: first.seq });
  return { h, first };
}

describe('worker host: import', () => {
  it('posts progress up to the total, then one frame with the report, a session and no source', () => {
    const { h } = loaded();
    h.send({ type: 'import', files: dump(4096, 1024) });
    const msgs = h.take();
    const progress = msgs.filter((m): m is ProgressMsg => m.type === 'progress');
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.at(-1)).toEqual({ type: 'progress', what: 'import', done: 4096, total: 4096 });
    const frames = msgs.filter((m): m is FrameMsg => m.type === 'frame');
    expect(frames).toHaveLength(1);
    const f = frames[0]!;
    expect(f).toMatchObject({ step: 0, nrPfns: 4096, handled: 2, scenarioName: 'import: syn' });
    expect(f.source).toBeUndefined();
    expect(f.session?.link).toBeNull();
    expect(f.imported?.name).toBe('syn');
    // 1024 free pages at PFN 1024: one order-10 block.
    expect(f.imported?.freeByOrder[0]?.rebuilt[10]).toBe(1);
    h.send({ type: 'ack', seq: f.seq });
    h.send({ type: 'step', delta: 1 });
    expect(h.one('frame').imported).toBeUndefined();
  });

  it('refuses the footprint of imported memory in one line, and keeps the session', () => {
    const { h } = loaded();
    h.send({ type: 'import', files: dump(4096, 512) });
    const f = h.frames().at(-1)!;
    h.send({ type: 'ack', seq: f.seq });
    h.send({ type: 'footprint' });
    expect(h.one('error')).toMatchObject({ fatal: false, message: expect.stringMatching(/^footprint: not available for imported memory/) });
  });

  it('runs actions on the imported memory and opens at a step (a restart)', () => {
    const { h } = loaded();
    const files = dump(8192, 0);
    // Every other pageblock free: something for compaction to look at.
    const flags = new BigUint64Array(files.kpageflags);
    for (let b = 0; b < 16; b += 2) for (let i = 0; i < 512; i++) flags[b * 512 + i] = 1n << KPF_BUDDY;
    h.send({ type: 'import', files, actions: [{ type: 'compact' }], step: 2 });
    const f = h.frames().at(-1)!;
    expect(f.step).toBe(2);
    expect(f.imported).toBeDefined();
    h.send({ type: 'import', files: dump(4096, 0), actions: [{ type: 'no-such-action' }] });
    expect(h.take().filter((m) => m.type === 'error').map((m) => m.type === 'error' && m.message)).toEqual([
      expect.stringMatching(/^import: actions\.0/),
    ]);
  });

  const bad: [string, ImportFiles, RegExp][] = [
    ['a 7-byte kpageflags', { name: 'x', kpageflags: new ArrayBuffer(7), kpagecount: new ArrayBuffer(8) }, /^cannot import: x\.kpageflags is 7 bytes, not a multiple of 8/],
    ['mismatched lengths', { name: 'x', kpageflags: new ArrayBuffer(32), kpagecount: new ArrayBuffer(24) }, /^cannot import: x\.kpageflags has 4 PFNs but x\.kpagecount has 3/],
    ['a text file', { name: 'x', kpageflags: new TextEncoder().encode('Node 0, zone      DMA      0      1      3\n'.padEnd(64)).buffer as ArrayBuffer, kpagecount: new ArrayBuffer(64) }, /^cannot import: x\.kpageflags is a text file/],
    ['an empty file', { name: 'x', kpageflags: new ArrayBuffer(0), kpagecount: new ArrayBuffer(0) }, /^cannot import: x\.kpageflags is empty/],
    ['a bad zoneinfo', { ...dump(4096, 0, 'x'), zoneinfo: 'hello' }, /^cannot import x: zoneinfo/],
    ['no binary data', { name: 'x', kpageflags: 'abc', kpagecount: new ArrayBuffer(8) } as unknown as ImportFiles, /^import: kpageflags and kpagecount must be given as binary data/],
  ];
  it.each(bad)('%s is refused in one line and the session shown stays', (_, files, says) => {
    const { h, first } = loaded();
    h.send({ type: 'import', files });
    const msgs = h.take().filter((m) => m.type !== 'progress');
    expect(msgs).toEqual([{ type: 'error', handled: 2, message: expect.stringMatching(says), fatal: false }]);
    h.send({ type: 'step', delta: 0 });
    expect(h.one('frame')).toMatchObject({ step: 3, stateHash: first.stateHash, scenarioName: first.scenarioName });
  });
});

/** Acknowledge frames as the UI does until the host posts no more; the frames posted. */
function settle(h: Harness): FrameMsg[] {
  const all: FrameMsg[] = [];
  for (let f = h.frames(); f.length > 0; f = h.frames()) {
    all.push(...f);
    h.send({ type: 'ack', seq: f.at(-1)!.seq });
    h.advance(1_000_000);
  }
  return all;
}

describe('worker host: the result of a run over imported memory', () => {
  it('refused before the end; at the end before / after / real after and the error, still there after stepping back', () => {
    const { h } = loaded();
    h.send({ type: 'result' });
    expect(h.one('error').message).toMatch(/^result: only a run over imported memory has one/);
    h.send({ type: 'import', files: dump(4096, 1024), actions: [{ type: 'compact' }] });
    const f = h.frames().at(-1)!;
    h.send({ type: 'ack', seq: f.seq });
    h.send({ type: 'result' });
    expect(h.one('error').message).toBe('result: the run has not reached its end yet: Run to end first');
    h.send({ type: 'runToEnd' });
    h.advance(1_000_000);
    const end = settle(h).at(-1)!;
    expect(end.done && end.step === end.frontier).toBe(true);
    h.send({ type: 'seek', step: 0 }); // the result is the end's, wherever the person is
    expect(settle(h).at(-1)!.step).toBe(0);
    const real = 'Node 0, zone      DMA      4 0 0 0 0 0 0 0 0 0 1\n';
    h.send({ type: 'result', realAfter: { name: 'after.buddyinfo', text: real } });
    const r = h.one('result');
    expect(r.name).toBe('import: syn');
    expect(r.result.zones.map((z) => z.zone)).toEqual(['DMA']); // 4096 PFNs: ZONE_DMA only
    const dma = r.result.zones[0]!;
    expect(dma.before).toEqual(f.imported!.freeByOrder[0]!.rebuilt);
    expect(dma.realAfter).toEqual([4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
    // 1024 free pages simulated (one order-10 block), 1028 real: Σ|Δ| = 4 pages.
    expect(r.result.real).toMatchObject({ name: 'after.buddyinfo', errorLine: expect.stringMatching(/= 4 pages = 0\.4 % of the real free pages$/) });
    expect([r.result.migrated, r.result.failed]).toEqual([0, 0]); // nothing movable in this dump
    h.send({ type: 'result', realAfter: { name: 'after.buddyinfo', text: 'nonsense' } });
    expect(h.one('error')).toMatchObject({ fatal: false, message: 'after.buddyinfo: buddyinfo line 1 does not parse: "nonsense"' });
  });
});
