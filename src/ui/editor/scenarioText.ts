// The scenario editor's text, as plain JSON: how it is laid out (one action per line, so a
// scenario reads like the README's), which knobs the form edits and how a knob's change is
// written back. Nothing here knows the schema: the worker checks every text with the engine's
// parser (validate), so the form can never accept what a link or the CLI would refuse.

export type Json = null | boolean | number | string | readonly Json[] | { readonly [k: string]: Json };
type JsonObject = { readonly [k: string]: Json };

/** One line: `{"type": "alloc", "order": 0}` (a space after ':' and ','). */
export function inline(v: Json): string {
  if (Array.isArray(v)) return `[${v.map(inline).join(', ')}]`;
  if (v !== null && typeof v === 'object') {
    return `{${Object.entries(v as JsonObject).map(([k, x]) => `${JSON.stringify(k)}: ${inline(x)}`).join(', ')}}`;
  }
  return JSON.stringify(v);
}

/** A list of actions, one a line. */
export function formatActions(actions: Json): string {
  if (!Array.isArray(actions) || actions.length === 0) return inline(actions);
  return `[\n${actions.map((a) => `  ${inline(a)}`).join(',\n')}\n]`;
}

/** A scenario: one top-level field a line, its actions one a line. Any JSON value is accepted. */
export function formatScenario(value: Json): string {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return inline(value);
  const fields = Object.entries(value as JsonObject).map(([k, v]) => {
    const body = k === 'actions' ? formatActions(v).replace(/\n/g, '\n  ') : inline(v);
    return `  ${JSON.stringify(k)}: ${body}`;
  });
  return fields.length === 0 ? '{}' : `{\n${fields.join(',\n')}\n}`;
}

export type Parsed = { readonly ok: true; readonly value: Json } | { readonly ok: false; readonly error: string };

export function parseJson(text: string): Parsed {
  try {
    return { ok: true, value: JSON.parse(text) as Json };
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message : String(e) };
  }
}

/** A number the form edits: where it lives in the scenario and how the input offers it. */
export interface Knob {
  readonly path: readonly [string] | readonly [string, string];
  readonly label: string;
  readonly title: string;
  readonly step: number;
  readonly min: number;
  readonly max: number;
  /** Required fields stay in the JSON when cleared (as null, so the check names them). */
  readonly required?: boolean;
}

const SHARE = { step: 0.01, min: 0, max: 0.9 } as const;

export const MEMORY_KNOBS: readonly Knob[] = [
  { path: ['memory', 'pfns'], label: 'Memory (PFNs)', title: 'memory.pfns: 4 KiB pages, a multiple of 512 from 2,048 (8 MiB) to 4 Mi (16 GiB)', step: 512, min: 2048, max: 4194304, required: true },
  { path: ['seed'], label: 'Seed', title: 'seed: the PRNG seed of populate; the same seed gives the same memory', step: 1, min: 0, max: 4294967295, required: true },
];

export const POPULATE_KNOBS: readonly Knob[] = [
  { path: ['populate', 'anon'], label: 'anon', title: 'populate.anon: share of memory in anonymous pages', ...SHARE },
  { path: ['populate', 'file'], label: 'file', title: 'populate.file: share of memory in page cache', ...SHARE },
  { path: ['populate', 'shmem'], label: 'shmem', title: 'populate.shmem: share of memory in shmem/tmpfs', ...SHARE },
  { path: ['populate', 'ramfs'], label: 'ramfs', title: 'populate.ramfs: share of memory in ramfs (unevictable)', ...SHARE },
  { path: ['populate', 'slab'], label: 'slab', title: 'populate.slab: share of memory in slab', ...SHARE },
  { path: ['populate', 'kernel'], label: 'kernel', title: 'populate.kernel: share of memory in other kernel allocations', ...SHARE },
  { path: ['populate', 'largeAnon'], label: 'large anon', title: 'populate.largeAnon: fraction of anonymous memory in large folios (mTHP, THP)', step: 0.05, min: 0, max: 1 },
  { path: ['populate', 'churn'], label: 'churn', title: 'populate.churn: how much alloc/free churn fragments free memory (0 = fresh boot)', step: 0.05, min: 0, max: 1 },
  { path: ['populate', 'processes'], label: 'processes', title: 'populate.processes: how many processes own the anonymous memory', step: 1, min: 1, max: 4096 },
  { path: ['populate', 'files'], label: 'files', title: 'populate.files: how many files the page cache belongs to', step: 1, min: 1, max: 4096 },
  { path: ['populate', 'forks'], label: 'forks', title: 'populate.forks: how many processes fork at the end (their anonymous pages are then mapped twice)', step: 1, min: 0, max: 64 },
];

const isObject = (v: Json | undefined): v is JsonObject => v !== null && typeof v === 'object' && !Array.isArray(v);

/** The knob's value in a scenario: a number, '' when absent, or the raw text of anything else. */
export function knobValue(scenario: Json, k: Knob): string {
  if (!isObject(scenario)) return '';
  const [a, b] = k.path;
  const v = b === undefined ? scenario[a] : isObject(scenario[a]) ? (scenario[a] as JsonObject)[b] : undefined;
  if (v === undefined) return '';
  return typeof v === 'number' ? String(v) : inline(v);
}

/**
 * The scenario with the knob set to `input` (what the person typed). '' removes an optional
 * field (the default applies) and an emptied `populate` with it; a required field becomes null.
 * Text that is not a number is kept as a string, so the check names the field.
 */
export function withKnob(scenario: JsonObject, k: Knob, input: string): JsonObject {
  const t = input.trim();
  const n = Number(t);
  const value: Json | undefined = t === '' ? (k.required ? null : undefined) : Number.isFinite(n) ? n : t;
  const [a, b] = k.path;
  if (b === undefined) return inOrder(setField(scenario, a, value));
  const inner = isObject(scenario[a]) ? (scenario[a] as JsonObject) : {};
  const next = setField(inner, b, value);
  return inOrder(setField(scenario, a, Object.keys(next).length === 0 && !k.required ? undefined : next));
}

/** The order the schema lists a scenario's fields in; a field the form adds goes to its place. */
const FIELD_ORDER = ['v', 'name', 'description', 'memory', 'seed', 'populate', 'variant', 'actions'];

/** Known fields in FIELD_ORDER, then any others as they were (the check will name them). */
export function inOrder(o: JsonObject): JsonObject {
  const out: Record<string, Json> = {};
  for (const k of FIELD_ORDER) if (k in o) out[k] = o[k]!;
  for (const [k, v] of Object.entries(o)) if (!(k in out)) out[k] = v;
  return out;
}

/** The object with `key` set (kept in place when it exists, else appended) or removed (undefined). */
export function setField(o: JsonObject, key: string, value: Json | undefined): JsonObject {
  const out: Record<string, Json> = {};
  let seen = false;
  for (const [k, v] of Object.entries(o)) {
    if (k === key) {
      seen = true;
      if (value !== undefined) out[k] = value;
    } else out[k] = v;
  }
  if (!seen && value !== undefined) out[key] = value;
  return out;
}

/** `lru-anon.json`; a name with other characters is reduced to letters, digits, '-' and '_'. */
export function exportFileName(scenario: Json): string {
  const name = isObject(scenario) && typeof scenario.name === 'string' ? scenario.name : '';
  const slug = name.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60);
  return `${slug || 'scenario'}.json`;
}
