// The trace up to the current step in ftrace's format, the newest line at the bottom, the current
// step's lines brighter. A click on a line goes to its step (the timestamp is the step id). It
// follows new lines while scrolled to the bottom and stays put while a person reads further up.
// Lines keep their key as the window slides (traceLog.first) and are memoised, so a frame while
// playing renders only the lines it adds and the few whose "current" mark changes.
import { memo, useLayoutEffect, useRef } from 'react';
import { useStore } from 'zustand';
import { seekTo } from './state/simClient';
import { selectStep, selectStepInfo, traceLog, useSim } from './state/store';
import { currentLineCount, stepOfLine } from './traceLines';

const selectLines = (s: { readonly lines: readonly string[] }) => s.lines;
const selectFirst = (s: { readonly first: number }) => s.first;

export function TracePanel() {
  const lines = useStore(traceLog, selectLines);
  const first = useStore(traceLog, selectFirst);
  const step = useSim(selectStep);
  const pending = useSim(selectStepInfo)?.pending === true;
  const n = step > 0 ? currentLineCount(lines, step) : 0;
  const ref = useRef<HTMLPreElement>(null);
  const follow = useRef(true);

  useLayoutEffect(() => {
    const el = ref.current;
    if (el && follow.current) el.scrollTop = el.scrollHeight;
  }, [lines]);

  const split = lines.length - n;
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
        {lines.length === 0 && (pending ? '(the trace lines up to this step are being made again by re-execution…)' : '(no trace yet: step forward)')}
        {split > 0 && (
          <span className="earlier">
            {lines.slice(0, split).map((l, i) => (
              <TraceLine key={first + i} line={l} />
            ))}
          </span>
        )}
        {n > 0 && (
          <span className="current">
            {lines.slice(split).map((l, i) => (
              <TraceLine key={first + split + i} line={l} />
            ))}
          </span>
        )}
      </pre>
    </section>
  );
}

const TraceLine = memo(function TraceLine({ line }: { readonly line: string }) {
  return (
    <span className="line" data-step={stepOfLine(line) ?? undefined}>
      {line}
      {'\n'}
    </span>
  );
});
