// Files dragged over the page: a veil saying what a drop does, and the drop itself imports them
// (ui/import/importFlow.ts), or replays a lone ftrace text as "Replay trace" does (which is
// which: the file's first bytes, dropRoute.ts). Only drags that
// carry files are taken; text or links dragged around the page behave as before.
import { useEffect, useState } from 'react';
import { selectAlive, selectImporting, useSim } from '../state/store';
import { importPicked } from './importFlow';
import { droppedFiles, type Picked } from './readCapture';
import { routeDrop } from './dropRoute';
import { replayFile } from '../ReplayButton';

const carriesFiles = (e: DragEvent): boolean => e.dataTransfer?.types.includes('Files') === true;

/** A lone ftrace text goes to the replay, the rest to the import, a trace.dat nowhere (dropRoute.ts). */
async function dropped(p: Picked): Promise<void> {
  const route = await routeDrop(p.files);
  if (route.to === 'replay') await replayFile(p.files[0]!);
  else if (route.to === 'import') importPicked(p);
  else useSim.setState({ error: { message: route.message, restartable: false } });
}

export function ImportDrop() {
  const [over, setOver] = useState(false);
  const alive = useSim(selectAlive);
  const importing = useSim(selectImporting) !== null;
  const open = alive && !importing;

  useEffect(() => {
    // dragenter/dragleave fire for every element crossed: count them to know when the drag left the page.
    let depth = 0;
    const enter = (e: DragEvent): void => {
      if (!carriesFiles(e)) return;
      depth++;
      setOver(true);
    };
    const leave = (e: DragEvent): void => {
      if (!carriesFiles(e)) return;
      depth = Math.max(0, depth - 1);
      if (depth === 0) setOver(false);
    };
    const overPage = (e: DragEvent): void => {
      if (!carriesFiles(e)) return;
      e.preventDefault(); // else the browser opens the file instead of dropping it here
      if (e.dataTransfer) e.dataTransfer.dropEffect = open ? 'copy' : 'none';
    };
    const drop = (e: DragEvent): void => {
      if (!carriesFiles(e) || !e.dataTransfer) return;
      e.preventDefault();
      depth = 0;
      setOver(false);
      if (!open) return;
      // The DataTransfer is readable only during this event: droppedFiles takes what it needs first.
      droppedFiles(e.dataTransfer).then(dropped).catch((err: unknown) =>
        useSim.setState({ error: { message: `cannot import: ${err instanceof Error ? err.message : String(err)}`, restartable: false } }),
      );
    };
    window.addEventListener('dragenter', enter);
    window.addEventListener('dragleave', leave);
    window.addEventListener('dragover', overPage);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragenter', enter);
      window.removeEventListener('dragleave', leave);
      window.removeEventListener('dragover', overPage);
      window.removeEventListener('drop', drop);
    };
  }, [open]);

  if (!over) return null;
  return (
    <div className="import-veil" data-testid="import-veil" aria-hidden="true">
      <p>
        {open
          ? 'Drop the files of one capture to import them (.kpageflags, .kpagecount; .buddyinfo, .pagetypeinfo, .zoneinfo), or an ftrace text (.txt, .txt.gz) to replay it'
          : importing
            ? 'An import is under way: drop again when it is done'
            : 'The simulation is not running: restart it first'}
      </p>
    </div>
  );
}
