// The compare view's address: a share link's head with `compare=<designs>&steps=<n,…>`
// (engine/compare-link.ts parses it in the worker; the UI only writes it and recognises it).

/** The fragment names a compare view. */
export function isCompareHash(hash: string): boolean {
  const frag = hash.startsWith('#') ? hash.slice(1) : hash;
  return frag.split('&').some((p) => p === 'compare' || p.startsWith('compare='));
}

/** `#<head>&compare=<designs>&steps=<steps>`. */
export function compareHash(head: string, designs: readonly string[], steps: readonly number[]): string {
  return `#${head}&compare=${designs.join(',')}&steps=${steps.join(',')}`;
}
