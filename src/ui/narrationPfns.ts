// The PFNs in a step's sentence, found so the narration can make each a button that pins the page
// in the inspector. The kernel model writes every PFN with hex() ("0x1c49"); the other hex numbers
// in its sentences are user virtual addresses ("at 0x110000000"), far above the last PFN of any
// machine the model runs, so "a hex number below nrPfns" tells them apart.

export type TextPart = string | { readonly pfn: number; readonly text: string };

const HEX = /\b0x[0-9a-f]+\b/g;

/** The text cut into plain runs and PFNs, in order; joined back, the parts are the text. */
export function splitPfns(text: string, nrPfns: number): TextPart[] {
  const out: TextPart[] = [];
  let last = 0;
  for (const m of text.matchAll(HEX)) {
    const pfn = Number.parseInt(m[0].slice(2), 16);
    if (!(pfn < nrPfns)) continue;
    if (m.index > last) out.push(text.slice(last, m.index));
    out.push({ pfn, text: m[0] });
    last = m.index + m[0].length;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}
