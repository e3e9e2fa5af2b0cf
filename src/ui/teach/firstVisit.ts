// The first visit (no share link in the address bar, nothing remembered) opens on a preset that
// moves at the first key press, with a one-line hint saying which key. The hint goes at the first
// step, a new session or its ×; then it is remembered in localStorage and never shown again, and
// later visits open the default scenario as before. A share link always wins over all of this.
import { create } from 'zustand';
import { linkInHash } from '../share/link';
import { useSim } from '../state/store';

/** The preset a first visit opens: one migration of one page, 23 steps with every phase. */
export const INTRO_PRESET = 'lru-anon';
/** localStorage key: the hint was seen (its value is irrelevant). */
export const HINT_SEEN_KEY = 'pfnscope.hintSeen';

export const hintStore = create<{ readonly open: boolean }>()(() => ({ open: false }));

function seen(): boolean {
  try {
    return localStorage.getItem(HINT_SEEN_KEY) !== null;
  } catch {
    return true; // storage refused (privacy settings): never show a hint that would come back every time
  }
}

/** No link in `hash` and no hint seen before. */
export function isFirstVisit(hash: string): boolean {
  return linkInHash(hash) === null && !seen();
}

/** Show the hint until the person steps, loads something else or closes it. */
export function startHint(): void {
  hintStore.setState({ open: true });
  let firstSession: number | null = null;
  const stop = useSim.subscribe((s) => {
    if (!hintStore.getState().open) return stop();
    if (s.meta && firstSession === null) firstSession = s.session;
    const moved = (s.meta?.step ?? 0) > 0 || (firstSession !== null && s.session !== firstSession);
    if (moved) dismissHint();
  });
}

export function dismissHint(): void {
  if (!hintStore.getState().open) return;
  hintStore.setState({ open: false });
  try {
    localStorage.setItem(HINT_SEEN_KEY, '1');
  } catch {
    // Not remembered: the next visit shows it again.
  }
}
