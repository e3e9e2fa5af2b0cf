// How one zone's rebuilt free blocks compare with its buddyinfo, in the words the match report
// shows: exact, or how many blocks and free pages differ.
import { formatCount } from '../format';
import type { ZoneFreeReport } from '../../worker/protocol';

/** Free pages in blocks of `counts[order]` per order. */
export const pagesOf = (counts: readonly number[]): number => counts.reduce((sum, n, order) => sum + n * 2 ** order, 0);

export function verdict(z: ZoneFreeReport): { readonly text: string; readonly exact: boolean | null } {
  if (!z.given) return { text: 'no buddyinfo given', exact: null };
  const orders = Math.max(z.rebuilt.length, z.given.length);
  let blocks = 0;
  for (let o = 0; o < orders; o++) blocks += Math.abs((z.rebuilt[o] ?? 0) - (z.given[o] ?? 0));
  if (blocks === 0) return { text: 'exact', exact: true };
  const d = pagesOf(z.rebuilt) - pagesOf(z.given);
  // Same free pages in other orders: a block split or merged between the two reads.
  const pages = d === 0 ? 'same free pages' : `${d > 0 ? '+' : '−'}${formatCount(Math.abs(d))} free pages rebuilt`;
  const differ = blocks === 1 ? '1 block differs' : `${formatCount(blocks)} blocks differ`;
  return { text: `${differ}, ${pages}`, exact: false };
}

