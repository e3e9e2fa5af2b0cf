// Share: copies the link of what the page shows (scenario, step, selected page) and says so. When
// the clipboard is refused (no permission, an insecure origin) the link is shown selected in a
// small read-only field instead, to copy by hand; Esc, Close or a click elsewhere dismisses it.
import { useEffect, useRef, useState } from 'react';
import { currentShareUrl } from './urlSync';
import { selectLink, selectLoaded, useSim } from '../state/store';

type Shown = { readonly kind: 'copied'; readonly url: string } | { readonly kind: 'manual'; readonly url: string; readonly why: string } | null;

/** How long "Link copied" stays. */
const COPIED_MS = 2500;

export function ShareButton() {
  const loaded = useSim(selectLoaded);
  const link = useSim(selectLink);
  const [shown, setShown] = useState<Shown>(null);
  const fieldRef = useRef<HTMLInputElement>(null);
  const wrapRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (shown?.kind === 'copied') {
      const t = setTimeout(() => setShown(null), COPIED_MS);
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

  const tooLong = loaded && link === null;
  return (
    <div className="share" ref={wrapRef}>
      <button
        type="button"
        disabled={!loaded || tooLong}
        title={tooLong ? 'This scenario is too large for a link: export it as a file from the editor' : 'Copy a link to this scenario, step and page'}
        onClick={() => void share()}
      >
        Share
      </button>
      <span className="share-status" role="status" data-url={shown?.kind === 'copied' ? shown.url : undefined}>
        {shown?.kind === 'copied' ? 'Link copied' : ''}
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
