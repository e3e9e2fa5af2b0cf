// The docs name CLI options and presets; this checks each one against the code at test time, so a
// renamed option or preset fails here instead of leaving a stale sentence. The option list is the
// parser's own (parseArgs), not a copy: options other helpers add are picked up as they land.
//
// Presets, by rule (a backticked word in prose is too often an action, a design or a field):
//  1. every `#preset=NAME` anywhere;
//  2. the SOURCE of every `npm run --silent sim -- NAME …` example (a lowercase name: not a path,
//     URL, option or placeholder);
//  3. every backticked token in a row of the Presets table of docs/scenarios.md;
//  4. every backticked kebab-case token (`lru-anon`) that is not a preset must be a design, a guard
//     kind, an action type or one of OTHER_NAMES below — so a renamed preset is caught there too.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseArgs, UsageError } from './cli/args';
import { PRESETS } from './engine/presets';
import { DESIGN_NAMES } from './kernel/designs/names';
import { GUARD_KINDS } from './kernel/guards';

const ROOT = join(import.meta.dirname, '..');
const DOCS = ['README.md', ...readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => join('docs', f))];
const text = (f: string): string => readFileSync(join(ROOT, f), 'utf8');

/** Options of other programs that the docs show (npm's, vite's, scripts'). */
const FOREIGN_OPTIONS: Readonly<Record<string, string>> = {
  '--silent': 'npm run',
  '--check': 'scripts/kernel-lines.ts',
  '--port': 'vite preview',
  '--strictPort': 'vite preview',
  '--js-flags': 'chromium',
  '--efficiency-mode': "chromium's --js-flags (V8)",
  '--reporter': 'vitest run',
  '--outputFile': 'vitest run',
};

/** Kebab-case words in backticks that are neither presets, designs, guards nor action types. */
const OTHER_NAMES = new Set(['imported-i' /* an imported process */, 'compound-array' /* --compare's tracking kind */]);

/** Action types, read from the scenario schema's source (every `type: z.literal(…)`). */
const ACTION_TYPES = new Set([...text('src/engine/scenario.ts').matchAll(/type: z\.literal\('([a-z-]+)'\)/g)].map((m) => m[1]!));

/** Is OPT accepted by the CLI's parser? Only an unknown option is refused with "unknown option". */
export function cliAccepts(opt: string): boolean {
  for (const argv of [[opt], [opt, '1'], [opt, 'x']]) {
    try {
      parseArgs(argv);
      return true;
    } catch (e) {
      if (!(e instanceof UsageError)) throw e;
      if (!/unknown option/.test(e.message)) return true;
    }
  }
  return false;
}

/** `--foo` tokens, outside URLs. */
export function optionsNamed(md: string): string[] {
  return [...md.matchAll(/(?<![\w/-])(--[a-zA-Z][\w-]*)/g)].map((m) => m[1]!);
}

