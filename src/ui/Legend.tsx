// Colour key of the PFN grid with page counts: the page states present in the current frame,
// then on a line of their own the four migration overlays (isolated, locked, under migration,
// pinned), listed even at 0 (greyed) because they are what a person watches for while stepping
// through a migration.
import { STATE_CLASSES, StateClass, type StateClassInfo } from '../kernel/classes';
import { formatCount } from './format';
import { selectMeta, useSim } from './state/store';
import './grid/grid.css';

const OVERLAYS: ReadonlySet<StateClass> = new Set([StateClass.Isolated, StateClass.Locked, StateClass.Migrating, StateClass.Pinned]);

/**
 * Short names so the key fits two or three lines under the grid; the full label (classes.ts) is
 * the entry's title. Written for someone who knows mm: "free Movable" is a free page in a
 * MIGRATE_MOVABLE pageblock, "file" is the page cache.
 */
const SHORT: Readonly<Record<string, string>> = {
  'hole': 'hole',
  'reserved': 'reserved',
  'free-unmovable': 'free Unmovable',
  'free-movable': 'free Movable',
  'free-reclaimable': 'free Reclaimable',
  'free-highatomic': 'free HighAtomic',
  'free-isolate': 'free Isolate',
  'anon': 'anon inactive',
  'anon-active': 'anon active',
  'file': 'file inactive',
  'file-active': 'file active',
  'shmem': 'shmem',
  'unevictable': 'unevictable',
  'slab': 'slab',
  'pgtable': 'page table',
  'kernel': 'kernel',
  'offline': 'offline (balloon)',
  'zsmalloc': 'zsmalloc',
  'hugetlb': 'hugetlb',
  'device-private': 'device private',
  'device-free': 'device private, free',
  'isolated': 'isolated',
  'locked': 'locked',
  'migrating': 'under migration',
  'pinned': 'pinned',
  'compact-free': 'free, in cc->freepages',
  'offlined': 'offlined memory',
};

function Entry({ c, count }: { c: StateClassInfo; count: number }) {
  return (
    <li data-class={c.key} data-count={count} className={count === 0 ? 'absent' : undefined} title={c.label}>
      <span className="swatch" style={{ background: c.color }} />
      <span className="label">{SHORT[c.key] ?? c.label}</span>
      <span className="count">{formatCount(count)}</span>
    </li>
  );
}

export function Legend() {
  const meta = useSim(selectMeta);
  if (!meta) return null;
  const countOf = (c: StateClassInfo): number => meta.classCounts[c.id] ?? 0;
  const states = STATE_CLASSES.filter((c) => !OVERLAYS.has(c.id) && countOf(c) > 0);
  const overlays = STATE_CLASSES.filter((c) => OVERLAYS.has(c.id));
  return (
    <div className="legend-box" aria-label="Legend" data-testid="legend">
      <ul className="legend" aria-label="Page states">
        {states.map((c) => (
          <Entry key={c.key} c={c} count={countOf(c)} />
        ))}
      </ul>
      <ul className="legend overlays" aria-label="Migration overlays">
        {overlays.map((c) => (
          <Entry key={c.key} c={c} count={countOf(c)} />
        ))}
      </ul>
    </div>
  );
}
