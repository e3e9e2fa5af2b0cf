// Whether the page registers the service worker (public/sw.js) that keeps the site usable offline.
// Not in dev (it would cache modules the dev server rebuilds), and not on a `?test` page: a test
// page is automation (debug hooks, a crashed worker, a BUG on purpose), and an installed worker
// would outlive it in the browser profile and answer the next page's requests from its cache, so
// a later run (or the developer's own visit) could see files of an older build.
import { isTestPage } from './testPage';

export function registersServiceWorker(prod: boolean, supported: boolean, search: string): boolean {
  return prod && supported && !isTestPage(search);
}
