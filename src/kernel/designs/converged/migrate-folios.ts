// Design "converged" — Alistair Popple's proposal in the PageOffline thread: one migration path
// for LRU folios and non-LRU movable pages that keeps migrate_pages()' logic (the same isolation
// guards, the same refcount check against folio_expected_ref_count() + 1, the same -EAGAIN passes)
// but tracks the pages in src[]/dst[] arrays of MIGRATE_PFN_* entries, as migrate_vma_*() does,
// instead of lists threaded through page->lru — a large folio one entry (MIGRATE_PFN_COMPOUND).
// The phases are migrate_vma_*()'s: collect, unmap, allocate destinations, move (refcount check,
// copy, mapping), remap, finalize. A proposal: the thread named no functions, so these follow
// migrate_vma_setup()/pages()/finalize() with "folios" (migrate_folios_*), and each step says so.

import { PG, PGTY } from '../../flags';
import { pageZone, type Kernel } from '../../kernel';
import { folio_mapcount, folio_mapped, folio_put, folio_ref_count } from '../../folio';
import { clearPageFlag, folio_nr_pages, setPageFlag, testPageFlag } from '../../memmap';
import { page_has_movable_ops } from '../../balloon';
import { isZoneDevice } from '../../device';
import { addHolder, HOLD, removeHolder } from '../../pins';
import { remove_migration_ptes, try_to_migrate } from '../../migrate-rmap';
import { folio_end_writeback } from '../../filemap';
import {
  add_lru_and_remap, countMigrateEvents, EAGAIN, EBUSY, ENOMEM, errName, MIGRATE_MODE, migrate_movable_ops_page, MODE_NAMES, move_to_new_folio, MR, MR_NAMES,
  type MigrateCtx, type MigrateMode, type MigrateReason, type MigrateResult, type MigrateStats, type NewFolioSource,
} from '../../migrate';
import { drainBeforeIsolating, type MigrateSpec } from '../../migrate-paths';
import { targetFor } from './targets';
import { lru_cache_enable } from '../../swap';
import { mod_node_page_state, NS } from '../../vmstat';
import { mkStep, type Steps } from '../../step';
import type { PfnArrayOutcome } from '../types';
import { bytesText, trackingCost } from '../tracking';
import { split_folio_to_list } from '../../huge_memory';
import { folioListPfns, newFolioList } from '../../isolate';
import { listDel } from '../../list';
import { FOLIO_LIST } from '../../folio-lists';
import { migrate_folios_collect, migrate_folios_putback, PROPOSAL, type FolioArrays, type Stage } from './collect';
import { entryPfn, entryText, migrate_pfn, MIGRATE_PFN_COMPOUND, MIGRATE_PFN_MIGRATE } from './entries';

// mm/migrate.c: the pass counts migrate_pages() retries -EAGAIN with: MIGRATE_ASYNC first (3
// passes), then the caller's mode for the rest of NR_MAX_MIGRATE_PAGES_RETRY (10).
const NR_MAX_MIGRATE_PAGES_RETRY = 10;
const NR_MAX_MIGRATE_ASYNC_RETRY = 3;
const NR_MAX_BATCHED_MIGRATION = 512;
const PAGE_WAS_MAPPED = 1;
const PAGE_WAS_MLOCKED = 2;

interface Run {
  readonly c: MigrateCtx;
  readonly a: FolioArrays;
  readonly who: string;
}

const srcOf = (r: Run, i: number): number => entryPfn(r.a.src[i]!);
const nrOf = (r: Run, i: number): number => 1 << r.a.order[i]!;
const refs = (k: Kernel, f: number): string => `refcount ${folio_ref_count(k, f)}, mapcount ${folio_mapcount(k, f)}`;
const say = (r: Run, i: number): string => `${PROPOSAL}, ${r.who}: entry ${i} (${entryText(r.a.src[i]!, r.a.order[i])})`;

