// The prediction figure of issue 10, one per real capture in ../shared/reference/real-kernel:
// import the capture's `before` (kpageflags, kpagecount, buddyinfo, pagetypeinfo, zoneinfo), run
// compact_memory on it ({type:'compact'}, compact_nodes), and compare the simulated free blocks
// per order with the capture's after.buddyinfo. The number is Σ|Δ blocks × 2^order| over the
// real free pages (engine/predict.ts); the per-order differences go in the note. design.md has
// no target for it: it is printed as information, the number to drive down.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { comparePrediction, deltaLine } from '../src/engine/predict';
import { openImportedSession } from '../src/engine/session';
import { runToEnd } from '../src/engine/timeline';
import { importDump } from '../src/kernel/import/rebuild';
import { VM_EVENT } from '../src/kernel/vmstat';
import type { Figure } from './report';

const REAL = fileURLToPath(new URL('../../shared/reference/real-kernel/', import.meta.url));

/** Capture folders with the files the prediction needs, by name. */
function captures(): string[] {
  if (!existsSync(REAL)) return [];
  return readdirSync(REAL).filter((d) => ['before.kpageflags', 'before.kpagecount', 'after.buddyinfo'].every((f) => existsSync(`${REAL}${d}/${f}`))).sort();
}

const text = (path: string): string | undefined => (existsSync(path) ? readFileSync(path, 'utf8') : undefined);

export function predictionFigures(): Figure[] {
  return captures().map((name): Figure => {
    const dir = `${REAL}${name}/`;
    const t0 = performance.now();
    const imported = importDump({
      name: `${name}/before`,
      kpageflags: readFileSync(dir + 'before.kpageflags'),
      kpagecount: readFileSync(dir + 'before.kpagecount'),
      buddyinfo: text(dir + 'before.buddyinfo'),
      pagetypeinfo: text(dir + 'before.pagetypeinfo'),
      zoneinfo: text(dir + 'before.zoneinfo'),
    });
    const s = openImportedSession(imported, [{ type: 'compact' }]);
    runToEnd(s.t);
    const ms = performance.now() - t0;
    const p = comparePrediction(s.k, readFileSync(dir + 'after.buddyinfo', 'utf8'));
    const misplaced = p.absDeltaPages.reduce((a, b) => a + b, 0);
    const ev = s.k.events.a;
    return {
      what: `prediction error, ${name}`,
      value: p.error * 100,
      unit: '%',
      note: `Σ|Δ| ${misplaced} of ${p.realFreePages} real free pages (simulated ${p.simulatedFreePages}); ${deltaLine(p)}; ${ev[VM_EVENT.PGMIGRATE_SUCCESS]} migrated, ${ev[VM_EVENT.PGMIGRATE_FAIL]} failed; import + compaction ${ms.toFixed(0)} ms`,
    };
  });
}
