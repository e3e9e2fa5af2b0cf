// The parts of scenarios that need no validator: the format's version and bounds, and the
// populate spec a scenario asks for. Apart from scenario.ts (zod) so that the sim worker opens
// a preset, which is trusted data typed at compile time, without loading zod (design.md's JS
// budget); a user's scenario still goes through parseScenario, loaded when one arrives.
import { DEFAULT_POPULATE, type PopulateSpec } from '../kernel/populate';
import type { Scenario } from './scenario';

export const SCENARIO_VERSION = 1;
/** 16 GiB of 4 KiB pages: the memory budget (40 B/PFN) was set for this size. */
export const MAX_PFNS = 4 * 1024 * 1024;

/** A race runs two migrators of the same pages (engine/actions.ts taskGroups). */
export const RACE_MIGRATORS = 2;

export function populateSpecOf(s: Scenario): PopulateSpec {
  return { ...DEFAULT_POPULATE, ...s.populate, seed: s.seed, nrPfns: s.memory.pfns, devicePages: s.memory.device ?? 0 };
}
