// The long command under way (run to end, a far seek, next span past the frontier), as a line
// above the step controls in the look of the import's: steps computed of the estimated total
// (a determinate bar once the worker can estimate it), the rate and the pages migrated, and
// Cancel (or Esc), which stops the worker at the last step it computed. Stepping keys and the
// other controls keep working meanwhile: any new command makes the job stop and is answered.
import { cancelComputing } from '../actions';
import { selectComputing, useSim } from '../state/store';
import { progressText } from './progressText';

export function JobProgress() {
  const computing = useSim(selectComputing);
  if (!computing) return null;
  const { done, total } = computing;
  return (
    <div className="progress-line job-progress" data-testid="job-progress">
      <span className="what">{progressText(computing)}</span>
      {total > 0 ? (
        <progress aria-label="Steps computed" max={total} value={Math.min(done, total)} />
      ) : (
        <progress aria-label="Steps computed" />
      )}
      <button type="button" className="small" title="Stop at the last step computed (Esc)" onClick={() => cancelComputing()}>
        Cancel
      </button>
    </div>
  );
}
