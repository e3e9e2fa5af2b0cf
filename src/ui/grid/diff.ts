// Which PFNs changed class between two frames. A step changes a handful of pages (a migration
// moves one folio, a merge retypes one block), so while playing at 1 Mi PFNs the painter redraws
// only those: comparing 1 MiB four bytes at a time costs ~0.3 ms, re-rendering all of it ~5 ms.

/**
 * The indices where `next` differs from `prev` (same length), ascending; null when there are
 * more than `limit` of them (then a full re-render is cheaper than a list).
 */
export function changedPfns(prev: Uint8Array, next: Uint8Array, limit: number): number[] | null {
  if (prev.length !== next.length) return null;
  const out: number[] = [];
  const n = next.length;
  const aligned = prev.byteOffset % 4 === 0 && next.byteOffset % 4 === 0;
  const words = aligned ? n >> 2 : 0;
  if (words > 0) {
    const a = new Uint32Array(prev.buffer, prev.byteOffset, words);
    const b = new Uint32Array(next.buffer, next.byteOffset, words);
    for (let w = 0; w < words; w++) {
      if (a[w] === b[w]) continue;
      for (let i = w << 2, end = i + 4; i < end; i++) {
        if (prev[i] !== next[i]) {
          if (out.length >= limit) return null;
          out.push(i);
        }
      }
    }
  }
  for (let i = words << 2; i < n; i++) {
    if (prev[i] !== next[i]) {
      if (out.length >= limit) return null;
      out.push(i);
    }
  }
  return out;
}
