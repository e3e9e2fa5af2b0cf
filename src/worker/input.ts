// Input from the UI, checked before it reaches the engine: where a session comes from (preset,
// scenario, share link), step numbers and breakpoint lists. Whatever is wrong is refused with one
// line (Refused), and the host then keeps the session it had. The editor's scenario text is
// checked here too (validateText), with the engine's own parser.
// A preset, or a link naming one, needs no part; a user's scenario is parsed by the scenario part
// (parts.ts), which sim.worker.ts loaded before the command came here.
import { PRESETS, findPreset } from '../engine/presets';
import { readShareFragment } from '../engine/share-link';
import type { Scenario } from '../engine/scenario';
import { part } from './parts';
import { Refused } from './errors';
import { MAX_SCENARIO_TEXT, type Breakpoint, type LoadSource } from './protocol';


/** A source, checked and resolved to the scenario it opens. */
export interface Resolved {
  readonly scenario: Scenario;
  /** The step to open at (a link's `step`, else 0). */
  readonly step: number;
  /** The preset it names (a preset, or a link naming one): its link is `preset=<name>`. */
  readonly preset?: string;
  /** Only for links: the link came from a share URL, and the page it selects (if any). */
  readonly link?: { readonly pfn?: number };
}

export function resolve(source: LoadSource): Resolved {
  try {
    switch (source.kind) {
      case 'preset': {
        const p = findPreset(source.name);
        if (!p) throw new Refused(`unknown preset ${JSON.stringify(String(source.name).slice(0, 40))} (presets: ${PRESETS.map((x) => x.name).join(', ')})`);
        return { scenario: p.scenario, step: 0, preset: p.name };
      }
      case 'scenario':
        return { scenario: part('scenario').parseScenario(source.scenario), step: 0 };
      case 'url': {
        const f = readShareFragment(String(source.url));
        return {
          scenario: f.preset ? f.preset.scenario : part('scenario').decodeScenario(f.payload),
          step: f.step,
          ...(f.preset ? { preset: f.preset.name } : {}),
          link: f.pfn !== undefined ? { pfn: f.pfn } : {},
        };
      }
      default:
        throw new Refused(`unknown source kind: ${JSON.stringify((source as { kind?: unknown }).kind)}`);
    }
  } catch (e) {
    // ScenarioError and ShareError already say what was wrong in one line.
    if (e instanceof Refused) throw e;
    const what = source.kind === 'url' ? 'cannot open the link' : 'invalid scenario';
    throw new Refused(`${what}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/**
 * The editor's scenario text, checked by the engine's parser: the scenario, or the one line
 * ScenarioError gives (naming the field). Anything else thrown is a bug and propagates.
 */
export function validateText(text: unknown): { ok: true; scenario: Scenario } | { ok: false; error: string } {
  if (typeof text !== 'string') throw new Refused('validate: text is not a string');
  if (text.length > MAX_SCENARIO_TEXT) {
    return { ok: false, error: `the scenario text is too long (${text.length} characters, at most ${MAX_SCENARIO_TEXT})` };
  }
  const { parseScenarioText, ScenarioError } = part('scenario');
  try {
    return { ok: true, scenario: parseScenarioText(text) };
  } catch (e) {
    if (e instanceof ScenarioError) return { ok: false, error: e.message.replace(/\s+/g, ' ').trim() };
    throw e;
  }
}

export function wholeNumber(what: string, n: unknown): void {
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) throw new Refused(`${what}: ${String(n)} is not a step number`);
}

export function validBreakpoints(list: unknown): readonly Breakpoint[] {
  if (!Array.isArray(list)) throw new Refused('breakpoints: expected a list');
  for (const b of list as unknown[]) {
    const ok =
      typeof b === 'object' && b !== null &&
      ((b as Breakpoint).kind === 'phase' ? typeof (b as { phase?: unknown }).phase === 'string'
        : (b as Breakpoint).kind === 'fn' ? typeof (b as { fn?: unknown }).fn === 'string'
        : (b as Breakpoint).kind === 'pfn' && Number.isSafeInteger((b as { pfn?: unknown }).pfn));
    if (!ok) throw new Refused(`breakpoints: not a breakpoint: ${JSON.stringify(b)?.slice(0, 80)}`);
  }
  return list as Breakpoint[];
}
