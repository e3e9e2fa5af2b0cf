// The CLI's entry (`npm run sim`, the packed `pfnscope`): run.ts with the process's stdout and stderr.
import { runCli } from './run';
import { writeStdout } from './stdout';

process.exitCode = runCli(process.argv.slice(2), writeStdout, (s) => void process.stderr.write(s));
