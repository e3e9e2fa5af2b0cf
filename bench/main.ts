// `npm run bench`: the Node figures (bench/run.ts, with --expose-gc), then the browser ones
// (bench/browser.ts), each in a process of its own as before. The 6.5 Mi-PFN import dump that both
// time is built here once, in a temp dir, passed to them in PFNSCOPE_BENCH_IMPORT, and removed
// at the end whatever happened (a failed run, Ctrl-C).
import { spawn, type ChildProcess } from 'node:child_process';
import { buildImportDump, IMPORT_ENV, removeImportDump } from './import-dump';
import { targetTable } from './targets';

const t0 = performance.now();
const dump = buildImportDump();
console.log(`import dump: ${dump.prefix}.kpageflags/.kpagecount (${dump.source}), built in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

let child: ChildProcess | null = null;
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => {
    child?.kill(sig); // a Ctrl-C reached it too; a signal sent to this process alone did not
    removeImportDump(dump);
    process.exit(128 + (sig === 'SIGINT' ? 2 : 15));
  });
}

let status = 0;
try {
  const env = { ...process.env, [IMPORT_ENV]: dump.prefix };
  for (const args of [['--expose-gc', '--import', 'tsx', 'bench/run.ts'], ['--import', 'tsx', 'bench/browser.ts']]) {
    status = await new Promise<number>((resolve, reject) => {
      child = spawn(process.execPath, args, { stdio: 'inherit', env }).on('error', reject).on('exit', (code) => resolve(code ?? 1));
    });
    if (status !== 0) break; // as `run.ts && browser.ts` did
  }
} finally {
  removeImportDump(dump);
}
// The real-machine-scale rows (bench/targets.ts), in design.md's format, for its targets table.
console.log('\ntargets of the real-machine-scale figures (bench/targets.ts), as design.md rows:');
for (const line of targetTable()) console.log(line);
process.exit(status);
