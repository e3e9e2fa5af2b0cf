import { describe, expect, it } from 'vitest';
import { PRESET_GROUPS, presetGroupOf, presetsByGroup } from './preset-groups';
import { PRESETS } from './presets';

describe('preset groups', () => {
  it('put every preset in exactly one group, with a line of what it shows', () => {
    for (const p of PRESETS) {
      const groups = PRESET_GROUPS.filter((g) => p.name in g.see).map((g) => g.title);
      expect(groups, p.name).toHaveLength(1);
      expect(presetGroupOf(p.name)?.see.length, p.name).toBeGreaterThan(0);
    }
  });

  it('name no preset that does not exist', () => {
    const names = new Set(PRESETS.map((p) => p.name));
    const unknown = PRESET_GROUPS.flatMap((g) => Object.keys(g.see)).filter((n) => !names.has(n));
    expect(unknown).toEqual([]);
  });

  it('have no empty group and distinct titles', () => {
    for (const g of PRESET_GROUPS) expect(Object.keys(g.see).length, g.title).toBeGreaterThan(0);
    expect(new Set(PRESET_GROUPS.map((g) => g.title)).size).toBe(PRESET_GROUPS.length);
  });
});

describe('presetsByGroup', () => {
  it('lists every preset once, each group in one run, in the groups\' order', () => {
    const list = presetsByGroup();
    expect(list.map((p) => p.name).sort()).toEqual(PRESETS.map((p) => p.name).sort());
    const runs = list.map((p) => p.group).filter((g, i, a) => i === 0 || a[i - 1] !== g);
    expect(runs).toEqual(PRESET_GROUPS.map((g) => g.title));
  });
});
