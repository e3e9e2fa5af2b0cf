// The Import dialog: pick (or drop) the files of one capture of a real machine — PREFIX.kpageflags
// and PREFIX.kpagecount, with PREFIX.buddyinfo, .pagetypeinfo and .zoneinfo when there are —
// and how to make them. With a whole folder's files (before.* and after.*) it asks which capture.
import { useEffect, useRef } from 'react';
import { useStore } from 'zustand';
import { OverlayDialog } from '../OverlayDialog';
import { selectAlive, selectImporting, useSim } from '../state/store';
import { importCapture, importDraft, importPicked } from './importFlow';
import { captureKinds, captureName } from './matchFiles';

export function ImportDialog() {
  const alive = useSim(selectAlive);
  const importing = useSim(selectImporting);
  const choice = useStore(importDraft, (s) => s.choice);
  const compact = useStore(importDraft, (s) => s.compact);
  const inputRef = useRef<HTMLInputElement>(null);
  const closeRef = useRef<HTMLButtonElement>(null);
  const chooseRef = useRef<HTMLButtonElement>(null);
  useEffect(() => (chooseRef.current ?? closeRef.current)?.focus(), [choice]);
  const busy = !alive || importing !== null;
  return (
    <OverlayDialog
      className="import-panel"
      label="Import a capture"
      testId="import-panel"
      title="Import"
      subtitle="a real machine's page frame array, from /proc"
      closeRef={closeRef}
    >
      <div className="import-body">
        {choice && (
          <section className="import-choice" aria-label="Captures found">
            <p>
              {choice.captures.length} captures among the files{choice.folder ? ` of ${choice.folder}` : ''}: import which?
            </p>
            <ul>
              {choice.captures.map((c, i) => (
                <li key={c.prefix}>
                  <button
                    type="button"
                    ref={i === 0 ? chooseRef : undefined}
                    disabled={busy}
                    onClick={() => void importCapture(c, choice.folder)}
                  >
                    <span className="name">{captureName(c.prefix, choice.folder)}</span>
                    <span className="muted">{captureKinds(c)}</span>
                  </button>
                </li>
              ))}
            </ul>
          </section>
        )}
        <div className="import-drop">
          <p>
            Drop the files of one capture anywhere on the page, or{' '}
            <button type="button" className="primary" disabled={busy} onClick={() => inputRef.current?.click()}>
              Choose files…
            </button>
          </p>
          <input
            ref={inputRef}
            type="file"
            multiple
            hidden
            data-testid="import-input"
            onChange={(e) => {
              const files = Array.from(e.currentTarget.files ?? []);
              e.currentTarget.value = ''; // the same files again must fire change again
              if (files.length > 0) importPicked({ files, folder: null });
            }}
          />
          <label className="import-then">
            <input type="checkbox" checked={compact} onChange={(e) => importDraft.setState({ compact: e.currentTarget.checked })} />
            then compact every zone on it, step by step (<code>echo 1 &gt; /proc/sys/vm/compact_memory</code>)
          </label>
          <dl className="import-files">
            <dt>
              <code>NAME.kpageflags</code>, <code>NAME.kpagecount</code>
            </dt>
            <dd>required: one little-endian u64 per PFN from PFN 0 (kpagecount is the mapcount)</dd>
            <dt>
              <code>NAME.buddyinfo</code>, <code>.pagetypeinfo</code>, <code>.zoneinfo</code>
            </dt>
            <dd>optional: the free blocks to match against, pageblock migratetypes, zone boundaries</dd>
          </dl>
        </div>
        <p className="muted">To make a capture, as root (PFN 0 to the last; the files stay on this machine, nothing is uploaded):</p>
        <pre className="import-howto">
          {`dd if=/proc/kpageflags of=box.kpageflags bs=1M
dd if=/proc/kpagecount of=box.kpagecount bs=1M
cat /proc/buddyinfo > box.buddyinfo; cat /proc/pagetypeinfo > box.pagetypeinfo; cat /proc/zoneinfo > box.zoneinfo`}
        </pre>
      </div>
    </OverlayDialog>
  );
}
