// The page, laid out to fit a 1366×768 screen without scrolling: the header on top; the PFN grid
// in the middle with the narration (then the balloon and compaction panels while they have
// something to show), charts and breakpoints on its left and the page inspector on its right; the
// step controls (with the progress line of a long computation above them while it runs), the
// timeline (the whole run, and the zoomed strip of span lanes) and the trace or the code panel
// (tabs) below. Below 1100 px the side panels and the legend take turns in one place picked by
// PanelTabs (styles.css, "Every size of screen", places them with grid areas; on a phone the
// trace joins them). The preset gallery, the scenario editor, Import, its match report and the
// result of a run over imported memory (opened by itself when that run reaches its end) open over
// everything below the header, the error line and the import's progress line (so does the compare
// view of designs side by side, compare/CompareView.tsx, with its own keys); the footprint docks
// on the right, over the inspector column, leaving the grid and the controls in use. Files dropped
// anywhere are imported. A first visit's hint sits over the top of the grid, the tour's card beside
// what it points at. The root carries the
// e2e test hooks: data-busy (wait for "false" instead of sleeping), data-state-hash,
// data-nr-pfns, data-step, data-frontier and data-done.
import { useEffect, type ReactNode } from 'react';
import { Breakpoints } from './Breakpoints';
import { Charts } from './Charts';
import { Controls } from './Controls';
import { ErrorLine } from './ErrorLine';
import { Header } from './Header';
import { Help } from './Help';
import { Inspector } from './Inspector';
import { Legend } from './Legend';
import { BalloonDevice } from './BalloonDevice';
import { CompactionStatus } from './CompactionStatus';
import { MoreBox } from './MoreBox';
import { Narration } from './Narration';
import { PanelTabs } from './PanelTabs';
import { PfnGrid } from './PfnGrid';
import { Timeline } from './Timeline';
import { BottomTabs } from './code/BottomTabs';
import { PFNS_PER_ROW } from './grid/render';
import { onKeyDown } from './keyboard';
import { PresetGallery } from './PresetGallery';
import { FirstVisitHint } from './teach/FirstVisitHint';
import { ImportDrop } from './import/ImportDrop';
import { ImportProgress } from './import/ImportProgress';
import { watchResults } from './results/resultFlow';
import { JobProgress } from './progress/JobProgress';
import { selectBusy, selectMeta, selectPanel, useSim } from './state/store';
import { useCompare } from './compare/compareClient';
import { tourStore } from './teach/tour';
import { useStore } from 'zustand';
import { LazyCompareView, LazyFootprintPanel, LazyImportDialog, LazyMatchPanel, LazyMigrateVma, LazyResultPanel, LazyScenarioEditor, LazyTour } from './lazy';

export function App() {
  useEffect(() => {
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);
  useEffect(watchResults, []);

  return (
    <TestHooks>
      <Header />
      <ErrorLine />
      <ImportProgress />
      <div className="stage">
        <div className="main">
          <aside className="side left">
            <MoreBox className="narration-box" testId="narration-box">
              <Narration />
            </MoreBox>
            <BalloonDevice />
            <CompactionStatus />
            <MigrateVmaGate />
            <Charts />
            <Breakpoints />
          </aside>
          <div className="center">
            <main className="grid-panel">
              <PfnGrid />
              <FirstVisitHint />
            </main>
            <footer className="footer">
              <Legend />
              <span className="note">one row = {PFNS_PER_ROW} PFNs = one pageblock</span>
            </footer>
          </div>
          <aside className="side right">
            <Inspector />
          </aside>
          <SidePanel />
        </div>
        <div className="bottom">
          <JobProgress />
          <Controls />
          <div className="bottom-panels">
            <Timeline />
            <BottomTabs />
          </div>
        </div>
        <PanelTabs />
        <Overlay />
        <CompareGate />
      </div>
      <Help />
      <TourGate />
      <ImportDrop />
    </TestHooks>
  );
}

/** The overlay open over the grid and the controls, if any. */
function Overlay() {
  const panel = useSim(selectPanel);
  if (panel === 'gallery') return <PresetGallery />;
  if (panel === 'editor') return <LazyScenarioEditor />;
  if (panel === 'import') return <LazyImportDialog />;
  if (panel === 'match') return <LazyMatchPanel />;
  if (panel === 'result') return <LazyResultPanel />;
  return null;
}

/** The panel docked on the right over the inspector column, beside the grid (which stays in use). */
function SidePanel() {
  const panel = useSim(selectPanel);
  return panel === 'footprint' ? <LazyFootprintPanel /> : null;
}

// The gates of the parts loaded on first use (lazy.tsx): each fetches its chunk only once shown.

/** migrate_vma's panel, while the session has a device migration to show. */
function MigrateVmaGate() {
  return useSim((s) => s.meta?.migrateVma != null) ? <LazyMigrateVma /> : null;
}

/** The compare view, while it is open. */
function CompareGate() {
  return useCompare((s) => s.open) ? <LazyCompareView /> : null;
}

/** The tour's card, while the tour runs. */
function TourGate() {
  return useStore(tourStore, (t) => t.kind !== 'closed') ? <LazyTour /> : null;
}

/** The root element and its data-* hooks: the only component that re-renders on every frame. */
function TestHooks({ children }: { readonly children: ReactNode }) {
  const busy = useSim(selectBusy);
  const meta = useSim(selectMeta);
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
      {children}
    </div>
  );
}
