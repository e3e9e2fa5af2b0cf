// The last error, as one line of text. React escapes it, so a message can never inject markup;
// the full text stays in the tooltip when the line is cut. When the worker died or lost its
// session the line offers Restart, which replays the same scenario to the same step.
import { restart } from './state/simClient';
import { selectError, selectRestarting, useSim } from './state/store';

export function ErrorLine() {
  const error = useSim(selectError);
  const restarting = useSim(selectRestarting);
  if (!error) return null;
  const line = error.message.replace(/\s+/g, ' ').trim();
  return (
    <div className="error" role="alert" title={line}>
      <span className="message">{line}</span>
      {error.restartable && (
        <button type="button" onClick={restart} disabled={restarting}>
          {restarting ? 'Restarting…' : 'Restart'}
        </button>
      )}
    </div>
  );
}
