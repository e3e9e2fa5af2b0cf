// The result of a run: before is the import's rebuild, after the run's end, the real after and
// the error exactly what --predict compares and prints (predict.ts), migrated and failed the events.
import { describe, expect, test } from 'vitest';
import { buddyinfo } from '../kernel/procfs';
import { VM_EVENT } from '../kernel/vmstat';
import { compactionResult, runEnd } from './compaction-result';
import { comparePrediction, predictionText, simulatedFreeAreas } from './predict';
import { findPreset } from './presets';
import { openSession } from './session';
import { runToEnd } from './timeline';

describe('the result of compacting', () => {
  const s = openSession(findPreset('compact-blocked-by-pins')!.scenario);
  const before = [...simulatedFreeAreas(s.k)].map(([zone, rebuilt]) => ({ zone, rebuilt, given: null }));
  runToEnd(s.t);
  const end = runEnd(s.k);
  // The real machine: the simulated end with two order-0 blocks more in the last zone.
  const lines = buddyinfo(s.k).trimEnd().split('\n');
  const cells = lines.at(-1)!.trim().split(/\s+/);
  cells[4] = String(Number(cells[4]) + 2);
  lines[lines.length - 1] = `Node 0, zone ${cells.slice(3).join(' ')}`;
  const real = lines.join('\n');

  test('before / after per zone and order, migrated and failed from the run', { timeout: 60_000 }, () => {
    const r = compactionResult(before, end);
    expect(r.zones.map((z) => z.zone)).toEqual([...simulatedFreeAreas(s.k).keys()]);
    for (const z of r.zones) {
      expect(z.before).toEqual(before.find((b) => b.zone === z.zone)!.rebuilt);
      expect(z.after).toEqual(simulatedFreeAreas(s.k).get(z.zone));
      expect(z.realAfter).toBeNull();
    }
    expect(r.zones.some((z) => z.before.join() !== z.after.join())).toBe(true); // compaction moved free memory
    expect([r.migrated, r.failed]).toEqual([s.k.events.a[VM_EVENT.PGMIGRATE_SUCCESS], s.k.events.a[VM_EVENT.PGMIGRATE_FAIL]]);
    expect(r.migrated).toBeGreaterThan(0);
    expect(r.real).toBeNull();
  });

  test("with a real after.buddyinfo: its rows, and --predict's error and last line", () => {
    const r = compactionResult(before, end, { name: 'after.buddyinfo', text: real });
    const p = comparePrediction(s.k, real);
    expect(r.zones.map((z) => z.realAfter)).toEqual(p.zones.map((z) => z.real));
    expect(r.zones.at(-1)!.realAfter![0]).toBe(r.zones.at(-1)!.after[0]! + 2);
    expect(r.real!.error).toBe(p.error);
    expect(r.real!.error).toBeGreaterThan(0);
    expect(predictionText(p, 'after.buddyinfo').trimEnd().split('\n').at(-1)).toBe(r.real!.errorLine);
    expect(r.real!.deltaBlocks[0]).toBe(-2);
  });

  test('a buddyinfo that does not parse is refused in one line', () => {
    expect(() => compactionResult(before, end, { name: 'x', text: 'not a buddyinfo' })).toThrow(/^buddyinfo line 1 does not parse/);
  });
});
