// migrate_pages() against the kernel's own accounting. Expected values are written down from
// mm/migrate.c, mm/rmap.c and include/linux/mm.h (6.18), with the function each one comes from.

import { describe, expect, test } from 'vitest';
import { checkInvariants } from '../kernel/invariants';
import { inspectPage } from '../kernel/inspect';
import { pteBits, ptePfn, ptePresent, PTE_DIRTY } from '../kernel/vm';
import { PG } from '../kernel/flags';
import { testPageFlag } from '../kernel/memmap';
import { footprintFields } from '../kernel/memmap';
import { findPreset } from './presets';
import { openSession } from './session';
import { parseScenario } from './scenario';
import { runToEnd, seek, type Step, allSteps } from './timeline';

const ALLOCATOR = new Set(['__rmqueue_smallest', 'expand', '__free_one_page', '__folio_put', 'try_to_claim_block', '__rmqueue_claim', '__rmqueue_steal']);

function run(name: string): { steps: Step[]; s: ReturnType<typeof openSession> } {
  const s = openSession(findPreset(name)!.scenario);
  runToEnd(s.t);
  return { steps: allSteps(s.t).filter((x) => !ALLOCATOR.has(x.fn)), s };
}

/** [fn, refcount, mapcount] of the first `after` entry (the source unless noted). */
const rm = (st: Step, i = 0): [string, number, number] => [st.fn, st.after[i]!.refcount, st.after[i]!.mapcount];

describe('lru-anon: an anonymous page mapped by two processes', () => {
  const { steps, s } = run('lru-anon');
  test('the steps and the source/destination refcounts follow the kernel', () => {
    const seq = steps.map((x) => x.fn);
    expect(seq).toEqual([
      'folio_isolate_lru', 'migrate_pages', 'migrate_pages_batch', 'alloc_migration_target',
      'migrate_folio_unmap', 'migrate_folio_unmap', 'try_to_migrate_one', 'try_to_migrate_one', 'migrate_folio_unmap',
      'migrate_folios_move', 'migrate_folio', 'folio_mc_copy', '__folio_migrate_mapping', 'folio_migrate_flags',
      'folio_add_lru', 'remove_migration_pte', 'remove_migration_pte', 'migrate_folio_move', 'migrate_folio_done',
      'free_pcppages_bulk', // the freed source went to CPU 0's list, over its high mark: a bulk free
      'migrate_pages',
      'lru_cache_enable', // do_pages_move() ends the lru_cache_disable() it began with
    ]);
    const at = (fn: string, n = 0): Step => steps.filter((x) => x.fn === fn)[n]!;
    // folio_isolate_lru(): 2 mappings + the isolation reference (mm/vmscan.c: folio_get).
    expect(rm(at('folio_isolate_lru'))).toEqual(['folio_isolate_lru', 3, 2]);
    // alloc_migration_target(): a new folio with refcount 1 (set_page_refcounted).
    expect(at('alloc_migration_target').after[1]).toMatchObject({ refcount: 1, mapcount: 0 });
    // try_to_migrate_one(): folio_remove_rmap_pte() and folio_put() per PTE.
    expect(rm(at('try_to_migrate_one', 0))).toEqual(['try_to_migrate_one', 2, 1]);
    expect(rm(at('try_to_migrate_one', 1))).toEqual(['try_to_migrate_one', 1, 0]);
    // __migrate_folio(): expected = folio_expected_ref_count() (0: anon, unmapped) + 1.
    expect(at('migrate_folio').text).toMatch(/refcount 1 == expected 1/);
    // remove_migration_pte(): folio_get() and the rmap per restored PTE, on dst.
    expect(rm(at('remove_migration_pte', 0), 1)).toEqual(['remove_migration_pte', 2, 1]);
    expect(rm(at('remove_migration_pte', 1), 1)).toEqual(['remove_migration_pte', 3, 2]);
    // migrate_folio_move(): folio_put(dst) drops the allocation reference.
    expect(rm(at('migrate_folio_move'), 1)).toEqual(['migrate_folio_move', 2, 2]);
    // migrate_folio_done(): the isolation reference was the last one on src.
    expect(at('migrate_folio_done').text).toMatch(/\(refcount 1 → 0\): the old folio is freed/);
    expect(at('migrate_pages', 1).result).toBe('0');
    expect(at('migrate_pages', 1).trace[0]).toBe('mm_migrate_pages: nr_succeeded=1 nr_failed=0 nr_thp_succeeded=0 nr_thp_failed=0 nr_thp_split=0 nr_split=0 mode=MIGRATE_SYNC reason=syscall_or_cpuset');
  });

  test('afterwards both processes map the new page, the old one is free, and every invariant holds', () => {
    const src = steps[0]!.pfns[0]!.pfn;
    const dst = steps.find((x) => x.fn === 'alloc_migration_target')!.pfns[1]!.pfn;
    expect(checkInvariants(s.k)).toEqual([]);
    const d = inspectPage(s.k, dst);
    expect(d.refcount).toBe(2);
    expect(d.folioMapcount).toBe(2);
    expect(d.ptes).toHaveLength(2);
    // The old page is free on the migrating CPU's per-CPU list: nobody holds a reference.
    expect(inspectPage(s.k, src).holders.filter((h) => h.refs > 0)).toEqual([]);
    expect(inspectPage(s.k, src).pcp).toBeDefined();
    // No PTE anywhere still points at the old page.
    for (const vma of s.k.vm.vmas) for (const v of vma.pte.a) if (v) expect(ptePfn(v)).not.toBe(src);
  });

  test('in the middle, after unmapping, both PTEs are migration entries and src is locked', () => {
    const s2 = openSession(findPreset('lru-anon')!.scenario);
    runToEnd(s2.t);
    const unmapped = allSteps(s2.t).find((x) => x.fn === 'migrate_folio_unmap' && x.result === '0')!;
    seek(s2.t, unmapped.id);
    const src = unmapped.pfns[0]!.pfn;
    const d = inspectPage(s2.k, src);
    expect(d.flags).toContain('locked');
    expect(d.ptes.every((p) => p.endsWith('(migration entry)'))).toBe(true);
    expect(d.ptes).toHaveLength(2);
    expect(checkInvariants(s2.k)).toEqual([]);
  });
});

