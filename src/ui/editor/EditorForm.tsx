// The editor's form: the main knobs of a scenario (name, memory size, seed, design variant, how
// populate fills memory) and its actions as JSON. It reads and writes the editor's one JSON text, so the form and
// the JSON never disagree; while the JSON does not parse, the form waits (the JSON shows why).
import { useState } from 'react';
import { formatBytes, PAGE_SIZE } from '../format';
import { selectVariants, useSim } from '../state/store';
import { setDraftText, useEditor } from './editorStore';
import {
  formatActions, formatScenario, inline, inOrder, knobValue, MEMORY_KNOBS, parseJson, POPULATE_KNOBS, setField, withKnob,
  type Json, type Knob,
} from './scenarioText';

type JsonObject = { readonly [k: string]: Json };

export function EditorForm() {
  const text = useEditor((s) => s.text);
  const parsed = parseJson(text);
  const obj: JsonObject | null =
    parsed.ok && parsed.value !== null && typeof parsed.value === 'object' && !Array.isArray(parsed.value) ? (parsed.value as JsonObject) : null;
  const update = (next: JsonObject): void => setDraftText(formatScenario(next));
  return (
    <form className="editor-form" aria-label="Scenario form" onSubmit={(e) => e.preventDefault()}>
      {!obj && <p className="hint">The JSON {parsed.ok ? 'is not an object' : 'has a syntax error'}: fix it there, or Revert.</p>}
      <fieldset disabled={!obj}>
        <label className="knob wide">
          <span>Name</span>
          <input
            type="text"
            value={obj && typeof obj.name === 'string' ? obj.name : ''}
            maxLength={80}
            spellCheck={false}
            onChange={(e) => obj && update(inOrder(setField(obj, 'name', e.target.value === '' ? undefined : e.target.value)))}
          />
        </label>
        {MEMORY_KNOBS.map((k) => (
          <KnobInput key={k.path.join('.')} k={k} obj={obj} update={update} hint={k.path[0] === 'memory' ? memoryHint(obj) : undefined} />
        ))}
        <VariantSelect obj={obj} update={update} />
      </fieldset>
      <fieldset disabled={!obj} className="populate">
        <legend title="populate: how memory is filled before the first action; an empty field takes the default">
          Populate <span className="muted">(empty = default)</span>
        </legend>
        {POPULATE_KNOBS.map((k) => (
          <KnobInput key={k.path.join('.')} k={k} obj={obj} update={update} />
        ))}
      </fieldset>
      <ActionsInput obj={obj} update={update} />
    </form>
  );
}

/** The design variant the movable_ops paths follow; the worker lists the ones its schema has. */
function VariantSelect({ obj, update }: { readonly obj: JsonObject | null; readonly update: (next: JsonObject) => void }) {
  const variants = useSim(selectVariants);
  if (variants.length === 0) return null;
  const value = obj?.variant;
  const current = typeof value === 'string' ? value : value === undefined ? '' : inline(value);
  return (
    <label className="knob wide" title="variant: the design the movable_ops paths follow (mainline, or a proposed design)">
      <span>Design variant</span>
      <select
        value={current}
        onChange={(e) => obj && update(inOrder(setField(obj, 'variant', e.target.value === '' ? undefined : e.target.value)))}
      >
        <option value="">default ({variants[0]})</option>
        {variants.map((v) => (
          <option key={v} value={v}>
            {v}
          </option>
        ))}
        {current !== '' && !variants.includes(current) && <option value={current}>{current} (unknown)</option>}
      </select>
    </label>
  );
}

function memoryHint(obj: JsonObject | null): string | undefined {
  const m = obj?.memory;
  const pfns = m !== null && typeof m === 'object' && !Array.isArray(m) ? (m as JsonObject).pfns : undefined;
  return typeof pfns === 'number' && Number.isFinite(pfns) && pfns > 0 ? formatBytes(pfns * PAGE_SIZE) : undefined;
}

function KnobInput({ k, obj, update, hint }: {
  readonly k: Knob;
  readonly obj: JsonObject | null;
  readonly update: (next: JsonObject) => void;
  readonly hint?: string | undefined;
}) {
  return (
    <label className="knob" title={k.title}>
      <span>{k.label}</span>
      <input
        type="number"
        step={k.step}
        min={k.min}
        max={k.max}
        placeholder={k.required ? '' : 'default'}
        value={obj ? knobValue(obj, k) : ''}
        onChange={(e) => obj && update(withKnob(obj, k, e.target.value))}
      />
      {hint !== undefined && <span className="knob-hint muted">{hint}</span>}
    </label>
  );
}

/**
 * The actions as JSON, one a line. While what is typed does not parse, it stays here with the
 * reason and the scenario keeps its last actions; once it parses it goes into the scenario.
 */
function ActionsInput({ obj, update }: { readonly obj: JsonObject | null; readonly update: (next: JsonObject) => void }) {
  const [typed, setTyped] = useState<string | null>(null);
  const fromScenario = obj ? (obj.actions === undefined ? '[]' : formatActions(obj.actions)) : '';
  const local = typed === null ? null : parseJson(typed);
  return (
    <div className="knob actions">
      <label htmlFor="scenario-actions">
        Actions <span className="muted">(JSON, one a line)</span>
      </label>
      <textarea
        id="scenario-actions"
        value={typed ?? fromScenario}
        disabled={!obj}
        spellCheck={false}
        wrap="off"
        onChange={(e) => {
          const t = e.target.value;
          setTyped(t);
          const r = parseJson(t);
          if (r.ok && obj) update(inOrder(setField(obj, 'actions', r.value)));
        }}
        onBlur={() => {
          if (local?.ok !== false) setTyped(null);
        }}
      />
      {local && !local.ok && <span className="knob-error">actions: not valid JSON yet ({local.error})</span>}
    </div>
  );
}
