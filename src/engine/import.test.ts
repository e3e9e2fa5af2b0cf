// Imported memory is ordinary scenario state: a session opened on a real capture's `before`
// runs compact_memory, and the real runs' facts hold (many pages moved, ramfs pages failing).

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { importDump } from '../kernel/import/rebuild';
import type { DumpFiles } from '../kernel/import/types';
import { checkInvariants } from '../kernel/invariants';
import { VM_EVENT } from '../kernel/vmstat';
import { openImportedSession } from './session';
import { runToEnd, allSteps } from './timeline';

const ROOT = fileURLToPath(new URL('../../../shared/reference/real-kernel/', import.meta.url));
const CAPTURES = existsSync(ROOT) ? readdirSync(ROOT).filter((d) => existsSync(`${ROOT}${d}/before.kpageflags`)).sort() : [];

function before(dir: string): DumpFiles {
  const p = `${ROOT}${dir}/before`;
  const text = (ext: string): string | undefined => (existsSync(p + ext) ? readFileSync(p + ext, 'utf8') : undefined);
  return {
    name: `${dir}/before`,
    kpageflags: new Uint8Array(readFileSync(p + '.kpageflags')),
    kpagecount: new Uint8Array(readFileSync(p + '.kpagecount')),
    buddyinfo: text('.buddyinfo'),
    pagetypeinfo: text('.pagetypeinfo'),
    zoneinfo: text('.zoneinfo'),
  };
}

describe.skipIf(CAPTURES.length === 0)('sessions on imported memory', () => {
  test.each(CAPTURES)('%s/before: compact_memory runs on the imported memory and every invariant holds at the end', (dir) => {
    const r = importDump(before(dir));
    const s = openImportedSession(r, [{ type: 'compact' }]);
    expect(s.imported).toBe(r.report);
    expect(s.scenario.memory.pfns).toBe(131072);
    runToEnd(s.t);
    expect(allSteps(s.t).length).toBeGreaterThan(100);
    expect(s.k.events.a[VM_EVENT.PGMIGRATE_SUCCESS]).toBeGreaterThan(1000);
    // The real runs failed on dirty ramfs pages only (~660 and ~1090): so does the model.
    expect(s.k.events.a[VM_EVENT.PGMIGRATE_FAIL]).toBeGreaterThan(0);
    expect(checkInvariants(s.k)).toEqual([]);
  }, 120_000);
});
