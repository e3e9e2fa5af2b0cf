// The header's Compare: the session shown, side by side under its own design and the next one in
// the registry's list (each pane's picker changes it). Needs the session's link: imported memory,
// a replayed trace and a scenario too long for a link cannot be opened again under another design.
import { selectAlive, selectLink, selectVariant, selectVariants, useSim } from '../state/store';
import { compareSession, useCompare } from './compareClient';

export function CompareButton() {
  const alive = useSim(selectAlive);
  const link = useSim(selectLink);
  const variant = useSim(selectVariant);
  const variants = useSim(selectVariants);
  const open = useCompare((s) => s.open);
  const other = variants.find((v) => v !== variant);
  const why = !link ? 'This session has no link (imported memory, a replayed trace, or a scenario too long for one): it cannot be rerun under another design' : null;
  return (
    <button
      type="button"
      aria-expanded={open}
      disabled={!alive || !link || !other}
      onClick={() => other && compareSession([variant, other])}
      title={why ?? `Step this scenario under ${variant} and ${other ?? 'another design'} side by side, aligned on the same phase, differences marked`}
    >
      Compare
    </button>
  );
}
