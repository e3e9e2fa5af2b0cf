// The worker host's timeline data, checked against an independent session of the same preset:
// Previous / Next phase, the scrubber's markers, chart samples sent incrementally, the footprint
// field names of a step, and the history of a selected page.
import { beforeAll, describe, expect, it } from 'vitest';
import { findPreset } from '../engine/presets';
import { openSession, type Session } from '../engine/session';
import { MAX_SAMPLES, samplePoint } from '../engine/series';
import { runToEnd, seek, allSteps } from '../engine/timeline';
import { F } from '../kernel/memmap';
import { expectMatchesSession, harness, move, openPreset, type Harness } from './host.harness';
import { PHASES_OF_INTEREST, type FrameMsg, type PageMsg } from './protocol';

describe('worker host: timeline data, phases, page history (pinned-eagain)', () => {
  const NAME = 'pinned-eagain';
  let ref2: Session;
  let total2: number;
  beforeAll(() => {
    ref2 = openSession(findPreset(NAME)!.scenario);
    total2 = runToEnd(ref2.t);
  });
  const OF_INTEREST = new Set<string>(PHASES_OF_INTEREST);

  const open2 = (): Harness => openPreset(NAME);

  it('Next phase / Previous phase stop at every isolate, refcount, copy and remap step, in order, both ways', () => {
    const want = allSteps(ref2.t).filter((s) => OF_INTEREST.has(s.phase)).map((s) => s.id);
    expect(want.length).toBeGreaterThan(10);
    expect(new Set(allSteps(ref2.t).filter((s) => OF_INTEREST.has(s.phase)).map((s) => s.phase))).toEqual(OF_INTEREST);
    const h = open2();
    const forward: number[] = [];
    for (let i = 0; i < want.length; i++) forward.push(move(h, { type: 'phase', dir: 1 }).step);
    expect(forward).toEqual(want);
    // None left: the end. Then back through all of them, and none before the first: step 0.
    expect(move(h, { type: 'phase', dir: 1 })).toMatchObject({ step: total2, done: true });
    const backward: number[] = [];
    for (let i = 0; i < want.length; i++) backward.push(move(h, { type: 'phase', dir: -1 }).step);
    expect(backward).toEqual([...want].reverse());
    const zero = move(h, { type: 'phase', dir: -1 });
    expect(zero.step).toBe(0);
    expectMatchesSession(ref2, zero);
  });

  it('Next phase computes past the frontier and lands on the same state as an independent session', () => {
    const h = open2();
    const f = move(h, { type: 'phase', dir: 1 });
    const first = allSteps(ref2.t).find((s) => OF_INTEREST.has(s.phase))!;
    expect(f.step).toBe(first.id);
    expect(f.stepInfo!.phase).toBe(first.phase);
    expectMatchesSession(ref2, f);
  });

  it('markers and series arrive incrementally and add up to what an independent session computes', () => {
    const h = harness();
    h.send({ type: 'load', source: { kind: 'preset', name: NAME } });
    const first = h.one('frame');
    h.send({ type: 'ack', seq: first.seq });
    expect(first).toMatchObject({ timelineReset: true, seriesReset: true });
    // The timeline computes one step ahead, so the load frame already covers step 1.
    expect(first.series.map((p) => p.step)).toEqual(Array.from({ length: first.frontier + 1 }, (_, i) => i));

    const markers = [...first.markers];
    const fns = new Set(first.fns);
    const series = [...first.series];
    let f: FrameMsg;
    do {
      f = move(h, { type: 'step', delta: 37 });
      expect(f.timelineReset).toBe(false);
      expect(f.seriesReset).toBe(false); // 208 steps: never thinned
      markers.push(...f.markers);
      for (const fn of f.fns) {
        expect(fns.has(fn)).toBe(false); // each function is announced once
        fns.add(fn);
      }
      series.push(...f.series);
    } while (!(f.done && f.step === f.frontier));
    // Independently: the first step of each action, error results, and the phases of interest.
    const want: { step: number; kind: string }[] = [];
    const seen = new Set<number>();
    for (const s of allSteps(ref2.t)) {
      if (!seen.has(s.action)) want.push({ step: s.id, kind: 'action' });
      seen.add(s.action);
      if (s.result?.startsWith('-')) want.push({ step: s.id, kind: 'fail' });
      if (OF_INTEREST.has(s.phase)) want.push({ step: s.id, kind: s.phase });
    }
    expect(markers).toEqual(want);
    expect(want.filter((m) => m.kind === 'fail').length).toBeGreaterThanOrEqual(10);
    expect(fns).toEqual(new Set(allSteps(ref2.t).filter((s) => s.file !== '').map((s) => s.fn)));
    expect(fns.has('folio_ref_freeze') || fns.has('migrate_folio_unmap')).toBe(true);

    // Series: sampled as the frontier advanced (a kernel stretch may report several steps at
    // once), never thinned here; each point equals a fresh sample of the independent session.
    const steps = series.map((p) => p.step);
    expect(steps[0]).toBe(0);
    expect(steps.at(-1)).toBe(total2);
    for (let i = 1; i < steps.length; i++) expect(steps[i]).toBeGreaterThan(steps[i - 1]!);
    expect(steps.length).toBeGreaterThan(total2 / 2);
    for (const p of series.filter((_, i) => i % 17 === 0 || i === series.length - 1)) {
      seek(ref2.t, p.step);
      expect(p).toEqual(samplePoint(ref2.k, p.step));
    }
    expect(series.at(-1)).toMatchObject({ migrated: 2, failed: 2 });
  });

  it('a long timeline thins its series: the frame says seriesReset and carries the thinned list', () => {
    const h = harness();
    h.send({ type: 'load', source: { kind: 'preset', name: 'thp-split' } });
    h.send({ type: 'ack', seq: h.one('frame').seq });
    h.send({ type: 'runToEnd' });
    const f = h.one('frame');
    expect(f.seriesReset).toBe(true);
    expect(f.series.length).toBeLessThanOrEqual(MAX_SAMPLES + 1);
    expect(f.series[0]!.step).toBe(0);
    expect(f.series.at(-1)!.step).toBe(f.frontier);
  });

  it('StepView names the struct page fields the step read and wrote', () => {
    const h = open2();
    const f = move(h, { type: 'phase', dir: 1 }); // folio_isolate_lru: tests and clears PG_lru, takes a reference
    const s = allSteps(ref2.t)[f.step - 1]!;
    const names = (mask: number) => Object.entries(F).filter(([, bit]) => mask & bit).map(([n]) => n);
    expect(f.stepInfo!.reads).toEqual(names(s.footprint.reads));
    expect(f.stepInfo!.writes).toEqual(names(s.footprint.writes));
    expect(f.stepInfo!.writes).toContain('flags');
    expect(f.stepInfo!.writes).toContain('_refcount');
    // Every step of the run: the names decode the footprint exactly.
    for (let n = 1; n <= 40; n++) {
      const g = move(h, { type: 'seek', step: n });
      const r = allSteps(ref2.t)[n - 1]!;
      expect([g.stepInfo!.reads, g.stepInfo!.writes]).toEqual([names(r.footprint.reads), names(r.footprint.writes)]);
    }
  });

  it('a selected page comes with the computed steps that touched it; a hover does not', () => {
    const h = open2();
    const f = move(h, { type: 'seek', step: 60 });
    const src = f.stepInfo!.pfns.find((p) => p.role === 'src')?.pfn ?? allSteps(ref2.t).find((s) => s.phase === 'isolate')!.pfns[0]!.pfn;
    h.send({ type: 'inspect', pfn: src });
    const p = h.one('page') as PageMsg;
    // Independently: steps 1..frontier whose PFN ranges cover src.
    const touched = allSteps(ref2.t)
      .slice(0, f.frontier)
      .filter((s) => s.pfns.some((x) => src >= x.pfn && src < x.pfn + (x.nr ?? 1)));
    expect(p.history!.map((m) => m.step)).toEqual(touched.map((s) => s.id));
    expect(p.history!.map((m) => m.phase)).toEqual(touched.map((s) => s.phase));
    expect(p.history!.filter((m) => m.failed).map((m) => m.step)).toEqual(touched.filter((s) => s.result?.startsWith('-')).map((s) => s.id));
    expect(p.historyTotal).toBe(touched.length);
    expect(p.history!.some((m) => m.failed)).toBe(true);

    // Later, the same page again: the history grew with the frontier (incrementally).
    const g = move(h, { type: 'runToEnd' });
    h.send({ type: 'inspect', pfn: src });
    const q = h.one('page') as PageMsg;
    const all = allSteps(ref2.t).filter((s) => s.pfns.some((x) => src >= x.pfn && src < x.pfn + (x.nr ?? 1))).map((s) => s.id);
    expect(g.frontier).toBe(total2);
    expect(q.history!.map((m) => m.step)).toEqual(all);
    expect(all.length).toBeGreaterThan(touched.length);

    h.send({ type: 'inspect', pfn: src, purpose: 'hover' });
    const hv = h.one('page') as PageMsg;
    expect(hv.history).toBeUndefined();
  });
});

