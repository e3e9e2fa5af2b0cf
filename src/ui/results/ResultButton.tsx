// The header's way back to the result view of a run over imported memory (it opened by itself
// when the run reached its end). Shown only for an imported session with a run; until the run
// has reached its end it says so, and a click runs it there first.
import { runToEnd } from '../actions';
import { selectPanel, useSim, type SimState } from '../state/store';
import { openResult } from './resultFlow';

const selectImportedRun = (s: SimState): boolean => s.imported !== null && (s.scenario?.actions ?? []).length > 0;
const selectReached = (s: SimState): boolean => s.result !== null && s.result.session === s.session;

export function ResultButton() {
  const imported = useSim(selectImportedRun);
  const panel = useSim(selectPanel);
  const reached = useSim(selectReached);
  if (!imported) return null;
  return (
    <button
      type="button"
      aria-expanded={panel === 'result'}
      data-testid="result-button"
      title={reached ? 'Free blocks per order before / after / on the real machine, the prediction error, migrated and failed' : 'The run has not reached its end yet: this runs it to the end, and the result opens there'}
      onClick={() => (reached ? openResult() : runToEnd())}
    >
      Result
    </button>
  );
}