describe('lru-file: page cache, one folio mapped twice and one dirty', () => {
  const { steps, s } = run('lru-file');
  const at = (fn: string, n = 0): Step => steps.filter((x) => x.fn === fn)[n]!;
  test('isolation adds one reference to cache + mappings', () => {
    expect(rm(at('folio_isolate_lru', 0))).toEqual(['folio_isolate_lru', 4, 2]); // cache 1 + 2 PTEs + isolation
    expect(rm(at('folio_isolate_lru', 1))).toEqual(['folio_isolate_lru', 3, 1]); // cache 1 + 1 PTE + isolation
  });
  test('the refcount is frozen at the expected count under the i_pages lock, then unfrozen minus the cache refs', () => {
    // filemap_migrate_folio → __migrate_folio: expected = cache 1 + mapcount 0 + 1.
    expect(at('filemap_migrate_folio', 0).text).toMatch(/refcount 2 == expected 2/);
    const freeze = at('folio_ref_freeze', 0);
    expect(freeze.text).toMatch(/refcount 2 == expected 2, frozen to 0/);
    expect(freeze.after[0]!.refcount).toBe(0);
    // __folio_migrate_mapping: dst gets the cache reference (1 + 1), src is unfrozen at 2 - 1.
    const move = at('__folio_migrate_mapping', 0);
    expect(move.after.map((a) => a.refcount)).toEqual([1, 2]);
    expect(at('__folio_migrate_mapping', 1).text).toMatch(/PG_dirty moved to dst/);
  });
  test('both migrate; the cache points at the new folios and nothing is lost', () => {
    expect(at('migrate_pages', 1).trace[0]).toMatch(/^mm_migrate_pages: nr_succeeded=2 nr_failed=0 /);
    expect(checkInvariants(s.k)).toEqual([]);
    for (const n of [0, 1]) {
      const dst = at('alloc_migration_target', n).pfns[1]!.pfn;
      const d = inspectPage(s.k, dst);
      expect(d.mapping).toMatch(/^address_space of /);
      expect(d.holders.some((h) => h.what.startsWith('page cache of'))).toBe(true);
    }
  });
});

