// The editor's module loads on the editor's first opening (ui/lazy.tsx), after the first session
// is shown: its draft must start from that session's scenario, not stay empty until the next one.
import { describe, expect, it } from 'vitest';
import { findPreset } from '../../engine/presets';
import { useSim } from '../state/store';

describe('the editor loaded after a session is shown', () => {
  it('starts its draft from the scenario shown', async () => {
    const scenario = findPreset('balloon-compaction')!.scenario;
    useSim.setState({ scenario, session: 3 });
    const { useEditor, scenarioText } = await import('./editorStore');
    const draft = useEditor.getState();
    expect(draft.base).toBe(3);
    expect(draft.text).toBe(scenarioText(scenario));
    expect(JSON.parse(draft.text)).toMatchObject({ name: 'balloon-compaction' });
    expect(draft.edited).toBe(false);
  });
});
