// Title and one line saying what the grid shows.
import { describeMemory } from './format';
import { selectError, selectMeta, useSim, type FrameMeta } from './state/store';

function subtitle(meta: FrameMeta | null, failed: boolean): string {
  if (meta) return `Default scenario: ${describeMemory(meta.nrPfns, meta.zones.map((z) => z.name))}`;
  return failed ? 'The default scenario could not be loaded.' : 'Loading the default scenario…';
}

export function Header() {
  const meta = useSim(selectMeta);
  const failed = useSim(selectError) !== null;
  return (
    <header className="header">
      <h1>pfnscope</h1>
      <p className="subtitle">{subtitle(meta, failed)}</p>
      {meta && <p className="hash" title="state hash: the same scenario and step always give the same hash">state {meta.stateHash}</p>}
    </header>
  );
}
