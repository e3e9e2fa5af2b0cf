// The order vitest starts test files in: longest first, by the durations last measured
// (scripts/test-durations.json). Two workers take the next file as each frees up, so a long file
// started last runs alone at the end: on a fresh clone vitest knows no durations and orders by
// file size, which started scale.test.ts (~25 s) last and left one core idle for 10 s.
// Files with no measured duration (new ones) go first, as vitest's own sequencer does.
import { BaseSequencer, type TestSpecification } from 'vitest/node';
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';

const DURATIONS_FILE = new URL('./test-durations.json', import.meta.url);

/** Seconds per test file (paths relative to the repository), as `measureDurations` wrote them. */
export function readDurations(): Record<string, number> {
  try {
    return JSON.parse(readFileSync(DURATIONS_FILE, 'utf8')) as Record<string, number>;
  } catch {
    return {}; // no file: every file is unknown, vitest's order by size stands
  }
}

/** Unknown files first (in the order given), then known ones, longest first; ties keep their order. */
export function longestFirst<T>(files: readonly T[], pathOf: (f: T) => string, seconds: Record<string, number>): T[] {
  const known = (f: T) => Object.hasOwn(seconds, pathOf(f));
  return files
    .map((f, i) => ({ f, i }))
    .sort((a, b) => {
      const ka = known(a.f), kb = known(b.f);
      if (ka !== kb) return ka ? 1 : -1;
      if (ka) {
        const d = seconds[pathOf(b.f)]! - seconds[pathOf(a.f)]!;
        if (d !== 0) return d;
      }
      return a.i - b.i;
    })
    .map((x) => x.f);
}

export class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const bySize = await super.sort(files); // projects in vitest's order, isolated ones first
    const seconds = readDurations();
    const root = this.ctx.config.root;
    // Projects run one after another: reorder within each, keeping the projects' order.
    const out: TestSpecification[] = [];
    for (let i = 0; i < bySize.length; ) {
      let j = i;
      while (j < bySize.length && bySize[j]!.project.name === bySize[i]!.project.name) j++;
      out.push(...longestFirst(bySize.slice(i, j), (f) => relative(root, f.moduleId), seconds));
      i = j;
    }
    return out;
  }
}
