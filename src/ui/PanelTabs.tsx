// Below 1100 px the side panels no longer fit beside the grid: they share one place (beside the
// grid up to 1099 px, under it on a phone) and these buttons pick the one shown. Nothing is
// unmounted: styles.css shows the chosen panel by this bar's data-tab (".stage:has(...)"), so a
// panel keeps its state (a half-typed PFN, a scroll position) while another is shown. Hidden
// above 1100 px, where every panel has its own column.
import { useEffect, useState } from 'react';
import { selectSelectedPfn, useSim } from './state/store';

/** The panels, in bar order; `phone` ones only exist as a tab on a phone (elsewhere they stay below the grid). */
const TABS = [
  { id: 'step', label: 'Step', title: 'What the current step does: the narration (and the device, compaction and migrate_vma panels)' },
  { id: 'page', label: 'Page', title: 'The struct page inspector' },
  { id: 'charts', label: 'Charts', title: 'Free memory and migrations over the run' },
  { id: 'key', label: 'Key', title: "The grid's colour key, with page counts" },
  { id: 'breakpoints', label: 'Breakpoints', title: 'Where Play stops' },
  { id: 'trace', label: 'Trace', title: 'The timeline and the trace lines', phone: true },
] as const;

export type PanelTab = (typeof TABS)[number]['id'];

export function PanelTabs() {
  const [tab, setTab] = useState<PanelTab>('step');
  // A page picked (tapped on the grid, a narration PFN, a typed PFN) is shown at once.
  const selected = useSim(selectSelectedPfn);
  useEffect(() => {
    if (selected !== null) setTab('page');
  }, [selected]);
  return (
    <nav className="panel-tabs" aria-label="Panels" data-tab={tab}>
      {TABS.map((t) => (
        <button
          key={t.id}
          type="button"
          className={'phone' in t ? 'phone-only' : undefined}
          data-tab={t.id}
          aria-pressed={tab === t.id}
          title={t.title}
          onClick={() => setTab(t.id)}
        >
          {t.label}
        </button>
      ))}
    </nav>
  );
}
