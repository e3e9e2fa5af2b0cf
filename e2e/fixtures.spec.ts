// The shared page of e2e/fixtures.ts: the second test runs in the page the first one dirtied, and
// finds it as a fresh context would give it (serial mode keeps both in one worker, in order).
import { BETWEEN_TESTS, expect, test } from './fixtures';

test.describe.configure({ mode: 'serial' });

const seen: string[] = [];
let firstPage: unknown = null;

test('a test dirties the page: storage, a route, a listener, the viewport, an extra page', async ({ page, context }) => {
  firstPage = page;
  await page.evaluate(() => {
    localStorage.clear();
    localStorage.setItem('left-behind', '1');
  });
  await page.route(/favicon\.svg/, (route) => route.fulfill({ body: 'routed', contentType: 'text/plain' }));
  page.on('console', (m) => seen.push(m.text()));
  await page.setViewportSize({ width: 500, height: 400 });
  await context.newPage();
  await page.evaluate(() => console.log('first'));
  expect(seen).toEqual(['first']);
});

test('the next test gets the same page back clean, on a fresh document', async ({ page, context }) => {
  expect(page).toBe(firstPage); // the point of the fixture: no new context or page
  expect(new URL(page.url()).pathname).toBe(BETWEEN_TESTS);
  // The storageState option's localStorage, and nothing the first test left.
  expect(await page.evaluate(() => Object.keys(localStorage).sort())).toEqual(['pfnscope.hintSeen']);
  expect(page.viewportSize()).toEqual({ width: 1280, height: 720 });
  expect(context.pages()).toEqual([page]);
  await page.evaluate(() => console.log('second'));
  expect(seen).toEqual(['first']); // the first test's listener is gone
  const res = await page.goto('/favicon.svg?again');
  expect(await res!.text()).toContain('<svg'); // its route is gone
});
