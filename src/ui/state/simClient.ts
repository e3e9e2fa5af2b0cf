// Owns the simulation worker: sends commands, turns its messages into store updates. The bytes go
// to the canvas store before the metadata, so by the time React shows data-busy="false" the grid
// has already been painted (the painter draws synchronously in its subscription).
import { assertNever, type Command, type WorkerMsg } from '../../worker/protocol';
import { gridView, useSim } from './store';

export interface SimClient {
  send(cmd: Command): void;
}

export function startSim(): SimClient {
  const worker = new Worker(new URL('../../worker/sim.worker.ts', import.meta.url), { type: 'module' });
  worker.addEventListener('message', (ev: MessageEvent<WorkerMsg>) => receive(ev.data));
  // A module worker that fails to load fires a plain Event with no message, hence the fallback.
  worker.addEventListener('error', (ev: ErrorEvent) => fail(ev.message || 'the simulation worker failed to load'));
  worker.addEventListener('messageerror', () => fail('a message from the simulation worker could not be read'));

  const client: SimClient = {
    send(cmd) {
      useSim.setState({ busy: true });
      worker.postMessage(cmd);
    },
  };
  client.send({ type: 'load' });
  return client;
}

function receive(msg: WorkerMsg): void {
  switch (msg.type) {
    case 'frame': {
      const { type: _type, view, ...meta } = msg;
      try {
        gridView.setState({ current: { view, nrPfns: meta.nrPfns, zones: meta.zones } });
      } catch (e) {
        // The painter runs inside setState; if it throws, say so rather than stay busy forever.
        fail(`cannot draw the frame: ${e instanceof Error ? e.message : String(e)}`);
        return;
      }
      useSim.setState({ busy: false, error: null, meta });
      return;
    }
    case 'error':
      fail(msg.message);
      return;
    default:
      assertNever(msg);
  }
}

function fail(message: string): void {
  useSim.setState({ busy: false, error: message });
}
