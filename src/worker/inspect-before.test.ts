// A selected or followed page comes with the same page as it was before the step (the inspector's
// "what this step changed"), read by replaying the step's journal back and forth: checked against
// an independent session at the step before, and the state shown must not move.
import { describe, expect, it } from 'vitest';
import { findPreset } from '../engine/presets';
import { openSession } from '../engine/session';
import { seek } from '../engine/timeline';
import { inspectPage } from '../kernel/inspect';
import { expectMatchesSession, harness } from './host.harness';
import type { Command, FrameMsg, PageMsg } from './protocol';

describe('inspect: the page before the step', () => {
  it('lru-anon, the refcount check, the mapping move, the flags copy, the unlock: before is the page at the step before, and the state stays', () => {
    const ref = openSession(findPreset('lru-anon')!.scenario);
    const h = harness();
    const move = (cmd: Command): FrameMsg => {
      h.send(cmd);
      const f = h.one('frame');
      h.send({ type: 'ack', seq: f.seq });
      return f;
    };
    move({ type: 'load', source: { kind: 'preset', name: 'lru-anon' } });
    h.send({ type: 'inspect', pfn: 5, purpose: 'follow' });
    expect((h.one('page') as PageMsg).before).toBeNull(); // step 0: nothing before it

    // Each writes the destination: 11 takes it off dst_folios, 13 its mapping, 14 its flags, 18 its refcount.
    for (const step of [11, 13, 14, 18]) {
      const f = move({ type: 'seek', step });
      for (const role of ['src', 'dst'] as const) {
        const pfn = f.stepInfo!.pfns.find((p) => p.role === role)!.pfn;
        h.send({ type: 'inspect', pfn, purpose: role === 'src' ? 'select' : 'follow' });
        const p = h.one('page') as PageMsg;
        seek(ref.t, step - 1);
        expect(p.before).toEqual(inspectPage(ref.k, pfn));
        seek(ref.t, step);
        expect(p.detail).toEqual(inspectPage(ref.k, pfn));
        if (role === 'dst') expect(p.before).not.toEqual(p.detail);
      }
      // The round trip left the state where it was: the next step is the one an independent session computes.
      expectMatchesSession(ref, move({ type: 'step', delta: 1 }));
    }
    h.send({ type: 'inspect', pfn: 5, purpose: 'hover' });
    expect((h.one('page') as PageMsg).before).toBeUndefined();
  });
});