// Proposal: migrate_folios_unmap() for one entry — migrate_folio_unmap()'s guards without its
// allocation (the destination comes after, for the whole array, as migrate_vma's driver does):
// the trylock (MIGRATE_ASYNC and PF_MEMALLOC do not wait), writeback (-EBUSY unless MIGRATE_SYNC),
// try_to_migrate() for a mapped folio; a movable_ops page is only locked.
function* migrate_folios_unmap(r: Run, i: number, mode: MigrateMode): Steps<number> {
  const { k } = r.c;
  const src = srcOf(r, i);
  const nr = nrOf(r, i);
  const pfns = [{ pfn: src, role: 'src' as const, nr }];
  if (testPageFlag(k, src, PG.locked)) {
    const why = mode === MIGRATE_MODE.ASYNC ? 'MIGRATE_ASYNC does not wait for it' : r.c.pfMemalloc ? 'direct compaction (PF_MEMALLOC) must not sleep on it' : '';
    if (why) {
      yield mkStep(k, { phase: 'unmap', fn: 'folio_trylock', file: 'mm/migrate.c', text: `${say(r, i)}: locked by someone else and ${why}: -EAGAIN, the entry stays for the next pass`, pfns, result: '-EAGAIN' });
      return EAGAIN;
    }
    while (testPageFlag(k, src, PG.locked)) yield mkStep(k, { phase: 'unmap', fn: 'folio_lock', file: 'mm/filemap.c', text: `${say(r, i)}: locked by someone else: ${r.who} sleeps until it is unlocked`, pfns });
  }
  setPageFlag(k, src, PG.locked);
  if (testPageFlag(k, src, PG.writeback)) {
    if (mode !== MIGRATE_MODE.SYNC) {
      clearPageFlag(k, src, PG.locked);
      yield mkStep(k, { phase: 'unmap', fn: 'migrate_folios_unmap', file: '', text: `${say(r, i)}: under writeback and only MIGRATE_SYNC waits for it (${MODE_NAMES[mode]}): -EBUSY, a permanent failure`, pfns, result: '-EBUSY' });
      return EBUSY;
    }
    folio_end_writeback(k, src); // folio_wait_writeback(): the I/O completes while we sleep
    yield mkStep(k, { phase: 'unmap', fn: 'folio_wait_writeback', file: 'mm/page-writeback.c', text: `${say(r, i)}: under writeback: MIGRATE_SYNC sleeps until the I/O completes`, pfns });
  }
  r.a.was[i] = testPageFlag(k, src, PG.mlocked) ? PAGE_WAS_MLOCKED : 0;
  if (page_has_movable_ops(k, src)) {
    yield mkStep(k, { phase: 'unmap', fn: 'migrate_folios_unmap', file: '', text: `${say(r, i)}: a movable_ops page, locked; not mapped, nothing to unmap (${refs(k, src)})`, pfns, result: '0' });
    return 0;
  }
  if (folio_mapped(k, src)) {
    const maps = folio_mapcount(k, src);
    const t = try_to_migrate(k, src);
    r.a.was[i]! |= PAGE_WAS_MAPPED;
    yield mkStep(k, { phase: 'unmap', fn: 'migrate_folios_unmap', file: '', text: `${say(r, i)}: locked; try_to_migrate() replaces its ${maps} PTE mapping(s) with migration entries${nr > 1 ? ` — all ${nr} pages under the one entry` : ''}`, pfns });
    for (const s of t.steps) yield s;
  }
  if (folio_mapped(k, src)) {
    if (r.a.was[i]! & PAGE_WAS_MAPPED) for (const s of remove_migration_ptes(k, src, src)) yield s;
    clearPageFlag(k, src, PG.locked);
    yield mkStep(k, { phase: 'unmap', fn: 'migrate_folios_unmap', file: '', text: `${say(r, i)}: still mapped after try_to_migrate(): -EAGAIN, its PTEs restored and unlocked for the next pass`, pfns, result: '-EAGAIN' });
    return EAGAIN;
  }
  yield mkStep(k, { phase: 'unmap', fn: 'migrate_folios_unmap', file: '', text: `${say(r, i)}: unmapped (${refs(k, src)}); ${r.a.was[i]! & PAGE_WAS_MAPPED ? 'PAGE_WAS_MAPPED' : 'was not mapped'} kept beside the entry, not in dst->private`, pfns, result: '0' });
  return 0;
}

