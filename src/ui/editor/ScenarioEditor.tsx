// The scenario editor, a side panel over the grid: the main knobs as a form on the left, the
// whole scenario as JSON on the right, both editing one text. The worker checks the text as it
// changes and answers with "valid" or one line naming the field; Apply opens the scenario (the
// session shown stays if the worker refuses it), Export downloads it, Import reads a file into the
// draft. data-validation (pending | ok | error) lets e2e tests wait for the check.
import { useEffect, useRef } from 'react';
import { OverlayDialog } from '../OverlayDialog';
import { formatBytes, formatCount, PAGE_SIZE } from '../format';
import { selectAlive, useSim } from '../state/store';
import { EditorForm } from './EditorForm';
import { applyDraft, exportDraft, importFile, revertDraft, setDraftText, useEditor, type EditorState } from './editorStore';

export function ScenarioEditor() {
  const text = useEditor((s) => s.text);
  const status = useEditor((s) => s.status);
  const edited = useEditor((s) => s.edited);
  const alive = useSim(selectAlive);
  const fileRef = useRef<HTMLInputElement>(null);
  const jsonRef = useRef<HTMLTextAreaElement>(null);
  useEffect(() => jsonRef.current?.focus({ preventScroll: true }), []);
  const ready = alive && status === 'ok';
  return (
    <OverlayDialog
      className="editor"
      label="Scenario editor"
      testId="editor"
      data={{ 'data-validation': status }}
      title="Scenario"
      subtitle={edited ? 'edited: Apply opens it at step 0' : 'the scenario shown; edit it here or in the form'}
    >
      <div className="editor-body">
        <EditorForm />
        {/* Labelled by id, not by wrapping: a wrapping label's text would include the textarea's. */}
        <div className="editor-json">
          <label className="label" htmlFor="scenario-json">
            Scenario JSON
          </label>
          <textarea
            id="scenario-json"
            ref={jsonRef}
            value={text}
            spellCheck={false}
            autoComplete="off"
            aria-describedby="editor-validation"
            onChange={(e) => setDraftText(e.target.value)}
          />
        </div>
      </div>
      <div className="editor-foot">
        <Verdict />
        <div className="buttons">
          <button type="button" onClick={revertDraft} disabled={!edited} title="Back to the scenario shown">
            Revert
          </button>
          <button type="button" onClick={() => fileRef.current?.click()} disabled={!alive} title="Read a scenario .json file into the editor">
            Import…
          </button>
          <input
            ref={fileRef}
            type="file"
            accept=".json,application/json"
            aria-label="Import a scenario file"
            hidden
            onChange={(e) => {
              const f = e.target.files?.[0];
              e.target.value = ''; // the same file again is a new choice
              if (f) void importFile(f);
            }}
          />
          <button type="button" onClick={exportDraft} disabled={status !== 'ok'} title="Download this scenario as a .json file">
            Export
          </button>
          <button type="button" className="primary" onClick={applyDraft} disabled={!ready} title="Open this scenario at step 0">
            Apply
          </button>
        </div>
      </div>
    </OverlayDialog>
  );
}

/** "valid: 32 MiB, 8,192 PFNs, 1 action", "checking…", or the worker's one-line error. */
function Verdict() {
  const status = useEditor((s) => s.status);
  const error = useEditor((s) => s.error);
  const scenario = useEditor((s) => s.scenario);
  return (
    <p id="editor-validation" className="verdict" data-status={status} role="status" title={status === 'error' ? error : undefined}>
      {verdictText(status, error, scenario)}
    </p>
  );
}

function verdictText(status: EditorState['status'], error: string, scenario: EditorState['scenario']): string {
  if (status === 'pending') return 'checking…';
  if (status === 'error') return `✗ ${error}`;
  if (!scenario) return '';
  const n = scenario.actions?.length ?? 0;
  const pfns = scenario.memory.pfns;
  return `✓ valid: ${formatBytes(pfns * PAGE_SIZE)}, ${formatCount(pfns)} PFNs, ${n} action${n === 1 ? '' : 's'}`;
}
