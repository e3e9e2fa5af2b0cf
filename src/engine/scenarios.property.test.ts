// Property: any valid scenario — every action type, parallel groups, every design variant — runs
// to its end without a BUG of the model (a thrown error), without leaving an inconsistent state
// (checkInvariants() at sampled steps and at the end), and within a step budget (no hang).
// Scenarios are small (2,048–8,192 PFNs, a few actions) so that RUNS of them take well under a
// minute on two cores; the seed is fixed, so a failure is reproducible, and the scenario JSON is in
// the message. What this found is kept as regression cases in fuzz-finds.test.ts.

import { describe, it } from 'vitest';
import fc from 'fast-check';
import { parseScenario } from './scenario';
import { runChecked, scenarioArb } from './scenarios.testkit';

const RUNS = 40;
const SEED = 15;

describe('random scenarios run to their end with every invariant', () => {
  it(`${RUNS} random scenarios, every action type and variant`, { timeout: 120_000 }, () => {
    fc.assert(fc.property(scenarioArb, (json) => {
      const sc = parseScenario(json); // generated scenarios are valid: a parse error is a generator bug
      const problem = runChecked(sc);
      if (problem) throw new Error(`${problem}\nscenario: ${JSON.stringify(json)}`);
    }), {
      numRuns: RUNS,
      seed: SEED,
      // Shrinking re-runs whole scenarios for minutes; the message has the scenario as it failed.
      endOnFailure: true,
    });
  });
});
