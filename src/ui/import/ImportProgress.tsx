// The import under way, as a line under the header: reading the person's files (no total yet, so
// the bar is indeterminate), then the worker's rebuild, PFNs done of total, then the session
// opening on the rebuilt kernel (about a third of the time at 6.5 Mi PFNs, with no progress of its own).
// Cancel (or Esc) gives the import up and shows again what was shown before it.
import { cancelComputing } from '../actions';
import { formatCount } from '../format';
import { selectImporting, useSim } from '../state/store';

export function ImportProgress() {
  const importing = useSim(selectImporting);
  if (!importing) return null;
  const { name, done, total } = importing;
  const reading = total === 0;
  return (
    <div className="import-progress" data-testid="import-progress">
      <span className="what">
        Importing {name}: {reading ? 'reading the files…' : done < total ? `rebuilding, ${formatCount(done)} of ${formatCount(total)} PFNs` : `${formatCount(total)} PFNs rebuilt, opening them…`}
      </span>
      {reading ? <progress aria-label="Import progress" /> : <progress aria-label="Import progress" max={total} value={done} />}
      <button type="button" className="small" title="Give up the import and show again what was shown (Esc)" onClick={() => cancelComputing()}>
        Cancel
      </button>
    </div>
  );
}
