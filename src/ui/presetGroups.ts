// The presets as the worker lists them (group by group, engine/preset-groups.ts) cut into their
// groups, for the gallery's headings and the picker's <optgroup>s.
import type { PresetInfo } from './state/store';

export interface PresetSection {
  readonly title: string;
  readonly presets: readonly PresetInfo[];
}

/** Consecutive presets of one group make a section; a group met again later starts another. */
export function groupPresets(presets: readonly PresetInfo[]): PresetSection[] {
  const out: { title: string; presets: PresetInfo[] }[] = [];
  for (const p of presets) {
    const last = out[out.length - 1];
    if (last && last.title === p.group) last.presets.push(p);
    else out.push({ title: p.group, presets: [p] });
  }
  return out;
}
