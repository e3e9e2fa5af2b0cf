// Which keys a focused control keeps for itself, and which go to the app's shortcuts
// (keyboard.ts). A control keeps what it needs to be used from the keyboard and nothing more, so
// the stepping keys keep working after any header or toolbar control was used with the mouse:
// after a preset is picked, → steps (it no longer picks the next preset); after Step forward is
// clicked, Space plays (it no longer clicks Step forward again).
// - Text (text inputs, the editor's textarea): every key; typing matters there.
// - A select: ↑ / ↓, its own keyboard way to change the value (Alt+↓ opens it); ← / →,
//   Home / End, Space and the letter shortcuts are the app's.
// - A slider (the timeline): arrows, Home / End, Page Up / Down.
// - Radio buttons: arrows and Space. A checkbox: Space (its only key).
// - A button or link: nothing (Enter still presses it), except inside a dialog, where Space
//   stays with the button, as the person is working in the dialog and not on the timeline.
//   Selects in a dialog keep every key for the same reason.

export type FocusKind = 'none' | 'text' | 'select' | 'slider' | 'radio' | 'checkbox' | 'button';

const SLIDER_KEYS = new Set(['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown', 'Home', 'End', 'PageUp', 'PageDown']);
const ARROWS = new Set(['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown']);

/** Whether a focused control of this kind keeps `key` (KeyboardEvent.key) from the shortcuts. */
export function controlKeeps(kind: FocusKind, key: string, inDialog: boolean): boolean {
  switch (kind) {
    case 'none':
      return false;
    case 'text':
      return true;
    case 'select':
      return inDialog || key === 'ArrowUp' || key === 'ArrowDown';
    case 'slider':
      return SLIDER_KEYS.has(key);
    case 'radio':
      return ARROWS.has(key) || key === ' ';
    case 'checkbox':
      return key === ' ';
    case 'button':
      return inDialog && key === ' ';
  }
}

/** Input types that are pressed like a button rather than typed into. */
const BUTTON_INPUTS = new Set(['button', 'submit', 'reset', 'file', 'image', 'color']);

/** The kind of an `<input type=…>`. */
export function inputKind(type: string): FocusKind {
  if (type === 'checkbox') return 'checkbox';
  if (type === 'radio') return 'radio';
  if (type === 'range') return 'slider';
  return BUTTON_INPUTS.has(type) ? 'button' : 'text';
}
