// The sim worker's parts loaded on first use, so that its start fetches only what the default
// page's first frame needs (design.md: ≤ 200 KiB of JS): a user's scenario (zod, fflate), an
// import (kernel/import) and a replay (ftrace parser). sim.worker.ts loads the parts a command
// needs (partsFor) before the host sees it, so the host stays synchronous and reads them with
// part(). A part that could not load (offline, not cached) makes the command that needs it
// refused in one line, as any bad input is; the next command that needs it tries again.
import type * as ScenarioPart from './part-scenario';
import type * as ImportPart from './part-import';
import type * as ReplayPart from './part-replay';
import { readShareFragment } from '../engine/share-link';
import { Refused } from './errors';
import type { Command, DebugCommand, LoadSource } from './protocol';

interface Parts {
  scenario: typeof ScenarioPart;
  import: typeof ImportPart;
  replay: typeof ReplayPart;
}
export type PartName = keyof Parts;
export const PART_NAMES: readonly PartName[] = ['scenario', 'import', 'replay'];

type Loaders = { [N in PartName]: () => Promise<Parts[N]> };

const LOADERS: Loaders = {
  scenario: () => import('./part-scenario'),
  import: () => import('./part-import'),
  replay: () => import('./part-replay'),
};

export interface PartRegistry {
  isLoaded(name: PartName): boolean;
  /** Load a part (once; after a failure, again). Never rejects: a failure is kept for part() to report. */
  loadPart(name: PartName): Promise<void>;
  /** A part the command being handled needs: sim.worker.ts loaded it before (partsFor). */
  part<N extends PartName>(name: N): Parts[N];
}

/** A registry of the parts loaded by `loaders` (the worker has one; a test makes its own to fail a load). */
export function createParts(loaders: Loaders): PartRegistry {
  const loaded: Partial<Parts> = {};
  const loading: Partial<Record<PartName, Promise<void>>> = {};
  /** Why a part's last load failed (cleared when it loads). */
  const failed: Partial<Record<PartName, string>> = {};
  return {
    isLoaded: (name) => loaded[name] !== undefined,
    loadPart(name) {
      if (loaded[name]) return Promise.resolve();
      return (loading[name] ??= loaders[name]().then(
        (m) => {
          (loaded as Record<PartName, unknown>)[name] = m;
          delete failed[name];
        },
        (e: unknown) => {
          failed[name] = e instanceof Error ? e.message : String(e);
        },
      ).finally(() => {
        delete loading[name];
      }));
    },
    part<N extends PartName>(name: N): Parts[N] {
      const m = loaded[name] as Parts[N] | undefined;
      if (m) return m;
      if (failed[name] !== undefined) throw new Refused(`cannot load the worker's ${name} code (offline and not cached?): ${failed[name]}`);
      throw new Error(`the worker's ${name} code is not loaded: partsFor() does not list it for this command`);
    },
  };
}

const parts = createParts(LOADERS);
export const { isLoaded, loadPart } = parts;
export const part = parts.part;

/** The parts a source needs: a user's scenario or a link carrying one; not a preset. */
function sourceNeeds(src: LoadSource | undefined, out: Set<PartName>): void {
  if (typeof src !== 'object' || src === null) return;
  if (src.kind === 'scenario') out.add('scenario');
  if (src.kind === 'url') {
    try {
      if (readShareFragment(String(src.url)).payload !== undefined) out.add('scenario');
    } catch {
      // a link that names no preset or scenario is refused by the host without any part
    }
  }
}

/** The parts `cmd` needs that are not loaded yet. */
export function partsFor(cmd: Command | DebugCommand): PartName[] {
  const need = new Set<PartName>();
  switch (cmd.type) {
    case 'load':
      sourceNeeds(cmd.source, need);
      sourceNeeds(cmd.fallback, need);
      break;
    case 'validate':
      need.add('scenario');
      break;
    case 'import':
      need.add('import');
      break;
    case 'replay':
      need.add('replay');
      break;
    default:
      break;
  }
  return [...need].filter((n) => !isLoaded(n));
}

/** Every part loaded: for tests that drive the host directly, as sim.worker.ts would have. */
export async function loadAllParts(): Promise<void> {
  await Promise.all(PART_NAMES.map(loadPart));
  for (const n of PART_NAMES) part(n);
}
