// The guided tour's card: where the tour is (stop i of 6), what this step of the refcount story
// does with this run's numbers, and Back / Next / Skip. The card sits beside the part of the page
// it points at (outlined while it is the stop's), never over it. Esc, Skip or × ends the tour and
// leaves the page at the step shown.
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { useStore } from 'zustand';
import { selectStepInfo, useSim } from '../state/store';
import { endTour, goToStop, startTour, tourStore } from './tour';
import type { TourTarget } from './tourStops';

const TARGETS: Readonly<Record<TourTarget, readonly string[]>> = {
  inspector: ['[data-testid="inspector-refcount"]', '[data-testid="inspector"]'],
  narration: ['[aria-label="Narration"]'],
  grid: ['.grid-panel'],
  timeline: ['.timeline', '[aria-label="Timeline"]'],
};

/** Where the card goes around its target, in order of preference (the first that fits the window). */
const SIDES: Readonly<Record<TourTarget, readonly Side[]>> = {
  inspector: ['left', 'below', 'above'],
  narration: ['below', 'right'],
  grid: ['left', 'right', 'above'],
  timeline: ['above'],
};

type Side = 'left' | 'right' | 'above' | 'below';
const GAP = 10;

function targetOf(t: TourTarget): HTMLElement | null {
  for (const sel of TARGETS[t]) {
    const el = document.querySelector<HTMLElement>(sel);
    const row = el?.closest<HTMLElement>('tr');
    if (el) return row ?? el;
  }
  return null;
}

/** The card's top-left beside `r`, on the first side where it fits the window; else the window's top-left corner. */
export function placeBeside(r: DOMRect, w: number, h: number, sides: readonly Side[], vw: number, vh: number): { left: number; top: number } {
  const clampX = (x: number) => Math.min(Math.max(GAP, x), vw - w - GAP);
  const clampY = (y: number) => Math.min(Math.max(GAP, y), vh - h - GAP);
  for (const side of sides) {
    if (side === 'left' && r.left - w - GAP >= 0) return { left: r.left - w - GAP, top: clampY(r.top) };
    if (side === 'right' && r.right + w + GAP <= vw) return { left: r.right + GAP, top: clampY(r.top) };
    if (side === 'below' && r.bottom + h + GAP <= vh) return { left: clampX(r.left), top: r.bottom + GAP };
    if (side === 'above' && r.top - h - GAP >= 0) return { left: clampX(r.left), top: r.top - h - GAP };
  }
  return { left: GAP, top: GAP };
}

export function Tour() {
  const t = useStore(tourStore);
  const info = useSim(selectStepInfo);
  const step = useSim((s) => s.meta?.step ?? 0);
  const cardRef = useRef<HTMLDivElement>(null);
  const nextRef = useRef<HTMLButtonElement>(null);
  const [pos, setPos] = useState<{ left: number; top: number } | null>(null);
  const open = t.kind !== 'closed';
  const stop = t.kind === 'stop' ? t.stops[t.index]! : null;
  const ready = t.kind === 'stop' && t.values !== null;

  // Esc ends the tour before the page's own keys see it, unless it has something nearer to do: cancel a
  // long computation, close the shortcuts or a panel over the grid.
  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => {
      const { panel, helpOpen, computing } = useSim.getState();
      if (e.key !== 'Escape' || panel || helpOpen || computing) return;
      e.preventDefault();
      e.stopImmediatePropagation();
      endTour();
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [open]);

  // Outline the target while its stop is shown, and put the card beside it.
  useLayoutEffect(() => {
    const card = cardRef.current;
    if (!stop || !card) {
      setPos(null);
      return;
    }
    const el = targetOf(stop.def.target);
    if (!el) return setPos(null);
    el.classList.add('tour-target');
    const place = () => setPos(placeBeside(el.getBoundingClientRect(), card.offsetWidth, card.offsetHeight, SIDES[stop.def.target], innerWidth, innerHeight));
    place();
    window.addEventListener('resize', place);
    return () => {
      el.classList.remove('tour-target');
      window.removeEventListener('resize', place);
    };
  }, [stop, ready]);

  useEffect(() => {
    if (ready) nextRef.current?.focus();
  }, [ready, t]);

  if (!open) return null;
  const style = pos ? { left: pos.left, top: pos.top } : undefined;
  return (
    <div
      ref={cardRef}
      className={`tour-card${pos ? '' : ' centered'}`}
      style={style}
      role="dialog"
      aria-label="Tour: the refcount story"
      data-testid="tour"
      data-tour-stop={t.kind === 'stop' ? t.index : undefined}
      data-tour-phase={stop?.def.phase}
      data-tour-ready={ready ? 'true' : 'false'}
      data-step-phase={ready ? info?.phase : undefined}
    >
      <div className="tour-head">
        <strong>{stop ? `${t.kind === 'stop' ? t.index + 1 : 0} of ${t.kind === 'stop' ? t.stops.length : 0}: ${stop.def.title}` : 'Tour: the refcount story'}</strong>
        <button type="button" className="small" aria-label="Skip the tour" title="Skip the tour (Esc)" onClick={endTour}>
          ×
        </button>
      </div>
      {t.kind === 'confirm' && (
        <>
          <p>The tour follows one migration in the lru-anon preset. Loading it replaces {t.replaces} (Share or Edit scenario → Export keeps it).</p>
          <div className="tour-buttons">
            <button type="button" onClick={() => startTour(true)} autoFocus>
              Load lru-anon
            </button>
            <button type="button" onClick={endTour}>
              Cancel
            </button>
          </div>
        </>
      )}
      {t.kind === 'finding' && <p className="muted">Finding the migration's steps in lru-anon…</p>}
      {t.kind === 'failed' && <p role="alert">{t.message}</p>}
      {t.kind === 'stop' && stop && (
        <>
          <p className="tour-where muted">
            step {stop.step} · phase {stop.def.phase}
            {ready && info ? ` · ${info.fn}()` : ''}
            {step !== stop.step && ready ? ` (you are at step ${step})` : ''}
          </p>
          <p className="tour-text" aria-live="polite">{t.values ? stop.def.explain(t.values) : `Going to step ${stop.step}…`}</p>
          <div className="tour-buttons">
            <button type="button" disabled={t.index === 0} onClick={() => goToStop(t.index - 1)}>
              Back
            </button>
            {t.index + 1 < t.stops.length ? (
              <button ref={nextRef} type="button" onClick={() => goToStop(t.index + 1)}>
                Next
              </button>
            ) : (
              <button ref={nextRef} type="button" onClick={endTour}>
                Finish
              </button>
            )}
            <button type="button" className="link" onClick={endTour}>
              Skip tour
            </button>
          </div>
        </>
      )}
    </div>
  );
}
