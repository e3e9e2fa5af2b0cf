// A seeded PRNG so that the state at step N is a pure function of (scenario, N).
// xoshiro128** (Blackman & Vigna): 32-bit state words, fast in JS, good enough statistics for
// choosing which pages a workload touches. The platform random source is never used in src/kernel or src/engine.

export interface Prng {
  /** Uniform 32-bit unsigned integer. */
  next(): number;
  /** Uniform integer in [0, n). */
  below(n: number): number;
  /** True with probability p. */
  chance(p: number): boolean;
}

function splitmix32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

export function createPrng(seed: number): Prng {
  const init = splitmix32(seed);
  let a = init(), b = init(), c = init(), d = init();
  if ((a | b | c | d) === 0) a = 1;
  const next = (): number => {
    const result = Math.imul(rotl(Math.imul(b, 5), 7), 9) >>> 0;
    const t = b << 9;
    c ^= a; d ^= b; b ^= c; a ^= d; c ^= t;
    d = rotl(d, 11);
    return result;
  };
  return {
    next,
    below: (n) => (n <= 0 ? 0 : Math.floor((next() / 4294967296) * n)),
    chance: (p) => next() / 4294967296 < p,
  };
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}
