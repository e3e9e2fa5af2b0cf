// Previous / next span in the step controls: a level select (folio up to action, or failure) and
// ◀ / ▶, the same as [ / ]. A run of millions of steps is walked a folio, a pass or a compaction
// run at a time; the worker computes further when the next one is past the frontier.
import { setSpanLevel, spanStep } from './actions';
import { selectAlive, selectAtEnd, selectLoaded, selectSpanLevel, selectStep, useSim, type SpanNavLevel } from './state/store';
import { SPAN_LEVEL_NAMES } from '../worker/protocol';

/** The select's choices, innermost first: the level a person steps by most. */
export const SPAN_NAV_CHOICES: readonly { readonly level: SpanNavLevel; readonly label: string }[] = [
  ...SPAN_LEVEL_NAMES.map((label, level) => ({ level: level as SpanNavLevel, label })).reverse(),
  { level: 'fail', label: 'failure' },
];

export const spanNavLabel = (level: SpanNavLevel): string => SPAN_NAV_CHOICES.find((c) => c.level === level)?.label ?? 'span';

export function SpanNav() {
  const alive = useSim(selectAlive);
  const loaded = useSim(selectLoaded);
  const ready = alive && loaded;
  const level = useSim(selectSpanLevel);
  const step = useSim(selectStep);
  const atEnd = useSim(selectAtEnd);
  const name = spanNavLabel(level);
  return (
    <div className="group span-nav">
      <button type="button" aria-label={`Previous ${name}`} title={`Previous ${name} ([)`} disabled={!ready || step === 0} onClick={() => spanStep(-1)}>
        ◀
      </button>
      <select
        aria-label="Span level"
        title="What [ and ] (◀ / ▶) move by"
        value={String(level)}
        onChange={(e) => setSpanLevel(e.target.value === 'fail' ? 'fail' : Number(e.target.value))}
      >
        {SPAN_NAV_CHOICES.map((c) => (
          <option key={c.label} value={String(c.level)}>
            {c.label}
          </option>
        ))}
      </select>
      <button type="button" aria-label={`Next ${name}`} title={`Next ${name} (])`} disabled={!ready || atEnd} onClick={() => spanStep(1)}>
        ▶
      </button>
    </div>
  );
}
