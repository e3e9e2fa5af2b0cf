// The seam's rule (docs/design-lab.md): core files reach designs only through the registry, so a
// design is added or changed without touching them.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DESIGNS, designOf } from '.';
import { DESIGN_NAMES } from './names';

const SRC = fileURLToPath(new URL('../..', import.meta.url));

/** Core files: src/kernel/*.ts (designs/ and other folders aside) and src/engine/*.ts, tests aside. */
const coreFiles = (): string[] => ['kernel', 'engine'].flatMap((dir) =>
  readdirSync(join(SRC, dir)).filter((f) => /\.ts$/.test(f) && !/\.test\.ts$/.test(f)).map((f) => join(SRC, dir, f)));

/** Module specifiers that reach past the registry into a design's own folder (or its types file). */
const IMPORT = /\bfrom\s+['"]([^'"]+)['"]|\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g;
function designImports(src: string): string[] {
  return [...src.matchAll(IMPORT)].map((m) => m[1] ?? m[2]!).filter((s) => /(^|\/)designs\/(?!(index|names)$)[^/]+/.test(s));
}

describe('the design seam', () => {
  it('tells a registry import from a design import', () => {
    expect(designImports("import { designOf } from '../kernel/designs';\nimport { x } from './designs/index';\nimport { DESIGN_NAMES } from '../kernel/designs/names';")).toEqual([]);
    expect(designImports("import { linux612 } from './designs/linux-6.12';")).toEqual(['./designs/linux-6.12']);
    expect(designImports("const m = await import('../kernel/designs/no-refcount/index');")).toEqual(['../kernel/designs/no-refcount/index']);
    expect(designImports("import type { Design } from './designs/types';")).toEqual(['./designs/types']);
  });

  it('no core file imports a design module other than the registry', () => {
    const files = coreFiles();
    expect(files.length).toBeGreaterThan(50);
    const hits = files.flatMap((f) => designImports(readFileSync(f, 'utf8')).map((s) => `${f}: ${s}`));
    expect(hits).toEqual([]);
  });

  it('names each design once and finds it by name', () => {
    expect(DESIGNS.map((d) => d.name)).toEqual([...DESIGN_NAMES]);
    expect(new Set(DESIGN_NAMES).size).toBe(DESIGNS.length);
    for (const name of DESIGN_NAMES) expect(designOf(name).name).toBe(name);
    expect(() => designOf('linux-9.9' as never)).toThrow('no design named "linux-9.9"');
  });
});
