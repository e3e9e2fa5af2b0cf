// Journaled stores: the incremental hash must always equal a full recomputation, and replaying
// the journal backwards / forwards must reproduce earlier / later states exactly (bytes and hash),
// since the engine steps through time that way without re-running kernel code.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { addStore, createStores, growStore, put, redoJournal, rehash, stateHash, type Stores, undoJournal } from './store';
import { applyOp, createTestWorld, type Op } from './testkit';

/** Hash from scratch, leaving the stores as they were. */
function fullHash(st: Stores): string {
  const { h1, h2 } = st;
  rehash(st);
  const full = stateHash(st);
  st.h1 = h1;
  st.h2 = h2;
  return full;
}

function snapshot(st: Stores): Uint8Array[] {
  return st.list.map((s) => new Uint8Array(s.a.buffer, s.a.byteOffset, s.a.byteLength).slice());
}

/** The first element that differs between the current stores and a snapshot, or null. */
function firstDiff(st: Stores, snap: Uint8Array[]): string | null {
  for (let i = 0; i < st.list.length; i++) {
    const s = st.list[i]!;
    const now = new Uint8Array(s.a.buffer, s.a.byteOffset, s.a.byteLength);
    const then = snap[i]!;
    if (now.length !== then.length) return `${s.name}: length ${now.length} vs ${then.length}`;
    for (let j = 0; j < now.length; j++) if (now[j] !== then[j]) return `${s.name} byte ${j}: ${now[j]} vs ${then[j]}`;
  }
  return null;
}

const opArb = fc.tuple(fc.nat(), fc.nat(), fc.nat()) as fc.Arbitrary<Op>;

describe('put and the hash', () => {
  it('a Uint8 store keeps v & 0xff and journals the stored value', () => {
    const st = createStores();
    const s = addStore(st, 'bytes', new Uint8Array(4));
    rehash(st);
    st.j.on = true;
    put(st, s, 1, 0x1ff);
    expect(s.a[1]).toBe(0xff);
    expect(st.j.len).toBe(1);
    expect([st.j.old[0], st.j.nu[0]]).toEqual([0, 0xff]);
    expect(stateHash(st)).toBe(fullHash(st));
  });

  it('writing the value already there records nothing and leaves the hash alone', () => {
    const st = createStores();
    const s = addStore(st, 'ints', new Int32Array(4).fill(7));
    rehash(st);
    st.j.on = true;
    const h = stateHash(st);
    put(st, s, 2, 7);
    expect(st.j.len).toBe(0);
    expect(stateHash(st)).toBe(h);
  });

  it('one changed element changes the hash; changing it back restores it', () => {
    const st = createStores();
    const s = addStore(st, 'ints', new Int32Array(16));
    rehash(st);
    const h = stateHash(st);
    put(st, s, 3, -1);
    expect(stateHash(st)).not.toBe(h);
    put(st, s, 3, 0);
    expect(stateHash(st)).toBe(h);
  });

  it('the hash depends on which store and index hold a value, not only on the values', () => {
    const st = createStores();
    const a = addStore(st, 'a', new Int32Array(4));
    const b = addStore(st, 'b', new Int32Array(4));
    rehash(st);
    put(st, a, 0, 5);
    const h1 = stateHash(st);
    put(st, a, 0, 0);
    put(st, a, 1, 5);
    const h2 = stateHash(st);
    put(st, a, 1, 0);
    put(st, b, 0, 5);
    expect(new Set([h1, h2, stateHash(st)]).size).toBe(3);
  });

  it('a store added while hashing is part of the hash', () => {
    const st = createStores();
    addStore(st, 'a', new Int32Array(4));
    rehash(st);
    const h = stateHash(st);
    addStore(st, 'b', Int32Array.from([1, 2, 3]));
    expect(stateHash(st)).not.toBe(h);
    expect(stateHash(st)).toBe(fullHash(st));
  });

  it('the journal grows past its initial capacity without losing entries', () => {
    const st = createStores();
    const s = addStore(st, 'big', new Int32Array(10000));
    rehash(st);
    st.j.on = true;
    const snap = snapshot(st);
    for (let i = 0; i < 10000; i++) put(st, s, i, i + 1);
    expect(st.j.len).toBe(10000);
    undoJournal(st, st.j.len, 0);
    expect(firstDiff(st, snap)).toBeNull();
  });
});

describe('journal replay over kernel operations', () => {
  it('incremental hash = rehash(); undo to a mark restores its hash and bytes; redo restores the later ones', () => {
    fc.assert(fc.property(fc.array(opArb, { minLength: 50, maxLength: 400 }), fc.double({ min: 0, max: 1, noNaN: true }), (ops, cut) => {
      const w = createTestWorld(8192);
      const st = w.k.st;
      rehash(st);
      st.j.on = true;
      const h0 = stateHash(st);
      const snap0 = snapshot(st);
      const mid = Math.floor(ops.length * cut);
      ops.slice(0, mid).forEach((op) => applyOp(w, op));
      const mark1 = st.j.len;
      const h1 = stateHash(st);
      const snap1 = snapshot(st);
      ops.slice(mid).forEach((op) => applyOp(w, op));
      const end = st.j.len;
      const hEnd = stateHash(st);
      const snapEnd = snapshot(st);
      expect(hEnd).toBe(fullHash(st));

      undoJournal(st, end, mark1);
      expect(stateHash(st)).toBe(h1);
      expect(firstDiff(st, snap1)).toBeNull();
      undoJournal(st, mark1, 0);
      expect(stateHash(st)).toBe(h0);
      expect(firstDiff(st, snap0)).toBeNull();
      expect(stateHash(st)).toBe(fullHash(st));

      redoJournal(st, 0, mark1);
      expect(stateHash(st)).toBe(h1);
      expect(firstDiff(st, snap1)).toBeNull();
      redoJournal(st, mark1, end);
      expect(stateHash(st)).toBe(hEnd);
      expect(firstDiff(st, snapEnd)).toBeNull();
      expect(st.j.len).toBe(end); // replay itself is not journaled
    }), { numRuns: 25 });
  });

  it('undoing 300 operations to the start and redoing them reproduces the end state', () => {
    const w = createTestWorld(8192);
    const st = w.k.st;
    rehash(st);
    st.j.on = true;
    for (let i = 0; i < 300; i++) applyOp(w, [i * 7919, i * 104729, i * 1299709]);
    const end = st.j.len;
    const hEnd = stateHash(st);
    expect(end).toBeGreaterThan(1000);
    undoJournal(st, end, 0);
    redoJournal(st, 0, end);
    expect(stateHash(st)).toBe(hEnd);
    expect(fullHash(st)).toBe(hEnd);
  });
});

describe('growStore', () => {
  it('keeps the hash: elements equal to the fill value add nothing, so growing changes no state', () => {
    const st = createStores();
    const s = addStore(st, 'table', new Int32Array(4).fill(-1), -1);
    rehash(st);
    put(st, s, 1, 42);
    const before = stateHash(st);
    growStore(s, 16);
    expect(s.a.length).toBe(16);
    expect(Array.from(s.a.subarray(4))).toEqual(new Array(12).fill(-1));
    expect(stateHash(st)).toBe(before);
    rehash(st);
    expect(stateHash(st)).toBe(before);
    put(st, s, 10, 7);
    expect(stateHash(st)).not.toBe(before);
    put(st, s, 10, -1);
    expect(stateHash(st)).toBe(before);
  });
});
