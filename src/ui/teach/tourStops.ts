// The refcount story's stops, found in the timeline rather than pinned to step numbers: the page
// history of the migrated source folio (the worker's timeline index: every computed step that
// touched it, with its phase) gives each phase's step, so the tour follows the engine when its
// steps change. The words are ours; the numbers come from the page as the inspector reads it at
// the stop and at the step the tour compares it with.
import type { HistoryMark, PageDetail, Phase } from '../../worker/protocol';
import { hex } from '../format';

export type TourTarget = 'inspector' | 'narration' | 'grid' | 'timeline';

/** What a stop's text is made from: the page at the stop (`now`) and at `from` (`before`). */
export interface StopValues {
  readonly src: number;
  readonly dst: number | null;
  readonly before: PageDetail;
  readonly now: PageDetail;
  /** The step's narration (a refcount step names folio_expected_ref_count's value). */
  readonly narration: string;
}

export interface TourStopDef {
  readonly phase: Phase;
  readonly title: string;
  /** Whose struct page the stop shows: the source, or the destination (once it is mapped). */
  readonly page: 'src' | 'dst';
  readonly target: TourTarget;
  readonly explain: (v: StopValues) => string;
}

/** A stop found in the timeline: its step, and the step its values are compared with. */
export interface TourStop {
  readonly def: TourStopDef;
  readonly step: number;
  readonly from: number;
}

const refs = (d: PageDetail): string => d.holders.map((h) => `${h.what} (+${h.refs})`).join('; ') || 'no one';
const change = (a: number, b: number): string => (a === b ? `stays ${b}` : `${a} → ${b}`);

/** folio_expected_ref_count()'s value and the count migrate_folio() wants, as the refcount step's narration gives them. */
export function expectedFromNarration(text: string): { readonly fn: number; readonly expected: number } | null {
  const m = /expected (\d+) \(folio_expected_ref_count (\d+)/.exec(text);
  return m ? { expected: Number(m[1]), fn: Number(m[2]) } : null;
}

export const TOUR_STOPS: readonly TourStopDef[] = [
  {
    phase: 'isolate',
    title: 'Isolation takes a reference',
    page: 'src',
    target: 'inspector',
    explain: (v) =>
      `folio_isolate_lru() clears PG_lru, so no one else can isolate ${hex(v.src)}, and takes a reference for the migration list: ` +
      `refcount ${change(v.before.refcount, v.now.refcount)}. The holders in the inspector add up to it: ${refs(v.now)}.`,
  },
  {
    phase: 'unmap',
    title: 'Unmap: PTEs become migration entries',
    page: 'src',
    target: 'narration',
    explain: (v) =>
      `try_to_migrate() replaced each PTE with a migration entry; each mapping gave back its reference: mapcount ` +
      `${change(v.before.folioMapcount, v.now.folioMapcount)}, refcount ${change(v.before.refcount, v.now.refcount)}. ` +
      `A fault on those addresses now waits until the migration ends.`,
  },
  {
    phase: 'refcount',
    title: 'The refcount check',
    page: 'src',
    target: 'inspector',
    explain: (v) => {
      const e = expectedFromNarration(v.narration);
      const want = e
        ? `folio_expected_ref_count() counts ${e.fn} (mappings, page cache, private data); with the isolation's 1 that makes ${e.expected}`
        : 'folio_expected_ref_count() (mappings, page cache, private data), plus 1 for the isolation';
      const ok = e ? v.now.refcount === e.expected : null;
      return `migrate_folio() moves the folio only if no one else holds a reference: ${want}. The refcount is ${v.now.refcount}` +
        (ok === null ? '.' : ok ? ', so no one else holds it and it can move.' : ': someone else holds a reference, so it cannot move now (-EAGAIN).');
    },
  },
  {
    phase: 'copy',
    title: 'Copy the contents',
    page: 'src',
    target: 'grid',
    explain: (v) =>
      `folio_mc_copy() copies the data of ${hex(v.src)} into ${v.dst === null ? 'the new folio' : hex(v.dst)} (the two outlined pages on the grid). ` +
      `Nothing maps the source now (mapcount ${v.now.folioMapcount}) and it is locked, so the contents cannot change under the copy.`,
  },
  {
    phase: 'remap',
    title: 'Remap to the new page',
    page: 'dst',
    target: 'inspector',
    explain: (v) =>
      `remove_migration_ptes() turned each migration entry into a PTE to ${v.dst === null ? 'the new folio' : hex(v.dst)}: its mapcount ` +
      `${change(v.before.folioMapcount, v.now.folioMapcount)}, refcount ${change(v.before.refcount, v.now.refcount)}, held by ` +
      `${refs(v.now)}: the allocation's reference is dropped once the PTEs are back.`,
  },
  {
    phase: 'free',
    title: 'The old page is freed',
    page: 'src',
    target: 'timeline',
    explain: (v) =>
      `Dropping the isolation reference drops the last one: refcount ${change(v.before.refcount, v.now.refcount)}, ` +
      `and ${hex(v.src)} goes back to the buddy allocator. The timeline's marks show where each phase you saw happened.`,
  },
];

/**
 * The step of each stop, from the source folio's history: the isolation; the last unmap step
 * before the refcount check (every PTE is a migration entry by then); the check; the first copy
 * after it; the last remap step before the free (every PTE is back); the free: the run of free
 * steps that begins after the copy, to its last (the one where the refcount reaches 0). Null when a phase is missing (the history is not that of a migrated folio).
 */
export function findStops(history: readonly HistoryMark[]): TourStop[] | null {
  const after = (phase: Phase, from: number) => history.find((m) => m.phase === phase && m.step > from)?.step ?? null;
  const lastBetween = (phase: Phase, from: number, to: number) =>
    history.filter((m) => m.phase === phase && m.step > from && m.step < to).at(-1)?.step ?? null;
  const isolate = after('isolate', 0);
  if (isolate === null) return null;
  const refcount = after('refcount', isolate);
  if (refcount === null) return null;
  const unmap = lastBetween('unmap', isolate, refcount);
  const copy = after('copy', refcount);
  if (unmap === null || copy === null) return null;
  const firstFree = history.findIndex((m) => m.phase === 'free' && m.step > copy);
  if (firstFree < 0) return null;
  let end = firstFree;
  while (history[end + 1]?.phase === 'free') end++;
  const free = history[end]!.step;
  const remap = lastBetween('remap', copy, history[firstFree]!.step);
  if (remap === null) return null;
  const steps = [isolate, unmap, refcount, copy, remap, free];
  return TOUR_STOPS.map((def, i) => ({ def, step: steps[i]!, from: i === 0 ? steps[0]! - 1 : steps[i - 1]! }));
}
