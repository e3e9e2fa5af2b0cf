// The parts loaded on first use (lazy.tsx) stay out of the entry chunk: no module of them, and no
// engine or kernel code (the worker's), is reachable from src/ui/main.tsx through static imports
// that carry values. A static import of any of them from the page's first-frame code would put it
// back in the entry chunk, which the bundler builds from exactly this graph. Read from the
// sources, so the test needs no build.
import { describe, expect, it } from 'vitest';
import { staticGraph } from '../import-graph.testkit';

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