// Proposal: migrate_folios_alloc() — dst[i] for every unmapped entry, of the entry's order, from
// the caller's get_new_folio (alloc_migration_target, or compaction_alloc for reason compaction).
// No destination: the entry loses MIGRATE (this model does not split a compound entry then).
function* migrate_folios_alloc(r: Run, i: number, target: NewFolioSource): Steps<boolean> {
  const { k } = r.c;
  const src = srcOf(r, i);
  const nr = nrOf(r, i);
  const d = target.get(k, src);
  if (d < 0) {
    r.a.src[i] = r.a.src[i]! & ~MIGRATE_PFN_MIGRATE;
    yield mkStep(k, { phase: 'alloc', fn: 'migrate_folios_alloc', file: '', text: `${say(r, i)}: ${target.name} finds no free order-${r.a.order[i]} folio: -ENOMEM, MIGRATE cleared (a compound entry is not split in this model)`, pfns: [{ pfn: src, role: 'src', nr }], result: '-ENOMEM' });
    return false;
  }
  addHolder(k.st, k.pins, d, HOLD.MIGRATE_NEW);
  setPageFlag(k, d, PG.locked);
  r.a.dst[i] = migrate_pfn(d) | (r.a.src[i]! & MIGRATE_PFN_COMPOUND); // dst[] carries VALID and the size, not MIGRATE
  yield mkStep(k, {
    phase: 'alloc', fn: 'migrate_folios_alloc', file: '',
    text: `${say(r, i)}: dst[${i}] = ${entryText(r.a.dst[i]!, r.a.order[i])}, a new order-${r.a.order[i]} folio from ${target.name} in zone ${k.zones[pageZone(k, d)]!.name}, locked (refcount ${folio_ref_count(k, d)})`,
    pfns: [{ pfn: src, role: 'src', nr }, { pfn: d, role: 'dst', nr }],
  });
  return true;
}

// Proposal: migrate_folios_move() for one entry — move_to_new_folio() (the refcount check, the copy,
// the mapping) or the movable_ops page's migrate_page(); then, on success, the LRU add and the
// remap, and the references dropped by index.
function* migrate_folios_move(r: Run, i: number, mode: MigrateMode): Steps<number> {
  const { k } = r.c;
  const src = srcOf(r, i);
  const dst = entryPfn(r.a.dst[i]!);
  const nr = nrOf(r, i);
  const movable = page_has_movable_ops(k, src);
  const rc = movable ? yield* migrate_movable_ops_page(k, dst, src) : yield* move_to_new_folio(r.c, dst, src, mode);
  if (rc === EAGAIN) {
    yield mkStep(k, { phase: 'refcount', fn: 'migrate_folios_move', file: '', text: `${say(r, i)}: -EAGAIN: src and dst stay locked in their entries for the next pass (no list to move them between)`, pfns: [{ pfn: src, role: 'src', nr }, { pfn: dst, role: 'dst', nr }], result: '-EAGAIN' });
    return rc;
  }
  if (rc) {
    yield* undo(r, i);
    return rc;
  }
  if (!movable) yield* add_lru_and_remap(r.c, src, dst, r.a.was[i]!);
  clearPageFlag(k, dst, PG.locked);
  removeHolder(k.st, k.pins, dst, HOLD.MIGRATE_NEW);
  const dref = folio_ref_count(k, dst);
  folio_put(k, dst);
  clearPageFlag(k, src, PG.locked);
  const device = isZoneDevice(k, src); // never counted in NR_ISOLATED; its last put is page_free()
  if (!movable && !device && r.c.reason !== MR.DEMOTION) mod_node_page_state(k, testPageFlag(k, src, PG.swapbacked) ? NS.NR_ISOLATED_ANON : NS.NR_ISOLATED_FILE, -nr);
  const sref = folio_ref_count(k, src);
  removeHolder(k.st, k.pins, src, HOLD.ISOLATED);
  folio_put(k, src);
  r.a.at[i] = 'moved';
  yield mkStep(k, {
    phase: 'remap', fn: 'migrate_folios_finalize', file: '',
    text: `${say(r, i)} → dst[${i}] done: both unlocked; dst's allocation reference dropped (refcount ${dref} → ${dref - 1}), src's ${device ? 'collect' : 'isolation'} reference dropped (refcount ${sref} → ${sref - 1}${sref === 1 ? (device ? ': page_free() gives the device page back to the driver' : ': freed') : ''})`,
    pfns: [{ pfn: src, role: 'src', nr }, { pfn: dst, role: 'dst', nr }],
  });
  return 0;
}

