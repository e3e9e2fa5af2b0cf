// The header's way into the guided tour (a second press ends it).
import { useStore } from 'zustand';
import { selectAlive, useSim } from '../state/store';
import { endTour, startTour, tourStore } from './tour';

export function TourButton() {
  const alive = useSim(selectAlive);
  const open = useStore(tourStore, (t) => t.kind !== 'closed');
  return (
    <button
      type="button"
      aria-pressed={open}
      disabled={!alive}
      onClick={() => (open ? endTour() : startTour())}
      title="A guided tour of one page's migration: isolation +1, unmap, the refcount check, copy, remap, free (in the lru-anon preset)"
    >
      Tour
    </button>
  );
}
