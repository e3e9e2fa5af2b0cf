// The preset gallery: every preset the worker has (its `ready` message), each with the one line of
// what it shows, as a grid of buttons over the PFN grid. Opening one loads it and closes the
// gallery; the current one is marked. The Preset picker in the header stays for quick switching.
import { useEffect, useRef } from 'react';
import { closePanel } from './actions';
import { OverlayDialog } from './OverlayDialog';
import { loadPreset } from './state/simClient';
import { selectAlive, selectPreset, selectPresets, useSim } from './state/store';

export function PresetGallery() {
  const presets = useSim(selectPresets);
  const current = useSim(selectPreset);
  const alive = useSim(selectAlive);
  const closeRef = useRef<HTMLButtonElement>(null);
  const listRef = useRef<HTMLUListElement>(null);
  // Focus the preset shown (arrows and Enter from there), else Close.
  useEffect(() => (listRef.current?.querySelector<HTMLButtonElement>('[aria-current="true"]') ?? closeRef.current)?.focus(), []);
  return (
    <OverlayDialog
      className="gallery"
      label="Scenario gallery"
      testId="gallery"
      title="Presets"
      subtitle={`${presets.length} scenarios: pick one to open it at step 0`}
      closeRef={closeRef}
    >
      <ul className="gallery-list" ref={listRef}>
        {presets.map((p) => (
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
              <span className="summary">{p.summary}</span>
            </button>
          </li>
        ))}
      </ul>
    </OverlayDialog>
  );
}
