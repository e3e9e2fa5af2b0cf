// Bad links: whatever is wrong with a link, the page shows one line saying what (role="alert"),
// opens the default scenario, and stays usable. A link whose scenario opens but whose step or PFN
// is out of range opens as far as it goes (README: the last step, nothing selected). Text from
// the link is shown as text, never as markup.
import { deflateSync } from 'fflate';
import { expect, test } from './fixtures';
import { readFileSync } from 'node:fs';
import { app, consoleErrors, expectStep, idle } from './panels.helpers';
import { base64url, openLink, shown } from './share.helpers';
import { findPreset } from '../src/engine/presets';
import { openSession } from '../src/engine/session';
import { timelineHash } from '../src/engine/timeline';

const packed = (json: string): string => base64url(deflateSync(new TextEncoder().encode(json)));
const good = new URL(
  (JSON.parse(readFileSync(new URL('../src/engine/fixtures/share-urls-v1.json', import.meta.url), 'utf8')) as { links: { preset: string; url: string }[] })
    .links.find((l) => l.preset === 'lru-anon')!.url,
).hash.slice(1).split('&')[0]!.slice(2); // the s= payload

const BAD: readonly (readonly [string, string, RegExp])[] = [
  ['truncated payload', `#s=${good.slice(0, 41)}&step=3`, /^cannot open the link: the scenario payload is (truncated|not valid deflate data)/],
  ['wrong base64', `#s=${good.slice(0, 8)}!${good.slice(9)}&step=3`, /^cannot open the link: the scenario payload is not base64url \(character "!" at 8\)/],
  ['bad deflate data', `#s=${base64url(new Uint8Array([0xff, 1, 2, 3, 4, 5, 6, 7]))}`, /not valid deflate data/],
  ['invalid JSON', `#s=${packed('{"v":1,"memory":')}`, /the scenario is not valid JSON/],
  ['a schema error', `#s=${packed('{"v":1,"memory":{"pfns":8000},"seed":7}')}`, /the scenario is invalid: memory\.pfns: must be a multiple of 512/],
  ['a newer version', `#s=${packed('{"v":2,"memory":{"pfns":8192},"seed":7}')}&step=1`, /scenario version 2 is newer than this pfnscope understands/],
  ['a huge payload', `#s=${'A'.repeat(70_000)}`, /the scenario payload is too large \(70000 characters/],
  ['markup in a preset name', '#preset=<img src=x onerror="document.title=1">&step=2', /the link names no known preset: "<img src=x onerror=/],
];

// The state hash of a fresh default scenario, from the same engine run in Node: the page's hash
// (data-state-hash, timelineHash of the worker's session) must equal it, so the fallback is the
// default scenario itself, not merely a page that says so.
const fresh = timelineHash(openSession(findPreset('default')!.scenario).t);

for (const [what, hash, message] of BAD) {
  test(`${what}: one alert saying what was wrong, and the default scenario`, async ({ page }) => {
    const errors = consoleErrors(page);
    await openLink(page, `/${hash}`);
    const alert = page.getByRole('alert');
    await expect(alert).toHaveCount(1);
    await expect(alert).toHaveText(message);
    await expect(alert).toContainText('— opened the default scenario instead');
    await expect(alert.locator('*:not(span)')).toHaveCount(0); // text only: no element from the link
    expect(await shown(page)).toEqual({ step: '0', hash: fresh, pfn: null });
    await expect(page.getByLabel('Preset')).toHaveValue('default');
    // The address bar now holds the default scenario's link, and the app is usable.
    await expect.poll(() => new URL(page.url()).hash).toBe('#preset=default&step=0');
    await page.getByRole('button', { name: 'Presets' }).click();
    await page.getByRole('dialog', { name: 'Scenario gallery' }).getByRole('button', { name: /^small/ }).click();
    await expect(page.getByLabel('Narration')).toContainText('memory as small populated it');
    await idle(page);
    await expect(page.getByRole('alert')).toHaveCount(0);
    expect(await page.title()).toBe('pfnscope');
    expect(errors).toEqual([]);
  });
}

test('a bad link pasted into the open page is refused and the session shown stays', async ({ page }) => {
  await openLink(page, '/#preset=small&step=0');
  const before = await shown(page);
  await page.evaluate(() => {
    location.hash = '#s=%%%';
  });
  await expect(page.getByRole('alert')).toContainText('cannot open the link: the scenario payload is not base64url');
  await idle(page);
  expect(await shown(page)).toEqual(before);
  // A good one opens, at its step with its page.
  await page.evaluate(() => {
    location.hash = '#preset=buddy-split-merge&step=4&pfn=12';
  });
  await expect(app(page)).toHaveAttribute('data-step', '4');
  await expect(page.getByTestId('inspector')).toHaveAttribute('data-pfn', '12');
  await expect(page.getByRole('alert')).toHaveCount(0);
});

test('a step past the end opens the last step, a PFN past the machine selects nothing; the preset stays', async ({ page }) => {
  const errors = consoleErrors(page);
  await openLink(page, '/#preset=lru-anon&step=99999&pfn=99999999');
  const alert = page.getByRole('alert');
  await expect(alert).toHaveText(
    /^the link's step 99999 is past the end of lru-anon \((\d+) steps\): opened at the last step; the link's pfn=99999999 is out of range \(the machine's last PFN is 8191\): nothing is selected$/,
  );
  const last = /\((\d+) steps\)/.exec((await alert.textContent())!)![1]!;
  await expect(app(page)).toHaveAttribute('data-done', 'true');
  await expect(app(page)).toHaveAttribute('data-frontier', last);
  expect(await shown(page)).toMatchObject({ step: last, pfn: null });
  await expect(page.getByLabel('Preset')).toHaveValue('lru-anon');
  // The address bar says what is shown, the preset kept.
  await expect.poll(() => new URL(page.url()).hash).toBe(`#preset=lru-anon&step=${last}`);
  expect(errors).toEqual([]);
});
