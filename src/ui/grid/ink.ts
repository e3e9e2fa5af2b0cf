// Text on a coloured cell: which ink reads on each state class colour, and the widest PFN label.
// Pure, so the contrast choice is tested rather than eyeballed per palette change.
import { STATE_CLASSES } from '../../kernel/classes';

export const DARK_INK = '#1d1d1f';
export const LIGHT_INK = '#ffffff';

/** WCAG relative luminance of #rrggbb. */
export function luminance(hex: string): number {
  const lin = (i: number): number => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(1) + 0.7152 * lin(3) + 0.0722 * lin(5);
}

/** Contrast ratio of two luminances (1..21). */
export function contrast(a: number, b: number): number {
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
}

/** The ink with the better contrast on `hex`. */
export function inkOn(hex: string): string {
  const l = luminance(hex);
  return contrast(l, luminance(LIGHT_INK)) >= contrast(l, luminance(DARK_INK)) ? LIGHT_INK : DARK_INK;
}

/** Label ink for each view byte (256 entries; bytes without a class get dark ink). */
export const INK_BY_CLASS: readonly string[] = (() => {
  const ink = new Array<string>(256).fill(DARK_INK);
  for (const c of STATE_CLASSES) ink[c.id] = inkOn(c.color);
  return ink;
})();