/** An unmapped entry that will not migrate: its PTEs back, src unlocked, dst given back, then put back. */
function* undo(r: Run, i: number): Steps<void> {
  const { k } = r.c;
  const src = srcOf(r, i);
  const dst = entryPfn(r.a.dst[i]!);
  if (r.a.was[i]! & PAGE_WAS_MAPPED) for (const s of remove_migration_ptes(k, src, src)) yield s;
  clearPageFlag(k, src, PG.locked);
  if (dst >= 0) {
    clearPageFlag(k, dst, PG.locked);
    removeHolder(k.st, k.pins, dst, HOLD.MIGRATE_NEW);
    if (r.c.target.put) r.c.target.put(k, dst);
    else folio_put(k, dst);
    r.a.dst[i] = 0;
  }
  r.a.src[i] = r.a.src[i]! & ~MIGRATE_PFN_MIGRATE;
}

// Proposal: migrate_folios_split() — a compound entry with no destination of its order is split
// as try_split_folio() splits it (the folio lock held, split_folio_to_list()): entry i now names the
// head as an order-0 folio and the other pieces are appended to the array as entries of their own.
// The model's split hands the pieces over on a temporary list, which the design empties at once.
function* migrate_folios_split(r: Run, i: number, batch: number[]): Steps<boolean> {
  const { k } = r.c;
  const head = srcOf(r, i);
  const nr = nrOf(r, i);
  if (testPageFlag(k, head, PG.locked)) return false;
  setPageFlag(k, head, PG.locked);
  const pieces = newFolioList(k, FOLIO_LIST.split_folios);
  const rc = yield* split_folio_to_list(k, head, pieces);
  clearPageFlag(k, head, PG.locked);
  if (rc) return false;
  const first = r.a.src.length;
  r.a.src[i] = migrate_pfn(head) | MIGRATE_PFN_MIGRATE;
  r.a.order[i] = 0;
  for (const p of folioListPfns(k, pieces)) {
    listDel(k, k.lists, pieces, p);
    batch.push(r.a.src.length);
    r.a.src.push(migrate_pfn(p) | MIGRATE_PFN_MIGRATE);
    r.a.dst.push(0);
    r.a.order.push(0);
    r.a.was.push(0);
    r.a.at.push('collected');
  }
  yield mkStep(k, {
    phase: 'split', fn: 'migrate_folios_split', file: '',
    text: `${PROPOSAL}, ${r.who}: no order-${Math.log2(nr)} destination: the compound entry ${i} is split like try_split_folio() splits it — src[${i}] = ${entryText(r.a.src[i]!)} (the head, order 0 now), src[${first}..${r.a.src.length - 1}] the other ${nr - 1} pieces: the array grows by ${nr - 1} entries (${bytesText(2 * 8 * (nr - 1))}), where migrate_vma_*()'s array had them all along`,
    pfns: [{ pfn: head, role: 'src', nr }],
  });
  return true;
}

