// The baseline for the compaction figure (design.md, performance targets): a bare typed-array
// "move 8 fields + relink" loop, what one page migration costs with nothing but the data moves,
// at random access over 1 Mi slots (toolchain.md §5 c/d measured ~2.8 M/s this way).
//
// N slots (struct pages) hold 8 int32 fields in staggered columns (toolchain.md §4 item 13) and a
// prev/next pair threading them on a few circular doubly linked lists with sentinel heads (LRU
// lists). Half the slots are occupied. One "migration" picks a random occupied src and a random
// free dst (seeded PRNG over occupied/free index tables), copies the 8 fields src -> dst, clears
// src, and puts dst in src's place on its list (unlink src, link dst where it was).

import { createPrng, type Prng } from '../src/kernel/prng';

export interface LoopState {
  readonly n: number;
  readonly lists: number;
  /** 8 field columns of n entries. */
  readonly f: readonly Int32Array[];
  /** n slots + `lists` sentinel heads at n .. n + lists - 1; -1 = not on a list. */
  readonly prev: Int32Array;
  readonly next: Int32Array;
  readonly occ: Int32Array;
  readonly free: Int32Array;
  readonly nOcc: number;
  readonly nFree: number;
}

export function createLoopState(n: number, lists: number, seed: number): LoopState {
  // All columns carved out of one buffer, each starting at a different small offset.
  const cols = 8 + 2;
  const len = n + lists;
  const buf = new ArrayBuffer(cols * (len * 4 + 256) + 4096);
  let off = 0;
  const col = (c: number): Int32Array => {
    off += ((c * 64 + c * 16) % 1024) + 64;
    off = (off + 3) & ~3;
    const a = new Int32Array(buf, off, len);
    off += len * 4;
    return a;
  };
  const f: Int32Array[] = [];
  for (let c = 0; c < 8; c++) f.push(col(c));
  const prev = col(8).fill(-1);
  const next = col(9).fill(-1);
  // A seeded shuffle of the slots: the first half are occupied, in list order.
  const rng = createPrng(seed);
  const perm = new Int32Array(n);
  for (let i = 0; i < n; i++) perm[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = rng.below(i + 1);
    const t = perm[i]!;
    perm[i] = perm[j]!;
    perm[j] = t;
  }
  const nOcc = n >> 1;
  const occ = perm.slice(0, nOcc);
  const free = perm.slice(nOcc);
  for (let h = 0; h < lists; h++) {
    prev[n + h] = n + h;
    next[n + h] = n + h;
  }
  for (let i = 0; i < nOcc; i++) {
    const p = occ[i]!;
    for (let c = 0; c < 8; c++) f[c]![p] = rng.next() | 1; // never 0: 0 is a cleared slot
    const head = n + (i % lists);
    const tail = prev[head]!; // list_add_tail
    next[tail] = p;
    prev[p] = tail;
    next[p] = head;
    prev[head] = p;
  }
  return { n, lists, f, prev, next, occ, free, nOcc, nFree: n - nOcc };
}

/** `count` migrations with random src/dst. */
export function migrateLoop(s: LoopState, count: number, rng: Prng): void {
  const [f0, f1, f2, f3, f4, f5, f6, f7] = s.f as [Int32Array, Int32Array, Int32Array, Int32Array, Int32Array, Int32Array, Int32Array, Int32Array];
  const { prev, next, occ, free, nOcc, nFree } = s;
  for (let k = 0; k < count; k++) {
    const i = rng.below(nOcc);
    const j = rng.below(nFree);
    const src = occ[i]!;
    const dst = free[j]!;
    f0[dst] = f0[src]!; f0[src] = 0;
    f1[dst] = f1[src]!; f1[src] = 0;
    f2[dst] = f2[src]!; f2[src] = 0;
    f3[dst] = f3[src]!; f3[src] = 0;
    f4[dst] = f4[src]!; f4[src] = 0;
    f5[dst] = f5[src]!; f5[src] = 0;
    f6[dst] = f6[src]!; f6[src] = 0;
    f7[dst] = f7[src]!; f7[src] = 0;
    const p = prev[src]!;
    const q = next[src]!;
    prev[dst] = p;
    next[dst] = q;
    next[p] = dst;
    prev[q] = dst;
    prev[src] = -1;
    next[src] = -1;
    occ[i] = dst;
    free[j] = src;
  }
}

/** Sum of every field column: migrations move values, so it never changes. */
export function fieldSum(s: LoopState): number {
  let sum = 0;
  for (const c of s.f) for (let i = 0; i < s.n; i++) sum = (sum + c[i]!) | 0;
  return sum;
}

/** Every list is a consistent ring, they hold exactly the occupied slots, and free slots are unlinked. Throws if not. */
export function checkLoopState(s: LoopState): void {
  const { n, prev, next } = s;
  const seen = new Uint8Array(n);
  let total = 0;
  for (let h = n; h < n + s.lists; h++) {
    let x = h;
    for (;;) {
      const y = next[x]!;
      if (y < 0 || prev[y] !== x) throw new Error(`migrate loop: list ${h - n} broken at ${x}`);
      if (y === h) break;
      if (y >= n || seen[y]) throw new Error(`migrate loop: slot ${y} linked twice or a head inside a list`);
      seen[y] = 1;
      total++;
      x = y;
    }
  }
  if (total !== s.nOcc) throw new Error(`migrate loop: ${total} slots on lists, ${s.nOcc} occupied`);
  for (let i = 0; i < s.nOcc; i++) if (!seen[s.occ[i]!] || s.f[0]![s.occ[i]!] === 0) throw new Error('migrate loop: occupied slot off the lists or cleared');
  for (let i = 0; i < s.nFree; i++) {
    const x = s.free[i]!;
    if (seen[x] || prev[x] !== -1 || next[x] !== -1 || s.f[0]![x] !== 0) throw new Error('migrate loop: free slot still linked or not cleared');
  }
}
