// The footprint comparison in the host: it runs beside the session shown, so stepping while it
// runs neither stops it nor is stopped by it, and a variant whose run fails (a BUG in the model
// under that design) is that variant's one-line result while the session shown stays usable.
import { describe, expect, it, vi } from 'vitest';
import type { Scenario } from '../engine/scenario';
import { VARIANTS } from '../engine/footprint';
import { harness } from './host.harness';
import type { FootprintMsg, WorkerMsg } from './protocol';

/** The variant whose runs throw after a few steps, as a kernel BUG would (none: every run is real). */
const failing = vi.hoisted(() => ({ variant: null as string | null }));

vi.mock('../engine/session', async (importOriginal) => {
  const real = await importOriginal<typeof import('../engine/session')>();
  return {
    ...real,
    openSession(scenario: Scenario) {
      const s = real.openSession(scenario);
      if (scenario.variant !== undefined && scenario.variant === failing.variant) {
        s.t.observers.push((t) => {
          if (t.rec.n > 5) throw new Error(`BUG: bad page state in ${scenario.variant}\nsecond line`);
        });
      }
      return s;
    },
  };
});

/** balloon-race loaded and drawn, on a clock that moves as it is read (time slices end). */
function raceLoaded() {
  const h = harness({ msPerCall: 1 });
  h.send({ type: 'load', source: { kind: 'preset', name: 'balloon-race' } });
  h.advance(1_000_000);
  ackAll(h, h.take());
  return h;
}

/** The UI acknowledges every frame it draws, and the host posts the next one only then: what came until all is acknowledged. */
function ackAll(h: ReturnType<typeof harness>, first: readonly WorkerMsg[] = []): WorkerMsg[] {
  const all = [...first];
  for (let msgs = [...first]; msgs.some((m) => m.type === 'frame'); msgs = h.take()) {
    for (const m of msgs) if (m.type === 'frame') h.send({ type: 'ack', seq: m.seq });
    if (msgs !== first) all.push(...msgs);
  }
  return all;
}

const footprints = (msgs: readonly { type: string }[]): FootprintMsg[] => msgs.filter((m): m is FootprintMsg => m.type === 'footprint');

describe('worker host: the footprint comparison beside the session', () => {
  it('stepping while it runs: the steps are answered, and the comparison still ends with every variant', { timeout: 60_000 }, () => {
    failing.variant = null;
    const h = raceLoaded();
    h.send({ type: 'footprint' });
    const msgs = ackAll(h, h.take());
    expect(footprints(msgs).filter((m) => m.done), 'not finished before the steps').toEqual([]);
    for (let i = 0; i < 2; i++) {
      h.send({ type: 'step', delta: 1 });
      msgs.push(...ackAll(h, h.take()));
    }
    expect(msgs.filter((m) => m.type === 'frame').at(-1)).toMatchObject({ step: 2 });
    h.advance(100_000_000);
    msgs.push(...h.take());
    expect(footprints(msgs).length, 'footprint answers after the steps').toBeGreaterThan(0);
    const last = footprints(msgs).at(-1)!;
    expect(last.done).toBe(true);
    expect(last.results.map((r) => r.variant)).toEqual([...VARIANTS]);
    expect(last.results.map((r) => ('pages' in r ? r.pages : r.failure))).toEqual(VARIANTS.map(() => 2));
    expect(msgs.some((m) => m.type === 'error')).toBe(false);
  });

  it("a variant that fails is that variant's one-line failure; the others run and the session still steps", { timeout: 60_000 }, () => {
    failing.variant = 'no-refcount';
    const h = raceLoaded();
    h.send({ type: 'footprint' });
    h.advance(100_000_000);
    const msgs = ackAll(h, h.take());
    expect(msgs.filter((m) => m.type === 'error')).toEqual([]);
    const last = footprints(msgs).at(-1)!;
    expect(last.done).toBe(true);
    const failed = last.results.find((r) => r.variant === 'no-refcount')!;
    expect(failed).toEqual({ variant: 'no-refcount', failure: 'BUG: bad page state in no-refcount second line' });
    expect(last.results.filter((r) => 'pages' in r).map((r) => r.variant)).toEqual(VARIANTS.filter((v) => v !== 'no-refcount'));
    h.send({ type: 'step', delta: 1 });
    expect(ackAll(h, h.take()).filter((m) => m.type === 'frame').at(-1)).toMatchObject({ step: 1 });
  });
});
