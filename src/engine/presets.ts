// Presets are plain scenarios with a name; each path issue adds its own.

import { parseScenario, type Scenario } from './scenario';

export interface Preset {
  readonly name: string;
  /** One line: what the preset shows. */
  readonly summary: string;
  readonly scenario: Scenario;
}

const preset = (name: string, summary: string, s: object): Preset => ({ name, summary, scenario: parseScenario({ v: 1, name, ...s }) });

export const PRESETS: readonly Preset[] = [
  preset('default', '512 MiB machine after some uptime: anon, page cache, shmem, slab, fragmented free memory', {
    memory: { pfns: 131072 },
    seed: 1,
  }),
  preset('fresh-boot', '512 MiB right after boot: the same workload without churn, so free memory is still in large blocks', {
    memory: { pfns: 131072 },
    seed: 1,
    populate: { churn: 0 },
  }),
  preset('small', '32 MiB: every pageblock fits on screen at once', {
    memory: { pfns: 8192 },
    seed: 7,
    populate: { processes: 6, files: 12 },
  }),
  preset('large-4g', '4 GiB (1 Mi PFNs): the size the performance targets are set for', {
    memory: { pfns: 1048576 },
    seed: 1,
    populate: { processes: 64, files: 128 },
  }),
];

export function findPreset(name: string): Preset | undefined {
  return PRESETS.find((p) => p.name === name);
}
