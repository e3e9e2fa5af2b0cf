// What the current step does: the kernel function (linked to its file at the modelled kernel
// version), the sentence with the real values, the result, and a key of the outlined PFNs.
// Everything here comes from the worker or a scenario, so it is rendered as text, never as HTML.
import { ROLE_COLORS, ROLE_LABELS } from './grid/roles';
import { selectMeta, useSim } from './state/store';
import { KERNEL_VERSION, type StepPfn } from '../worker/protocol';

/** As the step text and the trace write PFNs: 0x454, not zero-padded. */
const hex = (n: number): string => `0x${n.toString(16)}`;

function pfnRange(p: StepPfn): string {
  const nr = p.nr ?? 1;
  return nr > 1 ? `${hex(p.pfn)}–${hex(p.pfn + nr - 1)} (${nr} pages)` : hex(p.pfn);
}

export function Narration() {
  const meta = useSim(selectMeta);
  if (!meta) return <section className="narration" aria-label="Narration" />;
  const s = meta.stepInfo;
  if (!s) {
    return (
      <section className="narration" aria-label="Narration">
        <p className="narr-text">
          Step 0: memory as <strong>{meta.scenarioName}</strong> populated it, before the first action.
          {meta.done && meta.frontier === 0 ? ' This scenario has no actions.' : ' Step forward to run it.'}
        </p>
      </section>
    );
  }
  const fn = <code className="fn">{s.fn}()</code>;
  const keyOf = (p: StepPfn): string => `${p.pfn}/${p.nr ?? 1}/${p.role}`;
  const keyed = s.pfns.filter((p, i) => s.pfns.findIndex((q) => keyOf(q) === keyOf(p)) === i);
  return (
    <section className="narration" aria-label="Narration" data-testid="narration">
      <div className="narr-head">
        <span className="phase" data-phase={s.phase}>{s.phase}</span>
        {s.sourceUrl ? (
          <a href={s.sourceUrl} target="_blank" rel="noopener noreferrer" title={`${s.fn}() is in ${s.file} (Linux ${KERNEL_VERSION}, opens elixir.bootlin.com)`}>
            {fn}
          </a>
        ) : (
          fn
        )}
        {s.file && <span className="file">{s.file}</span>}
        <span className="task" title="the task running this action, as trace lines name it">{s.task}</span>
        {s.result !== null && (
          <span className="result">
            returns <code>{s.result}</code>
          </span>
        )}
      </div>
      <p className="narr-text">{s.text}</p>
      {keyed.length > 0 && (
        <ul className="roles" aria-label="Outlined on the grid">
          {keyed.map((p) => (
            <li key={keyOf(p)}>
              <span className="role-box" style={{ borderColor: ROLE_COLORS[p.role] }} />
              {ROLE_LABELS[p.role]} <code>{pfnRange(p)}</code>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
