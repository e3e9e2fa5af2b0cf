// The `replay` command: a trace opens like a load over the memory of the session shown, its
// frames show the recorded lines and the scanners, and a bad trace is refused in one line with
// the session shown kept.
import { describe, expect, it } from 'vitest';
import { harness } from './host.harness';
import type { FrameMsg } from './protocol';

// Real lines from ../shared/reference/real-kernel/balloon-compact/trace.txt.gz.
const TRACE = `# tracer: nop
            init-1       [001] .....    18.973905: mm_compaction_begin: zone_start=0x1000 migrate_pfn=0x1000 free_pfn=0x1fe00 zone_end=0x1ffdd, mode=sync
            init-1       [001] .....    18.973948: mm_compaction_isolate_migratepages: range=(0x1000 ~ 0x1200) nr_scanned=512 nr_taken=3
            init-1       [001] .....    18.976241: mm_compaction_isolate_freepages: range=(0x1f000 ~ 0x1f200) nr_scanned=257 nr_taken=31
            init-1       [001] .....    18.984867: mm_migrate_pages: nr_succeeded=2 nr_failed=1 nr_thp_succeeded=0 nr_thp_failed=0 nr_thp_split=0 mode=MIGRATE_SYNC reason=compaction
            init-1       [001] .....    19.395436: mm_compaction_end: zone_start=0x1000 migrate_pfn=0xb200 free_pfn=0xb200 zone_end=0x1ffdd, mode=sync status=complete
`;

function drawn(h: ReturnType<typeof harness>): FrameMsg {
  const f = h.frames().at(-1)!;
  h.send({ type: 'ack', seq: f.seq });
  return f;
}

describe('worker host: replay', () => {
  it('refuses the footprint of a replayed trace in one line (a trace has no actions to rerun)', () => {
    const h = harness();
    h.send({ type: 'load', source: { kind: 'preset', name: 'default' } });
    drawn(h);
    h.send({ type: 'replay', text: TRACE, name: 'trace.txt' });
    drawn(h);
    h.send({ type: 'footprint' });
    expect(h.one('error')).toMatchObject({ fatal: false, message: 'footprint: not available for a replayed trace (each variant reruns a scenario\'s actions; a trace has none)' });
    h.send({ type: 'step', delta: 1 });
    expect(h.one('frame')).toMatchObject({ step: 1, scenarioName: 'replay of trace.txt' });
  });

  it('opens a trace over the memory of the session shown, with the recorded lines and the scanners', () => {
    const h = harness();
    h.send({ type: 'load', source: { kind: 'preset', name: 'default' } });
    const loaded = drawn(h);
    h.send({ type: 'replay', text: TRACE, name: 'trace.txt' });
    const f = h.one('frame');
    h.send({ type: 'ack', seq: f.seq });
    expect(f.source).toBeUndefined();
    expect(f.session?.link).toBeNull();
    expect(f.scenarioName).toBe('replay of trace.txt');
    expect(f.replay).toMatchObject({ name: 'trace.txt', events: 5, lost: 0, vmemmapFrom: 'none' });
    expect(f.step).toBe(0);
    expect(f.stateHash).toBe(loaded.stateHash); // the same memory, at its step 0
    h.send({ type: 'seek', step: 3 });
    const at3 = drawn(h);
    expect(at3.trace).toEqual(TRACE.split('\n').slice(1, 4).map((l) => l.trim()));
    expect(at3.scanners).toEqual([{ zone: 1, order: -1, migratePfn: 0x1200, freePfn: 0x1f000 }]);
    expect(at3.stepInfo).toMatchObject({ fn: 'mm_compaction_isolate_freepages', task: 'init-1', phase: 'scan' });
    h.send({ type: 'runToEnd' });
    const end = drawn(h);
    expect(end.step).toBe(5);
    expect(end.done).toBe(true);
    expect(end.scanners).toEqual([{ zone: 1, order: -1, migratePfn: 0xb200, freePfn: 0xb200 }]);
    // Markers come incrementally, with the frames of the steps that computed them.
    expect([...f.markers, ...at3.markers, ...end.markers]).toContainEqual({ step: 4, kind: 'fail' }); // nr_failed=1
  });

  it('refuses a text that is not a trace in one line and keeps the session shown', () => {
    const h = harness();
    h.send({ type: 'load', source: { kind: 'preset', name: 'small' } });
    const loaded = drawn(h);
    for (const text of ['', 'hello\n', TRACE.replace('nr_taken=31', 'nr_tak')]) {
      h.send({ type: 'replay', text, name: 'bad.txt' });
      const err = h.one('error');
      expect(err.fatal).toBe(false);
      expect(err.message).not.toContain('\n');
      expect(err.message).toMatch(/bad\.txt/);
    }
    h.send({ type: 'seek', step: 0 });
    expect(drawn(h).scenarioName).toBe(loaded.scenarioName);
  });
});
