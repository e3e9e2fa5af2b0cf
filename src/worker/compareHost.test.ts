import { describe, expect, test } from 'vitest';
import { createCompareHost } from './compareHost';
import type { CompareMsg } from './compareProtocol';
import { openSession } from '../engine/session';
import { findPreset } from '../engine/presets';
import { runToEnd, timelineHash, seek } from '../engine/timeline';

function host() {
  const out: CompareMsg[] = [];
  const h = createCompareHost((m) => out.push(m));
  return { h, out };
}

describe('compare host', () => {
  test('opens one session per design, each run as the app runs it, and moves each pane to its step', () => {
    const { h, out } = host();
    h.receive({ type: 'open', url: '#preset=balloon-race&compare=linux-6.18,no-refcount&steps=5,3' });
    const opened = out[0]!;
    if (opened.type !== 'opened') throw new Error(JSON.stringify(opened));
    expect(opened.head).toBe('preset=balloon-race');
    expect(opened.panes.map((p) => p.design)).toEqual(['linux-6.18', 'no-refcount']);
    // Each pane's run is the run a single session of that design makes.
    opened.panes.forEach((p) => {
      const s = openSession({ ...findPreset('balloon-race')!.scenario, variant: p.design as 'linux-6.18' });
      expect(p.last).toBe(runToEnd(s.t));
      expect(p.keys).toHaveLength(p.last);
    });
    expect(opened.steps).toEqual([5, 3]);
    const frame = out[1]!;
    if (frame.type !== 'frame') throw new Error(frame.type);
    expect(frame.panes.map((p) => p.step)).toEqual([5, 3]);
    expect(frame.panes[0]!.view.length).toBe(opened.nrPfns);
    const s = openSession({ ...findPreset('balloon-race')!.scenario, variant: 'no-refcount' });
    seek(s.t, 3);
    expect(frame.panes[1]!.stateHash).toBe(timelineHash(s.t));
    expect(frame.panes[1]!.stepInfo?.id).toBe(3);

    h.receive({ type: 'seek', seq: 7, steps: [0, 99999] });
    const again = out[2]!;
    if (again.type !== 'frame') throw new Error(again.type);
    expect(again.seq).toBe(7);
    expect(again.panes.map((p) => p.step)).toEqual([0, opened.panes[1]!.last]);
    expect(again.panes[0]!.stepInfo).toBeNull();
  }, 60_000); // five sessions populated

  test('a bad link or a bad seek is one line; nothing else is posted', () => {
    const { h, out } = host();
    h.receive({ type: 'open', url: '#preset=balloon-race&compare=linux-6.18,nope' });
    expect(out).toEqual([{ type: 'error', message: expect.stringMatching(/^compare= names no known design: "nope"/) }]);
    h.receive({ type: 'seek', seq: 1, steps: [1, 2] });
    expect(out[1]).toEqual({ type: 'error', message: 'nothing to compare is open' });
  });
});
