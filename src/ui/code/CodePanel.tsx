// The code panel: for the current step, our outline of the kernel function it models, the line
// of this step lit (aria-current), the function's file:line in 6.18 linked to elixir, and the
// step's result beside the lit line. Outlines are our words (outlines*.ts), never kernel text.
import { useLayoutEffect, useRef } from 'react';
import { selectStepInfo, useSim } from '../state/store';
import { elixirUrl, KERNEL_VERSION } from '../../worker/protocol';
import { codeAt } from './codeAt';

export function CodePanel() {
  const s = useSim(selectStepInfo);
  const list = useRef<HTMLOListElement>(null);
  // Keep the lit line in view in the short strip (the list scrolls, not the page).
  useLayoutEffect(() => {
    const ol = list.current;
    const li = ol?.querySelector<HTMLElement>('[aria-current]');
    if (ol && li) ol.parentElement!.scrollTop = Math.max(0, li.offsetTop - 58); // .code-panel is the offsetParent; the sticky head stays above
  });
  if (!s) {
    return (
      <section className="code-panel" aria-label="Code" data-testid="code-panel">
        <p className="code-note">Step forward: the kernel function of each step is outlined here.</p>
      </section>
    );
  }
  const v = codeAt(s);
  if (v.kind !== 'outline') {
    return (
      <section className="code-panel" aria-label="Code" data-testid="code-panel">
        <p className="code-note" data-testid="code-note">
          <code>{s.fn}</code> — {v.why}
        </p>
      </section>
    );
  }
  const { outline, def, lines, lit } = v;
  const litLine = lit >= 0 ? lines[lit]! : def;
  return (
    <section className="code-panel" aria-label="Code" data-testid="code-panel" data-fn={v.fn}>
      <div className="code-head">
        <code className="fn">{outline.sym ?? v.fn}()</code>
        <a data-testid="code-link" href={elixirUrl(outline.file, litLine)} target="_blank" rel="noopener noreferrer" title={`open ${outline.file} at line ${litLine} (Linux ${KERNEL_VERSION}) on elixir.bootlin.com`}>
          {outline.file}:{litLine}
        </a>
        <span className="code-ver">
          Linux {KERNEL_VERSION}, outlined in our words{v.approximate ? ' · line approximate until the step is made again' : ''}
        </span>
      </div>
      <ol className="code-lines" ref={list}>
        <li className={lit === -1 ? 'code-def lit' : 'code-def'} aria-current={lit === -1 ? 'step' : undefined}>
          <span className="ln">{def}</span>
          <span className="tx">{outline.sym ?? v.fn}(…) {'{'}</span>
        </li>
        {outline.lines.map((l, i) => (
          <li key={i} className={i === lit ? 'lit' : undefined} aria-current={i === lit ? 'step' : undefined} data-testid={i === lit ? 'code-lit' : undefined}>
            <span className="ln">{lines[i] ?? ''}</span>
            <span className="tx">{l.text}</span>
            {l.in && <span className="code-in" title={`this line is in ${l.in}(), which ${outline.sym ?? v.fn}() calls`}>in {l.in}()</span>}
            {i === lit && s.result !== null && <span className="code-result">→ {s.result}</span>}
          </li>
        ))}
      </ol>
    </section>
  );
}
