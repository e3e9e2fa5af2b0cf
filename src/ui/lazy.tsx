// The parts of the page only some visits open, each a chunk of its own fetched on first use
// (design.md's budget of JS shipped counts what a cold load fetches before the first frame):
// the scenario editor, Import and its match report, the result of a run over imported memory,
// the footprint, the migrate_vma panel, the compare view, the tour's card and the code panel's
// outlines. App.tsx decides from the store whether each is shown, so a chunk is fetched only
// once its part is open. While one loads, a placeholder of the part's own shape stands in its
// place (an overlay's box, the code strip's height), so nothing around it moves.
// src/ui/lazy.test.ts checks that no module of these parts is in the entry chunk.
import { Component, lazy, Suspense, type ReactNode } from 'react';

/**
 * A part whose chunk cannot be fetched (offline before the service worker cached it, or a page
 * left open across a deploy that removed the old chunk) says so in one line where the part would
 * be; without this the failed import would unmount the whole app.
 */
class PartFailed extends Component<{ readonly what: string; readonly children: ReactNode }, { readonly failed: string | null }> {
  override state = { failed: null as string | null };

  static getDerivedStateFromError(e: unknown): { failed: string } {
    return { failed: e instanceof Error ? e.message : String(e) };
  }

  override render(): ReactNode {
    if (this.state.failed === null) return this.props.children;
    const line = `Could not load ${this.props.what} (offline, or the site changed since this page was opened: reload it): ${this.state.failed}`.replace(/\s+/g, ' ');
    return <div className="error part-failed" role="alert" title={line}><span className="message">{line}</span></div>;
  }
}

/** `part` in its own Suspense, behind PartFailed. */
function loaded(what: string, fallback: ReactNode, part: ReactNode): ReactNode {
  return <PartFailed what={what}><Suspense fallback={fallback}>{part}</Suspense></PartFailed>;
}

const ScenarioEditor = lazy(() => import('./editor/ScenarioEditor').then((m) => ({ default: m.ScenarioEditor })));
const ImportDialog = lazy(() => import('./import/ImportDialog').then((m) => ({ default: m.ImportDialog })));
const MatchPanel = lazy(() => import('./import/MatchPanel').then((m) => ({ default: m.MatchPanel })));
const ResultPanel = lazy(() => import('./results/ResultPanel').then((m) => ({ default: m.ResultPanel })));
const FootprintPanel = lazy(() => import('./FootprintPanel').then((m) => ({ default: m.FootprintPanel })));
const MigrateVma = lazy(() => import('./MigrateVma').then((m) => ({ default: m.MigrateVma })));
const CompareView = lazy(() => import('./compare/CompareView').then((m) => ({ default: m.CompareView })));
const Tour = lazy(() => import('./teach/Tour').then((m) => ({ default: m.Tour })));
const CodePanel = lazy(() => import('./code/CodePanel').then((m) => ({ default: m.CodePanel })));

/** An overlay's box (its own class, so the same place and size) saying what is on its way. */
function OverlayLoading({ className, what }: { readonly className: string; readonly what: string }) {
  return (
    <div className={`overlay ${className}`} role="status" aria-busy="true" data-testid="lazy-loading">
      <p className="muted">Loading {what}…</p>
    </div>
  );
}

function overlay(className: string, what: string, part: ReactNode): ReactNode {
  return loaded(what, <OverlayLoading className={className} what={what} />, part);
}

export const LazyScenarioEditor = () => overlay('editor', 'the scenario editor', <ScenarioEditor />);
export const LazyImportDialog = () => overlay('import-panel', 'Import', <ImportDialog />);
export const LazyMatchPanel = () => overlay('match-panel', 'the match report', <MatchPanel />);
export const LazyResultPanel = () => overlay('result-panel', 'the result', <ResultPanel />);
export const LazyCompareView = () => overlay('compare', 'the compare view', <CompareView />);

export function LazyFootprintPanel() {
  return loaded('the footprint', <aside className="footprint-side" role="status" aria-busy="true" data-testid="lazy-loading"><p className="muted">Loading the footprint…</p></aside>, <FootprintPanel />);
}

/** The migrate_vma panel comes with a device scenario's state: nothing stands in for it meanwhile. */
export const LazyMigrateVma = () => loaded('the migrate_vma panel', null, <MigrateVma />);

/** The tour's card, placed beside its target once loaded. */
export const LazyTour = () => loaded('the tour', null, <Tour />);

/** The code strip keeps its height while the outlines load. */
export function LazyCodePanel() {
  return loaded('the code outlines', <section className="code-panel" aria-label="Code" aria-busy="true" data-testid="lazy-loading"><p className="code-note">Loading the outlines…</p></section>, <CodePanel />);
}
