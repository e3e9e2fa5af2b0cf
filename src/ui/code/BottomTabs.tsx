// The trace and the code panel share the bottom strip as tabs ("Trace | Code"), as a debugger
// shows the call's source beside its log. The choice lasts the session.
import { useState } from 'react';
import { TracePanel } from '../TracePanel';
import { LazyCodePanel } from '../lazy';

type Tab = 'trace' | 'code';

export function BottomTabs() {
  const [tab, setTab] = useState<Tab>('trace');
  const tabs: readonly [Tab, string][] = [['trace', 'Trace'], ['code', 'Code']];
  return (
    <div className="bottom-tabs">
      <div role="tablist" aria-label="Trace or code" className="bottom-tablist">
        {tabs.map(([t, label]) => (
          <button key={t} role="tab" id={`tab-${t}`} aria-selected={tab === t} aria-controls={`tabpanel-${t}`} data-testid={`tab-${t}`} onClick={() => setTab(t)}>
            {label}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`tabpanel-${tab}`} aria-labelledby={`tab-${tab}`} className="bottom-tabpanel">
        {tab === 'trace' ? <TracePanel /> : <LazyCodePanel />}
      </div>
    </div>
  );
}