/** Batches of entries, each up to NR_MAX_BATCHED_MIGRATION (512) pages — the entry that reaches it included — as migrate_pages() cuts its list. */
function batches(r: Run): number[][] {
  const out: number[][] = [];
  let cur: number[] = [];
  let pages = 0;
  for (let i = 0; i < r.a.src.length; i++) {
    cur.push(i);
    pages += nrOf(r, i);
    if (pages >= NR_MAX_BATCHED_MIGRATION) {
      out.push(cur);
      cur = [];
      pages = 0;
    }
  }
  if (cur.length) out.push(cur);
  return out;
}

interface Tally {
  thpSplit: number;
  /** An entry found no destination (and could not be split): compaction stops, as on migrate_pages()' -ENOMEM. */
  enomem: boolean;
}

// Proposal: migrate_folios_batch() — up to 10 passes of unmap → allocate → move over the batch's
// entries still MIGRATE. Under MIGRATE_SYNC(_LIGHT) the first 3 run in MIGRATE_ASYNC and an entry
// that fails there for good (-EBUSY) waits for the caller's mode, as migrate_pages_sync() retries
// the async batch's failures; then what is left is undone and put back.
function* migrate_folios_batch(r: Run, batch: number[], mode: MigrateMode, target: NewFolioSource, tally: Tally): Steps<void> {
  const { k } = r.c;
  const a = r.a;
  const live = (st: Stage): number[] => batch.filter((i) => a.at[i] === st).sort((x, y) => x - y);
  const deferred = new Set<number>();
  for (let pass = 0; pass < NR_MAX_MIGRATE_PAGES_RETRY && (live('collected').length || live('unmapped').length); pass++) {
    const pmode = mode !== MIGRATE_MODE.ASYNC && pass < NR_MAX_MIGRATE_ASYNC_RETRY ? MIGRATE_MODE.ASYNC : mode;
    const prelude = pmode !== mode;
    const todo = tally.enomem ? [] : live('collected').filter((i) => !(prelude && deferred.has(i)));
    if (!todo.length && !live('unmapped').length) continue;
    const over = [...todo, ...live('unmapped')].sort((x, y) => x - y);
    yield mkStep(k, {
      phase: 'unmap', fn: 'migrate_folios_batch', file: '',
      text: `${PROPOSAL}, ${r.who}: pass ${pass + 1} of at most ${NR_MAX_MIGRATE_PAGES_RETRY} (${MODE_NAMES[pmode]}) over entries [${over.join(', ')}] — indices into src[], no list`,
      pfns: over.map((i) => ({ pfn: srcOf(r, i), role: 'src' as const, nr: nrOf(r, i) })),
    });
    for (const i of todo) {
      if (tally.enomem) break; // -ENOMEM: no more unmapping; what is unmapped still moves
      const rc = yield* migrate_folios_unmap(r, i, pmode);
      if (rc === 0 && (yield* migrate_folios_alloc(r, i, target))) a.at[i] = 'unmapped';
      else if (rc === 0) {
        yield* undo(r, i);
        const thp = a.order[i] === 9;
        // 6.18 splits a large folio it finds no destination for, except for a NUMA hinting fault.
        if (a.order[i]! > 0 && r.c.reason !== MR.NUMA_MISPLACED && (yield* migrate_folios_split(r, i, batch))) tally.thpSplit += thp ? 1 : 0;
        else {
          tally.enomem = true;
          yield* migrate_folios_putback(k, a, i, r.who, '-ENOMEM');
        }
      } else if (rc !== EAGAIN && prelude) deferred.add(i);
      else if (rc !== EAGAIN) {
        a.src[i] = a.src[i]! & ~MIGRATE_PFN_MIGRATE;
        yield* migrate_folios_putback(k, a, i, r.who, errName(rc));
      }
    }
    for (const i of live('unmapped')) {
      const rc = yield* migrate_folios_move(r, i, pmode);
      if (!rc || rc === EAGAIN) continue;
      if (prelude) {
        a.src[i] = a.src[i]! | MIGRATE_PFN_MIGRATE; // undone, to be tried again in the caller's mode
        a.at[i] = 'collected';
        deferred.add(i);
      } else yield* migrate_folios_putback(k, a, i, r.who, errName(rc));
    }
  }
  // migrate_folios_finalize() for what the passes left: undone (PTEs back, dst given back), put back.
  for (const i of live('unmapped')) {
    yield* undo(r, i);
    yield* migrate_folios_putback(k, a, i, r.who, `still -EAGAIN after ${NR_MAX_MIGRATE_PAGES_RETRY} passes`);
  }
  for (const i of live('collected')) {
    a.src[i] = a.src[i]! & ~MIGRATE_PFN_MIGRATE;
    if (tally.enomem) yield* migrate_folios_putback(k, a, i, r.who, 'never tried: an -ENOMEM ended the migration first, as it ends migrate_pages()', 'left');
    else yield* migrate_folios_putback(k, a, i, r.who, `still -EAGAIN after ${NR_MAX_MIGRATE_PAGES_RETRY} passes`);
  }
}

