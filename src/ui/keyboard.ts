// Keyboard shortcuts (the help panel lists them from SHORTCUTS): ← / → step, Shift+← / Shift+→
// previous / next phase of interest, Space play/pause, Home / End first step / run to the end,
// ? the shortcuts panel, Esc closes it (or the preset gallery, or the scenario editor). Keys
// typed into a form control stay with it (arrows in a select or the timeline slider, Space on a
// focused button clicks that button).
import {
  closePanel, nextPhase, previousPhase, runToEnd, stepBack, stepForward, toggleHelp, togglePlay, toStart,
} from './actions';
import { useSim } from './state/store';

/** What the help panel shows, in this order. */
export const SHORTCUTS: readonly { readonly keys: readonly string[]; readonly what: string }[] = [
  { keys: ['←', '→'], what: 'step back / forward' },
  { keys: ['Shift+←', 'Shift+→'], what: 'previous / next isolate, refcount or copy step' },
  { keys: ['Space'], what: 'play / pause' },
  { keys: ['Home'], what: 'step 0 (memory as populated)' },
  { keys: ['End'], what: 'run to the end' },
  { keys: ['?'], what: 'show / hide these shortcuts' },
  { keys: ['Esc'], what: 'close this panel, the presets or the editor' },
];

function ownsKey(target: EventTarget | null, key: string): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable || target.closest('input, select, textarea')) return true;
  return key === ' ' && target.closest('button, a, summary') !== null;
}

export function onKeyDown(e: KeyboardEvent): void {
  if (e.altKey || e.ctrlKey || e.metaKey || ownsKey(e.target, e.key)) return;
  switch (e.key) {
    case 'ArrowLeft':
      if (e.shiftKey) previousPhase();
      else stepBack();
      break;
    case 'ArrowRight':
      if (e.shiftKey) nextPhase();
      else stepForward();
      break;
    case ' ':
      togglePlay();
      break;
    case 'Home':
      toStart();
      break;
    case 'End':
      runToEnd();
      break;
    case '?':
      toggleHelp();
      break;
    case 'Escape': {
      // The topmost first: the help panel, then the gallery or the editor.
      const { helpOpen, panel } = useSim.getState();
      if (helpOpen) toggleHelp(false);
      else if (panel) closePanel();
      else return;
      break;
    }
    default:
      return;
  }
  e.preventDefault();
}
