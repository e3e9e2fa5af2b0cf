// The first visit's one line over the top of the grid: which key steps, and the tour.
import { useStore } from 'zustand';
import { dismissHint, hintStore } from './firstVisit';
import { startTour } from './tour';

export function FirstVisitHint() {
  const open = useStore(hintStore, (s) => s.open);
  if (!open) return null;
  return (
    <div className="first-hint" role="status" data-testid="first-hint">
      <span>
        Press <kbd>→</kbd> to step through a migration, or{' '}
        <button type="button" className="link" onClick={() => startTour()}>
          take the tour
        </button>
        .
      </span>
      <button type="button" className="small" aria-label="Dismiss the hint" title="Dismiss the hint" onClick={dismissHint}>
        ×
      </button>
    </div>
  );
}
