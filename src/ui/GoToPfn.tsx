// "Go to PFN": select a page by number (hex or decimal). A PFN the machine does not have is
// refused with one line in the error line; the selection and the session stay as they were.
import { useState } from 'react';
import { parsePfn } from './pfnInput';
import { selectPfn } from './state/simClient';
import { selectAlive, selectNrPfns, useSim } from './state/store';

export function GoToPfn() {
  const [text, setText] = useState('');
  const nrPfns = useSim(selectNrPfns);
  const alive = useSim(selectAlive);
  return (
    <form
      className="goto"
      onSubmit={(e) => {
        e.preventDefault();
        const r = parsePfn(text, nrPfns);
        if ('error' in r) useSim.setState({ error: { message: r.error, restartable: false } });
        else selectPfn(r.pfn);
      }}
    >
      <label>
        Go to PFN
        <input
          type="text"
          inputMode="text"
          spellCheck={false}
          autoComplete="off"
          placeholder="0x1c49 or 7241"
          value={text}
          size={11}
          onChange={(e) => setText(e.target.value)}
          disabled={!alive || nrPfns === 0}
        />
      </label>
      <button type="submit" disabled={!alive || nrPfns === 0 || text.trim() === ''}>
        Go
      </button>
    </form>
  );
}
