// The compare worker's host: a compare link's scenario opened once per design, each a session of
// its own (engine/session.ts, the same code the app and the CLI run), computed to its end when
// opened so the UI can line the runs up on their phases (ui/compare/align.ts), then moved to the
// steps the UI asks for. Kept apart from compare.worker.ts so vitest drives it in Node.
import { parseCompareUrl } from '../engine/compare-link';
import { openSession, type Session } from '../engine/session';
import { encodeScenario, MAX_PAYLOAD_CHARS, ShareError } from '../engine/share';
import { fnOf, phaseOf, taskOf } from '../engine/steptable';
import { currentStep, frontier, seek, timelineHash } from '../engine/timeline';
import { buildView } from '../kernel/view';
import { MAX_COMPARE_STEPS, type CompareCommand, type CompareMsg, type PaneFrame, type PaneRun, type PaneStep } from './compareProtocol';
import { sourceUrlOf } from './frame';
import { errorText } from './errors';

export interface CompareHost {
  receive(cmd: CompareCommand): void;
}

export function createCompareHost(post: (msg: CompareMsg, transfer?: ArrayBuffer[]) => void): CompareHost {
  let panes: Session[] = [];

  function open(url: string): void {
    const link = parseCompareUrl(url);
    const { scenario } = link.share;
    const sessions: Session[] = [];
    const runs: PaneRun[] = [];
    for (const design of link.designs) {
      const s = openSession({ ...scenario, variant: design });
      let stopped: string | undefined;
      try {
        seek(s.t, MAX_COMPARE_STEPS);
        if (!s.t.done) stopped = `the run is longer than ${MAX_COMPARE_STEPS.toLocaleString('en-US')} steps: only those are compared`;
      } catch (e) {
        // A BUG of the model under this design: the timeline keeps the steps before it.
        stopped = `stopped after step ${frontier(s.t)}: ${errorText(e)}`;
      }
      const tb = s.t.rec;
      const keys = [];
      for (let id = 1; id <= tb.n; id++) keys.push({ step: id, phase: phaseOf(tb, id), task: taskOf(tb, id), fn: fnOf(tb, id) });
      sessions.push(s);
      runs.push({ design, keys, last: frontier(s.t), ...(stopped ? { stopped } : {}) });
    }
    panes = sessions;
    const payload = link.share.preset === undefined ? encodeScenario(scenario) : '';
    const head = link.share.preset !== undefined ? `preset=${encodeURIComponent(link.share.preset)}` : payload.length <= MAX_PAYLOAD_CHARS ? `s=${payload}` : null;
    const steps = link.steps.map((n, i) => Math.min(n, runs[i]!.last));
    const k = sessions[0]!.k;
    post({
      type: 'opened',
      scenarioName: scenario.name ?? 'unnamed scenario',
      head,
      panes: runs,
      steps,
      nrPfns: k.mem.nr,
      zones: k.zones.map((z) => ({ name: z.name, start: z.start, end: z.end })),
    });
    show(0, steps);
  }

  function show(seq: number, steps: readonly number[]): void {
    if (panes.length === 0) throw new ShareError('nothing to compare is open');
    if (steps.length !== panes.length || !steps.every((n) => Number.isSafeInteger(n) && n >= 0)) {
      throw new ShareError(`seek: give ${panes.length} whole step numbers, one per pane`);
    }
    const frames: PaneFrame[] = panes.map((s, i) => {
      seek(s.t, Math.min(steps[i]!, frontier(s.t)));
      const view = new Uint8Array(s.k.mem.nr);
      buildView(s.k, view);
      const st = currentStep(s.t);
      const stepInfo: PaneStep | null = st
        ? {
            id: st.id, phase: st.phase, task: st.task, fn: st.fn, file: st.file, sourceUrl: sourceUrlOf(st.file), text: st.text,
            result: st.result ?? null, pfns: st.pfns, after: st.after, ...(st.excluded ? { excluded: st.excluded } : {}),
          }
        : null;
      return { step: s.t.cur, stateHash: timelineHash(s.t), view, stepInfo };
    });
    post({ type: 'frame', seq, panes: frames }, frames.map((f) => f.view.buffer));
  }

  return {
    receive(cmd) {
      try {
        if (cmd.type === 'open') open(String(cmd.url));
        else if (cmd.type === 'seek') show(cmd.seq, cmd.steps);
        else throw new ShareError(`unknown command: ${JSON.stringify((cmd as { type?: unknown }).type)}`);
      } catch (e) {
        const message = e instanceof ShareError ? e.message : `the comparison stopped: ${errorText(e)}`;
        post({ type: 'error', message: message.replace(/\s+/g, ' ').trim() });
      }
    },
  };
}
