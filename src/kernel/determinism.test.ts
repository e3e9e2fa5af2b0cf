// The determinism rule (prng.ts): the state at step N is a pure function of (scenario, N), so
// the simulated kernel and the engine never read a clock or an unseeded random source.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('..', import.meta.url));
const FORBIDDEN = /\bMath\.random\b|\bnew\s+Date\b|\bDate\.now\b|\bDate\s*\(/;

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return sources(p);
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) ? [p] : [];
  });
}

/** Blank out comments so that a comment naming the rule is not a violation of it. */
function stripComments(src: string): string {
  return src.replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, ' ')).replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
}

describe('determinism', () => {
  it('the comment stripper keeps code and drops comments', () => {
    expect(FORBIDDEN.test(stripComments('const x = Math.random(); // fine'))).toBe(true);
    expect(FORBIDDEN.test(stripComments('// Never Math.random here\n/* nor Date.now() */ const y = 1;'))).toBe(false);
    expect(FORBIDDEN.test(stripComments('const t = new Date();'))).toBe(true);
  });

  it.each(['kernel', 'engine'])('src/%s uses neither Math.random nor Date', (dir) => {
    const files = sources(join(SRC, dir));
    expect(files.length).toBeGreaterThan(0);
    const hits = files.flatMap((f) => stripComments(readFileSync(f, 'utf8')).split('\n')
      .flatMap((line, i) => (FORBIDDEN.test(line) ? [`${f}:${i + 1}: ${line.trim()}`] : [])));
    expect(hits).toEqual([]);
  });
});
