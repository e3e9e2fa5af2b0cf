// Colour key of the PFN grid: the state classes present in the current frame, with page counts.
import { STATE_CLASSES } from '../kernel/classes';
import { formatCount } from './format';
import { selectMeta, useSim } from './state/store';

export function Legend() {
  const meta = useSim(selectMeta);
  if (!meta) return null;
  const present = STATE_CLASSES.filter((c) => (meta.classCounts[c.id] ?? 0) > 0);
  return (
    <ul className="legend" aria-label="Legend" data-testid="legend">
      {present.map((c) => (
        <li key={c.key} data-class={c.key}>
          <span className="swatch" style={{ background: c.color }} />
          <span className="label">{c.label}</span>
          <span className="count">{formatCount(meta.classCounts[c.id] ?? 0)}</span>
        </li>
      ))}
    </ul>
  );
}
