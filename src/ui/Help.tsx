// The keyboard shortcuts, shown by ? (or the ? button) and dismissed by Esc, ? or Close: the app's
// (keyboard.ts), then the grid's own (grid/gridKeys.ts). A non-modal dialog: the app stays usable
// behind it, and the keys it lists keep working.
import { useEffect, useRef } from 'react';
import { toggleHelp } from './actions';
import { GRID_SHORTCUTS } from './grid/gridKeys';
import { SHORTCUTS } from './keyboard';
import { selectHelpOpen, useSim } from './state/store';

export function Help() {
  const open = useSim(selectHelpOpen);
  const closeRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (open) closeRef.current?.focus();
  }, [open]);
  if (!open) return null;
  return (
    <div className="help" role="dialog" aria-label="Keyboard shortcuts" data-testid="help">
      <div className="panel-head">
        <h2>Keyboard shortcuts</h2>
        <button ref={closeRef} type="button" className="small" onClick={() => toggleHelp(false)}>
          Close
        </button>
      </div>
      <KeyTable label="Anywhere but a text field" rows={SHORTCUTS} />
      <KeyTable label="On the grid" rows={GRID_SHORTCUTS} />
      <p className="muted">
        Click a page on the grid to inspect it; click a trace line or a mark of a page's history to go to that step.
      </p>
    </div>
  );
}

function KeyTable({ label, rows }: { readonly label: string; readonly rows: typeof SHORTCUTS }) {
  return (
    <table aria-label={label}>
      <caption>{label}</caption>
      <tbody>
        {rows.map((s) => (
          <tr key={s.what}>
            <td className="keys">
              {s.keys.map((k, i) => (
                <span key={k}>
                  {i > 0 && ' '}
                  <kbd>{k}</kbd>
                </span>
              ))}
            </td>
            <td>{s.what}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
