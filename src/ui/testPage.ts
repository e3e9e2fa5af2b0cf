// `?test` in the page's address: the page is driven by a test (e2e/, bench/), which gets debug
// hooks (state/simClient.ts) and no service worker (offline.ts). One definition for both.

/** Whether the query string (location.search) asks for the test page. */
export const isTestPage = (search: string): boolean => new URLSearchParams(search).has('test');
