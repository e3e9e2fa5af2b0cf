// Journaled stores: every piece of kernel state that must be rewound lives in a typed array
// registered here, and every write goes through put(). That gives three things at once:
// - a journal of (store, index, old, new) per write, so the engine can step back by replaying
//   old values and forward by replaying new ones without re-running kernel code;
// - an incremental state hash over every element of every store, kept up to date in O(1) per
//   write, so "the state at step N is a pure function of (scenario, N)" is checkable cheaply;
// - a single place to measure memory.

export type Column = Int32Array | Uint8Array;

export interface Store {
  readonly id: number;
  readonly name: string;
  a: Column;
  /**
   * The value a fresh element holds. Elements equal to it add nothing to the state hash, so a
   * store that grows (growStore) has the same hash as before: the new elements are all `fill`.
   */
  readonly fill: number;
}

export interface Journal {
  /** Record writes (off while populating: step 0 is the base state). */
  on: boolean;
  len: number;
  sid: Int32Array;
  idx: Int32Array;
  old: Int32Array;
  nu: Int32Array;
}

export interface Stores {
  readonly list: Store[];
  readonly j: Journal;
  /** Two 32-bit lanes of an additive hash over (store, index, value) of every element. */
  h1: number;
  h2: number;
  /** False while bulk-loading; rehash() turns it on. */
  hashing: boolean;
}

export function createStores(): Stores {
  const cap = 1 << 12;
  return {
    list: [],
    j: { on: false, len: 0, sid: new Int32Array(cap), idx: new Int32Array(cap), old: new Int32Array(cap), nu: new Int32Array(cap) },
    h1: 0,
    h2: 0,
    hashing: false,
  };
}

export function addStore<T extends Column>(st: Stores, name: string, a: T, fill = 0): Store & { a: T } {
  const s = { id: st.list.length, name, a, fill };
  st.list.push(s);
  if (st.hashing) for (let i = 0; i < a.length; i++) if (a[i] !== fill) hashAdd(st, s.id, i, a[i]!);
  return s;
}

/**
 * Make a store longer; the new elements hold `fill`. Not journaled and not part of the state:
 * a longer store with `fill` beyond the old end is the same state (and hashes the same).
 */
export function growStore(s: Store, length: number): void {
  if (length <= s.a.length) return;
  const b = s.a instanceof Int32Array ? new Int32Array(length) : new Uint8Array(length);
  b.set(s.a);
  b.fill(s.fill, s.a.length);
  s.a = b;
}

// Per-element mixing: murmur3's fmix32 over a combination of store id, index and value.
function mix(seed: number, sid: number, i: number, v: number): number {
  let h = (Math.imul(sid + 1, 0x9e3779b1) ^ Math.imul(i + 1, 0x85ebca77) ^ Math.imul(v ^ seed, 0xc2b2ae3d)) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

// One mix per element feeds both lanes; the second lane takes it through another bijection, so a
// collision needs both sums to agree. (One mix, not two: it is most of what a write costs.)
const lane2 = (m: number): number => Math.imul(m ^ (m >>> 15), 0x2c1b3c6d) ^ 0x7654321;

function hashAdd(st: Stores, sid: number, i: number, v: number): void {
  const m = mix(0x1234567, sid, i, v);
  st.h1 = (st.h1 + m) >>> 0;
  st.h2 = (st.h2 + lane2(m)) >>> 0;
}

function hashSub(st: Stores, sid: number, i: number, v: number): void {
  const m = mix(0x1234567, sid, i, v);
  st.h1 = (st.h1 - m) >>> 0;
  st.h2 = (st.h2 - lane2(m)) >>> 0;
}

/** The one way kernel state is written. */
export function put(st: Stores, s: Store, i: number, v: number): void {
  const a = s.a;
  const old = a[i]!;
  a[i] = v;
  const nv = a[i]!; // a Uint8Array store keeps v & 0xff
  if (old === nv) return;
  if (st.hashing) {
    if (old !== s.fill) hashSub(st, s.id, i, old);
    if (nv !== s.fill) hashAdd(st, s.id, i, nv);
  }
  const j = st.j;
  if (j.on) {
    if (j.len === j.sid.length) growJournal(j);
    const n = j.len++;
    j.sid[n] = s.id;
    j.idx[n] = i;
    j.old[n] = old;
    j.nu[n] = nv;
  }
}

function growJournal(j: Journal): void {
  const grow = (a: Int32Array): Int32Array => {
    const b = new Int32Array(a.length * 2);
    b.set(a);
    return b;
  };
  j.sid = grow(j.sid);
  j.idx = grow(j.idx);
  j.old = grow(j.old);
  j.nu = grow(j.nu);
}

/** Recompute the hash from every element (after bulk loading, or to check the incremental one). */
export function rehash(st: Stores): void {
  st.h1 = 0;
  st.h2 = 0;
  for (const s of st.list) {
    const a = s.a;
    const fill = s.fill;
    for (let i = 0; i < a.length; i++) if (a[i] !== fill) hashAdd(st, s.id, i, a[i]!);
  }
  st.hashing = true;
}

export function stateHash(st: Stores): string {
  return st.h1.toString(16).padStart(8, '0') + st.h2.toString(16).padStart(8, '0');
}

/** Apply journal entries [to, from) backwards, restoring old values. Journaling is suspended. */
export function undoJournal(st: Stores, from: number, to: number): void {
  const j = st.j;
  const on = j.on;
  j.on = false;
  for (let n = from - 1; n >= to; n--) put(st, st.list[j.sid[n]!]!, j.idx[n]!, j.old[n]!);
  j.on = on;
}

/** Apply journal entries [from, to) forwards, restoring new values. */
export function redoJournal(st: Stores, from: number, to: number): void {
  const j = st.j;
  const on = j.on;
  j.on = false;
  for (let n = from; n < to; n++) put(st, st.list[j.sid[n]!]!, j.idx[n]!, j.nu[n]!);
  j.on = on;
}

export function storeBytes(st: Stores): number {
  let b = 0;
  for (const s of st.list) b += s.a.byteLength;
  return b;
}
