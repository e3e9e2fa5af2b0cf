// A share link's fragment read without decoding its scenario: `preset=<name>` opens a preset with
// no zod and no inflate, so the sim worker loads those (share.ts: decodeScenario) only for a
// link that carries a scenario (`s=<payload>`).
import { findPreset, type Preset } from './presets';
import type { Scenario } from './scenario';

export class ShareError extends Error {
  override name = 'ShareError';
}

export interface ShareState {
  readonly scenario: Scenario;
  /** The preset name when the link named one. */
  readonly preset?: string;
  readonly step: number;
  readonly pfn?: number;
}

/** A link's fragment read: the preset it names, or the scenario payload it carries (not decoded). */
export type ShareFragment = { readonly step: number; readonly pfn: number | undefined } & (
  | { readonly preset: Preset; readonly payload?: undefined }
  | { readonly preset?: undefined; readonly payload: string });

function parseIndex(name: string, v: string | null): number | undefined {
  if (v === null) return undefined;
  if (!/^\d{1,9}$/.test(v)) throw new ShareError(`${name}=${JSON.stringify(v.slice(0, 20))} is not a whole number`);
  return Number(v);
}

/**
 * `k=v&k=v` of a fragment, percent-decoded (compare-link.ts reads its keys with it too). Not URLSearchParams: a fragment is not a form, so a
 * '+' is a '+' (form decoding made it a space, and the error named " " for what the user typed).
 */
export function fragmentParams(frag: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of frag.split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    const key = eq < 0 ? part : part.slice(0, eq);
    const raw = eq < 0 ? '' : part.slice(eq + 1);
    let value = raw;
    try {
      value = decodeURIComponent(raw);
    } catch {
      // a malformed %-escape stays as typed, and the check of that value names it
    }
    if (!out.has(key)) out.set(key, value);
  }
  return out;
}

/** Read a share URL, or just its fragment (with or without '#'), short of decoding its payload. */
export function readShareFragment(url: string): ShareFragment {
  const hashAt = url.indexOf('#');
  const frag = hashAt >= 0 ? url.slice(hashAt + 1) : url;
  const map = fragmentParams(frag);
  const params = { get: (key: string): string | null => map.get(key) ?? null };
  const step = parseIndex('step', params.get('step')) ?? 0;
  const pfn = parseIndex('pfn', params.get('pfn'));
  const preset = params.get('preset');
  if (preset !== null) {
    const p = findPreset(preset);
    if (!p) throw new ShareError(`the link names no known preset: ${JSON.stringify(preset.slice(0, 40))}`);
    return { preset: p, step, pfn };
  }
  const s = params.get('s');
  if (s === null) throw new ShareError('the link has neither a scenario (#s=) nor a preset (#preset=)');
  return { payload: s, step, pfn };
}
