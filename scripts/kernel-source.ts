// Reading the Linux tree the model follows (a git repository, read with `git show`), for
// scripts/kernel-lines.ts: a function's definition and the lines of its body.
import { execFileSync } from 'node:child_process';

export const LINUX_REPO = process.env.LINUX_REPO ?? '/work/.mirror/leftymods+linux-6.18.y/repo';
/** The tag elixir's links name (src/worker/protocol.ts KERNEL_VERSION). */
export const LINUX_REF = process.env.LINUX_REF ?? 'v6.18';

const files = new Map<string, string[]>();

/** The file's lines at LINUX_REF; lines[0] is line 1. */
export function fileLines(file: string): string[] {
  let l = files.get(file);
  if (!l) {
    const text = execFileSync('git', ['-C', LINUX_REPO, 'show', `${LINUX_REF}:${file}`], { encoding: 'utf8', maxBuffer: 64 << 20 });
    l = text.split('\n');
    if (l[l.length - 1] === '') l.pop();
    files.set(file, l);
  }
  return l;
}

export interface FnSpan {
  /** 1-based line of the definition (the line naming the function). */
  readonly def: number;
  /** 1-based line of its closing brace. */
  readonly end: number;
}

/**
 * Where `sym` is defined in `file`: a line at column 0 (return type before it or on the line
 * above, as kernel style allows) naming `sym(` whose declaration reaches `{` before `;`, or a
 * `#define sym(`. With several (#ifdef'd stubs), the longest body: the real one.
 */
export function findFunction(file: string, sym: string): FnSpan | string {
  const lines = fileLines(file);
  const name = new RegExp(`^(?:[A-Za-z_][\\w \\t*]*[ *\\t])?${sym.replace(/\$/g, '\\$')}\\(`);
  const define = new RegExp(`^#define\\s+${sym}\\(`);
  let best: FnSpan | null = null;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (define.test(l)) {
      let e = i;
      while (lines[e]!.endsWith('\\')) e++;
      const span = { def: i + 1, end: e + 1 };
      if (!best || span.end - span.def > best.end - best.def) best = span;
      continue;
    }
    if (!name.test(l)) continue;
    let j = i;
    while (j < lines.length && !lines[j]!.includes('{') && !lines[j]!.trimEnd().endsWith(';')) j++;
    if (j >= lines.length || !lines[j]!.includes('{') || lines[j]!.trimEnd().endsWith(';')) continue;
    let e = j;
    while (e < lines.length && lines[e] !== '}') e++;
    const span = { def: i + 1, end: e + 1 };
    if (!best || span.end - span.def > best.end - best.def) best = span;
  }
  return best ?? `${sym}() is not defined in ${file} at ${LINUX_REF}`;
}

const squash = (s: string): string => s.replace(/\s+/g, ' ').trim();

/**
 * The first line of the function's body holding `anchor` (whitespace-insensitive), searching
 * from `from` (1-based, inclusive); an error sentence when it is not there.
 */
export function findAnchor(file: string, span: FnSpan, anchor: string, from = span.def): number | string {
  const lines = fileLines(file);
  const a = squash(anchor);
  for (let n = Math.max(from, span.def); n <= span.end; n++) {
    if (squash(lines[n - 1]!).includes(a)) return n;
  }
  return `'${anchor}' is not in lines ${span.def}–${span.end} of ${file}`;
}
