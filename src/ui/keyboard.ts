// Keyboard shortcuts: ← / → step back / forward, Space plays or pauses. Keys typed into a form
// control stay with it (arrows in a select, Space on a focused button clicks that button).
import { togglePlay } from './Controls';
import { send } from './state/simClient';
import { useSim } from './state/store';

function ownsKey(target: EventTarget | null, key: string): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable || target.closest('input, select, textarea')) return true;
  return key === ' ' && target.closest('button, a, summary') !== null;
}

export function onKeyDown(e: KeyboardEvent): void {
  if (e.altKey || e.ctrlKey || e.metaKey || ownsKey(e.target, e.key)) return;
  const { meta, alive } = useSim.getState();
  if (!meta || !alive) return;
  switch (e.key) {
    case 'ArrowLeft':
      if (meta.step > 0) send({ type: 'step', delta: -1 });
      break;
    case 'ArrowRight':
      if (!(meta.done && meta.step === meta.frontier)) send({ type: 'step', delta: 1 });
      break;
    case ' ':
      togglePlay();
      break;
    default:
      return;
  }
  e.preventDefault();
}
