// The CLI as the CLI tests run it: run.ts in-process, from the repository root, with stdout and
// stderr collected — the same code as `npm run sim` without a process to start per call (each
// spawn of tsx cost seconds on a busy machine). Tests of the process itself (a closed pipe, the
// packed command) spawn it: manners.test.ts, pack.test.ts.
import { fileURLToPath } from 'node:url';
import { runCli } from './run';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export function sim(...args: string[]): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const code = runCli(args, (s) => void (out += s), (s) => void (err += s));
  return { code, out, err };
}
