// Old links never break: every share link any shipped version produced is kept in a fixture file
// and must still open — parsed, upgraded to the current scenario version, valid, at its step.

import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { parseShareUrl } from './share';
import { openSession } from './session';
import { seek } from './timeline';
import { SCENARIO_VERSION } from './scenario';

const DIR = fileURLToPath(new URL('./fixtures/', import.meta.url));

interface Fixture { readonly v: number; readonly preset: string; readonly url: string }

const files = readdirSync(DIR).filter((f) => /^share-urls-v\d+\.json$/.test(f));

describe('shipped share links', () => {
  test('there is a fixture file for every scenario version up to the current one', () => {
    for (let v = 1; v <= SCENARIO_VERSION; v++) expect(files).toContain(`share-urls-v${v}.json`);
  });

  for (const file of files) {
    const links = (JSON.parse(readFileSync(DIR + file, 'utf8')) as { links: Fixture[] }).links;
    test.each(links.map((l) => [l.preset, l.url]))(`${file}: %s still opens at its step`, (_preset, url) => {
      const st = parseShareUrl(url);
      expect(st.scenario.v).toBe(SCENARIO_VERSION);
      const s = openSession(st.scenario);
      // Every shipped link names a step its timeline has.
      expect(seek(s.t, st.step)).toBe(st.step);
      expect(st.pfn === undefined || st.pfn < s.k.mem.nr).toBe(true);
    });
  }
});
