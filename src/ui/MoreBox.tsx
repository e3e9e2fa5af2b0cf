// A box of fixed height whose content scrolls inside it, with a "more ▾" button at its foot while
// some of the content is below: a long step's narration is then neither cut mid-line without a
// sign nor allowed to push the charts around (their height no longer depends on the step).
// data-more on the box says whether the button shows ("true"/"false"), for tests and CSS.
import { useEffect, useRef, useState, type ReactNode } from 'react';

interface Props {
  readonly children: ReactNode;
  readonly className: string;
  readonly testId?: string;
}

export function MoreBox({ children, className, testId }: Props) {
  const box = useRef<HTMLDivElement>(null);
  const [more, setMore] = useState(false);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    // 2 px of slack: a fractional line height rounds scrollHeight up by one.
    const measure = () => setMore(el.scrollHeight - el.scrollTop - el.clientHeight > 2);
    // The box's own size changes with the window; its content's with every step.
    const resized = new ResizeObserver(measure);
    resized.observe(el);
    // New content (the next step's narration) is read from its first line.
    const content = new MutationObserver(() => {
      for (const child of el.children) resized.observe(child);
      el.scrollTop = 0;
      measure();
    });
    content.observe(el, { childList: true, subtree: true, characterData: true });
    for (const child of el.children) resized.observe(child);
    el.addEventListener('scroll', measure, { passive: true });
    return () => {
      resized.disconnect();
      content.disconnect();
      el.removeEventListener('scroll', measure);
    };
  }, []);
  const down = () => box.current?.scrollBy({ top: box.current.clientHeight - 24, behavior: 'smooth' });
  return (
    <div ref={box} className={`more-box ${className}`} data-more={more ? 'true' : 'false'} data-testid={testId}>
      {children}
      {/* Always there (CSS hides it by data-more): adding it would read as new content. Named by
          its text, "more": an aria-label naming the panel would also match getByLabel('Narration'). */}
      <div className="more-bar">
        <button type="button" className="more-button small" title="Scroll down to read the rest" tabIndex={more ? 0 : -1} onClick={down}>
          more <span aria-hidden="true">▾</span>
        </button>
      </div>
    </div>
  );
}
