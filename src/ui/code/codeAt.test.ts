// Every step every preset produces stands on a line of an outline of its kernel function, and
// the table of 6.18 line numbers is consistent with the outlines and the files' lengths.
import { describe, expect, it } from 'vitest';
import { PRESETS } from '../../engine/presets';
import { openSession } from '../../engine/session';
import { allSteps, runToEnd } from '../../engine/timeline';
import { codeAt } from './codeAt';
import { FILE_LENGTHS, KERNEL_LINES } from './kernel-lines.gen';
import { OUTLINES } from './outlines';

/** Presets longer than this are checked on their first steps only (balloon-compaction has 116k). */
const MAX_STEPS = 20_000;

describe('code panel outlines', () => {
  it('every step with a kernel file has an outline and a lit line, exactly matched', () => {
    const problems = new Set<string>();
    let checked = 0;
    for (const p of PRESETS) {
      const s = openSession(p.scenario, { recordAll: true });
      runToEnd(s.t, () => s.t.rec.n >= MAX_STEPS);
      for (const st of allSteps(s.t)) {
        const v = codeAt({ ...st, result: st.result ?? null });
        checked++;
        if (!st.file) {
          if (v.kind !== 'engine') problems.add(`${p.name}#${st.id} ${st.fn}: no kernel file but not told as the engine's`);
          continue;
        }
        if (v.kind !== 'outline') problems.add(`${st.fn} (${st.file}): ${v.why}`);
        else if (v.outline.file !== st.file) problems.add(`${st.fn}: the step names ${st.file}, 6.18 defines it in ${v.outline.file}`);
        else if (v.approximate) problems.add(`${st.fn} ${st.phase} result=${st.result}: no stop matches exactly (${p.name}#${st.id}: ${st.text.slice(0, 80)})`);
        else if (v.lit >= 0 && v.lines[v.lit] == null) problems.add(`${st.fn}: the lit line ${v.lit} has no kernel line number`);
      }
    }
    expect([...problems]).toEqual([]);
    expect(checked).toBeGreaterThan(1000);
  }, 600_000);

  it('the line table matches the outlines and lies inside the files', () => {
    for (const [fn, o] of Object.entries(OUTLINES)) {
      const t = KERNEL_LINES[fn];
      expect(t, `${fn}: run npx tsx scripts/kernel-lines.ts`).toBeDefined();
      expect(t!.lines.length, fn).toBe(o.lines.length);
      const len = FILE_LENGTHS[o.file]!;
      expect(len, o.file).toBeGreaterThan(0);
      expect(t!.def, fn).toBeGreaterThan(0);
      expect(t!.def, fn).toBeLessThanOrEqual(len);
      o.lines.forEach((l, i) => {
        const n = t!.lines[i];
        expect(n === null, `${fn} line ${i}: an anchor gets a number, no anchor none`).toBe(l.at === undefined);
        if (n !== null) expect(n! >= 1 && n! <= len, `${fn} line ${i}: ${n} in ${o.file}`).toBe(true);
      });
      for (const s of o.stops) expect(s.line === -1 || (s.line >= 0 && s.line < o.lines.length && o.lines[s.line]!.at !== undefined), `${fn} stop on line ${s.line}`).toBe(true);
    }
  });
});
