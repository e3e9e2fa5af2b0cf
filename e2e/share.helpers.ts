// Shared by the share-* specs: the state a page shows (step, state hash, selected PFN) read from
// the app's data-* hooks, and opening a link and waiting until the app is idle on it.
import { expect, type Page } from '@playwright/test';
import { leaveDocument } from './fixtures';
import { app, idle } from './panels.helpers';

export interface Shown {
  readonly step: string | null;
  readonly hash: string | null;
  readonly pfn: string | null;
}

export async function shown(page: Page): Promise<Shown> {
  return {
    step: await app(page).getAttribute('data-step'),
    hash: await app(page).getAttribute('data-state-hash'),
    pfn: await page.getByTestId('inspector').getAttribute('data-pfn'),
  };
}

/**
 * Open `url` (a path with a fragment, or a whole URL) in a fresh document and wait for the app to
 * be idle on a session. (A goto that changes only the fragment would not reload the page.)
 */
export async function openLink(page: Page, url: string): Promise<void> {
  await leaveDocument(page);
  await page.goto(url);
  await expect(app(page)).toHaveAttribute('data-state-hash', /.+/);
  await idle(page);
}

/** base64url, as the share payload is written (engine/share.ts). */
export function base64url(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64url');
}