/** What the passes did, for the counts and the callers' return values. */
interface Done {
  readonly stats: MigrateStats;
  readonly failedEntries: number;
  readonly enomem: boolean;
}

// Proposal: migrate_folios_finalize() — the batches' passes, then the counts (pgmigrate_*,
// thp_migration_*) and the closing step, as migrate_pages() ends.
function* migrate_folios_run(r: Run, mode: MigrateMode, target: NewFolioSource): Steps<Done> {
  const { k } = r.c;
  const a = r.a;
  const thps = a.order.filter((o) => o === 9).length;
  const tally: Tally = { thpSplit: 0, enomem: false };
  for (const batch of batches(r)) {
    if (!tally.enomem) yield* migrate_folios_batch(r, batch, mode, target, tally);
    else for (const i of batch) yield* migrate_folios_putback(k, a, i, r.who, 'never tried: an -ENOMEM ended the migration first', 'left');
  }
  const at = (st: Stage): number[] => a.at.flatMap((s, i) => (s === st ? [i] : []));
  const moved = at('moved');
  const failed = at('failed');
  const pages = (ix: number[]): number => ix.reduce((n, i) => n + nrOf(r, i), 0);
  const thp = (ix: number[]): number => ix.filter((i) => a.order[i] === 9).length;
  const stats: MigrateStats = {
    nr_succeeded: pages(moved), nr_failed_pages: pages(failed), nr_thp_succeeded: thp(moved),
    nr_thp_failed: thp(failed) + tally.thpSplit, nr_thp_split: tally.thpSplit, nr_split: tally.thpSplit,
  };
  countMigrateEvents(k, stats);
  yield mkStep(k, {
    phase: 'done', fn: 'migrate_folios_finalize', file: '',
    text: `${PROPOSAL}, ${r.who}: ${moved.length} of ${a.src.length} entries migrated (${pages(moved)} page(s)), ${failed.length} put back (${pages(failed)} page(s))${tally.thpSplit ? `, ${tally.thpSplit} of ${thps} THP entr${thps === 1 ? 'y' : 'ies'} split first` : ''}; src[]/dst[] freed — nothing was ever threaded through page->lru`,
    pfns: moved.map((i) => ({ pfn: entryPfn(a.dst[i]!), role: 'dst' as const, nr: nrOf(r, i) })),
    result: failed.length ? `nr_failed=${failed.length}` : '0',
    trace: [`mm_migrate_pages: nr_succeeded=${stats.nr_succeeded} nr_failed=${stats.nr_failed_pages} nr_thp_succeeded=${stats.nr_thp_succeeded} nr_thp_failed=${stats.nr_thp_failed} nr_thp_split=${stats.nr_thp_split} mode=${MODE_NAMES[mode]} reason=${MR_NAMES[r.c.reason]}`],
  });
  return { stats, failedEntries: failed.length, enomem: tally.enomem };
}

