// TEMPORARY STUB — replaced by the real populated kernel. Signature is the contract.
import { StateClass, NR_STATE_CLASSES } from '../kernel/classes';

export interface ZoneRange { readonly name: string; readonly start: number; readonly end: number }

export interface MemorySnapshot {
  readonly nrPfns: number;
  readonly zones: readonly ZoneRange[];
  /** One StateClass byte per PFN. */
  readonly view: Uint8Array;
  /** Pages per StateClass, indexed by StateClass. */
  readonly classCounts: readonly number[];
  readonly stateHash: string;
}

export function loadDefaultSnapshot(): MemorySnapshot {
  const nrPfns = 131072;
  const view = new Uint8Array(nrPfns);
  const counts = new Array<number>(NR_STATE_CLASSES).fill(0);
  for (let i = 0; i < nrPfns; i++) {
    const c = i < 256 ? StateClass.Reserved : (i * 2654435761) % 7 === 0 ? StateClass.Anon : StateClass.FreeMovable;
    view[i] = c;
    counts[c]!++;
  }
  return { nrPfns, zones: [{ name: 'DMA', start: 0, end: 4096 }, { name: 'DMA32', start: 4096, end: nrPfns }], view, classCounts: counts, stateHash: '0' };
}
