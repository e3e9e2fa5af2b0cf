// The page: header with the preset picker, step controls, narration, the PFN grid with its
// legend, and the trace. The root carries the e2e test hooks: data-busy (wait for "false" instead
// of sleeping), data-state-hash, data-nr-pfns, data-step, data-frontier and data-done.
import { useEffect } from 'react';
import { Controls } from './Controls';
import { ErrorLine } from './ErrorLine';
import { Header, PresetSummary } from './Header';
import { Legend } from './Legend';
import { Narration } from './Narration';
import { PfnGrid } from './PfnGrid';
import { TracePanel } from './TracePanel';
import { PFNS_PER_ROW } from './grid/render';
import { onKeyDown } from './keyboard';
import { selectBusy, selectMeta, useSim } from './state/store';

export function App() {
  const busy = useSim(selectBusy);
  const meta = useSim(selectMeta);

  useEffect(() => {
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);

  return (
    <div
      className="app"
      data-testid="app"
      data-busy={busy ? 'true' : 'false'}
      data-state-hash={meta?.stateHash}
      data-nr-pfns={meta?.nrPfns}
      data-step={meta?.step}
      data-frontier={meta?.frontier}
      data-done={meta ? String(meta.done) : undefined}
    >
      <Header />
      <PresetSummary />
      <ErrorLine />
      <Controls />
      <Narration />
      <main className="grid-panel">
        <PfnGrid />
      </main>
      <footer className="footer">
        <Legend />
        <span className="note">one row = {PFNS_PER_ROW} PFNs = one pageblock</span>
      </footer>
      <TracePanel />
    </div>
  );
}
