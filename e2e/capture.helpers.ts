// Reading the real captures (../shared/reference) the import tests compare against.

/** /proc/buddyinfo as zone → free blocks per order. */
export function buddyinfo(text: string): Map<string, number[]> {
  const zones = new Map<string, number[]>();
  for (const line of text.split('\n')) {
    const m = /zone\s+(\S+)\s+([\d\s]+)$/.exec(line.trim());
    if (m) zones.set(m[1]!, m[2]!.trim().split(/\s+/).map(Number));
  }
  return zones;
}
