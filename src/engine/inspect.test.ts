// The page inspector (kernel/inspect.ts) at steps of presets: which list a page's lru links thread,
// and what a frozen balloon page of the no-refcount design is held by.
import { describe, expect, test } from 'vitest';
import { inspectPage } from '../kernel/inspect';
import { balloonState } from '../kernel/balloon';
import { findPreset } from './presets';
import { openSession, type Session } from './session';
import { allSteps, currentStep, runToEnd, seek } from './timeline';

function at(preset: string, step: number): Session {
  const s = openSession(findPreset(preset)!.scenario);
  seek(s.t, step);
  return s;
}

describe('the list a page is threaded on', () => {
  test('lru-anon step 1: the folio folio_isolate_lru() took is on the migration list, alone', () => {
    const s = at('lru-anon', 1);
    const d = inspectPage(s.k, 7241);
    expect(d.flags).not.toContain('lru');
    expect(d.lru).toMatchObject({ prev: -1, next: -1 });
    expect(d.lru!.list).toMatch(/^pagelist: the folios do_pages_move\(\) hands to migrate_pages\(\)/);
  });

  test('an LRU folio, a free block and a balloon page name their lists', () => {
    // The first isolation of the migration: the rest of the inflated pages are still on the list.
    const s = openSession(findPreset('balloon-migrate')!.scenario);
    runToEnd(s.t);
    seek(s.t, allSteps(s.t).find((x) => x.fn === 'isolate_movable_ops_page')!.id);
    const { listHead } = balloonState(s.k);
    expect(listHead.length).toBeGreaterThan(0);
    expect(inspectPage(s.k, listHead[0]!).lru!.list).toBe('balloon_dev_info->pages');
    const lists = new Set<string>();
    for (let pfn = 0; pfn < s.k.mem.nr && lists.size < 40; pfn++) {
      const l = inspectPage(s.k, pfn).lru?.list;
      if (l) lists.add(l);
    }
    expect([...lists].some((l) => /^lruvec->lists\[LRU_(IN)?ACTIVE_(ANON|FILE)\]$/.test(l))).toBe(true);
    expect([...lists].some((l) => /^free_area\[\d+\]\.free_list\[\w+\] \(zone \w+\)$/.test(l))).toBe(true);
  });

  test('compaction: an isolated folio is on cc->migratepages', { timeout: 120_000 }, () => {
    const s = openSession(findPreset('compact-memory')!.scenario);
    let st = currentStep(s.t);
    for (let n = 1; n < 5000 && !(st?.fn === 'isolate_migratepages_block' && st.pfns.some((p) => p.role === 'src')); n++) {
      seek(s.t, n);
      st = currentStep(s.t);
    }
    const src = st!.pfns.find((p) => p.role === 'src')!.pfn;
    expect(inspectPage(s.k, src).lru!.list).toMatch(/^cc->migratepages/);
  });
});

describe('the no-refcount design in the inspector', () => {
  test('a frozen PageOffline page is held by the PFN array with no reference, isolated by PG_movable_ops_isolated alone', () => {
    const s = openSession(findPreset('balloon-migrate-no-refcount')!.scenario);
    runToEnd(s.t);
    const won = allSteps(s.t).find((x) => /test-and-set of PG_movable_ops_isolated on \S+ succeeds/.test(x.text))!;
    seek(s.t, won.id);
    const src = won.pfns[0]!.pfn;
    const d = inspectPage(s.k, src);
    expect(d.refcount).toBe(0);
    expect(d.expectedRefcount).toBe(0);
    expect(d.holders.map((h) => h.what).join('; ')).toMatch(/PFN array.*no reference/);
    expect(d.flags).toContain('movable_ops_isolated');
    // The design keeps no isolated_pages counter: the panel counts the array's isolated pages.
    expect(balloonState(s.k).arrayIsolated).toBe(1);
  });
});

describe('holders add up to the refcount on the movable_ops path', () => {
  // An isolated balloon or zsmalloc page keeps its owner's reference beside the isolation's, and a
  // destination has its allocation's and the owner's: the inspector names both (as invariants.ts
  // counts them), so nothing reads as unaccounted while the driver's migrate_page runs.
  test.each(['balloon-race', 'balloon-migrate', 'zsmalloc', 'lru-anon', 'lru-thp', 'hugetlb'])('%s: every page of every step', (preset) => {
    const s = openSession(findPreset(preset)!.scenario);
    runToEnd(s.t);
    const off: string[] = [];
    for (const st of allSteps(s.t)) {
      seek(s.t, st.id);
      for (const p of st.pfns) {
        const d = inspectPage(s.k, p.pfn);
        if (d.refcount !== d.expectedRefcount) off.push(`#${st.id} ${st.fn} ${p.role} 0x${p.pfn.toString(16)}: refcount ${d.refcount}, holders ${d.expectedRefcount} (${d.holders.map((h) => `${h.refs} ${h.what}`).join('; ')})`);
      }
    }
    expect(off.slice(0, 8)).toEqual([]);
  }, 300_000);
});
