// "Replay trace": pick an ftrace text of a real compaction or migration run (the contents of
// /sys/kernel/tracing/trace or `trace-cmd report` output, plain or gzipped) and replay it over the
// memory shown, one step per migrate or compaction event (worker `replay` command). The worker
// reads and checks the text; a gzip file is decompressed here (DecompressionStream), since the
// worker takes text. A bad trace comes back as one error line and the session shown stays.
import { useRef } from 'react';
import { send } from './state/simClient';
import { selectAlive, useSim } from './state/store';
import { isTraceCmdDat, traceDatMessage } from './import/dropRoute';

/** The file's text, gunzipped when it starts with the gzip magic (1f 8b). */
async function traceText(file: File): Promise<string> {
  const magic = new Uint8Array(await file.slice(0, 2).arrayBuffer());
  if (magic[0] === 0x1f && magic[1] === 0x8b) return new Response(file.stream().pipeThrough(new DecompressionStream('gzip'))).text();
  return file.text();
}

export async function replayFile(file: File): Promise<void> {
  let text: string;
  try {
    // trace-cmd's binary trace.dat is not text: say how to make the text instead of "not an ftrace text".
    if (isTraceCmdDat(new Uint8Array(await file.slice(0, 10).arrayBuffer()))) {
      useSim.setState({ error: { message: traceDatMessage(file.name), restartable: false } });
      return;
    }
    text = await traceText(file);
  } catch (e) {
    useSim.setState({ error: { message: `cannot read ${JSON.stringify(file.name.slice(0, 80))}: ${e instanceof Error ? e.message : String(e)}`, restartable: false } });
    return;
  }
  send({ type: 'replay', text, name: file.name });
}

export function ReplayButton() {
  const alive = useSim(selectAlive);
  const input = useRef<HTMLInputElement>(null);
  return (
    <>
      <button
        type="button"
        disabled={!alive}
        onClick={() => input.current?.click()}
        title="Replay a real ftrace (/sys/kernel/tracing/trace or trace-cmd report, .gz too) over the memory shown: one step per migrate or compaction event"
      >
        Replay trace
      </button>
      <input
        ref={input}
        type="file"
        accept=".txt,.gz,.trace,.log,text/plain"
        hidden
        data-testid="replay-file"
        onChange={(e) => {
          const file = e.target.files?.[0];
          e.target.value = ''; // picking the same file again replays it again
          if (file) void replayFile(file);
        }}
      />
    </>
  );
}
