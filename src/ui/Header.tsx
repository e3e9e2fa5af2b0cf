// Title, the preset picker (grouped) with the preset's one-line summary, the preset gallery, the tour, Import, the scenario editor, Replay trace
// and Share,
// what memory the grid shows (for imported memory: the capture's name, which opens its match
// report), and the state hash (the same scenario at the same step always gives the same hash).
import { togglePanel } from './actions';
import { describeMemory, formatBytes, formatCount, PAGE_SIZE } from './format';
import { groupPresets } from './presetGroups';
import { ReplayButton } from './ReplayButton';
import { ShareButton } from './share/ShareButton';
import { TourButton } from './teach/TourButton';
import { loadPreset } from './state/simClient';
import {
  selectAlive, selectError, selectImported, selectImporting, selectMeta, selectPanel, selectPreset, selectPresets, selectReplay, selectScenario, useSim,
  type FrameMeta,
} from './state/store';
import { ResultButton } from './results/ResultButton';
import { CompareButton } from './compare/CompareButton';

function subtitle(meta: FrameMeta | null, failed: boolean, preset: string | null): string {
  if (meta) return describeMemory(meta.nrPfns, meta.zones.map((z) => z.name));
  const name = preset ?? 'chosen';
  return failed ? `The ${name} scenario could not be loaded.` : `Loading the ${name} scenario…`;
}

const selectMemory = (s: { readonly meta: FrameMeta | null }) => (s.meta ? describeMemory(s.meta.nrPfns, s.meta.zones.map((z) => z.name)) : null);
const selectHash = (s: { readonly meta: FrameMeta | null }) => s.meta?.stateHash ?? null;
/**
 * Imported memory, after its name: size and zones. The PFN count is left to the title (and the
 * match report): the header has no room for the name and all three at 1280 px.
 */
const selectImportedMemory = (s: { readonly meta: FrameMeta | null }) =>
  s.meta ? `${formatBytes(s.meta.nrPfns * PAGE_SIZE)}, ${s.meta.zones.map((z) => z.name).join(' + ')}` : null;

export function Header() {
  const memory = useSim(selectMemory);
  const hash = useSim(selectHash);
  const failed = useSim(selectError) !== null;
  const preset = useSim(selectPreset);
  const imported = useSim(selectImported) !== null;
  return (
    <header className="header">
      <h1>pfnscope</h1>
      <PresetPicker />
      <PresetSummary />
      <ScenarioButtons />
      {imported ? <ImportedMemory /> : <p className="subtitle">{memory ?? subtitle(null, failed, preset)}</p>}
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
  const imported = useSim(selectImported) !== null;
  const replayed = useSim(selectReplay) !== null;
  const customName = useSim((s) => s.scenario?.name);
  const current = presets.find((p) => p.name === preset);
  // A replay names its trace ("replay of trace.txt.gz"), over imported memory too: the header
  // names the capture beside it (ImportedMemory).
  const placeholder = replayed && customName ? `(${customName})` : imported ? '(imported memory)' : customName ? `(custom: ${customName})` : '(custom scenario)';
  return (
    <label className="preset">
      Preset
      <select value={preset ?? ''} title={current ? current.summary : undefined} disabled={!alive || presets.length === 0} onChange={(e) => loadPreset(e.target.value)}>
        {preset === null && <option value="">{placeholder}</option>}
        {groupPresets(presets).map((g) => (
          <optgroup key={g.title} label={g.title}>
            {g.presets.map((p) => (
              <option key={p.name} value={p.name} title={p.summary}>
                {p.name} — {p.summary}
              </option>
            ))}
          </optgroup>
        ))}
      </select>
    </label>
  );
}

/** Presets (the gallery), Import, Scenario (the editor), Footprint and Share. */
function ScenarioButtons() {
  const panel = useSim(selectPanel);
  const alive = useSim(selectAlive);
  const loaded = useSim((s) => s.scenario !== null);
  const importing = useSim(selectImporting) !== null;
  // Imported memory comes from the files, a replayed trace from recorded events, not from a
  // scenario: neither can be edited or rerun under the variants.
  const imported = useSim(selectImported) !== null;
  const replayed = useSim(selectReplay) !== null;
  const noScenario = replayed ? 'A replayed trace is recorded events, not a scenario' : imported ? 'Imported memory comes from its files, not from a scenario' : null;
  return (
    <div className="scenario-buttons">
      <button type="button" aria-expanded={panel === 'gallery'} disabled={!alive} onClick={() => togglePanel('gallery')} title="Every preset, with what it shows">
        Presets
      </button>
      <TourButton />
      <button
        type="button"
        aria-expanded={panel === 'import'}
        disabled={!alive || importing}
        onClick={() => togglePanel('import')}
        title="Open a real machine's memory: /proc/kpageflags and /proc/kpagecount dumps (files can also be dropped on the page)"
      >
        Import
      </button>
      <button
        type="button"
        aria-expanded={panel === 'editor'}
        disabled={!alive || !loaded || noScenario !== null}
        onClick={() => togglePanel('editor')}
        title={noScenario ? `${noScenario}: there is no scenario to edit` : 'Edit the scenario as a form or JSON; import or export it'}
      >
        Edit scenario
      </button>
      <button
        type="button"
        aria-expanded={panel === 'footprint'}
        disabled={!alive || !loaded || noScenario !== null}
        onClick={() => togglePanel('footprint')}
        title={noScenario ? `${noScenario}: the variants cannot rerun it` : "The struct page fields each design variant's migration reads and writes, side by side"}
      >
        Footprint
      </button>
      <CompareButton />
      <ResultButton />
      <ReplayButton />
      <ShareButton />
    </div>
  );
}

/** What the grid shows when it was imported: the capture's name (opening its match report), size and zones. */
function ImportedMemory() {
  const report = useSim(selectImported);
  const memory = useSim(selectImportedMemory);
  const panel = useSim(selectPanel);
  if (!report) return null;
  return (
    <p className="subtitle imported" title={`Imported from ${report.name}: ${formatCount(report.pfns)} PFNs`}>
      <button
        type="button"
        className="link import-name"
        data-testid="import-name"
        aria-expanded={panel === 'match'}
        title={`Imported from ${report.name}: how the rebuild matched the capture`}
        onClick={() => togglePanel('match')}
      >
        {report.name}
      </button>
      {memory && `: ${memory}`}
    </p>
  );
}

/**
 * The chosen preset's one-line summary, beside the picker (cut with … when long; full text in its
 * title); for a scenario that is no preset, its name and description.
 */
export function PresetSummary() {
  const imported = useSim(selectImported) !== null;
  const presets = useSim(selectPresets);
  const preset = useSim(selectPreset);
  const scenario = useSim(selectScenario);
  const custom = preset === null && scenario ? [scenario.name, scenario.description].filter(Boolean).join(': ') : '';
  const summary = presets.find((p) => p.name === preset)?.summary ?? custom;
  // Imported memory is named beside its size (ImportedMemory); its scenario describes nothing more
  // (a trace replayed over it does: "replay of trace.txt.gz").
  const replayed = useSim(selectReplay) !== null;
  if ((imported && !replayed) || !summary) return null;
  return (
    <p className="preset-summary" title={summary}>
      {summary}
    </p>
  );
}
