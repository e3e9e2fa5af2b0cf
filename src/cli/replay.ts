// The CLI's trace replay and prediction (issue 10): reading the files (a gzip trace is
// decompressed here, with node:zlib; the engine takes text), opening the replay over a kernel,
// and the prediction's comparison with a real buddyinfo. Errors are one line, like every CLI error.

import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import type { Kernel } from '../kernel/kernel';
import { comparePrediction, predictionText, type Prediction } from '../engine/predict';
import { openReplaySession, type ReplaySession } from '../engine/replay';
import { parseTrace, replayInfo } from '../engine/replay-parse';
import type { Scenario } from '../engine/scenario';
import type { TimelineOptions } from '../engine/timeline';

function readFile(path: string, what: string): Buffer {
  try {
    return readFileSync(path);
  } catch (e) {
    throw new Error(`cannot read ${what} ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

/** A text file, gunzipped when it starts with the gzip magic (1f 8b). */
export function readTextFile(path: string, what: string): string {
  const bytes = readFile(path, what);
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      return gunzipSync(bytes).toString('utf8');
    } catch (e) {
      throw new Error(`${path}: not a readable gzip file (${(e as Error).message})`);
    }
  }
  return bytes.toString('utf8');
}

/** Replay the trace in `path` over `k` (fresh: SOURCE's populated memory or an imported one). */
export function openReplayFile(path: string, k: Kernel, scenario: Scenario, vmemmapBase?: bigint, opts: TimelineOptions = {}): ReplaySession {
  const name = path.split(/[\\/]/).pop() ?? path;
  const trace = parseTrace(readTextFile(path, 'trace'), name, vmemmapBase !== undefined ? { vmemmapBase } : {});
  return openReplaySession(k, trace, scenario, opts);
}

/** What --summary adds for a replay: the events kept and dropped, and how PFNs were read. */
export function replaySummary(s: ReplaySession): object {
  return { replay: replayInfo(s.trace) };
}

/** --predict: the reached state against a real buddyinfo, as text. */
export function predictFile(k: Kernel, path: string): string {
  const text = readTextFile(path, 'buddyinfo');
  let p: Prediction;
  try {
    p = comparePrediction(k, text);
  } catch (e) {
    throw new Error(`${path}: ${(e as Error).message}`);
  }
  return predictionText(p, path);
}