describe('failure paths end with the kernel result, the folio back where it was, invariants intact', () => {
  test('pinned-eagain: FOLL_GET fails the refcount check 10 times; FOLL_PIN is caught in try_to_migrate; both migrate once unpinned', () => {
    const { steps, s } = run('pinned-eagain');
    const checks = steps.filter((x) => x.fn === 'migrate_folio' && x.result === '-EAGAIN');
    expect(checks).toHaveLength(3 + 7); // 3 async passes + 7 sync passes (NR_MAX_MIGRATE_*_RETRY)
    expect(checks[0]!.text).toMatch(/refcount 2, expected 1 .*FOLL_GET/);
    const busy = steps.filter((x) => x.fn === 'try_to_migrate_one' && x.result === 'false' && /returns -EBUSY/.test(x.text));
    expect(busy).toHaveLength(3 + 7);
    const ends = steps.filter((x) => x.fn === 'migrate_pages' && x.phase === 'done');
    expect(ends.map((x) => x.result)).toEqual(['2', '0']);
    expect(ends[0]!.trace[0]).toMatch(/nr_succeeded=0 nr_failed=2 /);
    expect(steps.filter((x) => x.fn === 'folio_putback_lru')).toHaveLength(2);
    expect(checkInvariants(s.k)).toEqual([]);
  });

  test('pinned-eagain: the pinned page stays mapped and readable by its process while pinned', () => {
    const s = openSession(findPreset('pinned-eagain')!.scenario);
    runToEnd(s.t);
    const putback = allSteps(s.t).filter((x) => x.fn === 'folio_putback_lru');
    seek(s.t, putback.at(-1)!.id);
    for (const st of putback) {
      const pfn = st.pfns[0]!.pfn;
      const d = inspectPage(s.k, pfn);
      expect(d.ptes.length).toBeGreaterThan(0);
      expect(d.ptes.some((p) => p.includes('migration entry'))).toBe(false);
      expect(d.flags).toContain('lru');
      // The PTE still points at this very page (present).
      const hits = s.k.vm.vmas.flatMap((v) => Array.from(v.pte.a).filter((x) => x && ptePfn(x) === pfn));
      expect(hits.every(ptePresent)).toBe(true);
    }
    expect(checkInvariants(s.k)).toEqual([]);
  });

  test('race: the second migrator finds PG_lru clear and backs off; the folio migrates once', () => {
    const { steps, s } = run('race');
    const iso = steps.filter((x) => x.fn === 'folio_isolate_lru');
    expect(iso.map((x) => x.result)).toEqual(['true', 'false']);
    expect(iso[1]!.text).toMatch(/PG_lru is already clear/);
    expect(steps.filter((x) => x.trace.some((t) => t.startsWith('mm_migrate_pages:')))).toHaveLength(1);
    expect(steps.find((x) => x.task.endsWith('1') && x.fn === 'migrate_pages')!.text).toMatch(/nothing was isolated/);
    expect(checkInvariants(s.k)).toEqual([]);
  });

  test('race: a dirty PTE dirties the folio as it is unmapped, so the destination is PG_dirty and its restored PTE dirty', () => {
    const { steps, s } = run('race');
    const unmap = steps.find((x) => x.fn === 'try_to_migrate_one')!;
    expect(unmap.text).toMatch(/dirty.*folio_mark_dirty\(\)/);
    // try_to_migrate_one(): pte_dirty(pteval) → folio_mark_dirty(); folio_migrate_flags() copies it.
    const dst = steps.find((x) => x.fn === 'alloc_migration_target')!.pfns[1]!.pfn;
    expect(testPageFlag(s.k, dst, PG.dirty)).toBe(true);
    // remove_migration_pte(): folio_test_dirty() && is_migration_entry_dirty() → pte_mkdirty().
    const ptes = s.k.vm.vmas.flatMap((v) => Array.from(v.pte.a).filter((x) => ptePresent(x) && ptePfn(x) === dst));
    expect(ptes).toHaveLength(1);
    expect(pteBits(ptes[0]!) & PTE_DIRTY).toBe(PTE_DIRTY);
    // _PAGE_DIRTY (0x40) in the PTE remove_migration_pte prints.
    const line = steps.find((x) => x.fn === 'remove_migration_pte')!.trace[0]!;
    expect(BigInt('0x' + /pte=([0-9a-f]+)/.exec(line)![1]) & 0x40n).toBe(0x40n);
  });

  test('writeback-async: -EBUSY in MIGRATE_ASYNC, then MIGRATE_SYNC waits and migrates', () => {
    const { steps, s } = run('writeback-async');
    expect(steps.some((x) => x.result === '-EBUSY' && /under writeback/.test(x.text))).toBe(true);
    expect(steps.some((x) => x.fn === 'folio_wait_writeback')).toBe(true);
    const ends = steps.filter((x) => x.fn === 'migrate_pages' && x.phase === 'done').map((x) => x.result);
    expect(ends).toEqual(['1', '0']);
    expect(checkInvariants(s.k)).toEqual([]);
  });

  test('enomem: no destination in DMA, migrate_pages() returns -ENOMEM and the folio is put back', () => {
    const { steps, s } = run('enomem');
    const end = steps.filter((x) => x.fn === 'migrate_pages' && x.phase === 'done')[0]!;
    expect(end.result).toBe('-ENOMEM');
    expect(steps.some((x) => x.result === '-ENOMEM' && /finds no free order-0 folio/.test(x.text))).toBe(true);
    expect(steps.filter((x) => x.fn === 'folio_putback_lru')).toHaveLength(1);
    expect(checkInvariants(s.k)).toEqual([]);
  });

  test('lru-thp: a 512-page folio migrates whole and is counted as a THP', () => {
    const { steps, s } = run('lru-thp');
    const end = steps.filter((x) => x.fn === 'migrate_pages' && x.phase === 'done')[0]!;
    expect(end.trace[0]).toMatch(/nr_succeeded=528 nr_failed=0 nr_thp_succeeded=1 /);
    // One migration entry per PTE: the mapcounts at isolation (the mTHP is shared with a fork).
    const mapped = steps.filter((x) => x.fn === 'folio_isolate_lru').reduce((n, x) => n + x.after[0]!.mapcount, 0);
    expect(mapped).toBe(2 * 16 + 512);
    expect(steps.filter((x) => x.fn === 'try_to_migrate_one')).toHaveLength(mapped);
    expect(steps.filter((x) => x.fn === 'remove_migration_pte')).toHaveLength(mapped);
    expect(checkInvariants(s.k)).toEqual([]);
  });
});

