// The sim worker's start fetches only what the default page's first frame needs (design.md's JS
// budget): zod (a user's scenario), fflate (a link's payload), kernel/import and the ftrace
// replay are not reachable from sim.worker.ts through static imports — the bundler builds the
// worker's entry chunk from exactly this graph — and each is still reachable through the
// import()s of parts.ts. Read from the sources, so the test needs no build.
import { describe, expect, it } from 'vitest';
import { staticGraph } from '../import-graph.testkit';
import { Refused } from './errors';
import { createParts, isLoaded, loadPart, part, partsFor } from './parts';

const ENTRY = 'src/worker/sim.worker.ts';
const LATER = (m: string): boolean =>
  m.startsWith('src/kernel/import/') || m === 'src/engine/replay.ts' || m === 'src/engine/replay-parse.ts' || m === 'src/engine/scenario.ts' || m === 'src/engine/share.ts';

describe("the sim worker's start", () => {
  const start = staticGraph(ENTRY);

  it('reaches neither zod nor fflate', () => {
    expect([...start.packages].sort()).not.toContain('zod');
    expect([...start.packages].sort()).not.toContain('fflate');
  });

  it('reaches no import, replay, scenario-parsing or share-payload module', () => {
    expect([...start.modules].filter(LATER)).toEqual([]);
  });

  it('still reaches each of them through import()', () => {
    const all = new Set(start.modules);
    const pkgs = new Set(start.packages);
    for (const d of start.dynamic) {
      const g = staticGraph(d);
      for (const m of g.modules) all.add(m);
      for (const p of g.packages) pkgs.add(p);
    }
    for (const m of ['src/kernel/import/rebuild.ts', 'src/engine/replay.ts', 'src/engine/replay-parse.ts', 'src/engine/scenario.ts', 'src/engine/share.ts']) expect(all).toContain(m);
    expect(pkgs).toContain('zod');
    expect(pkgs).toContain('fflate');
  });
});

describe('partsFor: what a command waits for', () => {
  // Run first in a fresh module state would be ideal; loaded parts are left out, so each case
  // checks against what is loaded at that moment.
  const unless = (n: 'scenario' | 'import' | 'replay'): string[] => (isLoaded(n) ? [] : [n]);

  it('a preset, a preset link and the default page need nothing', () => {
    expect(partsFor({ type: 'load', source: { kind: 'preset', name: 'default' } })).toEqual([]);
    expect(partsFor({ type: 'load', source: { kind: 'url', url: '#preset=small&step=3' }, fallback: { kind: 'preset', name: 'default' } })).toEqual([]);
    expect(partsFor({ type: 'step', delta: 1 })).toEqual([]);
  });

  it("a user's scenario, a scenario link, the editor's check, an import and a replay need their part", () => {
    expect(partsFor({ type: 'load', source: { kind: 'scenario', scenario: {} as never } })).toEqual(unless('scenario'));
    expect(partsFor({ type: 'load', source: { kind: 'url', url: '#s=abc&step=1' } })).toEqual(unless('scenario'));
    expect(partsFor({ type: 'load', source: { kind: 'preset', name: 'x' }, fallback: { kind: 'url', url: 'https://h/#s=abc' } })).toEqual(unless('scenario'));
    expect(partsFor({ type: 'validate', id: 1, text: '{}' })).toEqual(unless('scenario'));
    expect(partsFor({ type: 'import', files: {} as never })).toEqual(unless('import'));
    expect(partsFor({ type: 'replay', text: '', name: 't' })).toEqual(unless('replay'));
  });

  it('a link that is neither waits for nothing (the host refuses it in one line)', () => {
    expect(partsFor({ type: 'load', source: { kind: 'url', url: '#nothing=1' } })).toEqual([]);
  });

  it('once loaded, a part is there and no command waits for it', async () => {
    await loadPart('replay');
    expect(typeof part('replay').replayTraceOf).toBe('function');
    expect(partsFor({ type: 'replay', text: '', name: 't' })).toEqual([]);
  });
});

describe('a part that cannot load', () => {
  it('refuses the command that needs it in one line (Refused: the host reports it, non-fatal), and loads on the next try', async () => {
    let online = false;
    const r = createParts({
      scenario: () => import('./part-scenario'),
      import: () => import('./part-import'),
      replay: () => (online ? import('./part-replay') : Promise.reject(new TypeError('Failed to fetch dynamically imported module: /assets/part-replay-x.js'))),
    });
    await r.loadPart('replay'); // never rejects
    expect(r.isLoaded('replay')).toBe(false);
    let thrown: unknown;
    try {
      r.part('replay');
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(Refused);
    expect((thrown as Error).message).toBe("cannot load the worker's replay code (offline and not cached?): Failed to fetch dynamically imported module: /assets/part-replay-x.js");
    online = true;
    await r.loadPart('replay');
    expect(typeof r.part('replay').replayTraceOf).toBe('function');
  });
});
