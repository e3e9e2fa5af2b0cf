// Growable typed arrays and binary search over their sorted prefix: what the step table's columns
// and the span table's levels are made of.

export type Column = Float64Array | Uint32Array | Uint16Array | Uint8Array | Int32Array;

/** `a` if it holds `len` elements, else a copy at least twice as long. */
export function grown<T extends Column>(a: T, len: number): T {
  if (len <= a.length) return a;
  const b = new (a.constructor as new (n: number) => T)(Math.max(len, a.length * 2));
  b.set(a);
  return b;
}

/** Index of the first of a[0 .. n), ascending, that is greater than v (n when none is). */
export function firstAbove(a: Int32Array, n: number, v: number): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid]! > v) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