describe('thp-split: no destination of the folio order', () => {
  test('the THP is split into 512 order-0 folios which migrate; counted as the kernel counts', () => {
    const { steps, s } = run('thp-split');
    const split = steps.find((x) => x.fn === 'try_split_folio')!;
    // can_split_folio(): refcount = 512 mappings + 1 isolation.
    expect(split.after[0]).toMatchObject({ refcount: 513, mapcount: 512 });
    const done = steps.find((x) => x.fn === '__split_unmapped_folio')!;
    expect(done.after[0]).toMatchObject({ refcount: 1, mapcount: 0 });
    const end = steps.find((x) => x.trace.some((t) => t.startsWith('mm_migrate_pages:')))!;
    expect(end.trace.find((t) => t.startsWith('mm_migrate_pages:'))).toBe('mm_migrate_pages: nr_succeeded=512 nr_failed=0 nr_thp_succeeded=0 nr_thp_failed=1 nr_thp_split=1 nr_split=1 mode=MIGRATE_SYNC reason=syscall_or_cpuset');
    // Every piece found an order-0 destination in DMA and was remapped; migrate_pages() returns 0
    // because the from list ended empty.
    expect(end.result).toBe('0');
    expect(steps.filter((x) => x.fn === 'migrate_folio_done')).toHaveLength(512);
    expect(checkInvariants(s.k)).toEqual([]);
  });
});

