// populate() is the base state (step 0) of every scenario: it must be a pure function of its
// spec, differ between seeds, and be consistent by every invariant at the sizes we ship.

import { describe, expect, it } from 'vitest';
import { DEFAULT_POPULATE, populate, type PopulateSpec } from './populate';
import { checkInvariants } from './invariants';
import { stateHash } from './store';
import { buddyinfo } from './procfs';

const spec = (nrPfns: number, seed = 1): PopulateSpec => ({ ...DEFAULT_POPULATE, nrPfns, seed });

describe('populate', () => {
  it.each([8192, 131072])('the same spec gives the same stateHash twice (%i PFNs)', (nr) => {
    const a = populate(spec(nr));
    const b = populate(spec(nr));
    expect(stateHash(b.st)).toBe(stateHash(a.st));
    expect(buddyinfo(b)).toBe(buddyinfo(a));
  });

  it('different seeds give different states', () => {
    const hashes = [1, 2, 3, 4, 5].map((seed) => stateHash(populate(spec(8192, seed)).st));
    expect(new Set(hashes).size).toBe(5);
  });

  it.each([8192, 16384, 131072])('the populated state passes checkInvariants (%i PFNs)', (nr) => {
    const k = populate(spec(nr));
    expect(checkInvariants(k)).toEqual([]);
  });

  it('leaves the journal empty and hashing on: populating is step 0, not a journaled step', () => {
    const k = populate(spec(8192));
    expect(k.st.j.len).toBe(0);
    expect(k.st.j.on).toBe(false);
    expect(k.st.hashing).toBe(true);
  });
});
