// Share links: `#s=<payload>&step=<n>&pfn=<n>`, payload = base64url(deflate(scenario JSON)), or
// `#preset=<name>&step=<n>`. Decoding never trusts the link: sizes are bounded before any work,
// and every failure is a ShareError with one line saying what was wrong.

import { deflateSync, inflateSync } from 'fflate';
import { parseScenario, ScenarioError, type Scenario } from './scenario';
import { findPreset } from './presets';

/** Longest payload accepted (characters). Every preset's whole URL stays under 2,000. */
export const MAX_PAYLOAD_CHARS = 64 * 1024;
/** Largest inflated scenario JSON accepted (bytes): bounds a deflate bomb. */
export const MAX_SCENARIO_BYTES = 256 * 1024;

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

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const B64_INDEX = new Int16Array(128).fill(-1);
for (let i = 0; i < B64.length; i++) B64_INDEX[B64.charCodeAt(i)] = i;

/** base64url without padding (portable: Node 20 has no Uint8Array.toBase64). */
export function toBase64Url(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    const chars = Math.min(4, Math.ceil(((bytes.length - i) * 8) / 6));
    for (let c = 0; c < chars; c++) s += B64[(n >> (18 - 6 * c)) & 63];
  }
  return s;
}

export function fromBase64Url(s: string): Uint8Array {
  if (s.length % 4 === 1) throw new ShareError('the scenario payload is truncated (its base64url length is impossible)');
  const out = new Uint8Array(Math.floor((s.length * 6) / 8));
  let acc = 0, bits = 0, o = 0;
  for (let i = 0; i < s.length; i++) {
    const code = s.charCodeAt(i);
    const v = code < 128 ? B64_INDEX[code]! : -1;
    if (v < 0) throw new ShareError(`the scenario payload is not base64url (character ${JSON.stringify(s[i])} at ${i})`);
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
    }
  }
  return out;
}

export function encodeScenario(s: Scenario): string {
  return toBase64Url(deflateSync(new TextEncoder().encode(JSON.stringify(s)), { level: 9 }));
}

export function decodeScenario(payload: string): Scenario {
  if (payload.length > MAX_PAYLOAD_CHARS) throw new ShareError(`the scenario payload is too large (${payload.length} characters, at most ${MAX_PAYLOAD_CHARS})`);
  if (payload.length === 0) throw new ShareError('the scenario payload is empty');
  const packed = fromBase64Url(payload);
  let bytes: Uint8Array;
  try {
    const out = new Uint8Array(MAX_SCENARIO_BYTES + 1);
    bytes = inflateSync(packed, { out });
  } catch (e) {
    throw new ShareError(`the scenario payload is not valid deflate data (${(e as Error).message})`);
  }
  if (bytes.length > MAX_SCENARIO_BYTES) throw new ShareError(`the scenario is too large once inflated (more than ${MAX_SCENARIO_BYTES} bytes)`);
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (e) {
    throw new ShareError(`the scenario is not valid JSON (${(e as Error).message})`);
  }
  try {
    return parseScenario(json);
  } catch (e) {
    if (e instanceof ScenarioError) throw new ShareError(`the scenario is invalid: ${e.message}`);
    throw e;
  }
}

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

/** Parse a share URL, or just its fragment (with or without '#'). */
export function parseShareUrl(url: string): ShareState {
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
    return { scenario: p.scenario, preset, step, pfn };
  }
  const s = params.get('s');
  if (s === null) throw new ShareError('the link has neither a scenario (#s=) nor a preset (#preset=)');
  return { scenario: decodeScenario(s), step, pfn };
}

export function shareFragment(st: ShareState): string {
  const head = st.preset ? `preset=${encodeURIComponent(st.preset)}` : `s=${encodeScenario(st.scenario)}`;
  return `#${head}&step=${st.step}${st.pfn !== undefined ? `&pfn=${st.pfn}` : ''}`;
}
