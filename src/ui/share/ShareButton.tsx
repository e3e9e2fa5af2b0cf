// Share: copies the link of what the page shows (scenario, step, selected page) and says so. When
// the clipboard is refused (no permission, an insecure origin) the link is shown selected in a
// small read-only field instead, to copy by hand; Esc, Close or a click elsewhere dismisses it.
// Imported memory exists only in the person's files: no link can carry it, and Share says so
// instead of copying a link that would open something else.
import { useEffect, useRef, useState } from 'react';
import { currentShareUrl } from './urlSync';
import { selectImported, selectLink, selectLoaded, useSim } from '../state/store';

type Shown =
  | { readonly kind: 'copied'; readonly url: string }
  | { readonly kind: 'manual'; readonly url: string; readonly why: string }
  | { readonly kind: 'note'; readonly text: string }
  | null;

/** What Share says for an imported session. */
const NO_LINK_FOR_IMPORTS = 'No link for imported memory: it comes from your files';

/** How long "Link copied" stays. */
const COPIED_MS = 2500;
/** How long a note (why there is no link) stays: a sentence takes longer to read. */
const NOTE_MS = 4000;

export function ShareButton() {
  const loaded = useSim(selectLoaded);
  const link = useSim(selectLink);
  const imported = useSim(selectImported) !== null;
  const [shown, setShown] = useState<Shown>(null);
  const fieldRef = useRef<HTMLInputElement>(null);
  const wrapRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (shown?.kind === 'copied' || shown?.kind === 'note') {
      const t = setTimeout(() => setShown(null), shown.kind === 'note' ? NOTE_MS : COPIED_MS);
      return () => clearTimeout(t);
    }
    if (shown?.kind === 'manual') {
      fieldRef.current?.focus();
      fieldRef.current?.select();
      const away = (e: PointerEvent): void => {
        if (!wrapRef.current?.contains(e.target as Node)) setShown(null);
      };
      document.addEventListener('pointerdown', away);
      return () => document.removeEventListener('pointerdown', away);
    }
    return undefined;
  }, [shown]);

  async function share(): Promise<void> {
    if (imported) {
      setShown({ kind: 'note', text: NO_LINK_FOR_IMPORTS });
      return;
    }
    const url = currentShareUrl();
    if (url === null) return;
    try {
      if (!navigator.clipboard) throw new Error('this page has no clipboard access');
      await navigator.clipboard.writeText(url);
      setShown({ kind: 'copied', url });
    } catch (e) {
      setShown({ kind: 'manual', url, why: e instanceof Error ? e.message : String(e) });
    }
  }

  const tooLong = loaded && link === null && !imported;
  return (
    <div className="share" ref={wrapRef}>
      <button
        type="button"
        disabled={!loaded || tooLong}
        title={
          imported
            ? NO_LINK_FOR_IMPORTS
            : tooLong
              ? 'This scenario is too large for a link: export it as a file from the editor'
              : 'Copy a link to this scenario, step and page'
        }
        onClick={() => void share()}
      >
        Share
      </button>
      <span className="share-status" role="status" data-url={shown?.kind === 'copied' ? shown.url : undefined}>
        {shown?.kind === 'copied' ? 'Link copied' : shown?.kind === 'note' ? shown.text : ''}
      </span>
      {shown?.kind === 'manual' && (
        <div
          className="share-manual"
          role="dialog"
          aria-label="Share link"
          onKeyDown={(e) => {
            if (e.key === 'Escape') setShown(null);
          }}
        >
          <p>The clipboard is not available here; copy the link (Ctrl+C):</p>
          <input ref={fieldRef} type="text" readOnly aria-label="Link to this state" value={shown.url} spellCheck={false} />
          <button type="button" className="small" onClick={() => setShown(null)}>
            Close
          </button>
        </div>
      )}
    </div>
  );
}
