// Layers import one way: kernel ← engine ← worker ← ui (design.md). A file of a layer, its tests
// included, imports nothing from a layer above it. Files at src/'s top (testkits, the gate) belong to
// no layer and may be imported by any.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { expect, test } from 'vitest';

const SRC = import.meta.dirname;
const ORDER = ['kernel', 'engine', 'worker', 'ui'];

const layerOf = (file: string): number => ORDER.indexOf(relative(SRC, file).split('/')[0]!);

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(join(dir, e.name)) : /\.tsx?$/.test(e.name) ? [join(dir, e.name)] : [],
  );
}

test('no file of kernel, engine or worker imports from a layer above its own', () => {
  const wrong: string[] = [];
  let checked = 0;
  for (const layer of ORDER.slice(0, 3)) {
    for (const file of filesUnder(join(SRC, layer))) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/(?:from|import)\s*\(?\s*'(\.[^']+)'/g)) {
        checked++;
        const to = layerOf(resolve(dirname(file), m[1]!));
        if (to > layerOf(file)) wrong.push(`${relative(SRC, file)} imports ${m[1]}`);
      }
    }
  }
  expect(checked).toBeGreaterThan(500);
  expect(wrong).toEqual([]);
});
