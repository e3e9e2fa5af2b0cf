// Loaded on first use (parts.ts): the ftrace parser and the replay engine of the `replay` command.
export { openReplaySession } from '../engine/replay';
export { replayInfo } from '../engine/replay-parse';
export { replayTraceOf } from './replays';
