// The inspector's "what this step changed", on pages read from real runs at the step before and
// the step itself: a destination unlocked and put, a mapping moved, a freed page, a balloon
// page taking over, a THP head against its tail.
import { describe, expect, it } from 'vitest';
import { findPreset } from '../../engine/presets';
import { openSession } from '../../engine/session';
import { allSteps, runToEnd, seek } from '../../engine/timeline';
import { inspectPage } from '../../kernel/inspect';
import { changeText, diffPage, fieldText } from './pageDiff';

/** The step's page of `role` (or `pfn`), before and after the step `fn` of the preset. */
function around(preset: string, fn: string, role: 'src' | 'dst' | 'freed', nth = 0, pfnOf?: (head: number) => number) {
  const s = openSession(findPreset(preset)!.scenario, { recordAll: true });
  runToEnd(s.t);
  const step = allSteps(s.t).filter((x) => x.fn === fn)[nth]!;
  const head = step.pfns.find((p) => p.role === role)!.pfn;
  const pfn = pfnOf ? pfnOf(head) : head;
  seek(s.t, step.id - 1);
  const before = inspectPage(s.k, pfn);
  seek(s.t, step.id);
  return { before, after: inspectPage(s.k, pfn), step };
}

describe('diffPage', () => {
  it('lru-anon migrate_folio_move: the destination is unlocked and its allocation reference dropped', () => {
    const { before, after } = around('lru-anon', 'migrate_folio_move', 'dst');
    const d = diffPage(before, after);
    expect(changeText(d.get('_refcount')!)).toBe('3 → 2');
    expect(d.get('flags')!.cleared).toEqual(['PG_locked']);
    expect(changeText(d.get('flags')!)).toBe('PG_locked cleared');
    expect(d.has('holders')).toBe(true);
    expect(d.has('mapping')).toBe(false);
  });

  it('lru-anon __folio_migrate_mapping: the mapping moves to dst, the source keeps its own', () => {
    const dst = around('lru-anon', '__folio_migrate_mapping', 'dst');
    const m = diffPage(dst.before, dst.after).get('mapping')!;
    expect(m.before).toBe('NULL');
    expect(m.after).toContain('FOLIO_MAPPING_ANON');
    const src = around('lru-anon', '__folio_migrate_mapping', 'src');
    expect(diffPage(src.before, src.after).has('mapping')).toBe(false);
    expect(fieldText(src.after, 'mapping')).toBe(m.after);
  });

  it('balloon-race: virtballoon_migratepage makes dst a balloon page; __folio_put frees the old one', () => {
    const dst = around('balloon-race', 'virtballoon_migratepage', 'dst');
    const d = diffPage(dst.before, dst.after);
    expect(changeText(d.get('_refcount')!)).toBe('1 → 2');
    expect(d.get('page_type')!.after).toBe('PGTY_offline');
    expect(d.get('flags')!.set).toContain('PG_movable_ops');
    const freed = around('balloon-race', '__folio_put', 'freed');
    expect(changeText(diffPage(freed.before, freed.after).get('_refcount')!)).toBe('1 → 0');
  });

  it('lru-thp: locking the source folio shows on its head; a tail keeps compound_head', () => {
    const head = around('lru-thp', 'migrate_folio_unmap', 'src');
    expect(head.after.folioOrder).toBeGreaterThan(0);
    expect(diffPage(head.before, head.after).get('flags')?.set).toContain('PG_locked');
    const tail = around('lru-thp', 'migrate_folio_unmap', 'src', 0, (h) => h + 1);
    expect(fieldText(tail.after, 'lru')).toBe(`compound_head 0x${(tail.after.folioHead).toString(16)}`);
    expect(diffPage(tail.before, tail.after).has('lru')).toBe(false);
  });

  it('a page compared with itself has no change', () => {
    const { after } = around('lru-anon', 'migrate_folio_move', 'src');
    expect(diffPage(after, after).size).toBe(0);
  });
});
