// The `import` command's input and progress, apart from the host's session handling: the files
// as the UI sent them checked and turned into the rebuild's DumpFiles (kernel/import/types.ts),
// and a progress callback that posts at most every PROGRESS_MS (a 6.5 Mi-PFN rebuild calls it
// far more often than a bar can show, and each message is a task on the UI thread).
import { scenarioSchema, type Action } from '../engine/scenario';
import { ImportError, type DumpFiles, type ImportProgress } from '../kernel/import/types';
import { Refused } from './errors';
import { PROGRESS_MS, type ImportFiles, type ProgressMsg } from './protocol';

/** Longest capture name kept (a name is a file prefix; it only labels messages and the header). */
const MAX_NAME = 120;

/** The files of an `import` command, checked: what is not as the protocol says is refused in one line. */
export function dumpFiles(files: ImportFiles): DumpFiles {
  if (typeof files !== 'object' || files === null) throw new Refused('import: no files given');
  const { kpageflags, kpagecount } = files;
  if (!(kpageflags instanceof ArrayBuffer) || !(kpagecount instanceof ArrayBuffer)) {
    throw new Refused('import: kpageflags and kpagecount must be given as binary data');
  }
  const name = typeof files.name === 'string' && files.name.trim() ? files.name.trim().slice(0, MAX_NAME) : 'kpageflags';
  const out: { -readonly [K in keyof DumpFiles]: DumpFiles[K] } = {
    name,
    kpageflags: new Uint8Array(kpageflags),
    kpagecount: new Uint8Array(kpagecount),
  };
  for (const kind of ['buddyinfo', 'pagetypeinfo', 'zoneinfo'] as const) {
    const text = files[kind];
    if (text === undefined) continue;
    if (typeof text !== 'string') throw new Refused(`import: ${kind} must be given as text`);
    out[kind] = text;
  }
  return out;
}

/** The actions to run on the imported memory (none: it is shown as imported), checked by the scenario schema. */
export function importActions(actions: unknown): Action[] {
  if (actions === undefined) return [];
  const r = scenarioSchema.shape.actions.safeParse(actions);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new Refused(`import: actions${issue?.path.length ? `.${issue.path.join('.')}` : ''}: ${issue?.message ?? 'invalid'}`);
  }
  return r.data ?? [];
}

/**
 * The one line for an import that failed: the rebuild's ImportError as it is (it names the file),
 * prefixed with the capture's name when it does not already start with it.
 */
export function importRefusal(name: string, e: unknown): string {
  const why = e instanceof ImportError ? e.message : e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  return why.startsWith(`${name}.`) || why.startsWith(`${name} `) ? `cannot import: ${why}` : `cannot import ${name}: ${why}`;
}

/** An ImportProgress that posts `progress` messages, at most one per PROGRESS_MS, and always the last. */
export function throttledProgress(post: (msg: ProgressMsg) => void, now: () => number): ImportProgress {
  let last = -Infinity;
  return (done, total) => {
    const t = now();
    if (done < total && t - last < PROGRESS_MS) return;
    last = t;
    post({ type: 'progress', what: 'import', done, total });
  };
}
