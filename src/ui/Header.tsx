// Title, the preset picker with the preset's one-line summary, the preset gallery, the scenario
// editor and Share, what memory the grid shows, and the state hash (the same scenario at the same
// step always gives the same hash).
import { togglePanel } from './actions';
import { describeMemory } from './format';
import { ShareButton } from './share/ShareButton';
import { loadPreset } from './state/simClient';
import {
  selectAlive, selectError, selectMeta, selectPanel, selectPreset, selectPresets, selectScenario, useSim, type FrameMeta,
} from './state/store';

function subtitle(meta: FrameMeta | null, failed: boolean, preset: string | null): string {
  if (meta) return describeMemory(meta.nrPfns, meta.zones.map((z) => z.name));
  const name = preset ?? 'chosen';
  return failed ? `The ${name} scenario could not be loaded.` : `Loading the ${name} scenario…`;
}

const selectMemory = (s: { readonly meta: FrameMeta | null }) => (s.meta ? describeMemory(s.meta.nrPfns, s.meta.zones.map((z) => z.name)) : null);
const selectHash = (s: { readonly meta: FrameMeta | null }) => s.meta?.stateHash ?? null;

export function Header() {
  const memory = useSim(selectMemory);
  const hash = useSim(selectHash);
  const failed = useSim(selectError) !== null;
  const preset = useSim(selectPreset);
  return (
    <header className="header">
      <h1>pfnscope</h1>
      <PresetPicker />
      <PresetSummary />
      <ScenarioButtons />
      <p className="subtitle">{memory ?? subtitle(null, failed, preset)}</p>
      {hash && (
        <p className="hash" title="state hash: the same scenario at the same step always gives the same hash">
          state {hash}
        </p>
      )}
    </header>
  );
}

function PresetPicker() {
  const presets = useSim(selectPresets);
  const preset = useSim(selectPreset);
  const alive = useSim(selectAlive);
  return (
    <label className="preset">
      Preset
      <select value={preset ?? ''} disabled={!alive || presets.length === 0} onChange={(e) => loadPreset(e.target.value)}>
        {preset === null && <option value="">(custom scenario)</option>}
        {presets.map((p) => (
          <option key={p.name} value={p.name} title={p.summary}>
            {p.name} — {p.summary}
          </option>
        ))}
      </select>
    </label>
  );
}

/** Presets (the gallery), Scenario (the editor) and Share. */
function ScenarioButtons() {
  const panel = useSim(selectPanel);
  const alive = useSim(selectAlive);
  const loaded = useSim((s) => s.scenario !== null);
  return (
    <div className="scenario-buttons">
      <button type="button" aria-expanded={panel === 'gallery'} disabled={!alive} onClick={() => togglePanel('gallery')} title="Every preset, with what it shows">
        Presets
      </button>
      <button type="button" aria-expanded={panel === 'editor'} disabled={!alive || !loaded} onClick={() => togglePanel('editor')} title="Edit the scenario as a form or JSON; import or export it">
        Edit scenario
      </button>
      <button type="button" aria-expanded={panel === 'footprint'} disabled={!alive || !loaded} onClick={() => togglePanel('footprint')} title="The struct page fields each design variant's migration reads and writes, side by side">
        Footprint
      </button>
      <ShareButton />
    </div>
  );
}

/**
 * The chosen preset's one-line summary, beside the picker (cut with … when long; full text in its
 * title); for a scenario that is no preset, its name and description.
 */
export function PresetSummary() {
  const presets = useSim(selectPresets);
  const preset = useSim(selectPreset);
  const scenario = useSim(selectScenario);
  const custom = preset === null && scenario ? [scenario.name, scenario.description].filter(Boolean).join(': ') : '';
  const summary = presets.find((p) => p.name === preset)?.summary ?? custom;
  if (!summary) return null;
  return (
    <p className="preset-summary" title={summary}>
      {summary}
    </p>
  );
}
