// The targets of the real-machine-scale figures (the 24 GiB import, the timeline's memory, Run to
// end in the browser), in one place: bench/run.ts and bench/browser.ts take their numbers from
// here, and bench/main.ts prints the rows at the end of `npm run bench` in design.md's table
// format ("Performance targets": what | measured limit on this machine | target), to be copied
// there. The older figures still carry their targets inline, as design.md's existing rows.

export interface TargetRow {
  /** design.md's "what" column. */
  readonly what: string;
  /** design.md's "measured limit on this machine" column ("–" when there is none). */
  readonly limit: string;
  /** design.md's "target" column. */
  readonly target: string;
  /** The bench figures that check it (their `what`, as printed). */
  readonly figures: readonly string[];
}

/** Numbers the figures compare against (ms, MiB, B, ×). */
export const T = {
  /** compact_memory on the 24 GiB import, CLI end to end (fresh Node process, as a user runs it). */
  cliCompactMs: 10_000,
  cliCompactRssMiB: 2048,
  /** The same in the browser: import, then Run to end; the worker's JS heap + array buffers. */
  browserCompactMs: 15_000,
  browserWorkerMiB: 2048,
  /** Seek to any step of that run: Node (seek() alone) and the browser (slider to the next frame). */
  seekAnyMs: 200,
  /** Step back at the end of that run (Node, stepBy(t, -1)). */
  stepBackMs: 1,
  /** Timeline memory per computed step beyond the stores: step records + spans. */
  bytesPerStep: 32,
  /** Run to end of balloon-compaction in the browser, from the key press to the end's frame. */
  balloonRunMs: 1000,
  /** Compaction speed over the bare loop (design.md's existing row). */
  compactionRatio: 0.35,
} as const;

export const TARGET_ROWS: readonly TargetRow[] = [
  {
    what: 'compact_memory on a 24 GiB import (52 tiles of fragmented-compact/before, ~760 k migrations, ~10.4 M steps), CLI end to end',
    limit: 'a real kernel: a few seconds of memcpy',
    target: `<= ${T.cliCompactMs / 1000} s wall and <= ${T.cliCompactRssMiB / 1024} GiB peak RSS (\`node --import tsx src/cli/main.ts compact-memory --import PREFIX --summary\`, a fresh process)`,
    figures: ['compact_memory 24 GiB import, CLI end to end', 'compact_memory 24 GiB import, CLI peak RSS'],
  },
  {
    what: 'the same in the browser: import, then Run to end',
    limit: '–',
    target: `<= ${T.browserCompactMs / 1000} s from the file input to the end's frame; <= ${T.browserWorkerMiB / 1024} GiB worker JS heap + array buffers (CDP Runtime.getHeapUsage, peak of samples over the import, the run and seeks after it)`,
    figures: ['compact_memory 24 GiB import + Run to end, browser', 'worker JS heap + array buffers, 24 GiB session'],
  },
  {
    what: 'seek to any step of the 24 GiB run',
    limit: '–',
    target: `<= ${T.seekAnyMs} ms (Node: seek() alone; browser: slider to the next frame)`,
    figures: ['seek to any step of the 24 GiB run', 'seek to any step of the 24 GiB run, browser'],
  },
  {
    what: 'step back at the end of the 24 GiB run',
    limit: '–',
    target: `<= ${T.stepBackMs} ms (median)`,
    figures: ['step back at the end of the 24 GiB run'],
  },
  {
    what: 'timeline memory per computed step, beyond the stores (step records + spans; journal and checkpoints are bounded by budgets)',
    limit: '–',
    target: `<= ${T.bytesPerStep} B`,
    figures: ['timeline memory per step beyond the stores'],
  },
  {
    what: 'Run to end of the heaviest preset (balloon-compaction) in the browser',
    limit: '–',
    target: `<= ${T.balloonRunMs / 1000} s, with progress and cancel for anything longer`,
    figures: ['balloon-compaction Run to end, browser'],
  },
  {
    what: 'compaction in fast-forward, over the bare loop in the same run; journaled writes per migrated page for information',
    limit: 'a bare typed-array "move 8 fields + relink" loop: ~2.8 M/s random access',
    target: `>= ${T.compactionRatio}× (information: writes per migrated page, to set against what the real functions write)`,
    figures: ['compaction / bare loop, fragmented', 'journaled writes per migrated page, fragmented'],
  },
];

/** The rows as markdown table lines, for design.md. */
export function targetTable(): string[] {
  return [
    '| what | measured limit on this machine | target | bench figures |',
    '| --- | --- | --- | --- |',
    ...TARGET_ROWS.map((r) => `| ${r.what} | ${r.limit} | ${r.target} | ${r.figures.join('; ')} |`),
  ];
}
