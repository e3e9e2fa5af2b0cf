// The trace up to the current step in ftrace's format, the newest line at the bottom, the current
// step's lines brighter. It follows new lines while scrolled to the bottom and stays put while a
// person reads further up.
import { useLayoutEffect, useRef } from 'react';
import { useStore } from 'zustand';
import { traceLog, useSim } from './state/store';
import { currentLineCount } from './traceLines';

const selectLines = (s: { readonly lines: readonly string[] }) => s.lines;
const selectStep = (s: { readonly meta: { readonly step: number } | null }) => s.meta?.step ?? 0;

export function TracePanel() {
  const lines = useStore(traceLog, selectLines);
  const step = useSim(selectStep);
  const n = step > 0 ? currentLineCount(lines, step) : 0;
  const earlier = lines.slice(0, lines.length - n).join('\n');
  const current = lines.slice(lines.length - n).join('\n');
  const ref = useRef<HTMLPreElement>(null);
  const follow = useRef(true);

  useLayoutEffect(() => {
    const el = ref.current;
    if (el && follow.current) el.scrollTop = el.scrollHeight;
  }, [lines]);

  return (
    <section className="trace" aria-label="Trace">
      <pre
        ref={ref}
        data-testid="trace"
        tabIndex={0}
        onScroll={(e) => {
          const el = e.currentTarget;
          follow.current = el.scrollHeight - el.scrollTop - el.clientHeight < 4;
        }}
      >
        {lines.length === 0 && '(no trace yet: step forward)'}
        {earlier && <span className="earlier">{earlier}</span>}
        {current && <span className="current">{current}</span>}
      </pre>
    </section>
  );
}
