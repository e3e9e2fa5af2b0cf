// The trace up to the current step in ftrace's format, the newest line at the bottom, the current
// step's lines brighter. A click on a line goes to its step (the timestamp is the step id). It
// follows new lines while scrolled to the bottom and stays put while a person reads further up.
import { useLayoutEffect, useRef } from 'react';
import { useStore } from 'zustand';
import { seekTo } from './state/simClient';
import { selectStep, traceLog, useSim } from './state/store';
import { currentLineCount, stepOfLine } from './traceLines';

const selectLines = (s: { readonly lines: readonly string[] }) => s.lines;

export function TracePanel() {
  const lines = useStore(traceLog, selectLines);
  const step = useSim(selectStep);
  const n = step > 0 ? currentLineCount(lines, step) : 0;
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
        title="click a line to go to its step"
        onScroll={(e) => {
          const el = e.currentTarget;
          follow.current = el.scrollHeight - el.scrollTop - el.clientHeight < 4;
        }}
        onClick={(e) => {
          // Not while selecting text to copy.
          if (window.getSelection()?.toString()) return;
          const line = (e.target as HTMLElement).closest<HTMLElement>('[data-step]');
          const target = line ? Number(line.dataset.step) : NaN;
          if (Number.isInteger(target) && target !== step) seekTo(target);
        }}
      >
        {lines.length === 0 && '(no trace yet: step forward)'}
        {n < lines.length && <span className="earlier">{lines.slice(0, lines.length - n).map(traceLine)}</span>}
        {n > 0 && <span className="current">{lines.slice(lines.length - n).map(traceLine)}</span>}
      </pre>
    </section>
  );
}

function traceLine(l: string, i: number) {
  return (
    <span key={i} className="line" data-step={stepOfLine(l) ?? undefined}>
      {l}
      {'\n'}
    </span>
  );
}
