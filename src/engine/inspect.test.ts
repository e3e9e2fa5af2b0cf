// The page inspector (kernel/inspect.ts) at steps of presets: which list a page's lru links thread.
import { describe, expect, test } from 'vitest';
import { inspectPage } from '../kernel/inspect';
import { balloonState } from '../kernel/balloon';
import { findPreset } from './presets';
import { openSession, type Session } from './session';
import { currentStep, seek } from './timeline';

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
    const s = at('balloon-migrate', 40);
    const { listHead } = balloonState(s.k);
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
