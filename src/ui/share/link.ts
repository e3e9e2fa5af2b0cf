// Share links as the UI sees them: is there one in the address bar, and what the address bar and
// the Share button say for the current session, step and selection. The link's head (`preset=…`
// or `s=<payload>`) comes from the worker, which owns the scenario format; the UI only appends
// `&step=<n>&pfn=<n>` and never decodes a payload.

/** The fragment of `hash` (with or without '#') when it names a scenario or a preset, else null. */
export function linkInHash(hash: string): string | null {
  const frag = hash.startsWith('#') ? hash.slice(1) : hash;
  if (frag === '') return null;
  const params = new URLSearchParams(frag);
  return params.has('s') || params.has('preset') ? `#${frag}` : null;
}

/**
 * `#<head>&step=<n>[&pfn=<n>]`. A selection the machine does not have (kept from a larger one)
 * is left out: the link would not open.
 */
export function linkFragment(head: string, step: number, pfn: number | null, nrPfns: number): string {
  const sel = pfn !== null && pfn < nrPfns ? `&pfn=${pfn}` : '';
  return `#${head}&step=${step}${sel}`;
}

/** The page's address without its query (`?test` and the like are not shared) and fragment. */
export function pageAddress(loc: { readonly origin: string; readonly pathname: string }): string {
  return `${loc.origin}${loc.pathname}`;
}
