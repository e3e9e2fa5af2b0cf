// From files a person gave (the Import dialog's picker, a drop on the page) to an import in the
// worker: match them to one capture (or ask which, for a whole folder), read them, send them.
// Whatever is wrong before the worker sees anything (no kpagecount, an unreadable file) is one
// line in the error line, like the worker's own refusals; the session shown is never touched.
import { createStore } from 'zustand/vanilla';
import { IMPORT_START_MARK, sendImport } from '../state/simClient';
import { useSim } from '../state/store';
import { captureName, dumpKind, matchCaptures, type Capture } from './matchFiles';
import { readCapture, type Picked } from './readCapture';
import { compareWith, expectRealAfter, realAfterFor } from '../results/resultFlow';

/** The files last given: an after.buddyinfo among them is the real machine after the run (the result view). */
let pickedFiles: readonly File[] = [];

/** Several captures among the files given: the Import dialog lists them to pick one. */
export interface Choice {
  readonly captures: readonly Capture<File>[];
  readonly folder: string | null;
}

/**
 * The Import dialog's state, kept while it is closed (a drop on the page uses it too): the
 * captures to choose from, and whether compaction runs on the imported memory.
 */
export const importDraft = createStore<{ readonly choice: Choice | null; readonly compact: boolean }>()(() => ({ choice: null, compact: false }));

/** The actions run on imported memory: `echo 1 > /proc/sys/vm/compact_memory`, or none. */
const actionsOf = (compact: boolean): readonly unknown[] => (compact ? [{ type: 'compact' }] : []);

function refuse(message: string): void {
  useSim.setState({ importing: null, error: { message, restartable: false } });
}

/** Import the capture among `picked`; with several, open the dialog's chooser. */
export function importPicked(picked: Picked): void {
  if (useSim.getState().importing) return;
  // A lone buddyinfo given over an imported run: the real machine after it, for the result view.
  const lone = picked.files.length === 1 ? picked.files[0]! : null;
  const { imported, scenario } = useSim.getState();
  if (lone && dumpKind(lone.name)?.kind === 'buddyinfo' && imported && (scenario?.actions ?? []).length > 0) {
    useSim.setState({ panel: 'result' });
    compareWith(lone);
    return;
  }
  const m = matchCaptures(picked.files);
  if (m.kind !== 'error') pickedFiles = picked.files;
  switch (m.kind) {
    case 'error':
      refuse(`cannot import: ${m.error}`);
      return;
    case 'choose':
      importDraft.setState({ choice: { captures: m.captures, folder: picked.folder } });
      useSim.setState({ panel: 'import' });
      return;
    case 'one':
      void importCapture(m.capture, picked.folder);
      return;
  }
}

/** Read one capture's files and import them (at `step`: a restart of an imported session). */
export async function importCapture(c: Capture<File>, folder: string | null, step?: number, compact = importDraft.getState().compact): Promise<void> {
  const name = captureName(c.prefix, folder);
  if (step === undefined) {
    if (useSim.getState().importing) return; // one at a time
    performance.clearMarks(IMPORT_START_MARK);
    performance.mark(IMPORT_START_MARK);
  }
  importDraft.setState({ choice: null });
  useSim.setState({ importing: { name, done: 0, total: 0 } });
  let read: Awaited<ReturnType<typeof readCapture>>;
  try {
    read = await readCapture(c, folder);
  } catch (e) {
    refuse(`cannot import ${name}: ${e instanceof Error ? e.message : String(e)}`);
    return;
  }
  expectRealAfter(realAfterFor(c.prefix, pickedFiles));
  sendImport(read.files, read.transfer, actionsOf(compact), (s) => void importCapture(c, folder, s, compact), step);
}
