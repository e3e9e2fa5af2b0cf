// Entry point: start the simulation worker (opening the share link in the address bar, if any;
// on a first visit the intro preset with its hint) and keep the address bar following the state,
// then mount the UI. The worker starts outside React so that StrictMode's double effects in dev do
// not start it twice.
// First: the simulation worker starts loading before the rest evaluates (state/earlyWorker.ts).
import './state/earlyWorker';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { startUrlSync } from './share/urlSync';
import { startCompareLinks } from './compare/compareClient';
import { startSim } from './state/simClient';
import { FIRST_FRAME_MARK } from './grid/controller';
import { INTRO_PRESET, isFirstVisit, startHint } from './teach/firstVisit';
import { registersServiceWorker } from './offline';
import './styles.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
const firstVisit = isFirstVisit(location.hash);
startSim(firstVisit ? INTRO_PRESET : undefined);
if (firstVisit) startHint();
startUrlSync();
startCompareLinks();
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);

// Offline once loaded (public/sw.js): production builds only, as dev serves modules the worker
// would cache stale, and not on a `?test` page (offline.ts says why). The script's address is
// relative, so its scope is the folder the site is in. Registered once the first frame is painted:
// its install fetches every file of the build, which on a first visit would compete with the cold
// load for the network and the cores.
if (registersServiceWorker(import.meta.env.PROD, 'serviceWorker' in navigator, location.search)) afterFirstFrame(registerOffline);

function registerOffline(): void {
  navigator.serviceWorker.register('./sw.js').catch((e: unknown) => {
    console.warn(`pfnscope: no offline copy (service worker not registered: ${e instanceof Error ? e.message : String(e)})`);
  });
}

/** `f` once the grid's first frame is marked (grid/controller.ts), or after 20 s if none is (a failed start). */
function afterFirstFrame(f: () => void): void {
  let done = false;
  const once = (): void => {
    if (done) return;
    done = true;
    obs.disconnect();
    clearTimeout(timer);
    f();
  };
  const obs = new PerformanceObserver((list) => {
    if (list.getEntriesByName(FIRST_FRAME_MARK).length > 0) once();
  });
  obs.observe({ type: 'mark', buffered: true });
  const timer = setTimeout(once, 20_000);
}
