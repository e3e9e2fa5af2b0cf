import { describe, expect, it } from 'vitest';
import { controlKeeps, inputKind } from './keyOwner';

describe('keys a focused control keeps', () => {
  it('a select picked with the mouse leaves ← / →, Home / End, Space and the letters to the app', () => {
    for (const key of ['ArrowLeft', 'ArrowRight', 'Home', 'End', ' ', 'w', 's', 'a', 'd', '?', '[', ']']) {
      expect(controlKeeps('select', key, false)).toBe(false);
    }
    expect(controlKeeps('select', 'ArrowUp', false)).toBe(true);
    expect(controlKeeps('select', 'ArrowDown', false)).toBe(true);
    expect(controlKeeps('select', 'ArrowRight', true)).toBe(true); // the editor's selects
  });

  it('Space on a clicked button plays, outside a dialog; Enter is never taken from a button', () => {
    expect(controlKeeps('button', ' ', false)).toBe(false);
    expect(controlKeeps('button', 'ArrowRight', false)).toBe(false);
    expect(controlKeeps('button', ' ', true)).toBe(true);
    // Enter is no shortcut: keyboard.ts never handles it, so it stays the button's anyway.
  });

  it('text keeps everything; checkboxes keep Space, radios arrows and Space, sliders their keys', () => {
    for (const key of ['ArrowLeft', ' ', 'w', 'Home', '?']) expect(controlKeeps('text', key, false)).toBe(true);
    expect(controlKeeps('checkbox', ' ', false)).toBe(true);
    expect(controlKeeps('checkbox', 'ArrowRight', false)).toBe(false);
    expect(controlKeeps('radio', 'ArrowRight', false)).toBe(true);
    expect(controlKeeps('slider', 'ArrowRight', false)).toBe(true);
    expect(controlKeeps('slider', 'End', false)).toBe(true);
    expect(controlKeeps('slider', ' ', false)).toBe(false);
    expect(controlKeeps('none', 'ArrowRight', false)).toBe(false);
  });

  it('input types: pressed ones are buttons, unknown ones are typed into', () => {
    expect(['file', 'submit', 'button'].map(inputKind)).toEqual(['button', 'button', 'button']);
    expect(['text', 'number', 'search', ''].map(inputKind)).toEqual(['text', 'text', 'text', 'text']);
    expect(['checkbox', 'radio', 'range'].map(inputKind)).toEqual(['checkbox', 'radio', 'slider']);
  });
});
