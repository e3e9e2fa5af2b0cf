// Share links: `#s=<payload>&step=<n>&pfn=<n>`, payload = base64url(deflate(scenario JSON)), or
// `#preset=<name>&step=<n>`. Decoding never trusts the link: sizes are bounded before any work,
// and every failure is a ShareError with one line saying what was wrong.

import { deflateSync, inflateSync } from 'fflate';
import { parseScenario, ScenarioError, type Scenario } from './scenario';
import { readShareFragment, ShareError, type ShareState } from './share-link';

// The fragment's reading lives in share-link.ts (no zod, no fflate); its names are still found here.
export { fragmentParams, ShareError, type ShareState } from './share-link';

/** Longest payload accepted (characters). Every preset's whole URL stays under 2,000. */
export const MAX_PAYLOAD_CHARS = 64 * 1024;
/** Largest inflated scenario JSON accepted (bytes): bounds a deflate bomb. */
export const MAX_SCENARIO_BYTES = 256 * 1024;

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

/** Parse a share URL, or just its fragment (with or without '#'). */
export function parseShareUrl(url: string): ShareState {
  const f = readShareFragment(url);
  if (f.preset) return { scenario: f.preset.scenario, preset: f.preset.name, step: f.step, pfn: f.pfn };
  return { scenario: decodeScenario(f.payload), step: f.step, pfn: f.pfn };
}

export function shareFragment(st: ShareState): string {
  const head = st.preset ? `preset=${encodeURIComponent(st.preset)}` : `s=${encodeScenario(st.scenario)}`;
  return `#${head}&step=${st.step}${st.pfn !== undefined ? `&pfn=${st.pfn}` : ''}`;
}
