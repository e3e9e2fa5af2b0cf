// Step texts against what the kernel does (6.18, and 6.12 for the linux-6.12 variant): what a
// page is, who holds its references, which locks a path takes.

import { describe, expect, test } from 'vitest';
import { findPreset } from './presets';
import { openSession } from './session';
import { allSteps, runToEnd, seek, type Step } from './timeline';
import type { Scenario } from './scenario';

function run(name: string, variant?: Scenario['variant']): { s: ReturnType<typeof openSession>; steps: Step[] } {
  const sc = findPreset(name)!.scenario;
  const s = openSession(variant ? { ...sc, variant } : sc, { recordAll: true });
  runToEnd(s.t);
  return { s, steps: allSteps(s.t) };
}

const unmapText = (steps: Step[]): string => steps.find((x) => x.fn === 'migrate_folio_unmap' && x.result === '0')!.text;

describe('what a movable_ops page is', () => {
  test('a zsmalloc page is PageZsmalloc + PG_movable_ops, not PageOffline', () => {
    const t = unmapText(run('zsmalloc').steps);
    expect(t).toMatch(/PageZsmalloc \+ PG_movable_ops/);
    expect(t).not.toMatch(/PageOffline/);
  });

  test('a 6.12 balloon page is PageOffline + __PageMovable (PAGE_MAPPING_MOVABLE in page->mapping), with no PG_movable_ops', () => {
    const t = unmapText(run('balloon-migrate-6.12').steps);
    expect(t).toMatch(/PageOffline \+ __PageMovable/);
    expect(t).toMatch(/PAGE_MAPPING_MOVABLE/);
    expect(t).not.toMatch(/PG_movable_ops/);
  });

  test('a 6.18 balloon page is PageOffline + PG_movable_ops', () => {
    expect(unmapText(run('balloon-migrate').steps)).toMatch(/PageOffline \+ PG_movable_ops/);
  });
});

describe('who holds a page', () => {
  test('a balloon page is never faulted on: locking it holds off other isolators, not faults', () => {
    const { steps } = run('balloon-migrate');
    const lock = steps.find((x) => x.fn === 'migrate_folio_unmap' && /locks the source/.test(x.text))!;
    expect(lock.text).not.toMatch(/faults on it will wait/);
    expect(lock.text).toMatch(/folio_trylock\(\)/);
  });

  test('an LRU page is: faults on it wait for the lock', () => {
    const lock = run('lru-anon').steps.find((x) => x.fn === 'migrate_folio_unmap' && /locks the source/.test(x.text))!;
    expect(lock.text).toMatch(/faults on it/);
  });

  test('the balloon destination is kept by the balloon\'s reference once the allocation reference goes', () => {
    const move = run('balloon-migrate').steps.find((x) => x.fn === 'migrate_folio_move')!;
    expect(move.text).toMatch(/the balloon's reference keeps it/);
    expect(move.text).not.toMatch(/mappings|cache/);
  });

  test('an anon destination mapped twice is kept by its 2 mappings', () => {
    const move = run('lru-anon').steps.find((x) => x.fn === 'migrate_folio_move')!;
    expect(move.text).toMatch(/refcount 3 → 2: its 2 mappings keep it/);
  });

  test('a page mapped twice: after collect unmaps one PTE, refcount 2 is collect\'s reference plus the other mapping', () => {
    const { steps } = run('device-range-evict');
    const collect = steps.filter((x) => x.fn === 'migrate_vma_collect_pmd' && /refcount 2/.test(x.text));
    expect(collect.length).toBeGreaterThan(0);
    for (const st of collect) expect(st.text).toMatch(/refcount 2: collect's own \+ 1 other mapping\)/);
  });
});

describe('locks', () => {
  test('linux-6.12 variant: leak_balloon() holds vb->balloon_lock while it dequeues, as 6.12\'s virtio_balloon does', () => {
    const { s, steps } = run('balloon-inflate', 'linux-6.12');
    const deletes = steps.filter((x) => x.fn === 'balloon_page_delete');
    expect(deletes).toHaveLength(8);
    for (const st of deletes) {
      seek(s.t, st.id);
      expect(s.k.balloon.lock.a[0], `step ${st.id}`).toBe(1);
    }
    seek(s.t, steps.length);
    expect(s.k.balloon.lock.a[0]).toBe(0);
  });
});

describe('list order: which folio migrate_pages() takes first', () => {
  /** The sources in the order they were isolated, and in the order migrate_folio_unmap() takes them. */
  function orders(name: string, isolateFn: RegExp): { isolated: number[]; unmapped: number[] } {
    const all = run(name).steps;
    // The first migrate_pages() call of the first task that isolates anything.
    const task = all.find((x) => isolateFn.test(x.fn) && x.result === 'true')!.task;
    const start = all.findIndex((x) => x.task === task && x.fn === 'migrate_pages');
    const isolated = all.slice(0, start).filter((x) => x.task === task && isolateFn.test(x.fn) && x.result === 'true').map((x) => x.pfns[0]!.pfn);
    const steps = all.slice(start).filter((x) => x.task === task);
    const unmapped = [...new Set(steps.filter((x) => x.fn === 'migrate_folio_unmap' && /locks the source/.test(x.text)).map((x) => x.pfns[0]!.pfn))];
    return { isolated, unmapped };
  }

  test('offline-range: do_migrate_range() → isolate_folio_to_list() does list_add, so the last folio isolated migrates first', () => {
    const { isolated, unmapped } = orders('offline-range', /^(folio_isolate_lru|isolate_movable_ops_page)$/);
    expect(isolated.length).toBeGreaterThan(1);
    expect(unmapped.slice(0, 8)).toEqual(isolated.slice(-8).reverse());
  });

  test('lru-file: move_pages(2)\'s __add_folio_for_migration() does list_add_tail, so the first folio isolated migrates first', () => {
    const { isolated, unmapped } = orders('lru-file', /^folio_isolate_lru$/);
    expect(isolated.length).toBe(2);
    expect(unmapped).toEqual(isolated);
  });
});
