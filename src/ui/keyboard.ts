// Keyboard shortcuts (the help panel lists them from SHORTCUTS): ← / → step, Shift+← / Shift+→
// previous / next phase of interest, Space play/pause, Home / End first step / run to the end,
// [ / ] previous / next span of the level the step controls show (folio, pass, ..., failure),
// W / S zoom in / out and A / D pan (Perfetto's keys): the grid while it has the focus or the
// pointer (grid/gridKeys.ts), else the timeline strip. ? the shortcuts panel, Esc cancels a long
// computation first, else closes the panel (or the preset gallery, or the scenario editor).
// A focused control keeps only the keys it needs (keyOwner.ts): text fields every key, a select
// ↑ / ↓, a button none (Enter still presses it), so the shortcuts work after any control was
// used.
import {
  cancelComputing, closePanel, nextPhase, previousPhase, runToEnd, spanStep, stepBack, stepForward, toggleHelp, togglePlay, toStart,
} from './actions';
import { gridTakesKey } from './grid/gridKeys';
import { controlKeeps, inputKind, type FocusKind } from './keyOwner';
import { useSim } from './state/store';
import { KEY_PAN, KEY_ZOOM, panByShare, zoomBy } from './timeline/view';

/** What the help panel shows, in this order. */
export const SHORTCUTS: readonly { readonly keys: readonly string[]; readonly what: string }[] = [
  { keys: ['←', '→'], what: 'step back / forward' },
  { keys: ['Shift+←', 'Shift+→'], what: 'previous / next isolate, refcount check, copy or remap step' },
  { keys: ['[', ']'], what: 'previous / next span of the chosen level (folio, pass, …, failure)' },
  { keys: ['Space'], what: 'play / pause' },
  { keys: ['Home'], what: 'step 0 (memory as populated)' },
  { keys: ['End'], what: 'run to the end' },
  { keys: ['W', 'S'], what: 'zoom the timeline in / out (or the mouse wheel over it); over the grid: the grid' },
  { keys: ['A', 'D'], what: 'pan the timeline left / right (or drag it); over the grid: the grid' },
  { keys: ['?'], what: 'show / hide these shortcuts' },
  { keys: ['Esc'], what: 'cancel a long computation; else close this panel, the presets or the editor; else end the tour' },
];

function focusKind(t: HTMLElement): FocusKind {
  if (t.isContentEditable || t.closest('textarea')) return 'text';
  const input = t.closest('input');
  if (input) return inputKind(input.type);
  if (t.closest('select')) return 'select';
  if (t.closest('button, a[href], summary')) return 'button';
  return 'none';
}

function ownsKey(target: EventTarget | null, key: string): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return controlKeeps(focusKind(target), key, target.closest('[role="dialog"], dialog') !== null);
}

/** Esc cancels a long computation wherever the focus is, but in a text the person is typing. */
function cancelsComputing(e: KeyboardEvent): boolean {
  const t = e.target;
  const typing = t instanceof HTMLElement && (t.isContentEditable || t.closest('textarea, input[type="text"], input:not([type])') !== null);
  return e.key === 'Escape' && !typing && cancelComputing();
}

export function onKeyDown(e: KeyboardEvent): void {
  if (cancelsComputing(e)) {
    e.preventDefault();
    return;
  }
  if (e.altKey || e.ctrlKey || e.metaKey || ownsKey(e.target, e.key)) return;
  if (gridTakesKey(e.key)) {
    e.preventDefault();
    return;
  }
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
    case '[':
      spanStep(-1);
      break;
    case ']':
      spanStep(1);
      break;
    case 'w':
    case 'W':
      zoomBy(KEY_ZOOM);
      break;
    case 's':
    case 'S':
      zoomBy(1 / KEY_ZOOM);
      break;
    case 'a':
    case 'A':
      panByShare(-KEY_PAN);
      break;
    case 'd':
    case 'D':
      panByShare(KEY_PAN);
      break;
    case '?':
      toggleHelp();
      break;
    case 'Escape': {
      // (A long computation was cancelled above.) The topmost first: the help panel, then the
      // gallery or the editor.
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
