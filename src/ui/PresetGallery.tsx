// The preset gallery: every preset the worker has (its `ready` message) under its group's heading
// (engine/preset-groups.ts), each with its name, one line of what stepping through it shows and
// its summary, as buttons over the PFN grid. Opening one loads it and closes the gallery; the
// current one is marked. A real machine is not a preset: the last line offers Import. The Preset
// picker in the header stays for quick switching.
import { useEffect, useMemo, useRef } from 'react';
import { closePanel, togglePanel } from './actions';
import { OverlayDialog } from './OverlayDialog';
import { groupPresets } from './presetGroups';
import { loadPreset } from './state/simClient';
import { selectAlive, selectPreset, selectPresets, useSim } from './state/store';

export function PresetGallery() {
  const presets = useSim(selectPresets);
  const sections = useMemo(() => groupPresets(presets), [presets]);
  const current = useSim(selectPreset);
  const alive = useSim(selectAlive);
  const closeRef = useRef<HTMLButtonElement>(null);
  const bodyRef = useRef<HTMLDivElement>(null);
  // Focus the preset shown (arrows and Enter from there), else Close.
  useEffect(() => (bodyRef.current?.querySelector<HTMLButtonElement>('[aria-current="true"]') ?? closeRef.current)?.focus(), []);
  return (
    <OverlayDialog
      className="gallery"
      label="Scenario gallery"
      testId="gallery"
      title="Presets"
      subtitle={`${presets.length} scenarios in ${sections.length} groups: pick one to open it at step 0, then press → to step`}
      closeRef={closeRef}
    >
      <div className="gallery-body" ref={bodyRef}>
        {sections.map((s) => (
          <section key={s.title} className="gallery-group" aria-label={s.title}>
            <h3>{s.title}</h3>
            <ul className="gallery-list">
              {s.presets.map((p) => (
                <li key={p.name}>
                  <button
                    type="button"
                    className="gallery-item"
                    aria-current={p.name === current ? 'true' : undefined}
                    disabled={!alive}
                    onClick={() => {
                      loadPreset(p.name);
                      closePanel();
                    }}
                  >
                    <span className="name">{p.name}</span>
                    <span className="see">{p.see}</span>
                    <span className="summary">{p.summary}</span>
                  </button>
                </li>
              ))}
            </ul>
          </section>
        ))}
        <p className="gallery-import">
          A real machine's memory is no preset:{' '}
          <button type="button" className="link" disabled={!alive} onClick={() => togglePanel('import')}>
            Import
          </button>{' '}
          its /proc/kpageflags and /proc/kpagecount.
        </p>
      </div>
    </OverlayDialog>
  );
}
