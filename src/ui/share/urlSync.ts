// The address bar follows the person: after every step and selection its fragment is the share
// link of what the page shows, written with history.replaceState (one history entry for the
// visit, not one per step). Chromium drops replaceState calls beyond 200 per 10 s (its IPC
// flooding guard, crbug.com/1038223) and Play moves up to 60 frames/s, so writes are spaced at
// least MIN_GAP_MS apart; the last state is always written, after the gap.
import { selectLink, useSim, type SimState } from '../state/store';
import { useCompare } from '../compare/compareClient';
import { linkFragment, pageAddress } from './link';

/** 4 writes/s at most: 40 per 10 s, well under Chromium's 200. */
const MIN_GAP_MS = 250;

/** The share link fragment for what the page shows now, or null (nothing loaded, or no link). */
export function currentFragment(s: SimState = useSim.getState()): string | null {
  const link = selectLink(s);
  if (!link || !s.meta) return null;
  return linkFragment(link, s.meta.step, s.selectedPfn, s.meta.nrPfns);
}

/** The whole URL the Share button copies, or null when the session has no link. */
export function currentShareUrl(): string | null {
  const frag = currentFragment();
  return frag === null ? null : pageAddress(location) + frag;
}

/** Keep location.hash on the current link; returns a function that stops it. */
export function startUrlSync(): () => void {
  let lastWrite = -Infinity;
  let timer: ReturnType<typeof setTimeout> | null = null;

  const write = (): void => {
    timer = null;
    if (useCompare.getState().ownsHash) return; // the compare view writes its own link (compare/compareClient.ts)
    const frag = currentFragment();
    // Imported memory has no link: the address bar must not keep the previous session's, which
    // would reopen that session (not this one) on reload or when copied.
    if (frag === null && useSim.getState().imported && location.hash) {
      history.replaceState(history.state, '', `${location.pathname}${location.search}`);
      return;
    }
    if (frag === null || frag === location.hash) return;
    lastWrite = performance.now();
    // Keep the query (`?test`): only the fragment follows the state.
    history.replaceState(history.state, '', `${location.pathname}${location.search}${frag}`);
  };

  const unsubscribe = useSim.subscribe((s, prev) => {
    if (s.meta === prev.meta && s.selectedPfn === prev.selectedPfn && s.link === prev.link && s.imported === prev.imported) return;
    if (timer !== null) return; // a write is already due; it reads the state then
    const wait = lastWrite + MIN_GAP_MS - performance.now();
    if (wait <= 0) write();
    else timer = setTimeout(write, wait);
  });
  return () => {
    unsubscribe();
    if (timer !== null) clearTimeout(timer);
  };
}
