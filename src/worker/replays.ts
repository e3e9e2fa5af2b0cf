// The `replay` command's input, apart from the host's session handling: the text checked and
// parsed (engine/replay-parse.ts), refused in one line when it cannot be replayed.
import { parseTrace, ReplayError, type ParsedTrace } from '../engine/replay-parse';
import { Refused } from './errors';
import { MAX_TRACE_TEXT, type Command } from './protocol';

/** Longest trace name kept (a file name; it only labels messages and the header). */
const MAX_NAME = 120;

export function replayTraceOf(cmd: Extract<Command, { type: 'replay' }>): ParsedTrace {
  if (typeof cmd.text !== 'string') throw new Refused('replay: the trace must be given as text');
  if (cmd.text.length > MAX_TRACE_TEXT) throw new Refused(`replay: the trace is too long (${cmd.text.length} characters, at most ${MAX_TRACE_TEXT})`);
  const name = typeof cmd.name === 'string' && cmd.name.trim() ? cmd.name.trim().slice(0, MAX_NAME) : 'trace';
  let vmemmapBase: bigint | undefined;
  if (cmd.vmemmapBase !== undefined) {
    const v = String(cmd.vmemmapBase);
    if (!/^(0x)?[0-9a-f]{1,16}$/i.test(v)) throw new Refused(`replay: vmemmapBase ${JSON.stringify(v.slice(0, 24))} is not a hexadecimal address`);
    vmemmapBase = BigInt(v.toLowerCase().startsWith('0x') ? v : '0x' + v);
  }
  try {
    return parseTrace(cmd.text, name, vmemmapBase !== undefined ? { vmemmapBase } : {});
  } catch (e) {
    if (e instanceof ReplayError) throw new Refused(e.message);
    throw e;
  }
}
