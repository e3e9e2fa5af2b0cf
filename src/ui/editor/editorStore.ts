// The scenario editor's draft: the JSON text, and what the worker said of it. Every change is
// checked by the worker (the engine's parser) after a short pause in typing; an answer for an
// older text is dropped. The draft starts over from the loaded scenario whenever a new session
// loads (a preset, a link, Apply), and survives closing the editor and a refused Apply.
import { create } from 'zustand';
import type { Scenario } from '../../worker/protocol';
import { closePanel } from '../actions';
import { loadScenario, validateScenario } from '../state/simClient';
import { useSim } from '../state/store';
import { exportFileName, formatScenario, type Json } from './scenarioText';
import { MAX_SCENARIO_TEXT } from '../../worker/protocol';

/** Pause in typing before the text is checked. */
export const VALIDATE_DEBOUNCE_MS = 250;

export type DraftStatus = 'pending' | 'ok' | 'error';

export interface EditorState {
  readonly text: string;
  /** `useSim.session` the draft started from. */
  readonly base: number;
  readonly status: DraftStatus;
  /** The one-line error when status is 'error'. */
  readonly error: string;
  /** The scenario the text parses to, when status is 'ok'. */
  readonly scenario: Scenario | null;
  /** The text differs from the loaded scenario's. */
  readonly edited: boolean;
}

export const useEditor = create<EditorState>()(() => ({ text: '', base: -1, status: 'ok', error: '', scenario: null, edited: false }));

let timer: ReturnType<typeof setTimeout> | null = null;
/** Counts texts; an answer is used only if no newer text came meanwhile. */
let revision = 0;

/** A scenario as the editor lays it out. */
export function scenarioText(s: Scenario): string {
  return formatScenario(s as unknown as Json);
}

/** The loaded scenario's text ('' before anything is loaded). */
function loadedText(): string {
  const { scenario } = useSim.getState();
  return scenario ? scenarioText(scenario) : '';
}

/** The loaded scenario's text, as the draft starts from it. */
function loadedDraft(): Partial<EditorState> {
  const { scenario, session } = useSim.getState();
  return { text: loadedText(), base: session, status: 'ok', error: '', scenario, edited: false };
}

/** Start over from the loaded scenario (Revert, and every newly loaded session). */
export function revertDraft(): void {
  if (timer !== null) clearTimeout(timer);
  timer = null;
  revision++;
  useEditor.setState(loadedDraft());
}

/** The person changed the text (typing, a form knob, Import). */
export function setDraftText(text: string): void {
  const rev = ++revision;
  useEditor.setState({ text, status: 'pending', edited: text !== loadedText() });
  if (timer !== null) clearTimeout(timer);
  timer = setTimeout(() => {
    timer = null;
    void validateScenario(text).then((v) => {
      if (rev !== revision) return;
      useEditor.setState(v.ok ? { status: 'ok', error: '', scenario: v.scenario } : { status: 'error', error: v.error, scenario: null });
    });
  }, VALIDATE_DEBOUNCE_MS);
}

/** Load the draft into the worker. The editor closes; a refused scenario leaves the draft as it was. */
export function applyDraft(): void {
  const { status, scenario } = useEditor.getState();
  if (status !== 'ok' || !scenario) return;
  loadScenario(scenario);
  closePanel();
}

/** Download the draft (when valid) as `<name>.json`. */
export function exportDraft(): void {
  const { status, scenario } = useEditor.getState();
  if (status !== 'ok' || !scenario) return;
  const blob = new Blob([scenarioText(scenario) + '\n'], { type: 'application/json' });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = exportFileName(scenario as unknown as Json);
  document.body.append(a);
  a.click();
  a.remove();
  // The download has its own copy once started; give it a moment before the URL goes.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * Read a scenario file into the draft. Only a valid scenario replaces the draft; anything else
 * is one line in the error line and the draft stays as it was.
 */
export async function importFile(file: File): Promise<void> {
  const refuse = (why: string): void => useSim.setState({ error: { message: `cannot import ${JSON.stringify(file.name.slice(0, 80))}: ${why}`, restartable: false } });
  if (file.size > MAX_SCENARIO_TEXT) return refuse(`the file is too large (${file.size} bytes, at most ${MAX_SCENARIO_TEXT})`);
  let text: string;
  try {
    text = await file.text();
  } catch (e) {
    return refuse(`the file could not be read (${e instanceof Error ? e.message : String(e)})`);
  }
  const v = await validateScenario(text);
  if (!v.ok) return refuse(v.error);
  if (useSim.getState().error?.message.startsWith('cannot import')) useSim.setState({ error: null });
  if (timer !== null) clearTimeout(timer);
  timer = null;
  revision++;
  const imported = scenarioText(v.scenario);
  useEditor.setState({ text: imported, status: 'ok', error: '', scenario: v.scenario, edited: imported !== loadedText() });
}

// A new session replaces the draft.
useSim.subscribe((s, prev) => {
  if (s.session !== prev.session) revertDraft();
});
// This module loads with the editor, on its first opening (ui/lazy.tsx), when a session is
// usually shown already: the draft starts from it.
if (useEditor.getState().base !== useSim.getState().session) revertDraft();
