// Numbers as a person reads them: "512 MiB", "131,072", PFNs as 0x454.

/** Base page size of the modelled machine (x86-64). */
export const PAGE_SIZE = 4096;

/** A PFN as the step text and the trace write it: 0x454, not zero-padded. */
export const hex = (n: number): string => `0x${n.toString(16)}`;

const count = new Intl.NumberFormat('en-US');

export function formatCount(n: number): string {
  return count.format(n);
}

/** Binary units, at most two decimals, trailing zeros dropped: 512 MiB, 1.5 GiB, 64 KiB. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = bytes;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${Number(v.toFixed(2))} ${units[u]}`;
}

/** "512 MiB, 131,072 PFNs, DMA + DMA32" */
export function describeMemory(nrPfns: number, zoneNames: readonly string[]): string {
  const zones = zoneNames.length > 0 ? `, ${zoneNames.join(' + ')}` : '';
  return `${formatBytes(nrPfns * PAGE_SIZE)}, ${formatCount(nrPfns)} PFNs${zones}`;
}