/** Preset names the rules above find in one document. */
export function presetsNamed(file: string, md: string): { name: string; rule: string }[] {
  const out: { name: string; rule: string }[] = [];
  for (const m of md.matchAll(/#preset=([\w.-]+)/g)) out.push({ name: m[1]!, rule: '#preset=' });
  for (const m of md.matchAll(/npm run --silent sim -- ([^\s`'"]+)/g)) {
    const src = m[1]!;
    if (/^[a-z0-9][a-z0-9.-]*$/.test(src) && !src.endsWith('.json')) out.push({ name: src, rule: 'sim SOURCE' });
  }
  if (file === join('docs', 'scenarios.md')) {
    const table = md.split('## Presets')[1]?.split('\n## ')[0] ?? '';
    for (const row of table.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| heading'))) {
      for (const m of row.matchAll(/`([^`]+)`/g)) out.push({ name: m[1]!, rule: 'Presets table' });
    }
  }
  return out;
}

/** Backticked kebab-case tokens that are none of the known kinds of name. */
export function unknownNames(md: string, presets: ReadonlySet<string>): string[] {
  const known = (w: string): boolean => presets.has(w) || (DESIGN_NAMES as readonly string[]).includes(w) || (GUARD_KINDS as readonly string[]).includes(w) || ACTION_TYPES.has(w) || OTHER_NAMES.has(w);
  return [...md.matchAll(/`([a-z][a-z0-9]*(?:-[a-z0-9.]+)+)`/g)].map((m) => m[1]!).filter((w) => !/\.(ts|md|json|c|h)$/.test(w) && !known(w));
}

const presetNames = new Set(PRESETS.map((p) => p.name));

describe('docs name only options and presets that exist', () => {
  it('the checks can fail: an unknown option, a renamed preset', () => {
    expect(cliAccepts('--no-such-option')).toBe(false);
    expect(cliAccepts('--trace')).toBe(true);
    expect(cliAccepts('--until')).toBe(true);
    const renamed = text('README.md').replaceAll('lru-anon', 'lru-anonymous');
    expect(presetsNamed('README.md', renamed).some((p) => !presetNames.has(p.name))).toBe(true);
    expect(unknownNames(renamed, presetNames)).toContain('lru-anonymous');
    const table = text('docs/scenarios.md').replace('`hugetlb` |', '`hugetlb-pool` |');
    expect(presetsNamed(join('docs', 'scenarios.md'), table).filter((p) => !presetNames.has(p.name)).map((p) => p.name)).toEqual(['hugetlb-pool']);
  });

  for (const file of DOCS) {
    it(`${file}: every --option is accepted by the CLI parser`, () => {
      const md = text(file);
      const bad = [...new Set(optionsNamed(md))].filter((o) => !(o in FOREIGN_OPTIONS) && !cliAccepts(o));
      expect(bad).toEqual([]);
    });
    it(`${file}: every preset named exists`, () => {
      const md = text(file);
      const bad = presetsNamed(file, md).filter((p) => !presetNames.has(p.name)).map((p) => `${p.name} (${p.rule})`);
      expect(bad).toEqual([]);
      expect(unknownNames(md, presetNames)).toEqual([]);
    });
  }

  it('docs/scenarios.md lists presets in its table', () => {
    expect(presetsNamed(join('docs', 'scenarios.md'), text('docs/scenarios.md')).filter((p) => p.rule === 'Presets table').length).toBeGreaterThan(10);
  });

  it('README.md has exactly the two set-up commands', () => {
    const blocks = [...text('README.md').matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!.trim());
    expect(blocks).toEqual(['npm install && npm run dev', 'npm install && npm test']);
  });
});

// docs/testing.md: every environment variable the test set-up reads is explained there, so a new
// one (E2E_REUSE was found undocumented once) cannot land silently.
const SETUP_FILES = ['playwright.config.ts', 'vite.config.ts', 'src/reference.gate.ts', '.ci/run', ...readdirSync(join(ROOT, 'scripts')).map((f) => join('scripts', f))];

/** The environment variables a source reads: `process.env.X`, `env.X` (a passed-in env), `export X=`. */
export function envNamed(src: string): string[] {
  return [...src.matchAll(/\b(?:process\.env\.|env\.|export )([A-Z][A-Z0-9_]*[A-Z0-9])\b/g)].map((m) => m[1]!).filter((v) => v !== 'PROD' && v !== 'DEV');
}

describe('docs/testing.md explains every environment variable the tests read', () => {
  it('the check can fail: a variable it does not name', () => {
    expect(envNamed("const x = process.env.E2E_NEW ?? 1;\nexport FOO_CI=1\nenv.PFNSCOPE_X === '1'")).toEqual(['E2E_NEW', 'FOO_CI', 'PFNSCOPE_X']);
    expect(text('docs/testing.md')).not.toContain('`E2E_NEW`');
  });
  it('each variable of the set-up files is in its table, E2E_REUSE among them', () => {
    const vars = new Set(SETUP_FILES.flatMap((f) => envNamed(text(f))));
    expect(vars).toContain('E2E_REUSE');
    expect(vars).toContain('PFNSCOPE_CI');
    const table = text('docs/testing.md').split('\n').filter((l) => l.startsWith('| `'));
    expect([...vars].filter((v) => !table.some((row) => row.split('|')[1]!.includes(`\`${v}\``)))).toEqual([]);
  });
});