describe('migrate-process: migrate_pages(2) over a whole process', () => {
  test('every folio the process maps is migrated, in batches of at most 512 pages, and it keeps all its mappings', () => {
    const { steps, s } = run('migrate-process');
    const isolated = steps.filter((x) => x.fn === 'folio_isolate_lru' && x.result === 'true');
    const pages = isolated.reduce((n, x) => n + (x.pfns[0]!.nr ?? 1), 0);
    const ends = steps.filter((x) => x.trace.some((t) => t.startsWith('mm_migrate_pages:')));
    expect(ends).toHaveLength(1);
    const m = /nr_succeeded=(\d+) nr_failed=(\d+)/.exec(ends[0]!.trace.find((t) => t.startsWith('mm_migrate_pages:'))!)!;
    expect(Number(m[1]) + Number(m[2])).toBe(pages);
    // NR_MAX_BATCHED_MIGRATION: each batch's first unmap pass covers at most 512 pages' worth of folios.
    for (const b of steps.filter((x) => x.fn === 'migrate_pages_batch' && / pass 1 of /.test(x.text))) {
      expect(b.pfns.reduce((n, p) => n + (p.nr ?? 1), 0)).toBeLessThanOrEqual(512 + 511);
    }
    expect(checkInvariants(s.k)).toEqual([]);
  });
});

describe('footprint per page', () => {
  const { steps } = run('lru-anon');
  const names = (m: number): string[] => footprintFields(m);
  test('the refcount check reads the source page\'s _refcount, _mapcount and mapping; the mapping switch writes dst mapping and index', () => {
    const check = steps.find((x) => x.fn === 'migrate_folio')!;
    const src = check.footprint.pages.find((p) => p.role === 'src')!;
    expect(names(src.reads)).toEqual(expect.arrayContaining(['_refcount', '_mapcount', 'mapping']));
    expect(src.writes).toBe(0);
    const move = steps.find((x) => x.fn === '__folio_migrate_mapping')!;
    const dst = move.footprint.pages.find((p) => p.role === 'dst')!;
    expect(names(dst.writes)).toEqual(expect.arrayContaining(['mapping', 'index']));
    expect(move.footprint.pages.find((p) => p.role === 'src')!.writes).toBe(0);
  });
  test('isolation writes PG_lru (flags), the lru links and _refcount of the source', () => {
    const iso = steps.find((x) => x.fn === 'folio_isolate_lru')!;
    expect(names(iso.footprint.pages[0]!.writes)).toEqual(['flags', 'lru', '_refcount']);
  });
});

describe('partially mapped large folios (the deferred split queue)', () => {
  test('migrate_pages_batch() splits a partially mapped mTHP on the queue before migrating it; mlocked areas keep their pages', () => {
    const s = openSession(parseScenario({
      v: 1, memory: { pfns: 8192 }, seed: 7, populate: { processes: 6, files: 12, largeAnon: 1, mlocked: 1 },
      actions: [{ type: 'madvise', advice: 'dontneed', fraction: 0.2, seed: 3 }, { type: 'migrate', process: 7, mode: 'sync', reason: 'syscall_or_cpuset' }],
    }));
    runToEnd(s.t);
    const steps = allSteps(s.t);
    const splits = steps.filter((x) => x.fn === 'migrate_pages_batch' && /deferred split queue/.test(x.text));
    expect(splits.length).toBeGreaterThan(0);
    seek(s.t, splits[0]!.id);
    expect(inspectPage(s.k, splits[0]!.pfns[0]!.pfn).deferredSplit).toBe(true);
    seek(s.t, steps.length);
    // Every folio so split was split, not migrated whole: its pieces follow as order-0 folios.
    for (const sp of splits) expect(steps.some((x) => x.id > sp.id && x.fn === 'try_split_folio' && x.pfns[0]!.pfn === sp.pfns[0]!.pfn)).toBe(true);
    // The mlockall() process's heap is VM_LOCKED: MADV_DONTNEED leaves it alone (can_madv_lru_vma).
    const madv = steps.filter((x) => x.fn === 'madvise_dontneed_single_vma');
    expect(madv.some((x) => x.text.includes(`pid ${s.k.vm.mms[0]!.pid}`))).toBe(false);
    expect(checkInvariants(s.k)).toEqual([]);
  }, 120_000);
});
