// Input from the UI, checked before it reaches the engine: where a session comes from (preset,
// scenario, share link), step numbers and breakpoint lists. Whatever is wrong is refused with one
// line (Refused), and the host then keeps the session it had. The editor's scenario text is
// checked here too (validateText), with the engine's own parser.
import { PRESETS, findPreset } from '../engine/presets';
import { parseShareUrl } from '../engine/share';
import { parseScenario, parseScenarioText, ScenarioError, type Scenario } from '../engine/scenario';
import { MAX_SCENARIO_TEXT, type Breakpoint, type LoadSource } from './protocol';

/** Input the worker refuses; the session is untouched. */
export class Refused extends Error {
  override name = 'Refused';
}

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
        return { scenario: parseScenario(source.scenario), step: 0 };
      case 'url': {
        const st = parseShareUrl(String(source.url));
        return {
          scenario: st.scenario,
          step: st.step,
          ...(st.preset !== undefined ? { preset: st.preset } : {}),
          link: st.pfn !== undefined ? { pfn: st.pfn } : {},
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
