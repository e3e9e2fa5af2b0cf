// Previous / Next phase on every migration path: each path's isolate, refcount check, copy and
// remap steps are stops, including the movable_ops path (a balloon's or zsmalloc's pages), whose
// driver migrate_page is its copy and which has no refcount check in 6.18.
import { describe, expect, it } from 'vitest';
import { harness } from './host.harness';
import { PHASES_OF_INTEREST, type FrameMsg, type Phase } from './protocol';

interface Stop {
  readonly step: number;
  readonly phase: Phase;
  readonly fn: string;
}

/** Load a preset, go to step `from`, then Next phase until the end: the steps it stops at. */
function stopsFrom(preset: string, from: number): Stop[] {
  const h = harness();
  const move = (cmd: Parameters<typeof h.send>[0]): FrameMsg => {
    h.send(cmd);
    const f = h.one('frame');
    h.send({ type: 'ack', seq: f.seq });
    return f;
  };
  move({ type: 'load', source: { kind: 'preset', name: preset } });
  move({ type: 'seek', step: from });
  const stops: Stop[] = [];
  for (;;) {
    const f = move({ type: 'phase', dir: 1 });
    if (!f.stepInfo || !(PHASES_OF_INTEREST as readonly string[]).includes(f.stepInfo.phase)) break; // the end
    stops.push({ step: f.step, phase: f.stepInfo.phase, fn: f.stepInfo.fn });
  }
  return stops;
}

describe('Next phase stops on every path', () => {
  it('balloon-race: from step 23 it stops at each page\'s virtballoon_migratepage (copy) and remap, not jumping to the free at 49', () => {
    // Isolation shows each guard as a step (steps 7–22: the loser of each page backs off at the
    // winner's page lock), so each migrator ends with one page and they migrate side by side.
    const stops = stopsFrom('balloon-race', 23);
    const movable = stops.filter((s) => s.step < 49);
    expect(movable.map((s) => `${s.step} ${s.phase} ${s.fn}`)).toEqual([
      '25 isolate migrate_pages',
      '26 isolate migrate_pages',
      '43 copy virtballoon_migratepage',
      '44 copy virtballoon_migratepage',
      '47 remap migrate_folio_move',
      '48 remap migrate_folio_move',
    ]);
    for (let i = 1; i < stops.length; i++) expect(stops[i]!.step).toBeGreaterThan(stops[i - 1]!.step);
  });

  // zsmalloc is movable_ops too: no refcount check on that path (migrate_pages_batch() skips it).
  // migrate_vma: the driver copies before migrate_vma_pages() checks the refcount (hmm.rst).
  const PATHS: [string, readonly Phase[]][] = [
    ['lru-anon', ['isolate', 'refcount', 'copy', 'remap']],
    ['hugetlb', ['isolate', 'refcount', 'copy', 'remap']],
    ['migrate-vma-to-device', ['isolate', 'copy', 'refcount', 'remap']],
    ['zsmalloc', ['isolate', 'copy', 'remap']],
  ];
  it.each(PATHS)('%s stops at its %j steps, in the order of a migration', (preset, phases) => {
    const stops = stopsFrom(preset, 0);
    // The first time each phase is met follows the path's order.
    const firsts = [...new Set(stops.map((s) => s.phase))];
    expect(firsts).toEqual(phases);
  }, 60_000);
});
