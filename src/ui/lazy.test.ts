// The parts loaded on first use (lazy.tsx) stay out of the entry chunk: no module of them, and no
// engine or kernel code (the worker's), is reachable from src/ui/main.tsx through static imports
// that carry values. A static import of any of them from the page's first-frame code would put it
// back in the entry chunk, which the bundler builds from exactly this graph. Read from the
// sources, so the test needs no build.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const ENTRY = 'src/ui/main.tsx';

/** Every module the parts own (each loaded by lazy.tsx's import()). */
const SPLIT = [
  'src/ui/editor/ScenarioEditor.tsx', 'src/ui/editor/EditorForm.tsx', 'src/ui/editor/editorStore.ts', 'src/ui/editor/scenarioText.ts',
  'src/ui/import/ImportDialog.tsx', 'src/ui/import/MatchPanel.tsx', 'src/ui/import/verdict.ts',
  'src/ui/results/ResultPanel.tsx', 'src/ui/results/resultChart.ts',
  'src/ui/FootprintPanel.tsx', 'src/ui/MigrateVma.tsx',
  'src/ui/compare/CompareView.tsx', 'src/ui/compare/CompareGrid.tsx', 'src/ui/compare/diff.ts',
  'src/ui/teach/Tour.tsx',
  'src/ui/code/CodePanel.tsx', 'src/ui/code/codeAt.ts', 'src/ui/code/outlines.ts', 'src/ui/code/outlines-mm.ts',
  'src/ui/code/outlines-migrate.ts', 'src/ui/code/outlines-drivers.ts', 'src/ui/code/outlines-pgtable.ts', 'src/ui/code/kernel-lines.gen.ts',
];

/** Engine and kernel modules the page may import values from: constants it draws with. */
const PAGE_MAY_USE = new Set(['src/kernel/classes.ts', 'src/worker/protocol.ts']);

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
function staticGraph(entry: string): { modules: Set<string>; packages: Set<string>; dynamic: Set<string> } {
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

describe('the entry chunk', () => {
  const entry = staticGraph(ENTRY);

  it('reaches none of the parts loaded on first use', () => {
    expect(SPLIT.filter((m) => entry.modules.has(m))).toEqual([]);
  });

  it('carries no engine or kernel code and neither zod nor fflate', () => {
    const worker = [...entry.modules].filter((m) => /^src\/(engine|kernel|worker)\//.test(m) && !PAGE_MAY_USE.has(m));
    expect(worker).toEqual([]);
    expect([...entry.packages].filter((p) => p === 'zod' || p === 'fflate')).toEqual([]);
  });

  it('still loads every part, through import()', () => {
    // The parts are not gone: each is reachable from the page once its import() runs.
    const all = new Set(entry.modules);
    for (const d of entry.dynamic) for (const m of staticGraph(d).modules) all.add(m);
    expect(SPLIT.filter((m) => !all.has(m))).toEqual([]);
  });
});