// Proposal: migrate_folios() — what a migrate action runs under the converged design: collect,
// then migrate_folios_batch() over batches of up to 512 pages, then the counts.
export function* migrate_folios(k: Kernel, spec: MigrateSpec, who: string): Steps<PfnArrayOutcome> {
  const disable = drainBeforeIsolating(k, spec.reason, who);
  const a = yield* migrate_folios_collect(k, spec.pfns, who);
  if (!a.src.length) {
    if (disable) lru_cache_enable(k);
    yield mkStep(k, { phase: 'done', fn: 'migrate_folios', file: '', text: `${PROPOSAL}, ${who}: no entry was collected: nothing to migrate`, pfns: [], result: '0' });
    return { migrated: 0, failed: 0 };
  }
  const pfMemalloc = spec.reason === MR.COMPACTION && spec.mode === MIGRATE_MODE.ASYNC;
  const { target, end } = targetFor(k, spec, who, a);
  const r: Run = { c: { k, target, reason: spec.reason, who, pfMemalloc }, a, who };
  const d = yield* migrate_folios_run(r, spec.mode, target);
  end();
  if (disable) lru_cache_enable(k, who);
  return { migrated: d.stats.nr_succeeded, failed: d.stats.nr_failed_pages };
}

// Proposal: migrate_pages() as compaction calls it under the converged design. The migrate
// scanner of this model still gathers cc->migratepages through page->lru (isolate_migratepages_block()
// is 6.18's); the design takes the folios off it into src[] at once — an assumption: a converged
// scanner would fill the array itself — and runs the same passes with compaction_alloc().
export function* migrate_folios_isolated(k: Kernel, list: number, target: NewFolioSource, mode: MigrateMode, reason: MigrateReason, who: string, pfMemalloc: boolean): Steps<MigrateResult> {
  const a: FolioArrays = { src: [], dst: [], order: [], was: [], at: [] };
  let left = 0;
  for (const f of folioListPfns(k, list)) {
    if (k.mem.pageType.a[f] === PGTY.hugetlb) {
      left++; // not on this path in this model: left on the list for the caller's putback
      continue;
    }
    listDel(k, k.lists, list, f);
    const nr = folio_nr_pages(k, f);
    a.src.push(migrate_pfn(f) | MIGRATE_PFN_MIGRATE | (nr > 1 ? MIGRATE_PFN_COMPOUND : 0));
    a.dst.push(0);
    a.order.push(nr > 1 ? Math.log2(nr) : 0);
    a.was.push(0);
    a.at.push('collected');
  }
  const nrs = a.order.map((o) => 1 << o);
  yield mkStep(k, {
    phase: 'isolate', fn: 'migrate_folios_collect', file: '',
    text: `${PROPOSAL}, ${who}: the ${a.src.length} folio(s) compaction isolated leave cc->migratepages for src[] (${bytesText(trackingCost('compound-array', nrs).bytes)} of entries; this model's migrate scanner still gathers them on the list first)`,
    pfns: a.src.map((e, j) => ({ pfn: entryPfn(e), role: 'src' as const, nr: nrs[j]! })),
  });
  const r: Run = { c: { k, target, reason, who, pfMemalloc }, a, who };
  const d = yield* migrate_folios_run(r, mode, target);
  return { rc: d.enomem ? ENOMEM : d.failedEntries + left, stats: d.stats };
}
