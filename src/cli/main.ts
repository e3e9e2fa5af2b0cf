// `npm run sim`: the same kernel and engine as the browser, in Node. Prints kernel-format
// views of the reached state or a JSON summary; bad input is one line on stderr and exit 2.

import { readFileSync } from 'node:fs';
import { buddyinfo, pagetypeinfo } from '../kernel/procfs';
import { findPreset, PRESETS } from '../engine/presets';
import { parseScenarioText, type Scenario } from '../engine/scenario';
import { loadScenario, summaryOf } from '../engine/snapshot';
import { parseArgs, USAGE } from './args';

function resolveSource(source: string): Scenario {
  const preset = findPreset(source);
  if (preset) return preset.scenario;
  if (!/[./\\]/.test(source)) throw new Error(`unknown preset "${source}" (presets: ${PRESETS.map((p) => p.name).join(', ')})`);
  let text: string;
  try {
    text = readFileSync(source, 'utf8');
  } catch (e) {
    throw new Error(`cannot read scenario file ${source}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  try {
    return parseScenarioText(text);
  } catch (e) {
    throw new Error(`${source}: ${(e as Error).message}`);
  }
}

function main(argv: readonly string[]): number {
  const args = parseArgs(argv);
  if (args.help) {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  if (args.listPresets) {
    for (const p of PRESETS) process.stdout.write(p.name + '\n');
    return 0;
  }
  const k = loadScenario(resolveSource(args.source));
  if (args.buddyinfo) process.stdout.write(buddyinfo(k));
  if (args.pagetypeinfo) process.stdout.write(pagetypeinfo(k));
  if (args.summary || (!args.buddyinfo && !args.pagetypeinfo)) process.stdout.write(JSON.stringify(summaryOf(k)) + '\n');
  return 0;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (e) {
  process.stderr.write(`pfnscope: ${(e as Error).message.split('\n')[0]}\n`);
  process.exitCode = 2;
}
