// "Go to PFN": what a person types, read as a PFN. 0x-prefixed or with a hex letter → hex
// (the grid, the trace and the kernel write PFNs in hex: 0x1c49, 1c49); plain digits → decimal.
// Anything else, or a PFN past the end of memory, is a one-line message instead.

import { hex } from './format';

export type PfnParse = { readonly pfn: number } | { readonly error: string };

export function parsePfn(text: string, nrPfns: number): PfnParse {
  const t = text.trim().toLowerCase().replace(/_/g, '');
  let pfn: number;
  if (/^0x[0-9a-f]+$/.test(t)) pfn = parseInt(t.slice(2), 16);
  else if (/^[0-9]+$/.test(t)) pfn = parseInt(t, 10);
  else if (/^[0-9a-f]+$/.test(t)) pfn = parseInt(t, 16);
  else return { error: `Go to PFN: "${text.trim().slice(0, 24)}" is not a PFN (write 0x1c49 or 7241)` };
  if (!Number.isSafeInteger(pfn) || pfn >= nrPfns) {
    return { error: `Go to PFN: ${t.startsWith('0x') ? t : String(pfn)} is out of range: this machine has PFNs 0x0–${hex(nrPfns - 1)} (0–${nrPfns - 1})` };
  }
  return { pfn };
}
