// The static import graph of a module, read from the sources (no build): what the bundler puts in
// the chunk that module starts, and the import()s that start chunks loaded later. Used by the
// page's test (src/ui/lazy.test.ts) and the sim worker's (src/worker/parts.test.ts).
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

const ROOT = join(import.meta.dirname, '..');

interface Imports {
  readonly modules: string[];
  readonly packages: string[];
  readonly dynamic: string[];
}

function resolveFrom(from: string, spec: string): string {
  const base = join(dirname(join(ROOT, from)), spec);
  const file = [base, `${base}.ts`, `${base}.tsx`, join(base, 'index.ts')].find((f) => existsSync(f) && statSync(f).isFile());
  if (!file) throw new Error(`${from}: cannot resolve ${spec}`);
  return relative(ROOT, file);
}

/** The value imports of a module (type-only ones left out: they leave no code), and its import()s. */
function importsOf(file: string): Imports {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const modules: string[] = [];
  const packages: string[] = [];
  const dynamic: string[] = [];
  const add = (spec: string): void => {
    if (spec.endsWith('.css')) return;
    if (spec.startsWith('.')) modules.push(resolveFrom(file, spec));
    else packages.push(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!);
  };
  const stmt = /^\s*(?:import|export)\s+(type\s+)?([^'";]*?)\s*from\s*['"]([^'"]+)['"]/gm;
  for (const m of text.matchAll(stmt)) {
    if (m[1]) continue;
    const braces = /^\{([^}]*)\}$/.exec(m[2]!.trim());
    const names = braces ? braces[1]!.split(',').map((s) => s.trim()).filter(Boolean) : null;
    if (names && names.length > 0 && names.every((n) => n.startsWith('type '))) continue;
    add(m[3]!);
  }
  for (const m of text.matchAll(/^\s*import\s*['"]([^'"]+)['"]/gm)) add(m[1]!);
  for (const m of text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)) dynamic.push(resolveFrom(file, m[1]!));
  return { modules, packages, dynamic };
}

/** Every module and package reachable from `entry` by static value imports; the import()s met on the way. */
export function staticGraph(entry: string): { modules: Set<string>; packages: Set<string>; dynamic: Set<string> } {
  const modules = new Set<string>([entry]);
  const packages = new Set<string>();
  const dynamic = new Set<string>();
  const todo = [entry];
  while (todo.length > 0) {
    const i = importsOf(todo.pop()!);
    for (const p of i.packages) packages.add(p);
    for (const d of i.dynamic) dynamic.add(d);
    for (const m of i.modules) {
      if (!modules.has(m)) {
        modules.add(m);
        todo.push(m);
      }
    }
  }
  return { modules, packages, dynamic };
}
