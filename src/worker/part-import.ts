// Loaded on first use (parts.ts): the rebuild of a real machine's dump (kernel/import) and the
// `import` command's checks; the result of a run over imported memory (only such a session has
// one, so the part is loaded when it is asked for), with the real buddyinfo's parser.
export { importDump } from '../kernel/import/rebuild';
export { dumpFiles, importActions, importRefusal, throttledProgress } from './imports';
export { compactionResult, runEnd } from '../engine/compaction-result';
