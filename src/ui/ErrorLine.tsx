// The last error from the worker, as one line of text. React escapes it, so a message can never
// inject markup; the full text stays in the tooltip when the line is cut.
import { selectError, useSim } from './state/store';

export function ErrorLine() {
  const error = useSim(selectError);
  if (!error) return null;
  const line = error.replace(/\s+/g, ' ').trim();
  return (
    <p className="error" role="alert" title={line}>
      {line}
    </p>
  );
}
