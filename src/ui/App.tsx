// The page: header, error line, PFN grid and legend. The root carries the e2e test hooks:
// data-busy (wait for "false" instead of sleeping), data-state-hash and data-nr-pfns.
import { ErrorLine } from './ErrorLine';
import { Header } from './Header';
import { Legend } from './Legend';
import { PfnGrid } from './PfnGrid';
import { PFNS_PER_ROW } from './grid/render';
import { selectBusy, selectMeta, useSim } from './state/store';

export function App() {
  const busy = useSim(selectBusy);
  const meta = useSim(selectMeta);
  return (
    <div
      className="app"
      data-testid="app"
      data-busy={busy ? 'true' : 'false'}
      data-state-hash={meta?.stateHash}
      data-nr-pfns={meta?.nrPfns}
    >
      <Header />
      <ErrorLine />
      <main className="grid-panel">
        <PfnGrid />
      </main>
      <footer className="footer">
        <Legend />
        <span className="note">one row = {PFNS_PER_ROW} PFNs = one pageblock</span>
      </footer>
    </div>
  );
}
